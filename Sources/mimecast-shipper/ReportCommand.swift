import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperPipeline
import ShipperReport

/// `mimecast-shipper report`: the provider-access review (who at Mimecast accessed the account,
/// when, from where, and what they did) for a period.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report Mimecast support access for a period: sessions, source IPs, actions, failed logins.",
        discussion: """
            A support login starts a session for that support account; the account's following \
            events, in any category, belong to it until a gap longer than --session-gap. Reads \
            the Elasticsearch data stream (default when Elasticsearch is configured; history \
            beyond Mimecast's 60 days), the Mimecast API (--from mimecast), or NDJSON of ECS \
            documents (--from FILE, e.g. saved `run --dry-run` output; --sample for the embedded \
            sample).

            Exit codes: 0 the report was written, also when there was no provider access (it \
            says so); 1 the source failed (unreachable, 5xx, expired point in time: run again); \
            2 usage or configuration error (a bad flag, an unreadable file, no data stream, \
            rejected credentials or missing read privilege).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Elasticsearch") var elasticsearch: ElasticsearchOptions

    @Option(help: ArgumentHelp("Start of the period: a date-time, a date or a duration back from --until such as 90d (default 90d).", valueName: "when"))
    var since: String?
    @Option(help: ArgumentHelp("End of the period (default now).", valueName: "when"))
    var until: String?
    @Option(help: ArgumentHelp("elasticsearch, mimecast, or a file of ECS documents (NDJSON).", valueName: "source"))
    var from: String?
    @Flag(help: "Report on the embedded synthetic sample (no credentials needed).")
    var sample = false
    @Option(help: ArgumentHelp("markdown (default), csv, json or html.", valueName: "format"))
    var format: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "file"))
    var output: String?
    @Option(help: ArgumentHelp("Quiet time that ends a session (default 60m).", valueName: "duration"))
    var sessionGap: String?
    @Option(help: ArgumentHelp("Data stream namespace: logs-mimecast.audit-<namespace> (env MIMECAST_SHIPPER_NAMESPACE, default default).", valueName: "name"))
    var namespace: String?
    @Option(help: ArgumentHelp("Mimecast API base URL for --from mimecast (env MIMECAST_BASE_URL).", valueName: "url"))
    var mimecastBaseURL: String?

    func run() async throws {
        let environment = try global.environment()
        let logger = try global.bootstrapLogging(environment: environment, label: "mimecast-shipper.report")
        var flags = ReportFlags()
        flags.since = since
        flags.until = until
        flags.from = from
        flags.sample = sample
        flags.format = format
        flags.output = output
        flags.sessionGap = sessionGap
        flags.namespace = namespace
        flags.mimecastBaseURL = mimecastBaseURL
        let settings = try ReportSettings.resolve(
            flags, environment: environment,
            elasticsearchFlagGiven: elasticsearch.url != nil || elasticsearch.cloudID != nil,
            now: Date()
        )
        let overrides = try elasticsearch.overrides()
        ConfiguredSecrets.register(environment: environment, overrides: overrides, mimecastBaseURL: mimecastBaseURL)
        let prepared = try PreparedReport(settings: settings, environment: environment, elasticsearch: overrides, logger: logger)
        logger.info("report on \(settings.period) from \(prepared.reader.description)")
        if settings.input == .mimecast, settings.period.start < Date().addingTimeInterval(-60 * 86_400) {
            logger.warning("Mimecast's API returns the last 60 days of audit events; earlier parts of the period will be empty (use --from elasticsearch for the history)")
        }
        let (report, text) = try await prepared.render()
        try ReportOutput.write(text, to: settings.output)
        let totals = report.totals
        logger.notice("report: \(totals.sessions) session(s), \(totals.sessionsWithoutLogin) without login, \(totals.failedLogins) failed login(s), \(totals.supportAccounts) support account(s)\(settings.output.map { " written to \($0)" } ?? "")")
    }
}
