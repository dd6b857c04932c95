import FakeElasticsearch
import Foundation
import ShipperCore
import Testing

/// The fake's data streams behave as Elasticsearch's do (issue 11): `create` is unique per
/// backing index only, a rollover starts a new one, and `_search` with an `ids` query sees every
/// backing index and keeps Elasticsearch's defaults and limits.
@Suite struct FakeDataStreamTests {
    let dataStream = "logs-mimecast.audit-default"

    func create(_ fake: FakeElasticsearch, ids: [String]) -> [Int] {
        let body = ids.map { "{\"create\":{\"_id\":\"\($0)\"}}\n{\"@timestamp\":\"2024-05-02T09:00:00Z\"}\n" }.joined()
        let response = fake.handle(FakeRequest(method: "POST", path: "/\(dataStream)/_bulk", headers: ["Content-Type": "application/x-ndjson"],
                                               body: Array(body.utf8)))
        let answer = (try? JSONValue.parse(response.body)) ?? .null
        return answer["items"]?.arrayValue?.compactMap { $0["create"]?["status"]?.intValue } ?? []
    }

    func search(_ fake: FakeElasticsearch, _ body: String, query: [String: String] = [:]) -> (Int, JSONValue) {
        let response = fake.handle(FakeRequest(method: "POST", path: "/\(dataStream)/_search", query: query,
                                               headers: ["Content-Type": "application/json"], body: Array(body.utf8)))
        return (response.status, (try? JSONValue.parse(response.body)) ?? .null)
    }

    @Test func createIsUniquePerBackingIndexOnly() async throws {
        try await FakeElasticsearch.with { fake in
            #expect(create(fake, ids: ["a"]) == [201])
            #expect(create(fake, ids: ["a"]) == [409])
            let rollover = fake.handle(FakeRequest(method: "POST", path: "/\(dataStream)/_rollover"))
            #expect(rollover.status == 200)
            #expect(create(fake, ids: ["a"]) == [201])
            #expect(fake.storedCopies(in: dataStream).count == 2)
            #expect(fake.backingIndexNames(of: dataStream) == [
                ".ds-\(dataStream)-2024.05.02-000001", ".ds-\(dataStream)-2024.05.02-000002",
            ])
        }
    }

    @Test func rolloverAfterNDocuments() async throws {
        try await FakeElasticsearch.with { fake in
            fake.rolloverEvery(3)
            #expect(create(fake, ids: ["a", "b", "c", "d"]) == [201, 201, 201, 201])
            #expect(fake.backingIndexNames(of: dataStream).count == 2)
        }
    }

    @Test func idsSearchSeesEveryBackingIndex() async throws {
        try await FakeElasticsearch.with { fake in
            _ = create(fake, ids: ["a", "b"])
            fake.rollover(dataStream: dataStream)
            _ = create(fake, ids: ["c", "a"])
            let (status, answer) = search(fake, #"{"_source":false,"query":{"ids":{"values":["a","c","x"]}},"size":10}"#)
            #expect(status == 200)
            let hits = answer["hits"]?["hits"]?.arrayValue ?? []
            #expect(hits.compactMap { $0["_id"]?.stringValue }.sorted() == ["a", "a", "c"])
            #expect(hits.allSatisfy { $0["_source"] == nil })
            #expect(answer["hits"]?["total"]?["value"]?.intValue == 3)
        }
    }

    @Test func searchKeepsElasticsearchDefaultsAndLimits() async throws {
        try await FakeElasticsearch.with { fake in
            _ = create(fake, ids: (0..<12).map { "d\($0)" })
            // size defaults to 10.
            let values = (0..<12).map { "\"d\($0)\"" }.joined(separator: ",")
            let (_, defaulted) = search(fake, "{\"query\":{\"ids\":{\"values\":[\(values)]}}}")
            #expect(defaulted["hits"]?["hits"]?.arrayValue?.count == 10)
            #expect(defaulted["hits"]?["total"]?["value"]?.intValue == 12)
            // from + size beyond index.max_result_window is refused.
            #expect(search(fake, #"{"query":{"ids":{"values":["d1"]}},"size":10001}"#).0 == 400)
            // Unknown members of the body are refused, as Elasticsearch's parser does.
            #expect(search(fake, #"{"query":{"ids":{"values":["d1"]}},"sizes":1}"#).0 == 400)
            // filter_path keeps what it names.
            let (_, filtered) = search(fake, #"{"_source":false,"query":{"ids":{"values":["d1"]}},"size":1}"#,
                                       query: ["filter_path": "hits.total.value,hits.hits._id"])
            #expect(filtered == .object(["hits": .object(["total": .object(["value": .number(1)]),
                                                          "hits": .array([.object(["_id": .string("d1")])])])]))
        }
    }

    @Test func searchingAMissingDataStreamIs404() async throws {
        try await FakeElasticsearch.with { fake in
            let (status, answer) = search(fake, #"{"query":{"ids":{"values":["a"]}}}"#)
            #expect(status == 404)
            #expect(answer["error"]?["type"]?.stringValue == "index_not_found_exception")
        }
    }
}
