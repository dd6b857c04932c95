#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One row per session (with and without a login) under a header row, quoted per RFC 4180:
/// CRLF line ends; a field holding a comma, quote, CR or LF is quoted, quotes doubled. Lists
/// inside a field are separated by "; ".
enum CSVReportRenderer {
    static let header = [
        "account", "start", "end", "login", "duration_seconds", "source_ips", "countries", "autonomous_systems",
        "applications", "events", "changes", "actions", "targets",
    ]

    static func render(_ report: AccessReport) -> String {
        var lines = [row(header)]
        for session in report.allSessions {
            lines.append(row([
                session.account,
                ReportTime.format(session.start),
                ReportTime.format(session.end),
                session.beganWithLogin ? "yes" : "no",
                String(Int(session.duration)),
                session.sourceIPs.joined(separator: "; "),
                session.sources.compactMap(\.country).uniqued().joined(separator: "; "),
                session.sources.compactMap(\.autonomousSystem).uniqued().joined(separator: "; "),
                session.applications.joined(separator: "; "),
                String(session.events),
                String(session.changes),
                session.actions.map { "\($0.auditType) x\($0.count)" }.joined(separator: "; "),
                session.targets.joined(separator: "; "),
            ]))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    static func row(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",")
    }

    static func quote(_ field: String) -> String {
        // A leading = + - @ would make a spreadsheet run the cell as a formula (CSV injection):
        // such a cell gets a leading apostrophe, which spreadsheets show as text.
        var text = field
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        // Bytes, not Characters: "\r\n" is one Character and equals neither "\r" nor "\n".
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }) else {
            return text
        }
        return "\"" + text.replacingEvery("\"", with: "\"\"") + "\""
    }
}

extension Array where Element == String {
    /// The strings in order, each once.
    func uniqued() -> [String] {
        var seen: Set<String> = []
        return filter { seen.insert($0).inserted }
    }
}
