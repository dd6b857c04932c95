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

/// What tests replace: waiting, the clock and the retry budget. Production uses the defaults.
public struct RunTuning: Sendable {
    public var sleeper: Sleeper = .continuous
    public var now: @Sendable () -> Date = { Date() }
    /// Overrides the settings' retry budget (`--retry-budget`).
    public var retryBudget: Duration?

    public init() {}
}

/// Builds the parts of a `run` from resolved settings: the source (API, replay file or the
/// embedded sample), the mapper, the sink (Elasticsearch or stdout) and the checkpoint binding.
/// Everything is validated here, before the first request, so a configuration mistake is one
/// clear line and exit 2 rather than a failure halfway through a pass.
public final class PreparedRun: Sendable {
    public let settings: RunSettings
    /// Held for the life of the process (nil in dry-run, which writes nothing).
    public let lock: StateLock?
    /// One line naming source, target and state, for the first log line.
    public let description: String
    private let source: any AuditEventSource
    /// Makes each pass's mapping function.
    private let mapping: @Sendable () -> (RawAuditEvent, Date) -> MappedDocument
    private let makeSink: @Sendable () -> any DocumentSink
    private let checkpoint: ShipperJob.CheckpointBinding?
    /// Checks that Elasticsearch answers before each pass (nil in dry-run).
    private let preflight: ElasticsearchPreflight?
    /// Nil in dry-run, which touches no cluster.
    private let heartbeat: HeartbeatWriter?
    private let stop: StopSignal
    private let progress: ProgressReporter?
    private let logger: Logger
    private let now: @Sendable () -> Date

    public init(
        settings: RunSettings,
        environment: [String: String],
        elasticsearch overrides: ElasticsearchOverrides,
        stop: StopSignal,
        progress: ProgressReporter?,
        logger: Logger,
        tuning: RunTuning = RunTuning(),
        writeDocuments: @escaping @Sendable ([UInt8]) throws -> Void = DryRunSink.standardOutput
    ) throws {
        self.settings = settings
        self.now = tuning.now
        self.stop = stop
        self.progress = progress
        self.logger = logger
        let secrets = SecretEnvironment(environment)
        let mapper = ECSMapper(options: ECSMappingOptions(namespace: settings.namespace, includeOriginal: settings.includeOriginal))
        // A session per pass: its memory between events takes no lock.
        var mapping: @Sendable () -> (RawAuditEvent, Date) -> MappedDocument = { mapper.session().map }

        var source: (any AuditEventSource)?
        let sourceName: String
        let mimecastBaseURL: String
        switch settings.input {
        case .deadLetters(let path):
            sourceName = "dead letters of \(path)"
            mimecastBaseURL = "dead-letters"
        case .sample:
            source = ReplayReader(contents: Array(EmbeddedSample.contents.utf8), name: EmbeddedSample.name, pageSize: settings.pageSize ?? 500)
            sourceName = "the embedded sample (\(EmbeddedSample.name))"
            mimecastBaseURL = "sample"
        case .replay(let path):
            source = try ReplayReader(path: path, pageSize: settings.pageSize ?? 500)
            sourceName = "replay of \(path)"
            mimecastBaseURL = "replay"
        case .api:
            var environment = environment
            if let flag = settings.mimecastBaseURL { environment[MimecastEnvironment.baseURL] = flag }
            var configuration = try MimecastConfiguration.fromEnvironment(SecretEnvironment(environment))
            if let pageSize = settings.pageSize { configuration.pageSize = pageSize }
            configuration.sliceLength = settings.sliceLength
            configuration.maxCallsPerHour = settings.maxCallsPerHour
            configuration.maxRateLimitWaitPerPass = settings.maxRateLimitWait
            let transport = try CurlHTTPClient(logger: logger)
            source = MimecastAuditReader(configuration: configuration, transport: transport, sleeper: tuning.sleeper, now: tuning.now, logger: logger)
            sourceName = "Mimecast \(Redaction.stripURLCredentials(configuration.baseURL)) (\(configuration.credentials))"
            mimecastBaseURL = configuration.baseURL
        }

        let dataStream: String
        let targetName: String
        if settings.dryRun {
            try DataStreamNaming.validate(namespace: settings.namespace)
            dataStream = DataStreamNaming.dataStream(namespace: settings.namespace)
            makeSink = { DryRunSink(write: writeDocuments) }
            targetName = "stdout (dry run)"
            lock = nil
            preflight = nil
            if settings.usesCheckpoint { try StateFiles.checkDirectoryIfPresent(settings.stateDirectory) }
            heartbeat = nil
        } else {
            var overrides = overrides
            overrides.namespace = overrides.namespace ?? settings.namespace
            let configuration = try ElasticsearchConfiguration.resolve(environment: secrets, overrides: overrides)
            dataStream = configuration.dataStream
            let client = try ElasticsearchClient(configuration: configuration, logger: logger)
            var bulkSettings = BulkIndexerConfiguration(elasticsearch: configuration)
            bulkSettings.maxBatchDocuments = settings.batchSize
            bulkSettings.gzipLevel = settings.gzipLevel
            bulkSettings.retryBudget = tuning.retryBudget ?? settings.retryBudget
            let bulk = bulkSettings
            let deadLetters = DeadLetterWriter(path: StateDirectory.deadLetterPath(directory: settings.stateDirectory, dataStream: dataStream))
            // A fresh indexer per pass: the retry budget is per run, the connection is shared.
            makeSink = { BulkIndexer(client: client, configuration: bulk, deadLetters: deadLetters, sleeper: tuning.sleeper, logger: logger) }
            targetName = "\(configuration.redactedURL) data stream \(dataStream) (\(configuration.auth))"
            preflight = try ElasticsearchPreflight(configuration: configuration, logger: logger)
            heartbeat = HeartbeatWriter(client: client, logger: logger)
            lock = try StateLock.acquire(directory: settings.stateDirectory)
        }
        if case .deadLetters(let path) = settings.input {
            source = try DeadLetterSource(path: path, dataStream: dataStream, pageSize: settings.pageSize ?? 500)
            mapping = { { entry, _ in DeadLetterSource.map(entry) } }
        }
        guard let source else { throw ConfigurationError("no input to read") }
        self.source = source
        self.mapping = mapping

        if settings.usesCheckpoint {
            let key = CheckpointKey(mimecastBaseURL: mimecastBaseURL, categories: settings.categories, dataStream: dataStream)
            let store = CheckpointStore(directory: settings.stateDirectory)
            if !settings.dryRun, let legacy = CheckpointKey.legacy(mimecastBaseURL: mimecastBaseURL, categories: settings.categories, dataStream: dataStream) {
                try store.migrate(from: legacy, to: key, now: tuning.now())
            }
            checkpoint = .init(store: store, key: key, readOnly: settings.dryRun)
        } else {
            checkpoint = nil
        }
        let state = checkpoint.map { "checkpoint \($0.store.path(for: $0.key))\($0.readOnly ? " (read only)" : "")" } ?? "no checkpoint"
        description = "from \(sourceName) to \(targetName), \(state)"
    }

    /// Runs one pass with a fresh sink after checking that Elasticsearch answers, then writes its
    /// heartbeat (also when the pass failed; a heartbeat that cannot be written is only logged).
    /// A cluster that does not answer the preflight gets no heartbeat: there is nowhere to write it.
    public func pass() async throws -> PassSummary {
        do {
            try await preflight?.check()
        } catch {
            throw PassFailure(underlying: error, summary: PassSummary())
        }
        let startedAt = now()
        do {
            let summary = try await runJob()
            await heartbeat?.write(Heartbeat(summary: summary, status: ExitStatus.forCompleted(summary), errorMessage: nil,
                                             startedAt: startedAt, endedAt: now(), namespace: settings.namespace))
            return summary
        } catch {
            let summary = (error as? PassFailure)?.summary ?? PassSummary()
            await heartbeat?.write(Heartbeat(summary: summary, status: ErrorClassification.exitStatus(for: error),
                                             errorMessage: String(describing: error), startedAt: startedAt, endedAt: now(),
                                             namespace: settings.namespace))
            throw error
        }
    }

    private func runJob() async throws -> PassSummary {
        var options = ShipperJob.Options()
        options.categories = settings.categories
        options.batchDocuments = settings.batchSize
        options.dryRun = settings.dryRun
        let job = ShipperJob(
            source: source,
            mapping: mapping,
            sink: makeSink(),
            checkpoint: checkpoint,
            planner: settings.planner,
            options: options,
            now: now,
            stop: stop,
            progress: progress,
            logger: logger
        )
        return try await job.runPass()
    }
}
