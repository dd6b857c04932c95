import ShipperCore

/// The report as JSON: the stable shape other tools read (documented in the README). Times are
/// RFC 3339 UTC; members are added over time, never renamed or removed.
enum JSONReportRenderer {
    static func render(_ report: AccessReport) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("period")
        writer.beginObject()
        writer.member("start", ReportTime.format(report.period.start))
        writer.member("end", ReportTime.format(report.period.end))
        writer.endObject()
        writer.key("session_gap_seconds")
        writer.number(Int(report.sessionGap))
        writer.member("source", report.sourceDescription)
        writer.key("sessions")
        writeSessions(report.sessions, to: &writer)
        writer.key("sessions_without_login")
        writeSessions(report.sessionsWithoutLogin, to: &writer)
        writer.key("failed_logins")
        writer.beginArray()
        for failure in report.failedLogins {
            writer.beginObject()
            writer.member("time", ReportTime.format(failure.time))
            writer.member("account", failure.account)
            optional("source_ip", failure.source?.ip, to: &writer)
            optional("country", failure.source?.country, to: &writer)
            optional("as", failure.source?.autonomousSystem, to: &writer)
            optional("application", failure.application, to: &writer)
            optional("reason", failure.reason, to: &writer)
            writer.endObject()
        }
        writer.endArray()
        writer.key("new_source_ips")
        if let ips = report.newSourceIPs {
            strings(ips, to: &writer)
        } else {
            writer.null()
        }
        writer.key("totals")
        let totals = report.totals
        writer.beginObject()
        integer("sessions", totals.sessions, to: &writer)
        integer("sessions_without_login", totals.sessionsWithoutLogin, to: &writer)
        integer("support_accounts", totals.supportAccounts, to: &writer)
        integer("source_ips", totals.sourceIPs, to: &writer)
        writer.key("new_source_ips")
        if let count = totals.newSourceIPs { writer.number(count) } else { writer.null() }
        integer("sessions_with_changes", totals.sessionsWithChanges, to: &writer)
        integer("read_only_sessions", totals.readOnlySessions, to: &writer)
        integer("failed_logins", totals.failedLogins, to: &writer)
        integer("events", totals.events, to: &writer)
        writer.endObject()
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    private static func writeSessions(_ sessions: [AccessSession], to writer: inout JSONWriter) {
        writer.beginArray()
        for session in sessions {
            writer.beginObject()
            writer.member("account", session.account)
            writer.member("start", ReportTime.format(session.start))
            writer.member("end", ReportTime.format(session.end))
            writer.key("login")
            writer.bool(session.beganWithLogin)
            writer.key("source_ips")
            strings(session.sourceIPs, to: &writer)
            writer.key("sources")
            writer.beginArray()
            for source in session.sources {
                writer.beginObject()
                writer.member("ip", source.ip)
                optional("country", source.country, to: &writer)
                optional("as", source.autonomousSystem, to: &writer)
                writer.endObject()
            }
            writer.endArray()
            writer.key("applications")
            strings(session.applications, to: &writer)
            integer("events", session.events, to: &writer)
            integer("changes", session.changes, to: &writer)
            writer.key("actions")
            writer.beginArray()
            for action in session.actions {
                writer.beginObject()
                writer.member("audit_type", action.auditType)
                integer("count", action.count, to: &writer)
                writer.endObject()
            }
            writer.endArray()
            writer.key("targets")
            strings(session.targets, to: &writer)
            writer.endObject()
        }
        writer.endArray()
    }

    private static func strings(_ values: [String], to writer: inout JSONWriter) {
        writer.beginArray()
        for value in values { writer.string(value) }
        writer.endArray()
    }

    private static func integer(_ name: String, _ value: Int, to writer: inout JSONWriter) {
        writer.key(name)
        writer.number(value)
    }

    /// `null` when absent, so every member is always present and consumers need no existence checks.
    private static func optional(_ name: String, _ value: String?, to writer: inout JSONWriter) {
        writer.key(name)
        if let value { writer.string(value) } else { writer.null() }
    }
}
