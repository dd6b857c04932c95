import FakeElasticsearch
import Foundation
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP
import Testing

/// The fake behaves as the reference describes, so tests built on it mean something.
@Suite struct FakeElasticsearchTests {
    let dataStream = "logs-mimecast.audit-default"

    func bulk(_ fake: FakeElasticsearch, _ ndjson: String, contentType: String = "application/x-ndjson", gzip: Bool = false) throws -> (Int, JSONValue) {
        var body = Array(ndjson.utf8)
        var headers = ["Content-Type": contentType]
        if gzip {
            body = try Gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        }
        let response = fake.handle(FakeRequest(method: "POST", path: "/\(dataStream)/_bulk", headers: headers, body: body))
        return (response.status, (try? JSONValue.parse(response.body)) ?? .null)
    }

    func itemStatuses(_ answer: JSONValue) -> [Int] {
        answer["items"]?.arrayValue?.compactMap { $0.objectValue?.values.first?["status"]?.intValue } ?? []
    }

    @Test func createStoresAndASecondCreateConflicts() async throws {
        try await FakeElasticsearch.with { fake in
            let line = "{\"create\":{\"_id\":\"a\"}}\n{\"@timestamp\":\"2024-05-02T09:00:00Z\"}\n"
            let (status, first) = try bulk(fake, line)
            #expect(status == 200)
            #expect(itemStatuses(first) == [201])
            #expect(first["errors"] == .bool(false))
            let (_, second) = try bulk(fake, line)
            #expect(itemStatuses(second) == [409])
            #expect(second["items"]?[0]?["create"]?["error"]?["type"] == .string("version_conflict_engine_exception"))
            #expect(fake.documents(in: dataStream).count == 1)
        }
    }

    @Test func dataStreamsRefuseIndexAndDocumentsWithoutTimestamp() async throws {
        try await FakeElasticsearch.with { fake in
            let (_, answer) = try bulk(fake, """
                {"index":{"_id":"a"}}
                {"@timestamp":"2024-05-02T09:00:00Z"}
                {"create":{"_id":"b"}}
                {"message":"x"}

                """)
            #expect(itemStatuses(answer) == [400, 400])
            #expect(answer["items"]?[1]?["create"]?["error"]?["reason"]?.stringValue?.contains("@timestamp") == true)
            #expect(fake.documents(in: dataStream).isEmpty)
        }
    }

    @Test func bodiesMustEndWithANewlineAndMayBeGzipped() async throws {
        try await FakeElasticsearch.with { fake in
            let (status, _) = try bulk(fake, "{\"create\":{\"_id\":\"a\"}}\n{\"@timestamp\":\"2024-05-02T09:00:00Z\"}")
            #expect(status == 400)
            let (gzipStatus, answer) = try bulk(fake, "{\"create\":{\"_id\":\"a\"}}\n{\"@timestamp\":\"2024-05-02T09:00:00Z\"}\n", gzip: true)
            #expect(gzipStatus == 200 && itemStatuses(answer) == [201])
            #expect(fake.bulkRequests.last?.gzip == true)
        }
    }

    @Test func filterPathKeepsOneEntryPerItem() async throws {
        try await FakeElasticsearch.with { fake in
            let body = Array("{\"create\":{\"_id\":\"a\"}}\n{\"@timestamp\":\"2024-05-02T09:00:00Z\"}\n{\"create\":{\"_id\":\"b\"}}\n{}\n".utf8)
            let filtered = fake.handle(FakeRequest(method: "POST", path: "/\(dataStream)/_bulk",
                query: ["filter_path": "errors,items.*.status,items.*.error"], headers: ["Content-Type": "application/x-ndjson"], body: body))
            let answer = try JSONValue.parse(filtered.body)
            #expect(answer["items"]?.arrayValue?.count == 2)
            #expect(answer["took"] == nil)
            #expect(answer["items"]?[0]?["create"] == .object(["status": .number(201)]))
            // Errors only: the stored item disappears, which is why the shipper asks for statuses.
            let fresh = Array("{\"create\":{\"_id\":\"c\"}}\n{\"@timestamp\":\"2024-05-02T09:00:00Z\"}\n{\"create\":{\"_id\":\"d\"}}\n{}\n".utf8)
            let errorsOnly = fake.handle(FakeRequest(method: "POST", path: "/\(dataStream)/_bulk",
                query: ["filter_path": "items.*.error"], headers: ["Content-Type": "application/x-ndjson"], body: fresh))
            #expect(try JSONValue.parse(errorsOnly.body)["items"]?.arrayValue?.count == 1)
        }
    }

    @Test func injectedFailuresAndDownSwitch() async throws {
        try await FakeElasticsearch.with { fake in
            let line = "{\"create\":{\"_id\":\"a\"}}\n{\"@timestamp\":\"2024-05-02T09:00:00Z\"}\n"
            fake.failNextBulkRequests(status: 503, count: 1)
            let refused = try bulk(fake, line)
            #expect(refused.0 == 503)
            fake.rejectItems(ids: ["a"], times: 1)
            let rejected = try bulk(fake, line)
            #expect(itemStatuses(rejected.1) == [429])
            let accepted = try bulk(fake, line)
            #expect(itemStatuses(accepted.1) == [201])
            fake.setMaxContentLength(5)
            let tooLarge = try bulk(fake, line)
            #expect(tooLarge.0 == 413)
            fake.setMaxContentLength(nil)
            fake.setDown(true)
            #expect(fake.handle(FakeRequest(method: "GET", path: "/")).status == 503)
        }
    }

    @Test func authenticationIsChecked() async throws {
        try await FakeElasticsearch.with { fake in
            fake.requireAPIKey("a2V5")
            fake.requireBasic(username: "elastic", password: "changeme")
            #expect(fake.handle(FakeRequest(method: "GET", path: "/")).status == 401)
            #expect(fake.handle(FakeRequest(method: "GET", path: "/", headers: ["Authorization": "ApiKey a2V5"])).status == 200)
            let basic = "Basic " + Data("elastic:changeme".utf8).base64EncodedString()
            #expect(fake.handle(FakeRequest(method: "GET", path: "/", headers: ["Authorization": basic])).status == 200)
            #expect(fake.handle(FakeRequest(method: "GET", path: "/", headers: ["Authorization": "ApiKey bm9wZQ=="])).status == 401)
        }
    }

    @Test func templateGetReturnsWhatPutStoredInsideTheWrapper() async throws {
        try await FakeElasticsearch.with { fake in
            let put = fake.handle(FakeRequest(method: "PUT", path: "/_component_template/c1",
                body: Array(#"{"template":{"settings":{"index.number_of_shards":1}}}"#.utf8)))
            #expect(put.status == 200)
            let get = try JSONValue.parse(fake.handle(FakeRequest(method: "GET", path: "/_component_template/c1")).body)
            let stored = get["component_templates"]?[0]?["component_template"]
            #expect(stored?["template"]?["settings"]?["index"]?["number_of_shards"] == .string("1"))
            #expect(fake.handle(FakeRequest(method: "GET", path: "/_component_template/missing")).status == 404)
            // An index template naming a component that does not exist is refused.
            let refused = fake.handle(FakeRequest(method: "PUT", path: "/_index_template/t1",
                body: Array(#"{"index_patterns":["x-*"],"composed_of":["nope"]}"#.utf8)))
            #expect(refused.status == 400)
        }
    }
}

/// The client's requests: authentication headers for each scheme, `GET /`, privileges.
@Suite struct ElasticsearchClientTests {
    func client(_ fake: FakeElasticsearch, _ auth: ElasticsearchAuth) throws -> ElasticsearchClient {
        ElasticsearchClient(baseURL: fake.baseURL + "/", auth: auth, transport: try CurlHTTPClient(logger: .quiet))
    }

    @Test func apiKeyAuthIsAccepted() async throws {
        try await FakeElasticsearch.with { fake in
            fake.requireAPIKey("aWQ6a2V5")
            let info = try await client(fake, .apiKey(userInput: "id:key")).info()
            #expect(info.version == "8.17.0")
            #expect(!info.isOpenSearch)
            #expect(fake.bulkRequests.isEmpty)
        }
    }

    @Test func basicAuthIsAcceptedAndWrongCredentialsNamed() async throws {
        try await FakeElasticsearch.with { fake in
            fake.requireBasic(username: "elastic", password: "changeme")
            let info = try await client(fake, .basic(username: "elastic", password: "changeme")).info()
            #expect(info.clusterName == "fake-cluster")
            await #expect {
                _ = try await client(fake, .basic(username: "elastic", password: "wrong-secret")).info()
            } throws: { error in
                let text = "\(error)"
                return text.contains("401") && text.contains("ELASTICSEARCH_PASSWORD") && !text.contains("wrong-secret")
            }
            await #expect {
                _ = try await client(fake, .none).info()
            } throws: { error in
                "\(error)".contains("no credentials were sent")
            }
        }
    }

    @Test func openSearchIsDetected() async throws {
        try await FakeElasticsearch.with(distribution: .opensearch) { fake in
            let info = try await client(fake, .none).info()
            #expect(info.isOpenSearch)
            #expect(info.summary.hasPrefix("OpenSearch 2."))
        }
    }

    @Test func privilegesAreReported() async throws {
        try await FakeElasticsearch.with { fake in
            fake.grantIndexPrivileges(["create_doc"])
            let privileges = try await client(fake, .none).hasPrivileges(
                index: "logs-mimecast.audit-default", privileges: ["create_doc", "auto_configure"])
            #expect(privileges == ["create_doc": true, "auto_configure": false])
        }
    }

    @Test func templateExistenceChecks() async throws {
        try await FakeElasticsearch.with { fake in
            let es = try client(fake, .none)
            #expect(try await es.indexTemplateExists("logs"))
            #expect(try await !es.indexTemplateExists("logs-mimecast.audit"))
            #expect(try await es.componentTemplateExists("ecs@mappings"))
        }
    }
}
