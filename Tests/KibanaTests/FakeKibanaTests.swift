import FakeKibana
import Foundation
import ShipperCore
import ShipperHTTP
import ShipperKibana
import Testing

/// The fake refuses what real Kibana refuses; otherwise the installer tests would prove nothing.
@Suite struct FakeKibanaTests {
    func post(_ kibana: FakeKibana, _ path: String, form: MultipartFormData, xsrf: Bool = true) async throws -> (status: Int, body: JSONValue) {
        var headers: HTTPHeaders = ["Content-Type": form.contentType]
        if xsrf { headers.add("kbn-xsrf", "true") }
        let response = try await (try CurlHTTPClient()).send(HTTPRequest(method: .post, url: kibana.baseURL + path, headers: headers, body: form.body))
        return (response.status, try JSONValue.parse(response.body))
    }

    func rulesFile(_ rules: [JSONValue], fileName: String = "rules.ndjson") -> MultipartFormData {
        MultipartFormData(field: "file", fileName: fileName, contents: KibanaContent.ndjson(rules))
    }

    @Test func writesWithoutKbnXsrfAreRefused() async throws {
        let kibana = try await FakeKibana.start()
        defer { Task { await kibana.stop() } }
        let answer = try await post(kibana, "/api/detection_engine/rules/_import", form: rulesFile(try KibanaContent.rules().map(\.importBody)), xsrf: false)
        #expect(answer.status == 400)
        #expect(answer.body["message"]?.stringValue?.contains("kbn-xsrf") == true)
        #expect(kibana.rules().isEmpty)
    }

    @Test func aFileThatIsNotNDJSONIsRefused() async throws {
        let kibana = try await FakeKibana.start()
        defer { Task { await kibana.stop() } }
        let answer = try await post(kibana, "/api/detection_engine/rules/_import", form: rulesFile(try KibanaContent.rules().map(\.importBody), fileName: "rules.json"))
        #expect(answer.status == 400)
        #expect(answer.body["message"]?.stringValue?.contains("Invalid file extension") == true)
    }

    @Test func aRuleTheSchemaRefusesComesBackAsAnErrorInsideA200() async throws {
        let kibana = try await FakeKibana.start()
        defer { Task { await kibana.stop() } }
        var broken = try #require(try KibanaContent.rules().first?.importBody.objectValue)
        broken["severity"] = .string("urgent")
        let good = try KibanaContent.rules()[1].importBody
        let answer = try await post(kibana, "/api/detection_engine/rules/_import?overwrite=true", form: rulesFile([.object(broken), good]))
        #expect(answer.status == 200)
        #expect(answer.body["success"] == .bool(false))
        #expect(answer.body["success_count"]?.intValue == 1)
        #expect(answer.body["errors"]?.arrayValue?.first?["error"]?["message"]?.stringValue?.contains("severity") == true)
        // Without overwrite, an existing rule is a conflict.
        let again = try await post(kibana, "/api/detection_engine/rules/_import", form: rulesFile([good]))
        #expect(again.body["errors"]?.arrayValue?.first?["error"]?["status_code"]?.intValue == 409)
    }

    @Test func aSavedObjectWithAMissingReferenceIsRefused() async throws {
        let kibana = try await FakeKibana.start()
        defer { Task { await kibana.stop() } }
        let dashboard = try #require(try KibanaContent.savedObjects().first { $0.type == "dashboard" }?.body)
        let form = MultipartFormData(field: "file", fileName: "objects.ndjson", contents: KibanaContent.ndjson([dashboard]))
        let answer = try await post(kibana, "/api/saved_objects/_import?overwrite=true", form: form)
        #expect(answer.status == 200)
        #expect(answer.body["success"] == .bool(false))
        #expect(answer.body["errors"]?.arrayValue?.first?["error"]?["type"]?.stringValue == "missing_references")
    }

    @Test func aSavedObjectFromANewerKibanaIsRefused() throws {
        var lens = try #require(try KibanaContent.savedObjects().first { $0.type == "lens" }?.body.objectValue)
        #expect(FakeKibana.savedObjectProblem(.object(lens), kibanaVersion: "8.14.0") == nil)
        lens["typeMigrationVersion"] = .string("9.9.0")
        #expect(FakeKibana.savedObjectProblem(.object(lens), kibanaVersion: "8.14.0")?.contains("more recent version") == true)
    }
}
