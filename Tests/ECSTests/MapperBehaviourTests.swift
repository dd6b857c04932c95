import Foundation
import ShipperCore
@testable import ShipperECS
import Testing

/// Options, ids and the pipeline-error path.
@Suite struct MapperBehaviourTests {
    typealias S = ECSTestSupport

    @Test func originalCanBeSwitchedOffAndNamespaceSet() {
        let event = S.event(eventInfo: "User logged on, IP: 192.0.2.1")
        let (_, document) = S.map(event, options: .init(namespace: "tenant_a", includeOriginal: false))
        #expect(S.value(document, "event.original") == nil)
        #expect(S.string(document, "data_stream.namespace") == "tenant_a")
    }

    @Test func originalIsTheExactRawText() {
        let raw = RawAuditEvent(#"{ "id" : "x1", "eventTime":"2024-05-02T09:14:07+0000", "eventInfo":"caf\u00e9 ☕", "user":"", "auditType":"Logon Authentication" }"#)
        let (_, document) = S.map(raw)
        #expect(S.string(document, "event.original") == String(decoding: raw.bytes, as: UTF8.self))
        #expect(S.string(document, "message") == "café ☕")
    }

    @Test func idIsStableBase64URLOfSHA256OfMimecastID() {
        let first = ECSMapper().map(S.event(id: "eNqAbC", eventInfo: "a"), readAt: S.readAt)
        let again = ECSMapper().map(S.event(id: "eNqAbC", eventInfo: "different text"), readAt: Date())
        let other = ECSMapper().map(S.event(id: "eNqAbD", eventInfo: "a"), readAt: S.readAt)
        #expect(first.id == again.id)
        #expect(first.id != other.id)
        #expect(first.id.count == 43)
        #expect(first.id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        // SHA-256("abc") is the FIPS 180-2 test vector ba7816bf…f20015ad.
        #expect(DocumentID.forMimecastID("abc") == "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0")
    }

    @Test func idWithoutMimecastIDComesFromCanonicalContent() {
        let a = RawAuditEvent(#"{"eventTime":"2024-05-02T09:14:07+0000","auditType":"Logon Authentication","eventInfo":"x"}"#)
        let b = RawAuditEvent(#"{ "eventInfo": "x", "auditType": "Logon Authentication", "eventTime": "2024-05-02T09:14:07+0000" }"#)
        let c = RawAuditEvent(#"{"eventTime":"2024-05-02T09:14:07+0000","auditType":"Logon Authentication","eventInfo":"y"}"#)
        let mapper = ECSMapper()
        #expect(mapper.map(a, readAt: S.readAt).id == mapper.map(b, readAt: S.readAt).id)
        #expect(mapper.map(a, readAt: S.readAt).id != mapper.map(c, readAt: S.readAt).id)
        let (_, document) = S.map(a)
        #expect(S.value(document, "event.id") == nil)
    }

    static let unmappable: [(String, String)] = [
        ("not JSON", "eventTime: yesterday"),
        ("empty", ""),
        ("array", #"[{"eventTime":"2024-05-02T09:14:07+0000"}]"#),
        ("string", #""hello""#),
        ("no eventTime", #"{"id":"e1","auditType":"Logon Authentication","eventInfo":"IP: 192.0.2.1"}"#),
        ("eventTime null", #"{"id":"e2","eventTime":null}"#),
        ("eventTime garbage", #"{"id":"e3","eventTime":"02/05/2024 09:14"}"#),
        ("eventTime without zone", #"{"id":"e4","eventTime":"2024-05-02T09:14:07"}"#),
        ("eventTime impossible date", #"{"id":"e5","eventTime":"2024-02-30T09:14:07+0000"}"#),
        ("truncated", #"{"id":"e6","eventTime":"2024-05-02T09:1"#),
    ]

    @Test(arguments: unmappable.map(\.1))
    func unmappableEventsBecomePipelineErrors(_ text: String) {
        let raw = RawAuditEvent(text)
        let (mapped, document) = S.map(raw)
        #expect(mapped.isPipelineError)
        #expect(S.string(document, "event.kind") == "pipeline_error")
        #expect(S.string(document, "@timestamp") == "2024-05-03T01:33:20.000Z")
        #expect(S.value(document, "event.original")?.stringValue == (text.isEmpty ? nil : text))
        #expect(!(S.string(document, "error.message") ?? "").isEmpty)
        #expect(S.value(document, "source") == nil)
        #expect(ECSDefinitions.shared.violations(in: document) == [])
        #expect(mapped.id == ECSMapper().map(raw, readAt: Date()).id, "pipeline-error ids are deterministic too")
    }

    @Test func pipelineErrorKeepsOriginalEvenWhenSwitchedOffAndNamesTheProblem() {
        let raw = RawAuditEvent(#"{"id":"e3","auditType":"SSO Logon","eventTime":"yesterday"}"#)
        let (mapped, document) = S.map(raw, options: .init(includeOriginal: false))
        #expect(mapped.isPipelineError)
        #expect(S.string(document, "event.original") == String(decoding: raw.bytes, as: UTF8.self))
        #expect(S.string(document, "event.id") == "e3")
        #expect(S.string(document, "event.action") == "sso-logon")
        #expect(S.string(document, "error.message")?.contains("eventTime \"yesterday\"") == true)
        #expect(mapped.id == DocumentID.forMimecastID("e3"))
    }

    @Test func outputIsOneLineAndDeterministic() {
        let event = S.event(eventInfo: "Line one\nline two, IP: 192.0.2.1")
        let first = ECSMapper().map(event, readAt: S.readAt)
        let second = ECSMapper().map(event, readAt: S.readAt)
        #expect(first == second)
        #expect(!first.source.contains(0x0A))
    }

    @Test func emptyUserGivesNoUserFields() {
        let (_, document) = S.map(S.event(user: "   ", eventInfo: "Something happened by someone, IP: 192.0.2.1"))
        #expect(S.value(document, "user") == nil)
    }
}
