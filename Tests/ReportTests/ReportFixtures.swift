import Foundation
import ShipperCore
@testable import ShipperReport

/// Hand-made timelines for the builder and renderer tests. Times are minutes on 2024-05-02 UTC.
enum Fixture {
    static let day = Date(timeIntervalSince1970: 1_714_608_000) // 2024-05-02T00:00:00Z

    static func at(_ hour: Int, _ minute: Int, _ second: Int = 0) -> Date {
        day.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60 + second))
    }

    static let wholeDay = TimeWindow(start: day, end: day.addingTimeInterval(86_400))

    static func login(_ account: String, _ time: Date, ip: String = "203.0.113.9", application: String = "Administration Console") -> ReportEvent {
        ReportEvent(
            timestamp: time, account: account, action: "mimecast-support-login", auditType: "Mimecast Support Login",
            category: "mimecast_access_logs", outcome: "success", eventCategories: ["authentication"], eventTypes: ["start"],
            source: SourceAddress(ip: ip), application: application
        )
    }

    static func failedLogin(_ account: String, _ time: Date, ip: String = "198.51.100.99") -> ReportEvent {
        ReportEvent(
            timestamp: time, account: account, action: "mimecast-support-login-failed", auditType: "Mimecast Support Login Failed",
            category: "mimecast_access_logs", outcome: "failure", eventCategories: ["authentication"], eventTypes: ["start"],
            source: SourceAddress(ip: ip), application: "Administration Console", reason: "Wrong Password"
        )
    }

    static func supportAction(_ account: String, _ time: Date, ip: String = "203.0.113.9") -> ReportEvent {
        ReportEvent(
            timestamp: time, account: account, action: "mimecast-support-action", auditType: "Mimecast Support Action",
            category: "mimecast_access_logs", eventCategories: ["configuration"], eventTypes: ["change"],
            source: SourceAddress(ip: ip), application: "Administration Console"
        )
    }

    /// An action in another category: a change (role, policy) or a read (search, view).
    static func action(
        _ account: String, _ time: Date, auditType: String, category: String = "account_logs",
        types: [String] = ["change"], eventCategory: String = "iam", targets: [String] = [], ip: String? = "203.0.113.9"
    ) -> ReportEvent {
        ReportEvent(
            timestamp: time, account: account, action: auditType.lowercased().replacingOccurrences(of: " ", with: "-"),
            auditType: auditType, category: category, eventCategories: [eventCategory], eventTypes: types,
            source: ip.map { SourceAddress(ip: $0) }, application: "Administration Console", targets: targets
        )
    }

    static func build(_ events: [ReportEvent], period: TimeWindow = wholeDay, gap: TimeInterval = 3600, seen: Set<String>? = nil) -> AccessReport {
        var builder = AccessReportBuilder(period: period, sessionGap: gap)
        builder.add(contentsOf: events)
        return builder.finish(sourceDescription: "hand-made timeline", previouslySeenIPs: seen)
    }

    /// A report with every feature: two accounts overlapping, a session with changes and
    /// targets, one without a login, a failed login, IPv6, geo, and text that needs escaping.
    static var rich: AccessReport {
        var geoLogin = login("support.agent@mimecast.example", at(9, 0))
        geoLogin.source = SourceAddress(ip: "203.0.113.9", country: "GB", autonomousSystem: "AS64500 Example Networks")
        return build([
            supportAction("night.shift@mimecast.example", at(0, 10), ip: "2001:db8::5"),
            geoLogin,
            action("support.agent@mimecast.example", at(9, 20), auditType: "Role Assigned", targets: ["chen.wei@example.org"]),
            login("support.two@mimecast.example", at(9, 30), ip: "2001:db8:85a3::8a2e:370:7334", application: "Admin, \"Console\" <b>"),
            action("support.two@mimecast.example", at(9, 45), auditType: "Search Executed", category: "archive_service_logs",
                   types: ["access"], eventCategory: "web", ip: "2001:db8:85a3::8a2e:370:7334"),
            action("support.agent@mimecast.example", at(9, 50), auditType: "Policy Changed", category: "policy_logs",
                   eventCategory: "configuration", targets: []),
            failedLogin("mallory@mimecast.example", at(12, 0)),
        ], seen: ["203.0.113.9"])
    }
}
