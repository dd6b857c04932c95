import ShipperCore
import Testing

@Suite struct BackoffTests {
    @Test func ceilingDoublesUntilTheCap() {
        let backoff = ExponentialBackoff(base: .seconds(1), cap: .seconds(60))
        #expect(backoff.ceiling(attempt: 0) == .seconds(1))
        #expect(backoff.ceiling(attempt: 1) == .seconds(2))
        #expect(backoff.ceiling(attempt: 5) == .seconds(32))
        #expect(backoff.ceiling(attempt: 6) == .seconds(60))
        #expect(backoff.ceiling(attempt: 200) == .seconds(60))
    }

    @Test func fullJitterScalesTheCeiling() {
        let backoff = ExponentialBackoff(base: .seconds(1), cap: .seconds(60))
        #expect(backoff.delay(attempt: 3, unit: 0) == .zero)
        #expect(backoff.delay(attempt: 3, unit: 0.5) == .seconds(4))
        for _ in 0..<100 {
            let delay = backoff.delay(attempt: 2)
            #expect(delay >= .zero && delay <= .seconds(4))
        }
    }
}
