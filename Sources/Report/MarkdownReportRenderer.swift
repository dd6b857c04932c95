#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The default format: a Markdown document for a ticket, a wiki page or a terminal.
enum MarkdownReportRenderer {
    static func render(_ report: AccessReport) -> String {
        var out = "# \(ReportText.title)\n\n"
        out += "- Period: \(ReportText.periodLine(report))\n"
        out += "- Source: \(cell(report.sourceDescription))\n"
        out += "- Session gap: \(ReportText.duration(report.sessionGap))\n\n"
        if report.isEmpty {
            out += "**\(ReportText.noAccess).** No Mimecast support login, support action or failed support login was recorded in the period (\(ReportText.periodLine(report))).\n"
            return out
        }
        out += "## Summary\n\n| Measure | Value |\n| --- | --- |\n"
        for (label, value) in ReportText.summary(report) {
            out += "| \(cell(label)) | \(cell(value)) |\n"
        }
        out += "\n## Sessions\n\n"
        out += sessionTable(report.sessions, empty: "No support login in the period.")
        if !report.sessionsWithoutLogin.isEmpty {
            out += "\n## Actions with no login in the period\n\n"
            out += "Support accounts' activity with no support login in the period before it (the session began before the period start, or its login was not recorded).\n\n"
            out += sessionTable(report.sessionsWithoutLogin, empty: "")
        }
        out += "\n## Failed support logins\n\n"
        if report.failedLogins.isEmpty {
            out += "None.\n"
        } else {
            out += "| Time (UTC) | Account | Source IP | Application | Reason |\n| --- | --- | --- | --- | --- |\n"
            for failure in report.failedLogins {
                out += "| \(ReportText.time(failure.time)) | \(cell(failure.account)) | \(cell(failure.source.map(ReportText.source) ?? "")) | \(cell(failure.application ?? "")) | \(cell(failure.reason ?? "")) |\n"
            }
        }
        return out
    }

    private static func sessionTable(_ sessions: [AccessSession], empty: String) -> String {
        guard !sessions.isEmpty else { return empty + "\n" }
        var out = "| Account | Start (UTC) | End (UTC) | Duration | Source IPs | Application | Events | Actions | Targets | Changes |\n"
        out += "| --- | --- | --- | --- | --- | --- | ---: | --- | --- | ---: |\n"
        for session in sessions {
            let columns = [
                session.account,
                ReportText.time(session.start),
                ReportText.time(session.end),
                ReportText.duration(session.duration),
                session.sources.map(ReportText.source).joined(separator: ", "),
                session.applications.joined(separator: ", "),
                "\(session.events)",
                ReportText.actions(session.actions),
                session.targets.joined(separator: ", "),
                "\(session.changes)",
            ]
            out += "| " + columns.map(cell).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Text safe inside a table cell: no line breaks, pipes escaped, nothing Markdown would turn
    /// into markup or a link.
    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\r", "\n", "\r\n": out += " "
            case "|", "\\", "`", "*", "_", "[", "]", "<", ">", "#": out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }
}
