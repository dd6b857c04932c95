import ShipperCore

/// The data stream naming scheme `<type>-<dataset>-<namespace>`: lowercase, and the namespace
/// carries no '-', or Elasticsearch and Fleet would read the name differently.
public enum DataStreamNaming {
    public static let type = "logs"
    public static let dataset = "mimecast.audit"
    /// `logs-mimecast.audit`: the index template, the ILM policy and the prefix of every data stream.
    public static let templateName = "\(type)-\(dataset)"

    public static func dataStream(namespace: String) -> String {
        "\(templateName)-\(namespace)"
    }

    /// `mimecast.shipper`: the shipper's own heartbeat documents, one per pass.
    public static let heartbeatDataset = "mimecast.shipper"
    /// `logs-mimecast.shipper`: the heartbeat index template and the prefix of its data streams.
    public static let heartbeatTemplateName = "\(type)-\(heartbeatDataset)"

    public static func heartbeatDataStream(namespace: String) -> String {
        "\(heartbeatTemplateName)-\(namespace)"
    }

    /// Throws a `ConfigurationError` naming the rule the namespace breaks.
    public static func validate(namespace: String) throws {
        func fail(_ rule: String) -> ConfigurationError {
            ConfigurationError("namespace '\(namespace)' is invalid: \(rule); use e.g. 'default' or 'production'")
        }
        guard !namespace.isEmpty else { throw fail("it is empty") }
        guard namespace.utf8.count <= 100 else { throw fail("it is longer than 100 bytes") }
        guard namespace == namespace.lowercased() else { throw fail("it must be lowercase") }
        guard !namespace.contains("-") else { throw fail("it must not contain '-'") }
        let forbidden: Set<Character> = ["\\", "/", "*", "?", "\"", "<", ">", "|", " ", ",", "#", ":"]
        if let bad = namespace.first(where: { forbidden.contains($0) || $0.isWhitespace }) {
            throw fail("it must not contain '\(bad)'")
        }
        guard !namespace.hasPrefix("_"), !namespace.hasPrefix("+"), namespace != ".", namespace != ".." else {
            throw fail("it must not start with '_' or '+' or be '.' or '..'")
        }
    }
}
