#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ShipperCore
import ShipperECS
import ShipperElasticsearch
import ShipperHTTP
import ShipperMimecast
import ShipperReport

/// Builds the reader a `report` needs from resolved settings and checks its configuration before
/// the first request; then builds and renders the report.
public struct PreparedReport: Sendable {
    public let settings: ReportSettings
    public let reader: any ReportEventReader

    public init(
        settings: ReportSettings,
        environment: [String: String],
        elasticsearch overrides: ElasticsearchOverrides,
        logger: Logger,
        sleeper: Sleeper = .continuous
    ) throws {
        self.settings = settings
        let mapper = ECSMapper(options: ECSMappingOptions(namespace: settings.namespace, includeOriginal: false))
        switch settings.input {
        case .file(let path):
            reader = NDJSONReportReader(path: path)
        case .sample:
            let source = ReplayReader(contents: Array(EmbeddedSample.contents.utf8), name: EmbeddedSample.name)
            reader = AuditSourceReportReader(source: source, description: "the embedded sample (\(EmbeddedSample.name))", mapper: mapper)
        case .mimecast:
            var environment = environment
            if let flag = settings.mimecastBaseURL { environment[MimecastEnvironment.baseURL] = flag }
            let configuration = try MimecastConfiguration.fromEnvironment(SecretEnvironment(environment))
            let transport = try CurlHTTPClient(logger: logger)
            let source = MimecastAuditReader(configuration: configuration, transport: transport, sleeper: sleeper, logger: logger)
            reader = AuditSourceReportReader(source: source, description: "Mimecast \(configuration.baseURL) (\(configuration.credentials))", mapper: mapper)
        case .elasticsearch:
            try DataStreamNaming.validate(namespace: settings.namespace)
            var overrides = overrides
            overrides.namespace = overrides.namespace ?? settings.namespace
            let configuration = try ElasticsearchConfiguration.resolve(environment: SecretEnvironment(environment), overrides: overrides)
            let client = try ElasticsearchClient(configuration: configuration, logger: logger)
            reader = ElasticsearchReportReader(client: client, dataStream: configuration.dataStream)
        }
    }

    /// Reads the period and renders the report in the configured format.
    public func render() async throws -> (report: AccessReport, text: String) {
        let report = try await reader.report(period: settings.period, sessionGap: settings.sessionGap)
        return (report, settings.format.render(report))
    }
}
