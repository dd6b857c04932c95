import Synchronization

/// What a reader did, for the run summary and for tests: every HTTP attempt counts as a call.
public struct MimecastStatistics: Sendable, Equatable {
    /// `get-audit-events` attempts (including repeats after 429, 5xx and 401).
    public var auditCalls = 0
    /// `/oauth/token` attempts.
    public var tokenCalls = 0
    /// 429 answers waited out.
    public var rateLimitWaits = 0
    /// Attempts repeated after a 5xx or network error.
    public var retries = 0
    /// API 2.0 tokens renewed because the API answered 401.
    public var tokenRenewalsAfter401 = 0
    public var pages = 0
    public var events = 0

    public init() {}

    public var calls: Int { auditCalls + tokenCalls }
}

/// Shared, lock-protected statistics of one reader.
final class StatisticsBox: Sendable {
    private let value = Mutex(MimecastStatistics())

    var snapshot: MimecastStatistics { value.withLock { $0 } }

    func update(_ change: (inout MimecastStatistics) -> Void) {
        value.withLock { change(&$0) }
    }
}
