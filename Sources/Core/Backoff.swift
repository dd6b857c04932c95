/// Exponential backoff with full jitter (AWS architecture blog): the delay before retry `attempt`
/// is uniform in `[0, min(cap, base * 2^attempt)]`.
///
/// Pure arithmetic with the random draw passed in, so retry schedules are unit-tested exactly;
/// both the Mimecast reader and the Elasticsearch sink use it.
public struct ExponentialBackoff: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(60)) {
        self.base = base
        self.cap = cap
    }

    /// The ceiling for `attempt` (0-based): `min(cap, base * 2^attempt)`.
    public func ceiling(attempt: Int) -> Duration {
        let exponent = min(max(attempt, 0), 62)
        let baseSeconds = base.secondsDouble
        let scaled = baseSeconds * Double(UInt64(1) << UInt64(exponent))
        return .secondsDouble(min(scaled, cap.secondsDouble))
    }

    /// The delay for `attempt`, given a uniform random draw `unit` in `[0, 1)`.
    public func delay(attempt: Int, unit: Double) -> Duration {
        let clamped = min(max(unit, 0), 1)
        return .secondsDouble(ceiling(attempt: attempt).secondsDouble * clamped)
    }

    /// The delay for `attempt` with a fresh random draw.
    public func delay(attempt: Int) -> Duration {
        delay(attempt: attempt, unit: Double.random(in: 0..<1))
    }
}

extension Duration {
    /// The duration as fractional seconds.
    public var secondsDouble: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// A duration from fractional seconds (negative values clamp to zero).
    public static func secondsDouble(_ value: Double) -> Duration {
        guard value > 0, value.isFinite else { return .zero }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }
}
