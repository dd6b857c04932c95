import ShipperPipeline

/// The environment variables, listed in `--help` (the README's configuration table says the same;
/// a test compares them).
enum HelpText {
    static var environment: String { ConfigurationVariables.helpText }
}
