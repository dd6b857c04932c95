import FakeElasticsearch
import Foundation
import ShipperCore
import Testing

/// The fake's point-in-time subset refuses what Elasticsearch refuses, with Elasticsearch's
/// status and error type, so a reader that passes against it is not relying on leniency.
@Suite struct FakeSearchTests {
    static let stream = "logs-mimecast.audit-default"

    /// A started fake holding three documents, stopped after `body`.
    static func withFake(_ body: (FakeElasticsearch) async throws -> Void) async throws {
        try await FakeElasticsearch.with { fake in
            seed(fake)
            try await body(fake)
        }
    }

    static func seed(_ fake: FakeElasticsearch) {
        for (id, time) in [("a", "2024-05-02T09:00:00Z"), ("b", "2024-05-02T09:00:00Z"), ("c", "2024-05-02T10:00:00Z")] {
            fake.seedDocument(id: id, source: Array(#"{"@timestamp":"\#(time)","user":{"name":"\#(id)","email":"\#(id)@x.example"}}"#.utf8), in: stream)
        }
    }

    static func post(_ fake: FakeElasticsearch, _ path: String, _ body: String, query: [String: String] = [:], method: String = "POST") -> (Int, JSONValue) {
        let answer = fake.handle(FakeRequest(method: method, path: path, query: query, body: Array(body.utf8)))
        return (answer.status, (try? JSONValue.parse(answer.body)) ?? .null)
    }

    static func openPIT(_ fake: FakeElasticsearch) -> String {
        post(fake, "/\(stream)/_pit", "", query: ["keep_alive": "1m"]).1["id"]?.stringValue ?? ""
    }

    @Test func refusesWhatElasticsearchRefuses() async throws {
        try await Self.withFake { fake in
            let id = Self.openPIT(fake)
            #expect(!id.isEmpty)
            let cases: [(String, String, [String: String], Int, String)] = [
                ("/\(Self.stream)/_pit", "", [:], 400, "action_request_validation_exception"),
                ("/nothere/_pit", "", ["keep_alive": "1m"], 404, "index_not_found_exception"),
                ("/\(Self.stream)/_search", #"{"pit":{"id":"\#(id)"}}"#, [:], 400, "action_request_validation_exception"),
                ("/_search", #"{"pit":{"id":"\#(id)"},"sort":[{"_id":"asc"}]}"#, [:], 400, "illegal_argument_exception"),
                ("/\(Self.stream)/_search", #"{"sort":[{"_shard_doc":"asc"}]}"#, [:], 400, "action_request_validation_exception"),
                ("/_search", #"{"pit":{"id":"\#(id)"},"from":5,"sort":["@timestamp"],"search_after":[1]}"#, [:], 400, "action_request_validation_exception"),
                ("/_search", #"{"pit":{"id":"\#(id)"},"sort":["@timestamp","_shard_doc"],"search_after":[1]}"#, [:], 400, "illegal_argument_exception"),
                ("/\(Self.stream)/_search", #"{"size":10001}"#, [:], 400, "illegal_argument_exception"),
                ("/_search", #"{"pit":{"id":"bm9wZQ=="}}"#, [:], 404, "search_context_missing_exception"),
                ("/\(Self.stream)/_search", #"{"query":{"fuzzy":{"x":"y"}}}"#, [:], 400, "parsing_exception"),
            ]
            for (path, body, query, status, type) in cases {
                let (answered, json) = Self.post(fake, path, body, query: query)
                #expect(answered == status, "\(path) \(body)")
                #expect(json["error"]?["type"]?.stringValue == type, "\(path) \(body)")
            }
        }
    }

    @Test func pagesWithSearchAfterInTimestampAndShardDocOrderAndSeesASnapshot() async throws {
        try await Self.withFake { fake in
            let id = Self.openPIT(fake)
            // Written after the point in time was opened: invisible to it.
            fake.seedDocument(id: "d", source: Array(#"{"@timestamp":"2024-05-02T08:00:00Z"}"#.utf8), in: Self.stream)
            var after = ""
            var seen: [String] = []
            for _ in 0..<5 {
                let body = #"{"size":1,"pit":{"id":"\#(id)","keep_alive":"1m"},"sort":[{"@timestamp":{"order":"asc"}},{"_shard_doc":"asc"}],"_source":{"includes":["user.name"]},"track_total_hits":false\#(after)}"#
                let (status, json) = Self.post(fake, "/_search", body)
                #expect(status == 200)
                #expect(json["pit_id"]?.stringValue == id)
                #expect(json["hits"]?["total"] == nil)
                guard let hit = json["hits"]?["hits"]?.arrayValue?.first else { break }
                #expect(hit["_source"] == .object(["user": .object(["name": hit["_id"] ?? .null])]))
                seen.append(hit["_id"]?.stringValue ?? "")
                let sort = String(decoding: (hit["sort"] ?? .null).serialized(), as: UTF8.self)
                after = #","search_after":\#(sort)"#
            }
            #expect(seen == ["a", "b", "c"])
            let (closed, json) = Self.post(fake, "/_pit", #"{"id":"\#(id)"}"#, method: "DELETE")
            #expect(closed == 200)
            #expect(json["num_freed"]?.intValue == 1)
            #expect(Self.post(fake, "/_pit", #"{"id":"\#(id)"}"#, method: "DELETE").0 == 404)
        }
    }

    @Test func filtersAndAggregates() async throws {
        try await Self.withFake { fake in
            let body = #"{"size":0,"query":{"bool":{"filter":[{"range":{"@timestamp":{"gte":"2024-05-02T09:00:00Z","lt":"2024-05-02T10:00:00Z"}}},{"terms":{"user.email":["a@x.example","c@x.example"]}}]}},"aggs":{"who":{"terms":{"field":"user.name","size":10}}}}"#
            let (status, json) = Self.post(fake, "/\(Self.stream)/_search", body)
            #expect(status == 200)
            #expect(json["hits"]?["hits"]?.arrayValue?.isEmpty == true)
            let keys = json["aggregations"]?["who"]?["buckets"]?.arrayValue?.compactMap { $0["key"]?.stringValue }
            #expect(keys == ["a"])
            let (_, byID) = Self.post(fake, "/\(Self.stream)/_search", #"{"query":{"ids":{"values":["c","zz"]}},"_source":false}"#)
            #expect(byID["hits"]?["hits"]?.arrayValue?.compactMap { $0["_id"]?.stringValue } == ["c"])
            #expect(byID["hits"]?["hits"]?.arrayValue?.first?["_source"] == nil)
        }
    }
}
