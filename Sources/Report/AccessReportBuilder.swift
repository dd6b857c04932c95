#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Turns a period's events into sessions: the one place the review's rules live.
///
/// Feed events oldest first (`add`), then `finish`. Only support accounts' events are kept, and
/// only as per-session tallies, so memory grows with provider activity, never with the number of
/// events read. Rules:
/// - a support login starts a session for its account (logins within the gap extend it);
/// - the account's following events, in any category, join the session until a gap longer than
///   `sessionGap`;
/// - a support account's event outside any session starts a session "without login" (it began
///   before the period, or its login was not recorded);
/// - failed support logins are listed on their own; ordinary users' events never form sessions;
/// - events outside the period are ignored.
public struct AccessReportBuilder: Sendable {
    public let period: TimeWindow
    public let sessionGap: TimeInterval
    private var supportAccounts: Set<String>
    private var open: [String: AccessSession] = [:]
    private var closed: [AccessSession] = []
    private var failed: [FailedLogin] = []

    /// `supportAccounts`: accounts already known to be Mimecast support (e.g. found by a first
    /// pass), so that their activity before their first support event in the period is kept too.
    public init(period: TimeWindow, sessionGap: TimeInterval, supportAccounts: Set<String> = []) {
        self.period = period
        self.sessionGap = sessionGap
        self.supportAccounts = Set(supportAccounts.map { $0.lowercased() })
    }

    public mutating func add(_ event: ReportEvent) {
        guard period.contains(event.timestamp) else { return }
        if event.isFailedSupportLogin {
            failed.append(FailedLogin(event))
            return
        }
        let key = event.account.lowercased()
        guard !key.isEmpty else { return }
        if event.isProviderAccess { supportAccounts.insert(key) }
        if var session = open[key] {
            if event.timestamp.timeIntervalSince(session.end) <= sessionGap {
                session.add(event)
                open[key] = session
                return
            }
            closed.append(session)
            open[key] = nil
        }
        guard supportAccounts.contains(key) else { return }
        open[key] = AccessSession(first: event)
    }

    /// Adds events in any order (sorted here first).
    public mutating func add(contentsOf events: [ReportEvent]) {
        for event in events.sorted(by: { $0.timestamp < $1.timestamp }) { add(event) }
    }

    /// Support accounts seen so far (lower case).
    public var knownSupportAccounts: Set<String> { supportAccounts }

    /// Every distinct source address of the sessions so far.
    public var sourceIPs: Set<String> {
        Set((closed + open.values).flatMap(\.sourceIPs))
    }

    /// Closes open sessions and returns the report. `previouslySeenIPs` are the session addresses
    /// the source's history knows from before the period; nil when the source has no history.
    public func finish(sourceDescription: String, previouslySeenIPs: Set<String>? = nil) -> AccessReport {
        let byStart: (AccessSession, AccessSession) -> Bool = {
            $0.start != $1.start ? $0.start < $1.start : $0.account < $1.account
        }
        let all = (closed + open.values).sorted(by: byStart)
        var newIPs: [String]?
        if let previouslySeenIPs {
            var seen: Set<String> = []
            newIPs = all.flatMap(\.sourceIPs).filter { !previouslySeenIPs.contains($0) && seen.insert($0).inserted }
        }
        return AccessReport(
            period: period,
            sessionGap: sessionGap,
            sourceDescription: sourceDescription,
            sessions: all.filter(\.beganWithLogin),
            sessionsWithoutLogin: all.filter { !$0.beganWithLogin },
            failedLogins: failed.sorted { $0.time < $1.time },
            newSourceIPs: newIPs
        )
    }
}
