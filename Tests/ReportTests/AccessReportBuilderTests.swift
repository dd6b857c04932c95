import Foundation
import ShipperCore
@testable import ShipperReport
import Testing

/// The session rules on hand-made timelines.
@Suite struct AccessReportBuilderTests {
    typealias F = Fixture

    @Test func aGapLongerThanTheSessionGapSplitsTheSession() {
        let account = "support.agent@mimecast.example"
        let report = F.build([
            F.login(account, F.at(9, 0)),
            F.supportAction(account, F.at(9, 30)),
            F.supportAction(account, F.at(10, 30)), // exactly the gap: same session
            F.supportAction(account, F.at(11, 30, 1)), // one second more: a new session, without a login
            F.login(account, F.at(15, 0)),
        ])
        #expect(report.sessions.count == 2)
        #expect(report.sessions.map(\.start) == [F.at(9, 0), F.at(15, 0)])
        #expect(report.sessions[0].end == F.at(10, 30))
        #expect(report.sessions[0].events == 3)
        #expect(report.sessionsWithoutLogin.count == 1)
        #expect(report.sessionsWithoutLogin[0].start == F.at(11, 30, 1))
        #expect(report.totals.supportAccounts == 1)
    }

    @Test func aShorterGapSplitsMore() {
        let account = "support.agent@mimecast.example"
        let events = [F.login(account, F.at(9, 0)), F.supportAction(account, F.at(9, 20))]
        #expect(F.build(events, gap: 1800).sessions.count == 1)
        let split = F.build(events, gap: 600)
        #expect(split.sessions.count == 1)
        #expect(split.sessionsWithoutLogin.count == 1)
    }

    @Test func overlappingAccountsKeepTheirOwnSessions() {
        let report = F.build([
            F.login("a@mimecast.example", F.at(9, 0)),
            F.login("b@mimecast.example", F.at(9, 5), ip: "203.0.113.44"),
            F.supportAction("a@mimecast.example", F.at(9, 10)),
            F.supportAction("b@mimecast.example", F.at(9, 50), ip: "203.0.113.44"),
            F.supportAction("A@Mimecast.Example", F.at(9, 55)), // same account, other case
        ])
        #expect(report.sessions.count == 2)
        let a = report.sessions.first { $0.account == "a@mimecast.example" }
        let b = report.sessions.first { $0.account == "b@mimecast.example" }
        #expect(a?.events == 3)
        #expect(a?.end == F.at(9, 55))
        #expect(b?.events == 2)
        #expect(b?.sourceIPs == ["203.0.113.44"])
        #expect(report.totals.sourceIPs == 2)
        #expect(report.totals.supportAccounts == 2)
    }

    @Test func aSessionCrossingThePeriodStartIsListedAsActionsWithoutLogin() {
        let period = TimeWindow(start: F.at(10, 0), end: F.at(18, 0))
        let account = "support.agent@mimecast.example"
        let report = F.build([
            F.login(account, F.at(9, 40)), // before the period: not read
            F.supportAction(account, F.at(10, 5)),
            F.action(account, F.at(10, 20), auditType: "Role Assigned", targets: ["chen.wei@example.org"]),
        ], period: period)
        #expect(report.sessions.isEmpty)
        #expect(report.sessionsWithoutLogin.count == 1)
        let session = report.sessionsWithoutLogin[0]
        #expect(session.beganWithLogin == false)
        #expect(session.start == F.at(10, 5))
        #expect(session.events == 2)
        #expect(session.targets == ["chen.wei@example.org"])
        #expect(!report.isEmpty)
    }

    @Test func eventsOutsideThePeriodAreIgnored() {
        let period = TimeWindow(start: F.at(10, 0), end: F.at(11, 0))
        let report = F.build([
            F.login("a@mimecast.example", F.at(9, 59, 59)),
            F.login("b@mimecast.example", F.at(11, 0)), // the end is exclusive
            F.failedLogin("c@mimecast.example", F.at(8, 0)),
        ], period: period)
        #expect(report.isEmpty)
    }

    @Test func failedLoginsAreListedAndStartNoSession() {
        let report = F.build([
            F.failedLogin("mallory@mimecast.example", F.at(7, 0)),
            F.failedLogin("mallory@mimecast.example", F.at(7, 1)),
            F.login("support.agent@mimecast.example", F.at(9, 0)),
        ])
        #expect(report.failedLogins.count == 2)
        #expect(report.failedLogins.map(\.account) == ["mallory@mimecast.example", "mallory@mimecast.example"])
        #expect(report.failedLogins[0].reason == "Wrong Password")
        #expect(report.sessions.count == 1)
        #expect(report.totals.failedLogins == 2)
        #expect(report.totals.supportAccounts == 1)
    }

    @Test func ordinaryUsersNeverFormSessions() {
        let report = F.build([
            F.action("ana.lopez@example.org", F.at(9, 0), auditType: "Role Assigned", targets: ["chen.wei@example.org"]),
            ReportEvent(timestamp: F.at(9, 1), account: "ana.lopez@example.org", action: "logon-authentication",
                        category: "authentication_logs", outcome: "success"),
            ReportEvent(timestamp: F.at(9, 2), account: "ana.lopez@example.org", action: "logon-authentication-failed",
                        category: "authentication_logs", outcome: "failure"),
        ])
        #expect(report.isEmpty)
        #expect(report.totals.sessions == 0)
    }

    @Test func aSupportAccountsEventsInOtherCategoriesJoinItsSession() {
        let account = "support.agent@mimecast.example"
        let report = F.build([
            F.login(account, F.at(9, 0)),
            F.action(account, F.at(9, 10), auditType: "Policy Changed", category: "policy_logs", eventCategory: "configuration"),
            F.action(account, F.at(9, 20), auditType: "Role Assigned", targets: ["chen.wei@example.org", account]),
            F.action("ana.lopez@example.org", F.at(9, 21), auditType: "Role Assigned"),
        ])
        #expect(report.sessions.count == 1)
        let session = report.sessions[0]
        #expect(session.events == 3)
        #expect(session.changes == 2)
        // The account itself is not its own target.
        #expect(session.targets == ["chen.wei@example.org"])
        #expect(session.actions == [
            ActionCount(auditType: "Mimecast Support Login", count: 1),
            ActionCount(auditType: "Policy Changed", count: 1),
            ActionCount(auditType: "Role Assigned", count: 1),
        ])
    }

    @Test func changesAndReadOnlySessionsAreCounted() {
        let report = F.build([
            F.login("reader@mimecast.example", F.at(9, 0)),
            F.action("reader@mimecast.example", F.at(9, 5), auditType: "Search Executed", category: "archive_service_logs",
                     types: ["access"], eventCategory: "web"),
            F.action("reader@mimecast.example", F.at(9, 6), auditType: "Export Data", category: "reporting_logs",
                     types: ["creation"], eventCategory: "file"),
            F.login("writer@mimecast.example", F.at(9, 0)),
            F.supportAction("writer@mimecast.example", F.at(9, 1)),
        ])
        #expect(report.totals.sessionsWithChanges == 1)
        #expect(report.totals.readOnlySessions == 1)
        #expect(report.sessions.first { $0.account == "reader@mimecast.example" }?.hasChanges == false)
    }

    @Test func ipv6AddressesAreKeptAndNewAddressesFoundAgainstHistory() {
        let account = "support.agent@mimecast.example"
        let report = F.build([
            F.login(account, F.at(9, 0), ip: "2001:db8::7"),
            F.supportAction(account, F.at(9, 1), ip: "2001:db8:85a3::8a2e:370:7334"),
            F.supportAction(account, F.at(9, 2), ip: "2001:db8::7"),
        ], seen: ["2001:db8::7"])
        #expect(report.sessions[0].sourceIPs == ["2001:db8::7", "2001:db8:85a3::8a2e:370:7334"])
        #expect(report.newSourceIPs == ["2001:db8:85a3::8a2e:370:7334"])
        #expect(report.totals.newSourceIPs == 1)
        #expect(F.build([F.login(account, F.at(9, 0))]).newSourceIPs == nil)
    }

    @Test func unsortedInputGivesTheSameReportAsSorted() {
        let events = Fixture.richEvents
        var sorted = AccessReportBuilder(period: F.wholeDay, sessionGap: 3600)
        for event in events.sorted(by: { $0.timestamp < $1.timestamp }) { sorted.add(event) }
        var shuffled = AccessReportBuilder(period: F.wholeDay, sessionGap: 3600)
        shuffled.add(contentsOf: events.reversed())
        #expect(sorted.finish(sourceDescription: "x") == shuffled.finish(sourceDescription: "x"))
    }
}

extension Fixture {
    static var richEvents: [ReportEvent] {
        [
            login("a@mimecast.example", at(9, 0)), supportAction("a@mimecast.example", at(9, 30)),
            login("b@mimecast.example", at(9, 10), ip: "2001:db8::1"), failedLogin("c@mimecast.example", at(11, 0)),
            supportAction("a@mimecast.example", at(13, 0)),
        ]
    }
}
