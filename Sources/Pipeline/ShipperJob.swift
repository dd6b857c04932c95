import Foundation
import Logging
import ShipperCore

/// One pass of the scheduled job: read the window the checkpoint calls for, map every event,
/// ship in batches, and move the checkpoint past each slice once all its documents are settled.
///
/// The ordering rule that makes a crash at any moment safe: the checkpoint is written only after
/// the sink has settled every document of a slice, and the next run re-reads from the checkpoint
/// minus the overlap; whatever was shipped but not checkpointed comes back as 409 duplicates
/// thanks to the deterministic `_id`.
public final class ShipperJob: Sendable {
    public struct Options: Sendable {
        public var categories: [String] = []
        public var batchDocuments = BatchLimits.default.documents
        public var batchBytes = BatchLimits.default.bytes
        /// Pages fetched ahead of the sink; bounds memory (`pageBuffer + 1` pages at most).
        public var pageBuffer = 2
        public init() {}
    }

    /// Where the checkpoint lives; nil for dry-run and replay, which never write one.
    public struct CheckpointBinding: Sendable {
        public let store: CheckpointStore
        public let key: CheckpointKey
        /// Read the checkpoint to plan the window, but never write it (dry-run).
        public let readOnly: Bool

        public init(store: CheckpointStore, key: CheckpointKey, readOnly: Bool = false) {
            self.store = store
            self.key = key
            self.readOnly = readOnly
        }
    }

    private let source: any AuditEventSource
    private let map: @Sendable (RawAuditEvent, Date) -> MappedDocument
    private let sink: any DocumentSink
    private let checkpoint: CheckpointBinding?
    private let planner: WindowPlanner
    private let options: Options
    private let now: @Sendable () -> Date
    private let stop: StopSignal
    private let progress: ProgressReporter?
    private let logger: Logger

    public init(
        source: any AuditEventSource,
        map: @escaping @Sendable (RawAuditEvent, Date) -> MappedDocument,
        sink: any DocumentSink,
        checkpoint: CheckpointBinding?,
        planner: WindowPlanner,
        options: Options = Options(),
        now: @escaping @Sendable () -> Date = { Date() },
        stop: StopSignal = StopSignal(),
        progress: ProgressReporter? = nil,
        logger: Logger = Logger(label: "mimecast-shipper.job")
    ) {
        self.source = source
        self.map = map
        self.sink = sink
        self.checkpoint = checkpoint
        self.planner = planner
        self.options = options
        self.now = now
        self.stop = stop
        self.progress = progress
        self.logger = logger
    }

    /// Runs one pass. Throws `PassFailure` (with what was done) on any error; the checkpoint then
    /// still points at the last completely settled slice.
    public func runPass() async throws -> PassSummary {
        let clock = ContinuousClock()
        let started = clock.now
        var summary = PassSummary()
        do {
            try await runPass(into: &summary)
            summary.duration = clock.now - started
            progress?.finish()
            return summary
        } catch {
            summary.duration = clock.now - started
            progress?.finish()
            throw PassFailure(underlying: error, summary: summary)
        }
    }

    private func runPass(into summary: inout PassSummary) async throws {
        var position = try checkpoint.flatMap { try $0.store.load($0.key) }?.position
        summary.checkpoint = checkpoint?.readOnly == false ? position : nil
        guard let window = planner.window(checkpoint: position, now: now()) else {
            logger.info("nothing to read yet", metadata: ["checkpoint": "\(position.map(Timestamp.iso8601) ?? "none")"])
            return
        }
        summary.window = window
        var metadata: Logger.Metadata = ["window": "\(window)"]
        if !options.categories.isEmpty { metadata["categories"] = "\(options.categories.joined(separator: ","))" }
        logger.info("reading", metadata: metadata)

        let buffer = BoundedBuffer<AuditEventPage>(capacity: max(1, options.pageBuffer))
        let pages = source.pages(in: window, categories: options.categories)
        let producer = Task {
            do {
                for try await page in pages {
                    guard await buffer.put(page) else { return }
                }
                await buffer.finish()
            } catch {
                await buffer.finish(throwing: error)
            }
        }
        defer { producer.cancel() }

        var batch: [MappedDocument] = []
        var batchBytes = 0
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let report = try await sink.ship(batch)
            summary.report += report
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
            progress?.update(summary)
        }

        while let page = try await buffer.take() {
            summary.pages += 1
            let readAt = now()
            for event in page.events {
                let document = map(event, readAt)
                summary.events += 1
                if document.isPipelineError { summary.pipelineErrors += 1 }
                batch.append(document)
                batchBytes += document.source.count
                if batch.count >= options.batchDocuments || batchBytes >= options.batchBytes {
                    try await flush()
                }
            }
            if page.endsSlice {
                try await flush()
                summary.slicesCompleted += 1
                if let binding = checkpoint, !binding.readOnly {
                    let advanced = WindowPlanner.advance(position, to: page.slice.end)
                    try binding.store.save(Checkpoint(key: binding.key, position: advanced, updatedAt: now()))
                    position = advanced
                    summary.checkpoint = advanced
                    logger.debug("checkpoint saved", metadata: ["position": "\(Timestamp.iso8601(advanced))"])
                }
            }
            progress?.update(summary)
            if stop.isRequested {
                try await flush()
                summary.interrupted = true
                logger.notice("stop requested; ending the pass after the current batch")
                await buffer.finish()
                return
            }
        }
        try await flush()
    }
}
