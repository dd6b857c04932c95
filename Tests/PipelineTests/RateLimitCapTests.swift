import FakeMimecast
import Foundation
import Logging
import ShipperCore
@testable import ShipperPipeline
import Synchronization
import Testing

/// A pass never waits on Mimecast rate limits for longer than the cap, and stops with only
/// settled slices checkpointed.
@Suite(.serialized) struct RateLimitCapTests {
    final class Waits: Sendable {
        private let recorded = Mutex<[Duration]>([])
        var sleeper: Sleeper { Sleeper { duration in self.recorded.withLock { $0.append(duration) } } }
        var total: Duration { recorded.withLock { $0.reduce(.zero, +) } }
    }

    @Test func aHugeResetHeaderStopsThePassAtTheCapWithSettledSlicesCheckpointed() async throws {
        // Four one-day slices, one page each; the third page is refused with a reset 3 years away.
        let rig = try await EndToEndTests.Rig.start(events: 40)
        defer { Task { await rig.close() } }
        let huge = FakeRateLimit(resetMilliseconds: 99_999_999_999)
        rig.mimecast.rateLimit(huge, huge, huge, huge, afterAuditCalls: 2)
        let settings = try rig.settings()
        let waits = Waits()
        var tuning = RunTuning()
        tuning.sleeper = waits.sleeper
        let prepared = try PreparedRun(
            settings: settings, environment: rig.environment, elasticsearch: .init(), stop: StopSignal(), progress: nil,
            logger: Logger(label: "test"), tuning: tuning
        )
        let failure = try await #require(throws: PassFailure.self) { try await prepared.pass() }
        #expect(waits.total <= .seconds(120), "waited \(waits.total)")
        #expect(failure.description.contains("--max-rate-limit-wait"), "\(failure.description)")
        #expect(ErrorClassification.exitStatus(for: failure) == .failure)
        // Two slices were settled and checkpointed; nothing after them.
        #expect(failure.summary.slicesCompleted == 2)
        let key = CheckpointKey(mimecastBaseURL: rig.mimecast.baseURL, categories: [], dataStream: EndToEndTests.dataStream)
        let stored = try #require(try CheckpointStore(directory: rig.stateDirectory).load(key))
        let shipped = rig.stored.count
        #expect(stored.position < Date().addingTimeInterval(-86_400))
        #expect(shipped < 40)
    }

    @Test func theCapIsASettingWithADefaultWellUnderTheSchedule() throws {
        #expect(try RunSettings.resolve(RunFlags(), environment: [:]).maxRateLimitWait == .seconds(120))
        var every = RunFlags()
        every.every = "1m"
        #expect(try RunSettings.resolve(every, environment: [:]).maxRateLimitWait == .seconds(30))
        #expect(try RunSettings.resolve(RunFlags(), environment: ["MIMECAST_SHIPPER_MAX_RATE_LIMIT_WAIT": "10m"]).maxRateLimitWait == .seconds(600))
        var flag = RunFlags()
        flag.maxRateLimitWait = "0s"
        #expect(try RunSettings.resolve(flag, environment: ["MIMECAST_SHIPPER_MAX_RATE_LIMIT_WAIT": "10m"]).maxRateLimitWait == .zero)
        flag.maxRateLimitWait = "soon"
        let error = #expect(throws: ConfigurationError.self) { try RunSettings.resolve(flag, environment: [:]) }
        #expect(error?.description.contains("--max-rate-limit-wait 'soon'") == true)
    }
}
