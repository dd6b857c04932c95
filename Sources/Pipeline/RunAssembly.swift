import Foundation
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
    /// Overrides the bulk indexer's 10-minute retry budget.
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
    private let mapper: ECSMapper
    private let makeSink: @Sendable () -> any DocumentSink
    private let checkpoint: ShipperJob.CheckpointBinding?
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
        writeDocuments: @escaping @Sendable ([UInt8]) -> Void = DryRunSink.standardOutput
    ) throws {
        self.settings = settings
        self.now = tuning.now
        self.stop = stop
        self.progress = progress
        self.logger = logger
        let secrets = SecretEnvironment(environment)
        mapper = ECSMapper(options: ECSMappingOptions(namespace: settings.namespace, includeOriginal: settings.includeOriginal))

        let sourceName: String
        let mimecastBaseURL: String
        switch settings.input {
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
            let transport = try CurlHTTPClient(logger: logger)
            source = MimecastAuditReader(configuration: configuration, transport: transport, sleeper: tuning.sleeper, now: tuning.now, logger: logger)
            sourceName = "Mimecast \(configuration.baseURL) (\(configuration.credentials))"
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
            heartbeat = nil
        } else {
            var overrides = overrides
            overrides.namespace = overrides.namespace ?? settings.namespace
            let configuration = try ElasticsearchConfiguration.resolve(environment: secrets, overrides: overrides)
            dataStream = configuration.dataStream
            let client = try ElasticsearchClient(configuration: configuration, logger: logger)
            var bulkSettings = BulkIndexerConfiguration(elasticsearch: configuration)
            bulkSettings.maxBatchDocuments = settings.batchSize
            if let budget = tuning.retryBudget { bulkSettings.retryBudget = budget }
            let bulk = bulkSettings
            let deadLetters = DeadLetterWriter(path: StateDirectory.deadLetterPath(directory: settings.stateDirectory, dataStream: dataStream))
            // A fresh indexer per pass: the retry budget is per run, the connection is shared.
            makeSink = { BulkIndexer(client: client, configuration: bulk, deadLetters: deadLetters, sleeper: tuning.sleeper, logger: logger) }
            targetName = "\(configuration.redactedURL) data stream \(dataStream) (\(configuration.auth))"
            heartbeat = HeartbeatWriter(client: client, logger: logger)
            lock = try StateLock.acquire(directory: settings.stateDirectory)
        }

        if settings.usesCheckpoint {
            let key = CheckpointKey(mimecastBaseURL: mimecastBaseURL, categories: settings.categories, dataStream: dataStream)
            checkpoint = .init(store: CheckpointStore(directory: settings.stateDirectory), key: key, readOnly: settings.dryRun)
        } else {
            checkpoint = nil
        }
        let state = checkpoint.map { "checkpoint \($0.store.path(for: $0.key))\($0.readOnly ? " (read only)" : "")" } ?? "no checkpoint"
        description = "from \(sourceName) to \(targetName), \(state)"
    }

    /// Runs one pass with a fresh sink, then writes its heartbeat (also when the pass failed; a
    /// heartbeat that cannot be written is only logged).
    public func pass() async throws -> PassSummary {
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
        let mapper = self.mapper
        let job = ShipperJob(
            source: source,
            map: { event, readAt in mapper.map(event, readAt: readAt) },
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
