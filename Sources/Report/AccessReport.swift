#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// The provider-access review for one period: what every output format renders.
public struct AccessReport: Sendable, Equatable {
    public let period: TimeWindow
    public let sessionGap: TimeInterval
    /// Where the events came from, e.g. `Elasticsearch data stream logs-mimecast.audit-default`.
    public let sourceDescription: String
    /// Sessions that began with a support login in the period, by start time.
    public let sessions: [AccessSession]
    /// Support accounts' activity with no login in the period (a session that began before it),
    /// by start time.
    public let sessionsWithoutLogin: [AccessSession]
    public let failedLogins: [FailedLogin]
    /// Source addresses of the period's sessions that the source's history never saw before the
    /// period; nil when the source has no history (the Mimecast API, a file).
    public let newSourceIPs: [String]?
    public let totals: Totals

    public struct Totals: Sendable, Equatable {
        public let sessions: Int
        public let sessionsWithoutLogin: Int
        public let supportAccounts: Int
        public let sourceIPs: Int
        public let newSourceIPs: Int?
        public let sessionsWithChanges: Int
        public let readOnlySessions: Int
        public let failedLogins: Int
        public let events: Int
    }

    init(
        period: TimeWindow, sessionGap: TimeInterval, sourceDescription: String,
        sessions: [AccessSession], sessionsWithoutLogin: [AccessSession], failedLogins: [FailedLogin],
        newSourceIPs: [String]?
    ) {
        self.period = period
        self.sessionGap = sessionGap
        self.sourceDescription = sourceDescription
        self.sessions = sessions
        self.sessionsWithoutLogin = sessionsWithoutLogin
        self.failedLogins = failedLogins
        self.newSourceIPs = newSourceIPs
        let all = sessions + sessionsWithoutLogin
        totals = Totals(
            sessions: sessions.count,
            sessionsWithoutLogin: sessionsWithoutLogin.count,
            supportAccounts: Set(all.map { $0.account.lowercased() }).count,
            sourceIPs: Set(all.flatMap(\.sourceIPs)).count,
            newSourceIPs: newSourceIPs?.count,
            sessionsWithChanges: all.filter(\.hasChanges).count,
            readOnlySessions: all.filter { !$0.hasChanges }.count,
            failedLogins: failedLogins.count,
            events: all.reduce(0) { $0 + $1.events }
        )
    }

    /// Every session, with and without a login, by start time.
    public var allSessions: [AccessSession] {
        (sessions + sessionsWithoutLogin).sorted { $0.start != $1.start ? $0.start < $1.start : $0.account < $1.account }
    }

    /// Distinct source addresses of all sessions, in order of first use.
    public var sourceIPs: [String] {
        var seen: Set<String> = []
        return allSessions.flatMap(\.sourceIPs).filter { seen.insert($0).inserted }
    }

    /// True when nothing provider-related happened: the "no provider access" report.
    public var isEmpty: Bool { sessions.isEmpty && sessionsWithoutLogin.isEmpty && failedLogins.isEmpty }
}
