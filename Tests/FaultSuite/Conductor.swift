import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperTestSupport
import Synchronization

/// Where the suite will kill the current run: at the `ordinal`-th page or bulk request of this
/// run (by `moment`), or after `delay` seconds, with the `ordinal`-th page request as a cap so a
/// kill never waits past the run's fair share of work.
struct KillPlan: Sendable, Equatable {
    var moment: KillMoment
    var ordinal: Int
    var delay: Double?
}

/// The fake Mimecast's clock: real time plus jumps, so the suite can make a held token expire.
final class FakeTime: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    func jump(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}

/// Faults the suite caused itself, by kind (the fakes' own answers are counted from their logs).
struct InjectedCounts: Sendable {
    var pageAnswersCut = 0
    var bulkRequestsCut = 0
    var bulkAnswersCut = 0
    var tokenExpiries = 0
    var rateLimitBursts = 0
}

/// Directs both proxies: applies the scenario's fault schedule to each request and carries out
/// the current run's kill plan.
final class Conductor: ProxyDirector {
    private struct State {
        var random: SplitMix64
        var life: ShipperLife?
        var plan: KillPlan?
        var lifePages = 0
        var lifeBulks = 0
        var pages = 0
        var bulks = 0
        var injected = InjectedCounts()
    }

    private let settings: ScenarioSettings
    private let mimecast: FakeMimecast
    private let elasticsearch: FakeElasticsearch
    private let time: FakeTime
    private let tokenLifetime: Int
    /// Documents one bulk request carries on average, to estimate what is left.
    private let documentsPerBulk: Int
    private let state: Mutex<State>

    init(settings: ScenarioSettings, seed: UInt64, mimecast: FakeMimecast, elasticsearch: FakeElasticsearch,
         time: FakeTime, tokenLifetime: Int, documentsPerBulk: Int) {
        self.settings = settings
        self.mimecast = mimecast
        self.elasticsearch = elasticsearch
        self.time = time
        self.tokenLifetime = tokenLifetime
        self.documentsPerBulk = max(1, documentsPerBulk)
        state = Mutex(State(random: SplitMix64(seed: seed)))
    }

    var injected: InjectedCounts { state.withLock { $0.injected } }

    // MARK: runs

    /// A kill plan for the next run, sized so the kills still to land spread over the work left.
    func nextKillPlan(killsRemaining: Int, remainingEvents: Int) -> KillPlan {
        state.withLock { state in
            let pagesLeft = remainingEvents / settings.pageSize + 1
            let requestsPerBatch = settings.faults.isEmpty ? 1 : 8
            let bulksLeft = (remainingEvents / documentsPerBulk + 1) * requestsPerBatch
            func ordinal(_ left: Int) -> Int {
                Int.random(in: 1...max(1, 2 * left / (killsRemaining + 1)), using: &state.random)
            }
            var moment = KillMoment.allCases.randomElement(using: &state.random)!
            if remainingEvents == 0, moment != .randomMoment {
                // Nothing left to ship: only page requests are sure to happen.
                moment = .midFetch
            }
            switch moment {
            case .randomMoment:
                return KillPlan(moment: moment, ordinal: ordinal(pagesLeft),
                                delay: Double.random(in: 0.05...settings.maxKillDelay, using: &state.random))
            case .midFetch:
                return KillPlan(moment: moment, ordinal: ordinal(pagesLeft))
            case .midBulk, .bulkAnswerWithheld, .afterBulkAnswer:
                return KillPlan(moment: moment, ordinal: ordinal(bulksLeft))
            }
        }
    }

    func begin(_ life: ShipperLife, plan: KillPlan?) {
        state.withLock {
            $0.life = life
            $0.plan = plan
            $0.lifePages = 0
            $0.lifeBulks = 0
        }
    }

    func end() {
        state.withLock {
            $0.life = nil
            $0.plan = nil
        }
    }

    // MARK: ProxyDirector

    func kill(_ moment: KillMoment) {
        let life = state.withLock { $0.life }
        life?.kill(moment)
    }

    func didReset(_ kind: RequestKind, midResponse: Bool) {
        state.withLock {
            switch (kind, midResponse) {
            case (.bulk, false): $0.injected.bulkRequestsCut += 1
            case (.bulk, true): $0.injected.bulkAnswersCut += 1
            default: $0.injected.pageAnswersCut += 1
            }
        }
    }

    func plan(for kind: RequestKind) -> ProxyPlan {
        state.withLock { state in
            var plan = ProxyPlan()
            let faults = settings.faults
            func every(_ n: Int?, _ count: Int) -> Bool { n.map { $0 > 0 && count % $0 == 0 } ?? false }
            switch kind {
            case .audit:
                state.pages += 1
                state.lifePages += 1
                plan.delayMilliseconds = settings.requestDelayMilliseconds
                if every(faults.rateLimitBurstEvery, state.pages) {
                    let size = Int.random(in: faults.rateLimitBurstSize, using: &state.random)
                    let limits = (0..<size).map { _ in Self.rateLimit(using: &state.random) }
                    for limit in limits { mimecast.rateLimitNext(limit) }
                    state.injected.rateLimitBursts += 1
                }
                if every(faults.tokenExpiryEvery, state.pages) {
                    time.jump(by: TimeInterval(tokenLifetime + 120))
                    state.injected.tokenExpiries += 1
                }
                if every(faults.resetPageResponseEvery, state.pages) {
                    plan.response = .cutMidBody
                }
                if let kill = state.plan, kill.moment == .midFetch || kill.moment == .randomMoment, kill.ordinal == state.lifePages {
                    // A random-moment kill whose delay has not come yet lands here, as a mid-fetch kill.
                    plan.response = .withholdAndKill(.midFetch)
                }
            case .bulk:
                state.bulks += 1
                state.lifeBulks += 1
                plan.delayMilliseconds = settings.requestDelayMilliseconds
                if every(faults.bulkServerErrorEvery, state.bulks) {
                    elasticsearch.failNextBulkRequests(status: 503)
                } else if every(faults.resetBulkRequestEvery, state.bulks) {
                    plan.request = .cutMidBody
                } else if every(faults.resetBulkResponseEvery, state.bulks) {
                    plan.response = .cutMidBody
                }
                if let kill = state.plan, kill.ordinal == state.lifeBulks {
                    switch kill.moment {
                    case .midBulk: plan.request = .forwardThenKill(.midBulk)
                    case .bulkAnswerWithheld: plan.response = .withholdAndKill(.bulkAnswerWithheld)
                    case .afterBulkAnswer: plan.response = .forwardThenKill(.afterBulkAnswer)
                    case .randomMoment, .midFetch: break
                    }
                    if kill.moment != .randomMoment, kill.moment != .midFetch, plan.request == .cutMidBody {
                        plan.request = .forward
                    }
                }
            case .token, .other:
                break
            }
            return plan
        }
    }

    /// A 429 as Mimecast sends them: a reset time in milliseconds, `Retry-After`, or no hint.
    private static func rateLimit(using random: inout SplitMix64) -> FakeRateLimit {
        switch Int.random(in: 0..<3, using: &random) {
        case 0: FakeRateLimit(resetMilliseconds: Int.random(in: 100...1_500, using: &random))
        case 1: FakeRateLimit(retryAfterSeconds: 1)
        default: FakeRateLimit()
        }
    }
}
