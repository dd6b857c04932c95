import Foundation
import ShipperHTTP
@testable import ShipperMimecast
import Synchronization
import Testing

/// The pacing rule exactly: when it starts, how slow it gets, and that a pace is announced once
/// per change rather than per call.
@Suite struct QuotaPacerTests {
    @Test func theHeadersPaceOnlyBelowAFifthOfTheQuota() {
        #expect(QuotaPacer.headerPace(limit: 10_000, remaining: 2_000) == nil)
        #expect(QuotaPacer.headerPace(limit: 10_000, remaining: 1_999)?.interval == .seconds(2))
        #expect(QuotaPacer.headerPace(limit: 1_000, remaining: 199)?.interval == .seconds(32))
        #expect(QuotaPacer.headerPace(limit: 1_000, remaining: 10)?.interval == .seconds(60))
        #expect(QuotaPacer.headerPace(limit: 1_000, remaining: 0)?.interval == .seconds(60))
        #expect(QuotaPacer.headerPace(limit: nil, remaining: 5) == nil)
        #expect(QuotaPacer.headerPace(limit: 0, remaining: 0) == nil)
    }

    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        let start = ContinuousClock.now
        let offset = Mutex<Duration>(.zero)
        func advance(_ by: Duration) { offset.withLock { $0 += by } }
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    @Test func theUsersCapSpacesCallsAndIsAnnouncedOnce() {
        let clock = ManualClock()
        let pacer = QuotaPacer(maxCallsPerHour: 360, clock: { clock.now })
        let first = pacer.nextTurn()
        #expect(first.wait == .zero)
        #expect(first.change?.contains("one call every 10s") == true)
        pacer.sending()
        clock.advance(.seconds(4))
        let second = pacer.nextTurn()
        #expect(second.wait == .seconds(6))
        #expect(second.change == nil)
        clock.advance(.seconds(6))
        pacer.sending()
        clock.advance(.seconds(30))
        #expect(pacer.nextTurn().wait == .zero)
    }

    @Test func aDwindlingQuotaSlowsDownThenRecoversWithOneLineEach() {
        let clock = ManualClock()
        let pacer = QuotaPacer(maxCallsPerHour: nil, clock: { clock.now })
        #expect(pacer.nextTurn().change == nil)
        pacer.sending()
        pacer.observe(["X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "150"])
        let slowed = pacer.nextTurn()
        #expect(slowed.wait == .seconds(32))
        #expect(slowed.change?.contains("150 of 1000") == true)
        pacer.observe(["X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "149"])
        #expect(pacer.nextTurn().change == nil)
        pacer.observe(["X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "900"])
        let recovered = pacer.nextTurn()
        #expect(recovered.wait == .zero)
        #expect(recovered.change?.contains("no longer") == true)
    }
}
