import Foundation
import ShipperCore
@testable import ShipperPipeline
import Synchronization
import Testing

/// The job ships one batch while it maps the next: the overlap is real, there is never a second
/// batch in flight, batches reach the sink in order, and a slice's checkpoint still waits for its
/// last batch.
@Suite struct ShipWhileMappingTests {
    let key = CheckpointKey(mimecastBaseURL: "https://api.example", categories: [], dataStream: "logs-mimecast.audit-default")
    let now = date("2024-05-10T12:00:00Z")

    /// 72 events, one an hour over three days before `now` (3 a page, 4 a batch).
    func events() -> [InMemorySource.Event] {
        (1...72).reversed().map { hour in
            .init(time: now.addingTimeInterval(-Double(hour) * 3600 + 1), raw: RawAuditEvent("event-\(hour)"))
        }
    }

    func job(source: InMemorySource, map: @escaping @Sendable (RawAuditEvent, Date) -> MappedDocument = passThroughMap,
             sink: any DocumentSink, store: CheckpointStore) -> ShipperJob {
        var options = ShipperJob.Options()
        options.batchDocuments = 4
        return ShipperJob(source: source, mapping: { map }, sink: sink, checkpoint: .init(store: store, key: key),
                          planner: WindowPlanner(firstStart: .ago(4 * 86_400)), options: options, now: { [now] in now })
    }

    @Test func theNextBatchIsMappedWhileOneIsShippedAndNeverTwoAreInFlight() async throws {
        let mapped = Atomic<Int>(0)
        let map: @Sendable (RawAuditEvent, Date) -> MappedDocument = { event, readAt in
            mapped.add(1, ordering: .sequentiallyConsistent)
            return passThroughMap(event, readAt)
        }
        let sink = ObservingSink { documentsBefore, batch in
            // Hold the batch until the job has mapped beyond it (up to 1 s): a job that maps
            // only after a batch settles never gets there, and the batch records that it waited in vain.
            let deadline = ContinuousClock.now + .seconds(1)
            while mapped.load(ordering: .sequentiallyConsistent) <= documentsBefore + batch.count, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(1))
            }
            return mapped.load(ordering: .sequentiallyConsistent) > documentsBefore + batch.count
        }
        let source = InMemorySource(events: events())
        let summary = try await job(source: source, map: map, sink: sink, store: CheckpointStore(directory: temporaryDirectory())).runPass()

        #expect(summary.events == 72)
        #expect(summary.report.indexed == 72)
        #expect(sink.maximumInFlight == 1)
        // In the order read: the batches' documents, one after another, are the source's events.
        #expect(sink.shippedIDs == events().map { String(decoding: $0.raw.bytes, as: UTF8.self) })
        // Every batch but those that end a slice (the job settles them before the checkpoint)
        // and the last one saw the next batch being mapped while it was in flight.
        #expect(sink.overlapped >= sink.batches - 4 - 1)
        #expect(sink.overlapped > 0)
    }

    @Test func aSliceIsCheckpointedOnlyAfterItsLastBatchSettled() async throws {
        // The first day's events (24) are six batches; the sixth, in flight as the job reaches the
        // end of the slice, fails.
        let sink = ObservingSink(failingBatch: 6) { _, _ in
            try? await Task.sleep(for: .milliseconds(20))
            return false
        }
        let store = CheckpointStore(directory: temporaryDirectory())
        let source = InMemorySource(events: events())
        await #expect(throws: PassFailure.self) {
            try await job(source: source, sink: sink, store: store).runPass()
        }
        // The first slice (4 days back, empty) is kept; the one whose last batch failed is not.
        #expect(try store.load(key)?.position == date("2024-05-07T12:00:00Z"))
        #expect(sink.maximumInFlight == 1)
    }

    @Test func aBatchInFlightWhenTheReaderFailsIsStillCounted() async throws {
        let sink = ObservingSink { _, _ in
            try? await Task.sleep(for: .milliseconds(20))
            return false
        }
        let source = InMemorySource(events: events(), failAfterPages: 5)
        do {
            _ = try await job(source: source, sink: sink, store: CheckpointStore(directory: temporaryDirectory())).runPass()
            Issue.record("the reader's failure should fail the pass")
        } catch let failure as PassFailure {
            // Whatever reached the sink settled, and the summary says so.
            #expect(failure.summary.report.indexed == sink.shippedIDs.count)
            #expect(sink.shippedIDs.count > 0)
        }
    }
}

/// A sink that records how many batches are in flight at once, their order, and what `hold`
/// (called with the number of documents shipped before the batch, and the batch) reports.
final class ObservingSink: DocumentSink, Sendable {
    private struct State {
        var inFlight = 0
        var maximumInFlight = 0
        var shippedIDs: [String] = []
        var batches = 0
        var overlapped = 0
    }

    private let state = Mutex(State())
    private let failingBatch: Int?
    private let hold: @Sendable (Int, [MappedDocument]) async -> Bool

    init(failingBatch: Int? = nil, hold: @escaping @Sendable (Int, [MappedDocument]) async -> Bool) {
        self.failingBatch = failingBatch
        self.hold = hold
    }

    var maximumInFlight: Int { state.withLock { $0.maximumInFlight } }
    var shippedIDs: [String] { state.withLock { $0.shippedIDs } }
    var batches: Int { state.withLock { $0.batches } }
    var overlapped: Int { state.withLock { $0.overlapped } }

    func ship(_ documents: [MappedDocument]) async throws -> ShipReport {
        let (before, number) = state.withLock { state in
            state.inFlight += 1
            state.maximumInFlight = max(state.maximumInFlight, state.inFlight)
            state.batches += 1
            return (state.shippedIDs.count, state.batches)
        }
        let sawOverlap = await hold(before, documents)
        return try state.withLock { state in
            state.inFlight -= 1
            if sawOverlap { state.overlapped += 1 }
            if number == failingBatch { throw TestFailure("batch \(number) refused") }
            state.shippedIDs += documents.map(\.id)
            var report = ShipReport()
            report.indexed = documents.count
            return report
        }
    }
}
