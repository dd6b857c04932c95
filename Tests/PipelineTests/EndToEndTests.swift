import FakeElasticsearch
import FakeMimecast
import Foundation
import Logging
import ShipperCore
@testable import ShipperPipeline
import ShipperElasticsearch
import Synchronization
import ShipperTestSupport
import Testing

/// The whole job through the real assembly (curl, reader, mapper, bulk indexer, checkpoint) against
/// the loopback fake Mimecast and fake Elasticsearch.
@Suite(.serialized) struct EndToEndTests {
    static let dataStream = "logs-mimecast.audit-default"

    /// A started pair of fakes and a state directory, torn down by `close`.
    struct Rig {
        let mimecast: FakeMimecast
        let elasticsearch: FakeElasticsearch
        let stateDirectory: String
        let window: TimeWindow

        /// `count` events spread over the last `span` seconds (ending two minutes ago).
        static func start(events count: Int, span: TimeInterval = 3 * 86_400) async throws -> Rig {
            let now = Date()
            let window = TimeWindow(start: now.addingTimeInterval(-span), end: now.addingTimeInterval(-120))
            let events = FakeAuditEvent.generate(count: count, in: window)
            let mimecast = try await FakeMimecast.start(FakeMimecastOptions(events: events))
            let elasticsearch = try await FakeElasticsearch.start()
            return Rig(mimecast: mimecast, elasticsearch: elasticsearch, stateDirectory: temporaryDirectory(), window: window)
        }

        func close() async {
            await mimecast.stop()
            await elasticsearch.stop()
        }

        var environment: [String: String] {
            [
                "MIMECAST_BASE_URL": mimecast.baseURL,
                "MIMECAST_CLIENT_ID": "fake-client-id",
                "MIMECAST_CLIENT_SECRET": "fake-client-secret",
                "ELASTICSEARCH_URL": elasticsearch.baseURL,
                "MIMECAST_SHIPPER_STATE_DIR": stateDirectory,
            ]
        }

        func settings(dryRun: Bool = false, configure: (inout RunFlags) -> Void = { _ in }) throws -> RunSettings {
            var flags = RunFlags()
            flags.since = "4d"
            flags.pageSize = 100
            flags.dryRun = dryRun
            configure(&flags)
            return try RunSettings.resolve(flags, environment: environment)
        }

        func prepare(_ settings: RunSettings, stop: StopSignal = StopSignal(), output: DocumentCollector? = nil, budget: Duration? = nil) throws -> PreparedRun {
            var tuning = RunTuning()
            tuning.sleeper = Sleeper { _ in }
            tuning.retryBudget = budget
            return try PreparedRun(
                settings: settings, environment: environment, elasticsearch: .init(), stop: stop, progress: nil,
                logger: Logger(label: "test"), tuning: tuning, writeDocuments: { output?.append($0) }
            )
        }

        /// One pass with a fresh assembly (and lock), as a new process would do.
        func pass(_ settings: RunSettings, budget: Duration? = nil) async throws -> PassSummary {
            let prepared = try prepare(settings, budget: budget)
            return try await prepared.pass()
        }

        var stored: [String: [UInt8]] { elasticsearch.documents(in: EndToEndTests.dataStream) }

        var checkpointFiles: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: stateDirectory)) ?? []).filter { $0.hasPrefix("checkpoint-") && $0.hasSuffix(".json") }
        }

        func checkpointContents() -> String? {
            guard let name = checkpointFiles.first else { return nil }
            return try? String(contentsOfFile: stateDirectory + "/" + name, encoding: .utf8)
        }
    }

    final class DocumentCollector: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ bytes: [UInt8]) {
            lines.withLock { $0 += String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init) }
        }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func firstRunShipsEverythingAndTheSecondOnlyWhatIsNew() async throws {
        let rig = try await Rig.start(events: 730)
        try await withTeardown({ await rig.close() }) {
            let first = try await rig.pass(try rig.settings())
            #expect(first.events == 730)
            #expect(first.report.indexed == 730)
            #expect(rig.stored.count == 730)
            #expect(rig.checkpointFiles.count == 1)

            rig.mimecast.addEvents(FakeAuditEvent.generate(count: 5, in: TimeWindow(start: Date().addingTimeInterval(-100), end: Date().addingTimeInterval(-70)), idPrefix: "new"))
            let second = try await rig.pass(try rig.settings())
            #expect(second.report.indexed == 5)
            #expect(second.report.duplicates == second.events - 5)
            #expect(rig.stored.count == 735)
            // Nothing was ever stored twice: each _id arrived in a create that succeeded once.
            // (Heartbeats carry no _id: Elasticsearch generates one per pass.)
            let created = rig.elasticsearch.bulkRequests.flatMap { zip($0.ids, $0.itemStatuses) }.filter { $0.1 == 201 && !$0.0.isEmpty }.map(\.0)
            #expect(Set(created).count == created.count)
        }
    }

    @Test func anEventThatAppearsLateInsideTheOverlapIsPickedUp() async throws {
        let rig = try await Rig.start(events: 50)
        try await withTeardown({ await rig.close() }) {
            _ = try await rig.pass(try rig.settings())
            // Mimecast now returns an event stamped before the checkpoint, but inside the overlap.
            let late = FakeAuditEvent.generate(count: 1, in: TimeWindow(start: Date().addingTimeInterval(-300), end: Date().addingTimeInterval(-299)), idPrefix: "late")
            rig.mimecast.addEvents(late)
            let second = try await rig.pass(try rig.settings())
            #expect(second.report.indexed == 1)
            #expect(rig.stored.count == 51)
        }
    }

    @Test func aCrashBetweenTheBulkAndTheCheckpointLeadsToNoDuplicates() async throws {
        // One slice holds every event, so the whole read is shipped before the checkpoint write.
        let rig = try await Rig.start(events: 300, span: 23 * 3600)
        try await withTeardown({ await rig.close() }) {
            let settings = try rig.settings { $0.since = "1d" }
            // Make the checkpoint write fail: Elasticsearch has accepted the slice, the checkpoint is lost.
            let key = CheckpointKey(mimecastBaseURL: rig.mimecast.baseURL, categories: [], dataStream: Self.dataStream)
            let blocker = CheckpointStore(directory: rig.stateDirectory).path(for: key) + ".tmp-\(getpid())"
            try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: true)
            await #expect(throws: PassFailure.self) { try await rig.pass(settings) }
            #expect(rig.stored.count == 300)
            #expect(rig.checkpointFiles.isEmpty)

            try FileManager.default.removeItem(atPath: blocker)
            // ILM rolls the data stream over before the rerun: create alone would store all 300 again.
            rig.elasticsearch.rollover(dataStream: Self.dataStream)
            let rerun = try await rig.pass(settings)
            #expect(rerun.report.duplicates == 300)
            #expect(rerun.report.indexed == 0)
            #expect(rig.stored.count == 300)
            #expect(rig.elasticsearch.storedCopies(in: Self.dataStream).count == 300)
            #expect(rig.checkpointFiles.count == 1)
        }
    }

    @Test func elasticsearchDownFailsThePassAndLeavesTheCheckpoint() async throws {
        let rig = try await Rig.start(events: 120)
        try await withTeardown({ await rig.close() }) {
            _ = try await rig.pass(try rig.settings())
            let before = try #require(rig.checkpointContents())
            rig.mimecast.addEvents(FakeAuditEvent.generate(count: 3, in: TimeWindow(start: Date().addingTimeInterval(-100), end: Date().addingTimeInterval(-70)), idPrefix: "new"))
            rig.elasticsearch.setDown(true)
            let failure = try await #require(throws: PassFailure.self) { try await rig.pass(try rig.settings(), budget: .seconds(5)) }
            #expect(ErrorClassification.exitStatus(for: failure) == .failure)
            #expect(rig.checkpointContents() == before)
        }
    }

    @Test func mimecastRateLimitingMidWindowIsWaitedOut() async throws {
        let rig = try await Rig.start(events: 450)
        try await withTeardown({ await rig.close() }) {
            // Three pages in, Mimecast starts answering 429 (reset header, Retry-After, then no header).
            rig.mimecast.rateLimit(FakeRateLimit(resetMilliseconds: 5), FakeRateLimit(retryAfterSeconds: 1), FakeRateLimit(), afterAuditCalls: 3)
            let summary = try await rig.pass(try rig.settings())
            #expect(summary.report.indexed == 450)
            #expect(rig.stored.count == 450)
            let statuses = rig.mimecast.auditCalls.map(\.status)
            #expect(Array(statuses.prefix(6)) == [200, 200, 200, 429, 429, 429])
            // The page that was refused is asked for again, with the same token.
            let calls = rig.mimecast.auditCalls
            #expect(calls[3].pageToken == calls[6].pageToken)
        }
    }

    @Test func dryRunPrintsDocumentsAndChangesNothing() async throws {
        let rig = try await Rig.start(events: 40)
        try await withTeardown({ await rig.close() }) {
            let output = DocumentCollector()
            let prepared = try rig.prepare(try rig.settings(dryRun: true), output: output)
            let summary = try await prepared.pass()
            #expect(summary.events == 40)
            #expect(output.all.count == 40)
            for line in output.all {
                let document = try JSONValue.parse(line)
                #expect(document["@timestamp"]?.stringValue != nil)
            }
            #expect(rig.elasticsearch.bulkRequestCount == 0)
            #expect(rig.elasticsearch.requestLog.isEmpty)
            #expect(rig.checkpointFiles.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: rig.stateDirectory + "/lock"))
        }
    }

    @Test func theLockRefusesASecondConcurrentRun() async throws {
        let rig = try await Rig.start(events: 1)
        try await withTeardown({ await rig.close() }) {
            let first = try rig.prepare(try rig.settings())
            let error = #expect(throws: StateError.self) { try rig.prepare(try rig.settings()) }
            #expect(error?.description.contains("process \(getpid())") == true)
            withExtendedLifetime(first) {}
        }
    }

    @Test func aCorruptCheckpointIsAClearConfigurationError() async throws {
        let rig = try await Rig.start(events: 10)
        try await withTeardown({ await rig.close() }) {
            _ = try await rig.pass(try rig.settings())
            let name = try #require(rig.checkpointFiles.first)
            try Data("{\"version\": 1, \"position\": tomorrow".utf8).write(to: URL(fileURLWithPath: rig.stateDirectory + "/" + name))
            let failure = try await #require(throws: PassFailure.self) { try await rig.pass(try rig.settings()) }
            #expect(failure.underlying is CorruptCheckpointError)
            #expect(ErrorClassification.exitStatus(for: failure) == .configuration)
            #expect(failure.description.contains(name))
        }
    }

    @Test func aOneOffBackfillLeavesTheScheduledCheckpointAlone() async throws {
        let rig = try await Rig.start(events: 60)
        try await withTeardown({ await rig.close() }) {
            let summary = try await rig.pass(try rig.settings { flags in
                flags.since = "5d"
                flags.until = DateArgument.iso(Date().addingTimeInterval(-60))
            })
            #expect(summary.report.indexed == 60)
            #expect(rig.checkpointFiles.isEmpty)
        }
    }
}
