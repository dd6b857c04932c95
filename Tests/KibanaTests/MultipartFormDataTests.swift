import FakeKibana
import Foundation
import ShipperCore
import ShipperKibana
import Testing

/// The multipart body against Python's `email` parser (an implementation we did not write) and
/// against the fake Kibana's strict reader.
@Suite struct MultipartFormDataTests {
    static let contents = Array("{\"a\":1}\n{\"b\":\"--not-a-boundary\"}\n".utf8)

    @Test func pythonsMIMEParserReadsTheFieldFileNameAndExactBytes() throws {
        let form = MultipartFormData(field: "file", fileName: "rules.ndjson", contents: Self.contents, boundaryToken: "fixed")
        let directory = NSTemporaryDirectory() + "multipart-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let message = Array("Content-Type: \(form.contentType)\r\nMIME-Version: 1.0\r\n\r\n".utf8) + form.body
        try Data(message).write(to: URL(fileURLWithPath: directory + "/message"))
        let script = """
            import email, email.policy, sys, json
            message = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.HTTP)
            assert message.is_multipart(), 'not multipart'
            defects = [str(d) for d in message.defects]
            parts = [{'name': p.get_param('name', header='content-disposition'), 'filename': p.get_filename(),
                      'type': p.get_content_type(), 'body': p.get_payload(decode=True).decode('utf-8'),
                      'defects': [str(d) for d in p.defects]} for p in message.iter_parts()]
            print(json.dumps({'defects': defects, 'parts': parts}))
            """
        try script.write(toFile: directory + "/check.py", atomically: true, encoding: .utf8)
        let result = try RuleFixtures.run("python3", [directory + "/check.py", directory + "/message"])
        #expect(result.status == 0, "\(result.output)")
        let answer = try JSONValue.parse(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(answer["defects"] == .array([]))
        let parts = try #require(answer["parts"]?.arrayValue)
        #expect(parts.count == 1)
        #expect(parts.first?["name"]?.stringValue == "file")
        #expect(parts.first?["filename"]?.stringValue == "rules.ndjson")
        #expect(parts.first?["type"]?.stringValue == "application/ndjson")
        #expect(parts.first?["body"]?.stringValue == String(decoding: Self.contents, as: UTF8.self))
        #expect(parts.first?["defects"] == .array([]))
    }

    @Test func theBoundaryChangesWhenTheContentsContainIt() {
        let tricky = Array("line\r\n--mimecast-shipper-fixed\r\nmore".utf8)
        let form = MultipartFormData(field: "file", fileName: "x.ndjson", contents: tricky, boundaryToken: "fixed")
        #expect(form.contentType != "multipart/form-data; boundary=mimecast-shipper-fixed")
        guard case .success(let parts) = FakeKibana.multipartParts(contentType: form.contentType, body: form.body) else {
            Issue.record("the fake could not read the body")
            return
        }
        #expect(parts.count == 1 && parts[0].body == tricky)
    }

    @Test func theFakeRefusesATruncatedBody() {
        let form = MultipartFormData(field: "file", fileName: "x.ndjson", contents: Self.contents, boundaryToken: "fixed")
        if case .success = FakeKibana.multipartParts(contentType: form.contentType, body: Array(form.body.dropLast(8))) {
            Issue.record("a body without its closing delimiter was accepted")
        }
        if case .success = FakeKibana.multipartParts(contentType: "application/json", body: form.body) {
            Issue.record("a body without a multipart content type was accepted")
        }
    }
}
