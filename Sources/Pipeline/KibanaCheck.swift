import Logging
import ShipperCore
import ShipperHTTP
import ShipperKibana

/// The `check` item for Kibana: whether the detection rules are installed and current. Only
/// when a Kibana is configured (KIBANA_URL, --kibana-url or an Elastic Cloud ID); a shipper that
/// only writes events needs no Kibana.
public enum KibanaCheck {
    public static func item(
        environment: [String: String],
        overrides: KibanaOverrides,
        makeTransport: @Sendable (HTTPClientConfiguration) throws -> any HTTPTransport = { try CurlHTTPClient(configuration: $0) },
        logger: Logger
    ) async -> Checklist.Item? {
        let name = "Kibana detection rules"
        do {
            guard let configuration = try KibanaConfiguration.resolve(environment: SecretEnvironment(environment), overrides: overrides) else {
                return nil
            }
            let installer = KibanaInstaller(client: KibanaClient(configuration: configuration, transport: try makeTransport(configuration.httpClientConfiguration)), logger: logger)
            let version = try await installer.checkVersion()
            let states = try await installer.ruleStates()
            let missing = states.filter { !$0.installed }.map { $0.rule.name }
            let outdated = states.filter { $0.installed && !$0.current }.map { $0.rule.name }
            if missing.isEmpty, outdated.isEmpty {
                return Checklist.Item(name: name, passed: true, detail: "all \(states.count) installed and current (Kibana \(version))", isConfigurationProblem: false)
            }
            var parts: [String] = []
            if !missing.isEmpty { parts.append("\(missing.count) of \(states.count) not installed") }
            if !outdated.isEmpty { parts.append("\(outdated.count) outdated or edited") }
            return Checklist.Item(name: name, passed: false, detail: "\(parts.joined(separator: ", ")); run `mimecast-shipper install-kibana` as a Kibana administrator", isConfigurationProblem: true)
        } catch {
            return Checklist.Item(name: name, passed: false, detail: String(describing: error),
                                  isConfigurationProblem: ErrorClassification.exitStatus(for: error) == .configuration)
        }
    }
}
