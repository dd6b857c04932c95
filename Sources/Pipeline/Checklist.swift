#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP
import ShipperMimecast

/// `mimecast-shipper check`: every precondition of a run, checked one by one so a new install
/// learns everything that is wrong in one go. Items never print secrets; failures say what to fix.
public struct Checklist: Sendable {
    public struct Item: Sendable, Equatable {
        public let name: String
        public let passed: Bool
        public let detail: String
        /// A failure that needs a configuration change (exit 2) rather than a retry (exit 1).
        public let isConfigurationProblem: Bool

        public var line: String { "\(passed ? "[ok]  " : "[FAIL]") \(name): \(detail)" }
    }

    let environment: [String: String]
    let overrides: ElasticsearchOverrides
    let namespace: String
    let stateDirectory: String
    let makeTransport: @Sendable (HTTPClientConfiguration) throws -> any HTTPTransport
    let logger: Logger

    public init(
        environment: [String: String],
        overrides: ElasticsearchOverrides,
        namespace: String,
        stateDirectory: String,
        makeTransport: @escaping @Sendable (HTTPClientConfiguration) throws -> any HTTPTransport = { try CurlHTTPClient(configuration: Checklist.quick($0)) },
        logger: Logger
    ) {
        self.environment = environment
        self.overrides = overrides
        self.namespace = namespace
        self.stateDirectory = stateDirectory
        self.makeTransport = makeTransport
        self.logger = logger
    }

    /// Runs every check, calling `report` as each finishes, and returns them all.
    public func run(report: @Sendable (Item) -> Void = { _ in }) async -> [Item] {
        var items: [Item] = []
        func record(_ item: Item) {
            items.append(item)
            report(item)
        }

        // Mimecast.
        do {
            let configuration = try MimecastConfiguration.fromEnvironment(SecretEnvironment(environment))
            record(Item(name: "Mimecast configuration", passed: true, detail: "\(Redaction.stripURLCredentials(configuration.baseURL)), \(configuration.credentials)", isConfigurationProblem: false))
            let reader = MimecastAuditReader(configuration: configuration, transport: try makeTransport(HTTPClientConfiguration()), logger: logger)
            do {
                record(Item(name: "Mimecast credentials", passed: true, detail: try await reader.verifyCredentials(), isConfigurationProblem: false))
            } catch {
                record(failure("Mimecast credentials", error))
            }
        } catch {
            record(failure("Mimecast configuration", error))
        }

        // Elasticsearch.
        do {
            var overrides = overrides
            overrides.namespace = overrides.namespace ?? namespace
            let configuration = try ElasticsearchConfiguration.resolve(environment: SecretEnvironment(environment), overrides: overrides)
            record(Item(name: "Elasticsearch configuration", passed: true, detail: "\(configuration.redactedURL), \(configuration.auth)", isConfigurationProblem: false))
            let client = ElasticsearchClient(configuration: configuration, transport: try makeTransport(configuration.httpClientConfiguration))
            do {
                let info = try await client.info()
                let problem = ClusterCompatibility.problem(with: info)
                record(Item(
                    name: "Elasticsearch reachable and authenticated", passed: problem == nil,
                    detail: problem ?? info.summary,
                    isConfigurationProblem: problem != nil
                ))
                // read: the existence check that keeps documents single across rollovers.
                record(await privilegeItem(client, index: configuration.dataStream, needed: ["create_doc", "auto_configure", "read"],
                                           grant: "grant them on logs-mimecast.audit-* (see the README's role)"))
                // The heartbeats (one per pass) that the "feed stopped" rule watches.
                record(await privilegeItem(client, index: DataStreamNaming.heartbeatDataStream(namespace: overrides.namespace ?? namespace),
                                           needed: ["create_doc", "auto_configure"],
                                           grant: "grant them on logs-mimecast.shipper-* (see the README's role), or the feed-stopped rule fires while events still flow"))
                do {
                    let installed = try await client.indexTemplateExists(DataStreamNaming.templateName)
                    record(Item(
                        name: "index template \(DataStreamNaming.templateName)", passed: installed,
                        detail: installed ? "installed" : "not installed; run `mimecast-shipper install-template` with a user allowed to manage templates",
                        isConfigurationProblem: !installed
                    ))
                } catch {
                    record(failure("index template \(DataStreamNaming.templateName)", error))
                }
            } catch {
                record(failure("Elasticsearch reachable and authenticated", error, url: configuration.redactedURL))
            }
        } catch {
            record(failure("Elasticsearch configuration", error))
        }

        record(checkStateDirectory())
        for item in checkCheckpoints() { record(item) }
        return items
    }

    /// A failed item for `error`, naming the URL and the cause when Elasticsearch did not answer.
    private func failure(_ name: String, _ error: any Error, url: String? = nil) -> Item {
        var detail = ErrorText.describe(error)
        if let url, let http = error as? HTTPClientError {
            detail = ElasticsearchUnavailable(url: url, problem: ElasticsearchPreflight.problem(http)).description
        }
        return Item(name: name, passed: false, detail: detail,
                    isConfigurationProblem: ErrorClassification.exitStatus(for: error) == .configuration)
    }

    /// One item saying whether the credentials hold `needed` on `index`, and what to grant if not.
    private func privilegeItem(_ client: ElasticsearchClient, index: String, needed: [String], grant: String) async -> Item {
        let name = "privileges on \(index)"
        do {
            let granted = try await client.hasPrivileges(index: index, privileges: needed)
            let missing = needed.filter { granted[$0] != true }
            return Item(
                name: name, passed: missing.isEmpty,
                detail: missing.isEmpty ? needed.joined(separator: ", ") : "missing \(missing.joined(separator: ", ")); \(grant)",
                isConfigurationProblem: !missing.isEmpty
            )
        } catch {
            return failure(name, error)
        }
    }

    private func checkStateDirectory() -> Item {
        let name = "state directory \(stateDirectory)"
        do {
            try StateFiles.prepareDirectory(stateDirectory)
            let probe = PathText.joining(stateDirectory, ".write-test-\(getpid())")
            let descriptor = try StateFiles.createTemporary(probe, describing: "probe file")
            close(descriptor)
            unlink(probe)
            return Item(name: name, passed: true, detail: "owned by this user, not writable by others, writable", isConfigurationProblem: false)
        } catch let error as StateFileError {
            return Item(name: name, passed: false, detail: error.message, isConfigurationProblem: true)
        } catch {
            return Item(name: name, passed: false, detail: "cannot be created (\(ErrorText.describe(error))); set MIMECAST_SHIPPER_STATE_DIR to a writable directory", isConfigurationProblem: true)
        }
    }

    /// Short timeouts: `check` answers in seconds, also when a host does not answer.
    public static func quick(_ configuration: HTTPClientConfiguration) -> HTTPClientConfiguration {
        var configuration = configuration
        configuration.connectTimeout = min(configuration.connectTimeout, ElasticsearchPreflight.connectTimeout)
        configuration.totalTimeout = min(configuration.totalTimeout, ElasticsearchPreflight.totalTimeout)
        return configuration
    }

    /// Exit status for a finished checklist.
    public static func exitStatus(_ items: [Item]) -> ExitStatus {
        let failed = items.filter { !$0.passed }
        if failed.isEmpty { return .success }
        return failed.contains { $0.isConfigurationProblem } ? .configuration : .failure
    }
}
