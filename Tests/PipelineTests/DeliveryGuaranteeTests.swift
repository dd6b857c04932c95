import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperCore
import ShipperECS
@testable import ShipperPipeline
import Testing

/// Issue 11 end to end, through the real assembly against the fakes: no event lost, none stored
/// twice, also when the data stream rolls over between a write and its resend.
@Suite(.serialized) struct DeliveryGuaranteeTests {
    typealias Rig = EndToEndTests.Rig
    static let dataStream = EndToEndTests.dataStream

    // A crash between the bulk and the checkpoint write followed by a rollover:
    // EndToEndTests.aCrashBetweenTheBulkAndTheCheckpointLeadsToNoDuplicates.

    @Test func theOverlapReReadAfterARolloverStoresNothingTwice() async throws {
        // 60 events in the last quarter hour: most fall inside the 10-minute overlap.
        let rig = try await Rig.start(events: 60, span: 900)
        defer { Task { await rig.close() } }
        let first = try await rig.pass(try rig.settings())
        #expect(first.report.indexed == 60)
        // The first run had no checkpoint: nothing could exist, nothing was looked up.
        #expect(rig.elasticsearch.searchRequests.isEmpty)

        rig.elasticsearch.rollover(dataStream: Self.dataStream)
        let fresh = FakeAuditEvent.generate(count: 3, in: TimeWindow(start: Date().addingTimeInterval(-50), end: Date().addingTimeInterval(-40)), idPrefix: "fresh")
        rig.mimecast.addEvents(fresh)
        var lag = try rig.settings()
        lag.planner.lag = 10
        let second = try await rig.pass(lag)
        #expect(second.report.indexed == 3)
        #expect(second.report.duplicates == second.events - 3)
        #expect(second.events > 3)
        #expect(rig.elasticsearch.storedCopies(in: Self.dataStream).count == 63)
        // Events after the checkpoint were not looked up: they pay nothing.
        let mapper = ECSMapper()
        let freshIDs = Set(fresh.map { mapper.map(RawAuditEvent($0.json), readAt: Date()).id })
        let lookedUp = Set(rig.elasticsearch.searchRequests.flatMap(\.ids))
        #expect(!lookedUp.isEmpty)
        #expect(lookedUp.isDisjoint(with: freshIDs))
    }

    @Test func aBackfillAcrossARolloverStoresNothingTwice() async throws {
        let rig = try await Rig.start(events: 80)
        defer { Task { await rig.close() } }
        _ = try await rig.pass(try rig.settings())
        rig.elasticsearch.rollover(dataStream: Self.dataStream)
        let backfill = try await rig.pass(try rig.settings { flags in
            flags.since = "5d"
            flags.until = DateArgument.iso(Date().addingTimeInterval(-60))
        })
        #expect(backfill.report.indexed == 0)
        #expect(backfill.report.duplicates == 80)
        #expect(rig.elasticsearch.storedCopies(in: Self.dataStream).count == 80)
    }

    @Test func perItem403FailsThePassAndKeepsTheCheckpoint() async throws {
        // One slice holds every event: the checkpoint could only move past all of them.
        let rig = try await Rig.start(events: 40, span: 23 * 3600)
        defer { Task { await rig.close() } }
        let mapper = ECSMapper()
        let ids = rig.mimecast.allEventJSON.map { mapper.map(RawAuditEvent($0), readAt: Date()).id }
        rig.elasticsearch.failItems(ids: ids, status: 403, type: "security_exception",
                                    reason: "action [indices:data/write/bulk[s]] is unauthorized for API key id [k1]")
        let failure = try await #require(throws: PassFailure.self) { try await rig.pass(try rig.settings { $0.since = "1d" }) }
        #expect(ErrorClassification.exitStatus(for: failure) != .success)
        #expect(ErrorClassification.exitStatus(for: failure) != .deadLettered)
        #expect(failure.description.contains("create_doc"))
        #expect(rig.checkpointFiles.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: StateDirectory.deadLetterPath(directory: rig.stateDirectory, dataStream: Self.dataStream)))
    }

    @Test func aCheckpointInTheFutureIsAnErrorNamingTheFileAndTheTime() async throws {
        let rig = try await Rig.start(events: 5)
        defer { Task { await rig.close() } }
        let key = CheckpointKey(mimecastBaseURL: rig.mimecast.baseURL, categories: [], dataStream: Self.dataStream)
        let store = CheckpointStore(directory: rig.stateDirectory)
        let future = Date().addingTimeInterval(2 * 86_400)
        try store.save(Checkpoint(key: key, position: future, updatedAt: Date()))
        let failure = try await #require(throws: PassFailure.self) { try await rig.pass(try rig.settings()) }
        #expect(ErrorClassification.exitStatus(for: failure) == .configuration)
        #expect(failure.description.contains(store.path(for: key)))
        #expect(failure.description.contains(Timestamp.iso8601(future)))
        // Only the failed pass's heartbeat (no _id) may have been written; no audit document.
        #expect(rig.elasticsearch.bulkRequests.allSatisfy { $0.ids.allSatisfy(\.isEmpty) })
        #expect(rig.stored.isEmpty)
    }

    @Test func twoDifferentEventsWithOneIDOnAPageAreBothKept() async throws {
        let rig = try await Rig.start(events: 0)
        defer { Task { await rig.close() } }
        let time = Date().addingTimeInterval(-3600)
        let events = ["first", "second"].map { text in
            FakeAuditEvent(id: "same-id", eventTime: time, category: "mimecast_access_logs", auditType: "Logon Authentication",
                           user: "user@example.org", eventInfo: "\(text) event")
        }
        rig.mimecast.serveScriptedPages([FakeMimecast.pageBody(events: events, next: nil, totalCount: 2)])
        let summary = try await rig.pass(try rig.settings())
        #expect(summary.events == 2)
        #expect(rig.stored.count == 2)
        // The same pair read again keeps the same two _ids: still exactly two documents.
        rig.mimecast.serveScriptedPages([FakeMimecast.pageBody(events: events, next: nil, totalCount: 2)])
        _ = try await rig.pass(try rig.settings { $0.since = "4d"; $0.until = DateArgument.iso(Date().addingTimeInterval(-60)) })
        #expect(rig.elasticsearch.storedCopies(in: Self.dataStream).count == 2)
    }

    @Test func aNumericIDAndTheSameDigitsAsTextAreDifferentEvents() {
        let mapper = ECSMapper()
        let numeric = mapper.map(RawAuditEvent(#"{"id":12345,"eventTime":"2024-05-02T09:14:07+0000","auditType":"Logon"}"#), readAt: Date())
        let text = mapper.map(RawAuditEvent(#"{"id":"12345","eventTime":"2024-05-02T09:14:07+0000","auditType":"Logon"}"#), readAt: Date())
        #expect(numeric.id != text.id)
    }

    @Test func deadLettersCanBeReplayedOnceTheCauseIsFixed() async throws {
        let rig = try await Rig.start(events: 30)
        defer { Task { await rig.close() } }
        let mapper = ECSMapper()
        let refused = rig.mimecast.allEventJSON.prefix(4).map { mapper.map(RawAuditEvent($0), readAt: Date()).id }
        rig.elasticsearch.failItems(ids: refused)
        let first = try await rig.pass(try rig.settings())
        #expect(first.report.deadLettered == 4)
        let file = StateDirectory.deadLetterPath(directory: rig.stateDirectory, dataStream: Self.dataStream)
        #expect(FileManager.default.fileExists(atPath: file))

        // The mapping is fixed; the letters go in once, however often they are replayed.
        rig.elasticsearch.clearItemFailures()
        let replay = try rig.settings { $0.since = nil; $0.replayDeadLetters = file }
        let replayed = try await rig.pass(replay)
        #expect(replayed.report.indexed == 4)
        rig.elasticsearch.rollover(dataStream: Self.dataStream)
        let again = try await rig.pass(replay)
        #expect(again.report.indexed == 0 && again.report.duplicates == 4)
        #expect(rig.elasticsearch.storedCopies(in: Self.dataStream).count == 30)
        #expect(Set(refused).isSubset(of: Set(rig.stored.keys)))
    }

    @Test func aReplayOfAMalformedDeadLetterFileNamesTheLine() async throws {
        let rig = try await Rig.start(events: 0)
        defer { Task { await rig.close() } }
        let file = rig.stateDirectory + "/letters.ndjson"
        try Data("{\"_id\":\"a\",\"document\":{\"@timestamp\":\"2024-05-02T00:00:00Z\"}}\nnot json\n".utf8).write(to: URL(fileURLWithPath: file))
        let error = #expect(throws: (any Error).self) { try rig.prepare(try rig.settings { $0.since = nil; $0.replayDeadLetters = file }) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("\(file):2"))
    }

    @Test func slicesShorterThanAMinuteAreRefused() throws {
        var flags = RunFlags()
        flags.slice = "1ms"
        #expect(throws: ConfigurationError.self) { try RunSettings.resolve(flags, environment: [:]) }
        flags.slice = "59s"
        #expect(throws: ConfigurationError.self) { try RunSettings.resolve(flags, environment: [:]) }
        flags.slice = "1m"
        #expect(try RunSettings.resolve(flags, environment: [:]).sliceLength == 60)
        // 200 days in 1-minute slices is 288,000 slices: refused, naming --slice.
        flags.since = "200d"
        let error = #expect(throws: ConfigurationError.self) { try RunSettings.resolve(flags, environment: [:]) }
        #expect(error?.description.contains("--slice") == true)
        flags.slice = "1h"
        #expect(try RunSettings.resolve(flags, environment: [:]).sliceLength == 3600)
    }

    @Test func pagingThatNeverEndsFailsThePassWithoutMovingTheCheckpoint() async throws {
        let rig = try await Rig.start(events: 0)
        defer { Task { await rig.close() } }
        rig.mimecast.serveEndlessPages(eventsPerPage: 0, totalCount: 5)
        let failure = try await #require(throws: PassFailure.self) { try await rig.pass(try rig.settings()) }
        #expect(failure.description.contains("paging did not end"), "\(failure)")
        #expect(rig.checkpointFiles.isEmpty)
    }
}
