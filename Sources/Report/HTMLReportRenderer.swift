#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One self-contained HTML file (inline CSS and SVG; no scripts, fonts or images from
/// anywhere) that a reviewer opens, prints or attaches to an audit ticket.
enum HTMLReportRenderer {
    static func render(_ report: AccessReport) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(ReportText.title)): \(escape(ReportText.periodLine(report)))</title>
            <style>\(style)</style>
            </head>
            <body>
            <h1>\(escape(ReportText.title))</h1>
            <p class="meta">Period: <strong>\(escape(ReportText.periodLine(report)))</strong> · Source: \(escape(report.sourceDescription)) · Session gap: \(escape(ReportText.duration(report.sessionGap)))</p>

            """
        if report.isEmpty {
            out += "<p class=\"none\" id=\"no-access\">\(escape(ReportText.noAccess)).</p>\n"
            out += "<p>No Mimecast support login, support action or failed support login was recorded in the period.</p>\n"
            return out + "</body>\n</html>\n"
        }
        out += "<h2>Summary</h2>\n<table class=\"summary\" id=\"summary\">\n<tbody>\n"
        for (label, value) in ReportText.summary(report) {
            out += "<tr><th scope=\"row\">\(escape(label))</th><td>\(escape(value))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        out += "<h2>Timeline</h2>\n"
        out += HTMLTimeline(report: report).svg()
        out += "<h2>Sessions</h2>\n"
        out += sessionTable(report.sessions, id: "sessions", empty: "No support login in the period.")
        if !report.sessionsWithoutLogin.isEmpty {
            out += "<h2>Actions with no login in the period</h2>\n"
            out += "<p>Support accounts' activity with no support login in the period before it (the session began before the period start, or its login was not recorded).</p>\n"
            out += sessionTable(report.sessionsWithoutLogin, id: "sessions-without-login", empty: "")
        }
        out += "<h2>Failed support logins</h2>\n"
        if report.failedLogins.isEmpty {
            out += "<p id=\"failed-logins\">None.</p>\n"
        } else {
            out += "<table id=\"failed-logins\">\n<thead><tr><th>Time (UTC)</th><th>Account</th><th>Source IP</th><th>Application</th><th>Reason</th></tr></thead>\n<tbody>\n"
            for failure in report.failedLogins {
                let cells = [
                    ReportText.time(failure.time), failure.account, failure.source.map(ReportText.source) ?? "",
                    failure.application ?? "", failure.reason ?? "",
                ]
                out += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        return out + "</body>\n</html>\n"
    }

    private static func sessionTable(_ sessions: [AccessSession], id: String, empty: String) -> String {
        guard !sessions.isEmpty else { return "<p id=\"\(id)\">\(escape(empty))</p>\n" }
        var out = "<table id=\"\(id)\">\n<thead><tr>"
        for heading in ["Account", "Start (UTC)", "End (UTC)", "Duration", "Source IPs", "Application", "Events", "Actions", "Targets", "Changes"] {
            out += "<th>\(heading)</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for session in sessions {
            out += "<tr class=\"\(session.hasChanges ? "changes" : "read-only")\">"
            out += "<td>\(escape(session.account))</td>"
            out += "<td class=\"time\">\(escape(ReportText.time(session.start)))</td>"
            out += "<td class=\"time\">\(escape(ReportText.time(session.end)))</td>"
            out += "<td class=\"num\">\(escape(ReportText.duration(session.duration)))</td>"
            out += "<td>" + session.sources.map { escape(ReportText.source($0)) }.joined(separator: "<br>") + "</td>"
            out += "<td>\(escape(session.applications.joined(separator: ", ")))</td>"
            out += "<td class=\"num\">\(session.events)</td>"
            out += "<td>" + session.actions.map { escape("\($0.auditType) ×\($0.count)") }.joined(separator: "<br>") + "</td>"
            out += "<td>" + session.targets.map(escape).joined(separator: "<br>") + "</td>"
            out += "<td class=\"num\">\(session.changes)</td>"
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// Text and attribute values: the five characters HTML and XML give meaning to.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static let style = """
        body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1a1a;margin:24px;font-size:14px;line-height:1.4}\
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid #ccc;padding-bottom:2px}\
        .meta{color:#444;margin:0 0 12px}.none{font-size:18px;font-weight:bold;color:#1b5e20}\
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}\
        thead th{background:#eef1f5}table.summary{width:auto}table.summary th{background:#f6f7f9;font-weight:normal}\
        td.num{text-align:right;white-space:nowrap}td.time{white-space:nowrap}tr.changes td:last-child{background:#fde8d8;font-weight:bold}\
        svg{display:block;max-width:100%;height:auto;border:1px solid #ddd;background:#fff}\
        svg text{font-family:inherit;font-size:12px;fill:#1a1a1a}svg .axis{stroke:#999}svg .grid{stroke:#e4e4e4}\
        svg .lane{fill:#f7f8fa}svg .session{fill:#1f6fb2}svg .session.changes{fill:#c2410c}svg .session.nologin{fill:#7c7c7c}svg .failed{fill:#b91c1c}\
        @media print{body{margin:0;font-size:11px}h2{break-after:avoid}tr{break-inside:avoid}}
        """
}
