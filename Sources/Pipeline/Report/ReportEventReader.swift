#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperReport

/// Where a report's events come from. Each reader feeds one `AccessReportBuilder` in time order,
/// so the rules of the review live in one place whatever the source.
public protocol ReportEventReader: Sendable {
    /// One line naming the source, shown in the report.
    var description: String { get }
    func report(period: TimeWindow, sessionGap: TimeInterval) async throws -> AccessReport
}

extension ReportEventReader {
    /// The second pass shared by the sources that cannot filter on the server: keeps the events
    /// of `accounts` and every failed support login, in time order, and builds the report.
    func buildReport(period: TimeWindow, sessionGap: TimeInterval, accounts: Set<String>, events: [ReportEvent]) -> AccessReport {
        var builder = AccessReportBuilder(period: period, sessionGap: sessionGap, supportAccounts: accounts)
        builder.add(contentsOf: events)
        return builder.finish(sourceDescription: description)
    }
}

/// Which events a two-pass reader keeps in its second pass: support accounts' and failed
/// support logins, never ordinary users' (memory follows provider activity only).
struct ReportEventFilter {
    let period: TimeWindow
    let accounts: Set<String>

    func keeps(_ event: ReportEvent) -> Bool {
        guard period.contains(event.timestamp) else { return false }
        return event.isFailedSupportLogin || event.isProviderAccess || accounts.contains(event.account.lowercased())
    }

    /// First pass: the accounts that did provider access in the period.
    static func supportAccount(of event: ReportEvent, in period: TimeWindow) -> String? {
        guard period.contains(event.timestamp), event.isProviderAccess, !event.isFailedSupportLogin, !event.account.isEmpty else { return nil }
        return event.account.lowercased()
    }
}
