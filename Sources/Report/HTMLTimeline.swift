#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// The sessions drawn as inline SVG: one lane per support account, one bar per session (blue
/// read-only, orange with changes, grey without a login in the period), a red mark per failed
/// login, and a time axis over the whole period.
struct HTMLTimeline {
    let report: AccessReport

    static let width = 1000.0
    static let labelWidth = 230.0
    static let laneHeight = 26.0
    static let top = 14.0
    static let axisHeight = 40.0
    static let legendHeight = 26.0

    /// Room on the right for the last tick label.
    private var plotWidth: Double { Self.width - Self.labelWidth - 44 }

    /// Accounts in order of first appearance (sessions, then failed logins).
    private var lanes: [String] {
        var seen: Set<String> = []
        let accounts = report.allSessions.map(\.account) + report.failedLogins.map { $0.account.isEmpty ? "(unknown account)" : $0.account }
        return accounts.filter { seen.insert($0.lowercased()).inserted }
    }

    private func x(_ date: Date) -> Double {
        let span = max(report.period.end.timeIntervalSince(report.period.start), 1)
        let fraction = min(max(date.timeIntervalSince(report.period.start) / span, 0), 1)
        return Self.labelWidth + fraction * plotWidth
    }

    func svg() -> String {
        let lanes = self.lanes
        let laneIndex = Dictionary(lanes.enumerated().map { ($1.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let plotBottom = Self.top + Double(lanes.count) * Self.laneHeight
        let height = plotBottom + Self.axisHeight + Self.legendHeight
        var out = "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(Self.width)) \(n(height))\" width=\"\(n(Self.width))\" height=\"\(n(height))\" role=\"img\" aria-label=\"Timeline of support sessions\">\n"
        for (index, account) in lanes.enumerated() {
            let y = Self.top + Double(index) * Self.laneHeight
            if index % 2 == 0 {
                out += "<rect class=\"lane\" x=\"\(n(Self.labelWidth))\" y=\"\(n(y))\" width=\"\(n(plotWidth))\" height=\"\(n(Self.laneHeight))\"/>\n"
            }
            out += "<text x=\"\(n(Self.labelWidth - 8))\" y=\"\(n(y + Self.laneHeight / 2 + 4))\" text-anchor=\"end\">\(HTMLReportRenderer.escape(Self.shorten(account)))</text>\n"
        }
        for tick in ticks() {
            let tx = x(tick.date)
            out += "<line class=\"grid\" x1=\"\(n(tx))\" y1=\"\(n(Self.top))\" x2=\"\(n(tx))\" y2=\"\(n(plotBottom))\"/>\n"
            out += "<line class=\"axis\" x1=\"\(n(tx))\" y1=\"\(n(plotBottom))\" x2=\"\(n(tx))\" y2=\"\(n(plotBottom + 5))\"/>\n"
            out += "<text x=\"\(n(tx))\" y=\"\(n(plotBottom + 18))\" text-anchor=\"middle\">\(HTMLReportRenderer.escape(tick.label))</text>\n"
        }
        out += "<line class=\"axis\" x1=\"\(n(Self.labelWidth))\" y1=\"\(n(plotBottom))\" x2=\"\(n(Self.labelWidth + plotWidth))\" y2=\"\(n(plotBottom))\"/>\n"
        for session in report.allSessions {
            let lane = laneIndex[session.account.lowercased()] ?? 0
            let y = Self.top + Double(lane) * Self.laneHeight + 4
            let start = x(session.start)
            let width = max(x(session.end) - start, 4)
            var classes = "session"
            if session.hasChanges { classes += " changes" }
            if !session.beganWithLogin { classes += " nologin" }
            let tooltip = "\(session.account): \(ReportText.time(session.start)) to \(ReportText.time(session.end)) UTC, \(session.events) events, \(session.changes) changes"
            out += "<rect class=\"\(classes)\" x=\"\(n(start))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(Self.laneHeight - 8))\" rx=\"2\"><title>\(HTMLReportRenderer.escape(tooltip))</title></rect>\n"
        }
        for failure in report.failedLogins {
            let account = failure.account.isEmpty ? "(unknown account)" : failure.account
            let lane = laneIndex[account.lowercased()] ?? 0
            let cx = x(failure.time)
            let cy = Self.top + Double(lane) * Self.laneHeight + Self.laneHeight / 2
            let points = "\(n(cx)),\(n(cy - 7)) \(n(cx + 6)),\(n(cy + 6)) \(n(cx - 6)),\(n(cy + 6))"
            let tooltip = "failed support login: \(account) at \(ReportText.time(failure.time)) UTC"
            out += "<polygon class=\"failed\" points=\"\(points)\"><title>\(HTMLReportRenderer.escape(tooltip))</title></polygon>\n"
        }
        out += legend(y: plotBottom + Self.axisHeight)
        return out + "</svg>\n"
    }

    private func legend(y: Double) -> String {
        var out = ""
        var cursor = Self.labelWidth
        let entries = [("session", "read-only session"), ("session changes", "session with changes"), ("session nologin", "no login in the period")]
        for (classes, label) in entries {
            out += "<rect class=\"legend \(classes)\" x=\"\(n(cursor))\" y=\"\(n(y))\" width=\"14\" height=\"12\"/>"
            out += "<text x=\"\(n(cursor + 20))\" y=\"\(n(y + 11))\">\(label)</text>\n"
            cursor += 180
        }
        out += "<polygon class=\"legend failed\" points=\"\(n(cursor + 7)),\(n(y)) \(n(cursor + 13)),\(n(y + 12)) \(n(cursor + 1)),\(n(y + 12))\"/>"
        out += "<text x=\"\(n(cursor + 20))\" y=\"\(n(y + 11))\">failed support login</text>\n"
        return out
    }

    struct Tick {
        let date: Date
        let label: String
    }

    /// At most about eight ticks on whole UTC hours or days.
    func ticks() -> [Tick] {
        let span = report.period.end.timeIntervalSince(report.period.start)
        let hour = 3600.0
        let day = 86_400.0
        let steps = [hour, 2 * hour, 3 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day, 14 * day, 30 * day, 91 * day, 365 * day]
        let step = steps.first { span / $0 <= 8 } ?? 365 * day
        let start = report.period.start.timeIntervalSince1970
        var value = (start / step).rounded(.up) * step
        var ticks: [Tick] = []
        while value <= report.period.end.timeIntervalSince1970 {
            let date = Date(timeIntervalSince1970: value)
            ticks.append(Tick(date: date, label: step < day ? Self.hourLabel(date) : Self.dayLabel(date)))
            value += step
        }
        return ticks
    }

    static func shorten(_ account: String) -> String {
        account.count <= 32 ? account : String(account.prefix(31)) + "…"
    }

    /// `May 2 09:00` (UTC, English month names, whatever the machine's locale).
    static func hourLabel(_ date: Date) -> String {
        let fields = UTCCalendar.gregorian.dateComponents([.month, .day, .hour, .minute], from: date)
        let month = UTCCalendar.monthAbbreviations[(fields.month ?? 1) - 1]
        return "\(month) \(fields.day ?? 1) " + CFormat.string("%02d:%02d", fields.hour ?? 0, fields.minute ?? 0)
    }

    /// `2024-05-02` (UTC).
    static func dayLabel(_ date: Date) -> String {
        String(ReportTime.format(date).prefix(10))
    }

    private func n(_ value: Double) -> String {
        CFormat.string("%.1f", value)
    }
}
