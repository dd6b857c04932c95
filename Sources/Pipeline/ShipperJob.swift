#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ShipperCore

/// One pass of the scheduled job: read the window the checkpoint calls for, map every event,
/// ship in batches, and move the checkpoint past each slice once all its documents are settled.
///
/// The ordering rule that makes a crash at any moment safe: the checkpoint is written only after
/// the sink has settled every document of a slice, and the next run re-reads from the checkpoint
/// minus the overlap; whatever was shipped but not checkpointed comes back with the same
/// deterministic `_id`. Documents that may already be stored (event time at or before the
/// checkpoint or the in-flight mark, or every document when there is no checkpoint: backfills
/// and replays) are marked `mayExist`, and the sink looks them up in the whole data stream
/// before writing, which keeps them single across rollovers; the rest pay nothing.
public final class ShipperJob: Sendable {
    public struct Options: Sendable {
        public var categories: [String] = []
        public var batchDocuments = BatchLimits.default.documents
        public var batchBytes = BatchLimits.default.bytes
        /// Pages fetched ahead of the sink; bounds memory (`pageBuffer + 1` pages, plus the one
        /// batch the sink ships while the next is mapped).
        public var pageBuffer = 2
        /// The sink prints instead of indexing; the summary and progress line say `printed`.
        public var dryRun = false
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
    /// Makes the mapping function of one pass, used by that pass's one mapping task.
    private let makeMap: @Sendable () -> (RawAuditEvent, Date) -> MappedDocument
    private let sink: any DocumentSink
    private let checkpoint: CheckpointBinding?
    private let planner: WindowPlanner
    private let options: Options
    private let now: @Sendable () -> Date
    private let stop: StopSignal
    private let progress: ProgressReporter?
    private let logger: Logger

    /// `mapping` makes each pass's mapping function, which only that pass's mapping task calls.
    public init(
        source: any AuditEventSource,
        mapping makeMap: @escaping @Sendable () -> (RawAuditEvent, Date) -> MappedDocument,
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
        self.makeMap = makeMap
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
        summary.dryRun = options.dryRun
        let retries = RetryTally(source: source, sink: sink)
        do {
            try await runPass(into: &summary)
            retries.count(into: &summary)
            summary.duration = clock.now - started
            progress?.finish()
            return summary
        } catch {
            retries.count(into: &summary)
            summary.duration = clock.now - started
            progress?.finish()
            throw PassFailure(underlying: error, summary: summary)
        }
    }

    private func runPass(into summary: inout PassSummary) async throws {
        var position = try checkpoint.flatMap { try $0.store.load($0.key) }?.position
        if let binding = checkpoint, let position {
            try CheckpointSanity.check(position, now: now(), path: binding.store.path(for: binding.key))
        }
        summary.checkpoint = checkpoint?.readOnly == false ? position : nil
        let startedAt = now()
        guard var window = planner.window(checkpoint: position, now: startedAt) else {
            logger.info("nothing to read yet", metadata: ["checkpoint": "\(position.map(Timestamp.iso8601) ?? "none")"])
            return
        }
        if let limited = planner.limitedToHistory(window, now: startedAt) {
            logger.warning("Mimecast keeps only the last 60 days of audit events: reading from \(Timestamp.iso8601(limited.start)) instead of \(Timestamp.iso8601(window.start))")
            guard !limited.isEmpty else { return }
            window = limited
        }
        summary.window = window
        // Which documents may already be stored: all without a checkpoint, else those up to the
        // checkpoint or the furthest window an unfinished pass may have written.
        let everythingMayExist = checkpoint == nil
        var horizon = position
        if let binding = checkpoint, !binding.readOnly {
            // No pass can have written an event later than its own now: cap an unreadable mark.
            let mark = binding.store.loadInFlight(binding.key).map { min($0, now()) }
            horizon = [position, mark].compactMap { $0 }.max()
            try binding.store.saveInFlight(binding.key, until: max(mark ?? window.end, window.end))
        }
        let suspectUntil = horizon
        func mayExist(_ document: MappedDocument) -> Bool {
            if everythingMayExist { return true }
            guard let suspectUntil else { return false }
            guard let time = document.eventTime else { return true }
            return time <= suspectUntil
        }
        var metadata: Logger.Metadata = ["window": "\(window)"]
        if !options.categories.isEmpty { metadata["categories"] = "\(options.categories.joined(separator: ","))" }
        logger.info("reading", metadata: metadata)

        let buffer = BoundedBuffer<AuditEventPage>(capacity: max(1, options.pageBuffer))
        let pages = source.pages(in: window, categories: options.categories)
        // The producer is a child of the pass: whatever ends the pass (an error, a stop, a
        // cancellation) ends the producer before the pass returns.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await page in pages {
                        guard try await buffer.put(page) else { return }
                    }
                    buffer.finish()
                } catch {
                    buffer.finish(throwing: error)
                }
            }
            defer { group.cancelAll() }
            try await consume(buffer, mayExist: mayExist, position: &position, summary: &summary)
        }
    }

    /// Maps and ships what the producer buffers, moving the checkpoint per settled slice.
    ///
    /// One batch is shipped while the next is mapped (the sink's request, its compression and the
    /// cluster's answer overlap the mapping), and never more than one: batches reach the sink in
    /// order, and a slice's checkpoint is written only after its last batch is settled.
    private func consume(
        _ buffer: BoundedBuffer<AuditEventPage>,
        mayExist: (MappedDocument) -> Bool,
        position: inout Date?,
        summary: inout PassSummary
    ) async throws {
        try await withThrowingTaskGroup(of: ShipReport.self) { shipping in
            do {
                try await consume(buffer, shipping: &shipping, mayExist: mayExist, position: &position, summary: &summary)
            } catch {
                // Whatever failed, the batch in flight still counts in the summary if it settles;
                // a cancelled pass cancels it with the rest.
                while let report = try? await shipping.next() {
                    summary.report += report
                }
                throw error
            }
        }
    }

    private func consume(
        _ buffer: BoundedBuffer<AuditEventPage>,
        shipping: inout ThrowingTaskGroup<ShipReport, any Error>,
        mayExist: (MappedDocument) -> Bool,
        position: inout Date?,
        summary: inout PassSummary
    ) async throws {
        // The pass's own mapping (a mapper's session: its memory between events takes no lock).
        let map = makeMap()
        var batch: [MappedDocument] = []
        var batchBytes = 0
        /// Waits until the batch in flight, if any, is settled.
        func settle() async throws {
            while let report = try await shipping.next() {
                summary.report += report
                progress?.update(summary)
            }
        }
        /// Hands the batch to the sink once the one before it is settled.
        func flush() async throws {
            guard !batch.isEmpty else { return }
            try await settle()
            let documents = batch
            shipping.addTask { try await self.sink.ship(documents) }
            batch = []
            batch.reserveCapacity(documents.count)
            batchBytes = 0
        }

        while let page = try await buffer.take() {
            summary.pages += 1
            let readAt = now()
            // Each id with the position of the event that took it on the page (compared by its
            // bytes where they lie). Positions, not events: storing an event retained its page.
            var pageIDs: [PageIDKey: Int] = [:]
            pageIDs.reserveCapacity(page.events.count)
            for position in page.events.indices {
                var document = map(page.events[position], readAt)
                // One hash per event: the usual new id is stored by the lookup itself.
                if let earlier = pageIDs.updateValue(position, forKey: PageIDKey(document: document)), page.events[earlier] != page.events[position] {
                    pageIDs[PageIDKey(document: document)] = earlier
                    let distinct = CollidingID.distinct(document.id, raw: page.events[position].bytes)
                    logger.warning("two different events on one page share the _id \(document.id) (the same Mimecast id); keeping both, the later one as \(distinct)")
                    document = document.withID(distinct)
                    pageIDs[PageIDKey(id: distinct)] = position
                }
                document.mayExist = mayExist(document)
                summary.events += 1
                if document.isPipelineError { summary.pipelineErrors += 1 }
                batch.append(document)
                batchBytes += document.sourceCount
                if batch.count >= options.batchDocuments || batchBytes >= options.batchBytes {
                    try await flush()
                }
            }
            if page.endsSlice {
                try await flush()
                try await settle()
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
                try await settle()
                summary.interrupted = true
                logger.notice("stop requested; ending the pass after the current batch")
                buffer.finish()
                return
            }
        }
        try await flush()
        try await settle()
    }
}

/// Retries a source and sink made during one pass, read from their lifetime counters.
private struct RetryTally {
    let source: (any RetryCounting)?
    let sink: (any RetryCounting)?
    let sourceBefore: Int
    let sinkBefore: Int

    init(source: any AuditEventSource, sink: any DocumentSink) {
        self.source = source as? any RetryCounting
        self.sink = sink as? any RetryCounting
        sourceBefore = self.source?.retriesSoFar ?? 0
        sinkBefore = self.sink?.retriesSoFar ?? 0
    }

    /// Sets the pass's retry counts, including those of a batch that failed.
    func count(into summary: inout PassSummary) {
        if let source { summary.sourceRetries = source.retriesSoFar - sourceBefore }
        if let sink { summary.report.retries = sink.retriesSoFar - sinkBefore }
    }
}
