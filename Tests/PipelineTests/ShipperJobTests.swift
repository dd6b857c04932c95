import Foundation
import ShipperCore
@testable import ShipperPipeline
import Synchronization
import Testing

/// The job's checkpoint rules over in-memory doubles: no gaps, no duplicates, nothing checkpointed
/// past an unsettled document.
@Suite struct ShipperJobTests {
    let key = CheckpointKey(mimecastBaseURL: "https://api.example", categories: [], dataStream: "logs-mimecast.audit-default")

    /// Events every hour over three days before `now`.
    func hourlyEvents(until now: Date, hours: Int = 72) -> [InMemorySource.Event] {
        (1...hours).map { hour in
            let time = now.addingTimeInterval(-Double(hour) * 3600 + 1)
            return .init(time: time, raw: RawAuditEvent("event-\(hour)"))
        }
    }

    func job(source: InMemorySource, sink: InMemorySink, store: CheckpointStore, now: Date, readOnly: Bool = false,
             planner: WindowPlanner = WindowPlanner(firstStart: .ago(4 * 86_400)), stop: StopSignal = StopSignal(),
             batchDocuments: Int = 4) -> ShipperJob {
        var options = ShipperJob.Options()
        options.batchDocuments = batchDocuments
        return ShipperJob(source: source, mapping: { passThroughMap }, sink: sink,
                          checkpoint: .init(store: store, key: key, readOnly: readOnly),
                          planner: planner, options: options, now: { now }, stop: stop)
    }

    @Test func firstRunShipsEverythingAndTheSecondOnlyWhatIsNew() async throws {
        var now = date("2024-05-10T12:00:00Z")
        let source = InMemorySource(events: hourlyEvents(until: now))
        let sink = InMemorySink()
        let store = CheckpointStore(directory: temporaryDirectory())

        let first = try await job(source: source, sink: sink, store: store, now: now).runPass()
        #expect(first.events == 72)
        #expect(first.report.indexed == 72)
        #expect(first.slicesCompleted == 4)
        #expect(try store.load(key)?.position == now.addingTimeInterval(-60))

        now = now.addingTimeInterval(3600)
        source.add(.init(time: now.addingTimeInterval(-600), raw: RawAuditEvent("new-1")))
        let second = try await job(source: source, sink: sink, store: store, now: now).runPass()
        #expect(second.report.indexed == 1)
        #expect(sink.stored.count == 73)
        #expect(second.window?.start == date("2024-05-10T11:49:00Z"))
    }

    @Test func aLateEventInsideTheOverlapIsPickedUpWithoutDuplicates() async throws {
        var now = date("2024-05-10T12:00:00Z")
        let source = InMemorySource(events: hourlyEvents(until: now, hours: 2))
        let sink = InMemorySink()
        let store = CheckpointStore(directory: temporaryDirectory())
        _ = try await job(source: source, sink: sink, store: store, now: now).runPass()
        // Mimecast indexes an event that happened before the checkpoint, but inside the overlap.
        source.add(.init(time: now.addingTimeInterval(-300), raw: RawAuditEvent("late")))
        now = now.addingTimeInterval(120)
        let second = try await job(source: source, sink: sink, store: store, now: now).runPass()
        #expect(sink.stored["late"] != nil)
        #expect(second.report.indexed == 1)
        #expect(sink.stored.count == 3)
    }

    @Test func aCrashAfterElasticsearchAcceptedABatchLeadsToNoDuplicatesOnRerun() async throws {
        let now = date("2024-05-10T12:00:00Z")
        let source = InMemorySource(events: hourlyEvents(until: now, hours: 30))
        let sink = InMemorySink()
        let store = CheckpointStore(directory: temporaryDirectory())
        sink.setCrashAfterShipping(true)
        await #expect(throws: PassFailure.self) { try await job(source: source, sink: sink, store: store, now: now).runPass() }
        // Only the empty slice before the first event may be checkpointed.
        let earliest = now.addingTimeInterval(-30 * 3600 + 1)
        #expect((try store.load(key)?.position ?? .distantPast) <= earliest)
        let acceptedBeforeCrash = sink.stored.count
        #expect(acceptedBeforeCrash > 0)

        sink.setCrashAfterShipping(false)
        let rerun = try await job(source: source, sink: sink, store: store, now: now).runPass()
        #expect(rerun.report.duplicates == acceptedBeforeCrash)
        #expect(rerun.report.indexed == 30 - acceptedBeforeCrash)
        #expect(sink.stored.count == 30)
    }

    @Test func aFailingSinkLeavesTheCheckpointWhereItWas() async throws {
        let now = date("2024-05-10T12:00:00Z")
        let source = InMemorySource(events: hourlyEvents(until: now))
        let sink = InMemorySink()
        let store = CheckpointStore(directory: temporaryDirectory())
        let before = Checkpoint(key: key, position: date("2024-05-08T00:00:00Z"), updatedAt: now)
        try store.save(before)
        sink.setFailing(true)
        let failure = try await #require(throws: PassFailure.self) { try await job(source: source, sink: sink, store: store, now: now).runPass() }
        #expect(failure.summary.report.indexed == 0)
        #expect(try store.load(key) == before)
    }

    @Test func theCheckpointAdvancesPerSliceSoAFailureKeepsFinishedSlices() async throws {
        let now = date("2024-05-10T12:00:00Z")
        // Pages of 3 events; 24 events per day-slice = 8 pages per slice; the read fails right after
        // the first slice's last page.
        let source = InMemorySource(events: hourlyEvents(until: now), failAfterPages: 8)
        let sink = InMemorySink()
        let store = CheckpointStore(directory: temporaryDirectory())
        let planner = WindowPlanner(firstStart: .date(date("2024-05-07T12:00:00Z")))
        // Batches of 5 do not divide a slice's 24 events: the slice's last batch is only sent
        // because the slice ended, and the checkpoint must wait for it.
        await #expect(throws: PassFailure.self) {
            try await job(source: source, sink: sink, store: store, now: now, planner: planner, batchDocuments: 5).runPass()
        }
        let position = try #require(try store.load(key)?.position)
        #expect(position == date("2024-05-08T12:00:00Z"))
        // Nothing before the checkpoint is missing from the sink.
        let beforeCheckpoint = hourlyEvents(until: now).filter { $0.time >= date("2024-05-07T12:00:00Z") && $0.time < position }
        #expect(beforeCheckpoint.count == 24)
        let missing = beforeCheckpoint.map { String(decoding: $0.raw.bytes, as: UTF8.self) }.filter { sink.stored[$0] == nil }
        #expect(missing.isEmpty, "checkpointed but never stored: \(missing)")
    }

    @Test func readOnlyCheckpointIsNeverWritten() async throws {
        let now = date("2024-05-10T12:00:00Z")
        let source = InMemorySource(events: hourlyEvents(until: now))
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        let summary = try await job(source: source, sink: InMemorySink(), store: store, now: now, readOnly: true).runPass()
        #expect(summary.events == 72)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    /// One pass with a stop already requested, so it ends after its first settled batch.
    func stoppedPass(planner: WindowPlanner = WindowPlanner(firstStart: .ago(4 * 86_400))) async throws -> (PassSummary, InMemorySink, CheckpointStore) {
        let now = date("2024-05-10T12:00:00Z")
        let sink = InMemorySink()
        let store = CheckpointStore(directory: temporaryDirectory())
        let stop = StopSignal()
        stop.request()
        let source = InMemorySource(events: hourlyEvents(until: now))
        let summary = try await job(source: source, sink: sink, store: store, now: now, planner: planner, stop: stop).runPass()
        return (summary, sink, store)
    }

    @Test func aStopRequestEndsThePassAfterASettledBatchAndKeepsFinishedSlices() async throws {
        let (summary, sink, store) = try await stoppedPass()
        #expect(summary.interrupted)
        #expect(summary.pages == 1)
        #expect(sink.stored.count == summary.events)
        #expect(summary.report.indexed == summary.events)
        // The one page read was the whole (empty) first slice, 4 days back: that slice is kept, and
        // the checkpoint goes no further, so the next pass resumes where this one stopped.
        #expect(summary.slicesCompleted == 1)
        #expect(try store.load(key)?.position == date("2024-05-07T12:00:00Z"))
    }

    @Test func aStopInsideASliceKeepsTheCheckpointAtTheLastFinishedSlice() async throws {
        // The window starts inside the events: the first page holds 3 of the slice's events.
        let (summary, sink, store) = try await stoppedPass(planner: WindowPlanner(firstStart: .date(date("2024-05-08T12:00:00Z"))))
        #expect(summary.interrupted)
        #expect(summary.events == 3)
        #expect(sink.stored.count == 3)
        #expect(summary.slicesCompleted == 0)
        #expect(try store.load(key) == nil)
    }

    @Test func theReaderNeverRunsMoreThanTheBufferAheadOfTheSink() async throws {
        let now = date("2024-05-10T12:00:00Z")
        // 3 events per page, one page per 4-document batch: many pages, each shipped as it comes.
        let source = InMemorySource(events: hourlyEvents(until: now))
        let shippedEvents = Atomic<Int>(0)
        let maxAhead = Atomic<Int>(0)
        let sink = InMemorySink { documents in
            // Pages the reader has produced beyond those whose events reached the sink.
            let shipped = shippedEvents.add(documents.count, ordering: .relaxed).newValue
            let ahead = source.pagesPulled - shipped / source.pageSize
            maxAhead.max(ahead, ordering: .relaxed)
        }
        let summary = try await job(source: source, sink: sink, store: CheckpointStore(directory: temporaryDirectory()), now: now).runPass()
        #expect(summary.events == 72)
        // Buffer of 2 pages, 1 page being mapped, 1 being fetched, plus the partial batch's page,
        // plus one page more while the sink ships one batch as the next is mapped.
        #expect(maxAhead.load(ordering: .relaxed) <= 6)
        #expect(summary.pages > 20)
    }

    /// Two different events under one Mimecast id on one page are both kept (the later one under a
    /// derived `_id`); the same event twice is one document; an event matching the second one again
    /// gets the same derived `_id`.
    @Test func differentEventsSharingAnIDOnOnePageAreBothKeptAndRepeatsAreNot() async throws {
        let now = date("2024-05-10T12:00:00Z")
        let time = now.addingTimeInterval(-7200)
        let raws = ["x:first", "x:second", "x:first", "y:other", "x:second"]
        let source = InMemorySource(events: raws.map { .init(time: time, raw: RawAuditEvent($0)) }, pageSize: 10)
        let sink = InMemorySink()
        // The id is the text before the colon, as if Mimecast had sent one id for different events.
        let idBeforeColon: @Sendable (RawAuditEvent, Date) -> MappedDocument = { event, _ in
            MappedDocument(id: String(decoding: event.bytes.prefix { $0 != UInt8(ascii: ":") }, as: UTF8.self), source: event.bytes)
        }
        var options = ShipperJob.Options()
        options.batchDocuments = 10
        let job = ShipperJob(source: source, mapping: { idBeforeColon }, sink: sink,
                             checkpoint: .init(store: CheckpointStore(directory: temporaryDirectory()), key: key, readOnly: false),
                             planner: WindowPlanner(firstStart: .ago(4 * 86_400)), options: options, now: { now }, stop: StopSignal())
        let summary = try await job.runPass()
        let derived = CollidingID.distinct("x", raw: RawAuditEvent("x:second").bytes)
        #expect(Set(sink.stored.keys) == ["x", "y", derived])
        #expect(sink.stored["x"] == RawAuditEvent("x:first").bytes)
        #expect(sink.stored[derived] == RawAuditEvent("x:second").bytes)
        #expect(summary.report.indexed == 3)
        #expect(summary.report.duplicates == 2)
    }

    @Test func summaryLineAndJSONCarryTheCounters() throws {
        var summary = PassSummary()
        summary.window = TimeWindow(start: date("2024-05-01T00:00:00Z"), end: date("2024-05-02T00:00:00Z"))
        summary.pages = 2
        summary.events = 7
        summary.report.indexed = 5
        summary.report.duplicates = 1
        summary.report.deadLettered = 1
        #expect(summary.line.contains("window [2024-05-01T00:00:00Z, 2024-05-02T00:00:00Z)"))
        #expect(summary.line.contains("dead-lettered 1"))
        let json = try JSONValue.parse(summary.json(outcome: "dead_letters"))
        #expect(json["indexed"]?.intValue == 5)
        #expect(json["outcome"]?.stringValue == "dead_letters")
    }
}
