#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Small wording and layout helpers shared by the human-readable formats.
enum ReportText {
    static let title = "Mimecast provider access review"
    static let noAccess = "No provider access in the period"

    /// `1h 05m`, `12m`, `45s`.
    static func duration(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(interval.rounded()))
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 48 { return "\(hours)h \(CFormat.string("%02d", minutes % 60))m" }
        return "\(hours / 24)d \(hours % 24)h"
    }

    /// `203.0.113.9 (GB, AS64500 Example)`.
    static func source(_ source: SourceAddress) -> String {
        let detail = [source.country, source.autonomousSystem].compactMap { $0 }
        return detail.isEmpty ? source.ip : "\(source.ip) (\(detail.joined(separator: ", ")))"
    }

    static func actions(_ actions: [ActionCount]) -> String {
        actions.map { "\($0.auditType) ×\($0.count)" }.joined(separator: ", ")
    }

    /// `2024-05-02 09:14:07` (the headers say UTC).
    static func time(_ date: Date) -> String {
        ReportTime.format(date).replacingEvery("T", with: " ").replacingEvery("Z", with: "")
    }

    /// The summary lines every human-readable format shows, as label and value.
    static func summary(_ report: AccessReport) -> [(String, String)] {
        let totals = report.totals
        var rows: [(String, String)] = [
            ("Sessions (with a support login)", "\(totals.sessions)"),
            ("Activity without a login in the period", "\(totals.sessionsWithoutLogin)"),
            ("Distinct support accounts", "\(totals.supportAccounts)"),
            ("Distinct source IPs", "\(totals.sourceIPs)"),
        ]
        if let newIPs = report.newSourceIPs {
            let list = newIPs.isEmpty ? "" : ": " + newIPs.joined(separator: ", ")
            rows.append(("Source IPs never seen before the period", "\(newIPs.count)\(list)"))
        } else {
            rows.append(("Source IPs never seen before the period", "unknown (the source has no history)"))
        }
        rows.append(("Sessions with changes", "\(totals.sessionsWithChanges)"))
        rows.append(("Read-only sessions", "\(totals.readOnlySessions)"))
        rows.append(("Failed support logins", "\(totals.failedLogins)"))
        rows.append(("Events in sessions", "\(totals.events)"))
        return rows
    }

    static func periodLine(_ report: AccessReport) -> String {
        "\(time(report.period.start)) to \(time(report.period.end)) UTC"
    }
}
