import ShipperCore
@testable import ShipperECS
import Testing

/// Every eventInfo family of the reference plus our own cases, field by field.
@Suite struct GoldenEventTests {
    typealias S = ECSTestSupport

    @Test func thereAreAtLeastTwentyFiveGoldenEvents() {
        #expect(GoldenEvents.all.count >= 25)
        #expect(Set(GoldenEvents.all.map(\.name)).count == GoldenEvents.all.count)
    }

    @Test(arguments: GoldenEvents.all)
    func mapsAsExpected(_ golden: GoldenCase) {
        let (mapped, document) = S.map(golden.event)
        #expect(!mapped.isPipelineError)
        #expect(S.string(document, "event.kind") == "event")
        #expect(S.string(document, "event.action") == golden.action)
        #expect(S.string(document, "source.ip") == golden.sourceIP)
        #expect(S.string(document, "source.address") == golden.sourceIP)
        #expect(S.strings(document, "related.ip") == golden.relatedIP ?? golden.sourceIP.map { [$0] })
        #expect(S.scalarMembers(document, "user") == golden.actor)
        #expect(S.scalarMembers(document, "user.target") == golden.target)
        #expect(S.strings(document, "event.category") == golden.categories)
        #expect(S.strings(document, "event.type") == golden.types)
        #expect(S.string(document, "event.outcome") == golden.outcome)
        #expect(S.string(document, "event.reason") == golden.reason)
        #expect(S.string(document, "message") == golden.eventInfo)
        #expect(S.string(document, "event.id") == "golden-\(golden.name)")
        if let timestamp = golden.timestamp { #expect(S.string(document, "@timestamp") == timestamp) }
        for (field, expected) in golden.mimecast {
            #expect(S.string(document, "mimecast.\(field)") == expected, "mimecast.\(field)")
        }
        #expect(S.string(document, "mimecast.category") == golden.category)
        #expect(S.string(document, "mimecast.audit_type") == golden.auditType)
    }

    @Test(arguments: GoldenEvents.all)
    func relatedUserListsEveryIdentityOnce(_ golden: GoldenCase) {
        let (_, document) = S.map(golden.event)
        let related = S.strings(document, "related.user") ?? []
        #expect(!related.contains(""))
        #expect(Set(related.map { $0.lowercased() }).count == related.count)
        for identity in [golden.actor["email"] ?? golden.actor["name"], golden.target["email"]].compactMap({ $0 }) {
            #expect(related.contains(identity), "\(identity) missing from related.user")
        }
        if golden.actor.isEmpty && golden.target.isEmpty { #expect(S.value(document, "user") == nil) }
    }

    @Test func messageActionMapsEmailFields() {
        let golden = GoldenEvents.all.first { $0.name == "message-action" }!
        let (_, document) = S.map(golden.event)
        #expect(S.strings(document, "email.from.address") == ["billing@example.net"])
        #expect(S.strings(document, "email.to.address") == ["chen.wei@example.org"])
        #expect(S.string(document, "email.subject") == "Invoice 4411")
        #expect(S.strings(document, "related.user") == ["ana.lopez@example.org", "billing@example.net", "chen.wei@example.org"])
    }

    @Test func supportLoginOfTheSeedIsFullyMapped() {
        let golden = GoldenEvents.all.first { $0.name == "support-login" }!
        let (mapped, document) = S.map(golden.event)
        #expect(S.string(document, "ecs.version") == ECSVersion.current)
        #expect(S.string(document, "event.module") == "mimecast")
        #expect(S.string(document, "event.dataset") == "mimecast.audit")
        #expect(S.string(document, "data_stream.type") == "logs")
        #expect(S.string(document, "data_stream.dataset") == "mimecast.audit")
        #expect(S.string(document, "data_stream.namespace") == "default")
        #expect(S.string(document, "event.created") == "2024-05-03T01:33:20.000Z")
        #expect(S.string(document, "event.original") == String(decoding: golden.event.bytes, as: UTF8.self))
        // Computed outside the product: base64url(SHA-256("golden-support-login")) without padding, by
        // python3 -c 'import hashlib,base64;print(base64.urlsafe_b64encode(hashlib.sha256(b"golden-support-login").digest()).rstrip(b"=").decode())'
        #expect(mapped.id == "exWZkfeTiU-nmEVzyRYieTRT0-kvE2gvyKxNueeT7Lc")
        // The same event under another Mimecast id gets another _id: the id alone decides it.
        let renamed = ECSTestSupport.event(id: "golden-support-login-2", auditType: "Mimecast Support Login",
                                           user: "support.agent@mimecast.example", eventTime: "2024-05-02T09:14:07+0000",
                                           eventInfo: "", category: "mimecast_access_logs")
        #expect(S.map(renamed).0.id == "ykV4QLcMVXiYnj9iJONOLYoAdI4qP3oUKCB6nqf1wpU")
    }
}
