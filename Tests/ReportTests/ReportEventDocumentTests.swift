import Foundation
import ShipperCore
@testable import ShipperReport
import Testing

/// Reading ECS documents as every source delivers them.
@Suite struct ReportEventDocumentTests {
    @Test func readsANestedDocumentWithGeoAndAS() throws {
        let document = try JSONValue.parse("""
            {"@timestamp":"2024-05-02T09:14:07Z","event":{"action":"mimecast-support-login","outcome":"success",
             "category":["authentication"],"type":["start"]},
             "user":{"email":"support.agent@mimecast.example","name":"support.agent","target":{"email":["a@example.org","b@example.org"]}},
             "source":{"ip":"203.0.113.9","geo":{"country_iso_code":"GB"},"as":{"number":64500,"organization":{"name":"Example Networks"}}},
             "mimecast":{"audit_type":"Mimecast Support Login","category":"mimecast_access_logs","application":"Administration Console"}}
            """)
        let event = try #require(ReportEvent(document: document))
        #expect(event.timestamp == Fixture.at(9, 14, 7))
        #expect(event.account == "support.agent@mimecast.example")
        #expect(event.isSupportLogin)
        #expect(event.isProviderAccess)
        #expect(event.source == SourceAddress(ip: "203.0.113.9", country: "GB", autonomousSystem: "AS64500 Example Networks"))
        #expect(event.targets == ["a@example.org", "b@example.org"])
        #expect(event.application == "Administration Console")
    }

    @Test func readsDottedKeysAndFractionalTimes() throws {
        let document = try JSONValue.parse("""
            {"@timestamp":"2024-05-02T09:14:07.250Z","event.action":"mimecast-support-login-failed","event.outcome":"failure",
             "user.name":"agent","source.ip":"2001:db8::7","mimecast.category":"mimecast_access_logs"}
            """)
        let event = try #require(ReportEvent(document: document))
        #expect(event.account == "agent")
        #expect(event.isFailedSupportLogin)
        #expect(!event.isSupportLogin)
        #expect(event.source?.ip == "2001:db8::7")
        #expect(abs(event.timestamp.timeIntervalSince(Fixture.at(9, 14, 7)) - 0.25) < 0.001)
    }

    @Test func skipsDocumentsAReviewCannotUse() throws {
        for text in [
            #"{"event":{"action":"x"}}"#,
            #"{"@timestamp":"yesterday","event":{"action":"x"}}"#,
            #"{"@timestamp":"2024-05-02T09:14:07Z"}"#,
            #"{"@timestamp":"2024-05-02T09:14:07Z","event":{"action":"x","kind":"pipeline_error"}}"#,
        ] {
            #expect(ReportEvent(document: try JSONValue.parse(text)) == nil, "\(text)")
        }
    }
}
