import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ShipperCore
import ShipperPipeline

/// `mimecast-shipper run`: one pass (or one per `--every` interval) from Mimecast to Elasticsearch.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Fetch what is new since the last run, map it to ECS and index it.",
        discussion: """
            Window: [checkpoint - overlap, now - lag). The first run starts at --since (default \
            24h back). --since together with --until reads exactly that window as a one-off \
            backfill and leaves the scheduled checkpoint alone. Re-reading is free of duplicates: \
            every event has a deterministic _id.

            \(ExitStatus.helpText)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Elasticsearch") var elasticsearch: ElasticsearchOptions

    // Long names are spelled out: otherwise ArgumentParser derives each one from the property name
    // (camel case to kebab case, character by character) at every start, before the first request.
    @Option(name: .customLong("since"), help: ArgumentHelp("First run's start: a date-time, a date or a duration back from now such as 30d (env MIMECAST_SHIPPER_SINCE); Mimecast keeps 60 days, so earlier starts are clamped.", valueName: "when"))
    var since: String?
    @Option(name: .customLong("until"), help: ArgumentHelp("End of a one-off backfill window (needs --since).", valueName: "when"))
    var until: String?
    @Option(name: .customLong("categories"), help: ArgumentHelp("Comma-separated Mimecast categories, e.g. mimecast_access_logs (env MIMECAST_CATEGORIES; default all).", valueName: "list"))
    var categories: String?
    @Option(name: .customLong("namespace"), help: ArgumentHelp("Data stream namespace: logs-mimecast.audit-<namespace> (env MIMECAST_SHIPPER_NAMESPACE, default default).", valueName: "name"))
    var namespace: String?
    @Option(name: .customLong("page-size"), help: ArgumentHelp("Events per Mimecast page, 1-500 (env MIMECAST_PAGE_SIZE, default 500).", valueName: "n"))
    var pageSize: Int?
    @Option(name: .customLong("overlap"), help: ArgumentHelp("Re-read this much before the checkpoint for late events (env MIMECAST_SHIPPER_OVERLAP, default 10m).", valueName: "duration"))
    var overlap: String?
    @Option(name: .customLong("lag"), help: ArgumentHelp("Stay this far behind now (env MIMECAST_SHIPPER_LAG, default 1m).", valueName: "duration"))
    var lag: String?
    @Option(name: .customLong("slice"), help: ArgumentHelp("Read long windows in slices of this length; the checkpoint advances per slice (env MIMECAST_SHIPPER_SLICE, default 1d).", valueName: "duration"))
    var slice: String?
    @Option(name: .customLong("every"), help: ArgumentHelp("Repeat the pass on this interval until SIGTERM/SIGINT (env MIMECAST_SHIPPER_EVERY).", valueName: "duration"))
    var every: String?
    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Documents per bulk request, 1-10000 (env MIMECAST_SHIPPER_BATCH_SIZE, default 1000).", valueName: "n"))
    var batchSize: Int?
    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Checkpoints, lock and dead letters (env MIMECAST_SHIPPER_STATE_DIR, default $XDG_STATE_HOME/mimecast-shipper or ~/.local/state/mimecast-shipper).", valueName: "dir"))
    var stateDir: String?
    @Option(name: .customLong("mimecast-base-url"), help: ArgumentHelp("Mimecast API base URL (env MIMECAST_BASE_URL, default https://api.services.mimecast.com).", valueName: "url"))
    var mimecastBaseURL: String?
    @Option(name: .customLong("retry-budget"), help: ArgumentHelp("Time a pass may spend waiting to retry Elasticsearch before it fails (env MIMECAST_SHIPPER_RETRY_BUDGET, default 2m; with --every at most the interval).", valueName: "duration"))
    var retryBudget: String?
    @Option(name: .customLong("max-calls-per-hour"), help: ArgumentHelp("Make at most this many Mimecast calls per hour, leaving the application's shared quota to its other integrations (env MIMECAST_SHIPPER_MAX_CALLS_PER_HOUR).", valueName: "n"))
    var maxCallsPerHour: Int?
    @Option(name: .customLong("max-rate-limit-wait"), help: ArgumentHelp("Longest total time a pass waits on Mimecast rate limits (429) before it stops; the next run continues (env MIMECAST_SHIPPER_MAX_RATE_LIMIT_WAIT, default 2m or half of --every).", valueName: "duration"))
    var maxRateLimitWait: String?

    @Flag(name: .customLong("dry-run"), help: "Print ECS documents on stdout, one per line; touch neither Elasticsearch nor the checkpoint.")
    var dryRun = false
    @Option(name: .customLong("replay"), help: ArgumentHelp("Read every event of a file (saved API responses or raw events, one per line) instead of the API; refuses --categories, --since and --until.", valueName: "file"))
    var replay: String?
    @Option(name: .customLong("replay-dead-letters"), help: ArgumentHelp("Send the documents of a dead-letter file again (after fixing the cause); each goes in once, however often replayed.", valueName: "file"))
    var replayDeadLetters: String?
    @Flag(name: .customLong("sample"), help: "Read the embedded synthetic sample instead of the API (no credentials needed; refuses --categories, --since and --until).")
    var sample = false
    @Flag(name: .customLong("no-original"), help: "Leave event.original out of the documents (env MIMECAST_SHIPPER_EVENT_ORIGINAL=false).")
    var noOriginal = false
    @Option(name: .customLong("summary-json"), help: ArgumentHelp("Also write each pass's summary as one JSON line to this file ('-' for stdout).", valueName: "file"))
    var summaryJSON: String?

    func run() async throws {
        HeapRetention.keepFreedMemory()
        let environment = try global.environment()
        let logger = try global.bootstrapLogging(environment: environment, label: "mimecast-shipper")
        let settings = try RunSettings.resolve(flags, environment: environment)
        let overrides = try elasticsearch.overrides()
        ConfiguredSecrets.register(environment: environment, overrides: overrides, mimecastBaseURL: settings.mimecastBaseURL)
        for warning in settings.warnings { logger.warning("\(warning)") }
        let stop = StopSignal()
        let signals = SignalHandling(stop: stop) { signal in
            logger.notice("signal \(signal): stopping; waits end now, a batch in flight gets \(StopScope.defaultGrace) to settle, nothing unsettled is checkpointed (send it again to exit at once)")
        }
        let prepared = try PreparedRun(
            settings: settings,
            environment: environment,
            elasticsearch: overrides,
            stop: stop,
            progress: ProgressReporter.forTerminal(),
            logger: logger
        )
        logger.info("mimecast-shipper \(ProductInfo.version): \(prepared.description)")
        let summaryJSON = self.summaryJSON
        let summaryWriteFailures = OutputFailures()
        let runner = ScheduledRunner(every: settings.every, stop: stop, logger: logger) { summary, status, error in
            if let error {
                logger.error("pass failed: \(ErrorText.describe(error))")
                logger.notice("pass summary: \(summary.line)")
            } else {
                logger.notice("pass finished: \(summary.line)")
                if status == .deadLettered {
                    logger.warning("\(summary.report.deadLettered) document(s) were rejected and written to the dead-letter file in \(settings.stateDirectory)")
                }
            }
            if let summaryJSON {
                if let failure = SummaryOutput.write(summary.json(outcome: SummaryOutput.outcome(status)), to: summaryJSON, logger: logger) {
                    summaryWriteFailures.record(failure)
                }
            }
        }
        var status = await runner.run { try await prepared.pass() }
        withExtendedLifetime(signals) {}
        // A summary that could not be written turns a success into a failure (exit 1).
        if summaryWriteFailures.firstFailure != nil, status == .success { status = .failure }
        throw ExitCode(status.rawValue)
    }

    private var flags: RunFlags {
        var flags = RunFlags()
        flags.since = since
        flags.until = until
        flags.categories = categories
        flags.namespace = namespace
        flags.pageSize = pageSize
        flags.overlap = overlap
        flags.lag = lag
        flags.slice = slice
        flags.every = every
        flags.batchSize = batchSize
        flags.stateDirectory = stateDir
        flags.mimecastBaseURL = mimecastBaseURL
        flags.dryRun = dryRun
        flags.replayPath = replay
        flags.replayDeadLetters = replayDeadLetters
        flags.sample = sample
        flags.noOriginal = noOriginal
        flags.retryBudget = retryBudget
        flags.maxCallsPerHour = maxCallsPerHour
        flags.maxRateLimitWait = maxRateLimitWait
        return flags
    }
}
