import FakeElasticsearch
import Foundation
import ShipperCore
import ShipperElasticsearch
import ShipperTestSupport
import Testing

/// The fake answers by Elasticsearch's published REST spec (the vendored files): it refuses what a
/// cluster refuses, for every endpoint, from the spec files rather than a list of its own.
@Suite struct RESTSpecTests {
    let spec = RESTSpec.vendored

    func answer(_ fake: FakeElasticsearch, _ method: String, _ path: String, query: [String: String] = [:], body: String? = nil) -> (Int, JSONValue) {
        let response = fake.handle(FakeRequest(
            method: method, path: path, query: query,
            headers: body == nil ? [:] : ["Content-Type": "application/json"], body: Array((body ?? "").utf8)
        ))
        return (response.status, (try? FoundationJSON.parse(response.body)) ?? .null)
    }

    @Test func theVendoredSpecDescribesEveryEndpointTheProductAndTheFakesUse() {
        let needed: Set<String> = [
            "info", "bulk", "security.has_privileges",
            "indices.put_index_template", "indices.get_index_template", "indices.delete_index_template",
            "indices.simulate_index_template", "cluster.put_component_template", "cluster.get_component_template",
            "cluster.delete_component_template", "ilm.put_lifecycle", "ilm.get_lifecycle", "ilm.delete_lifecycle",
            "indices.get_data_stream", "indices.delete_data_stream", "indices.rollover",
            "search", "open_point_in_time", "close_point_in_time", "ingest.put_pipeline", "ingest.get_pipeline",
        ]
        #expect(needed.subtracting(spec.endpoints).isEmpty, "missing spec files: \(needed.subtracting(spec.endpoints))")
        #expect(spec.commonParameters.isSuperset(of: ["filter_path", "pretty", "error_trace", "human"]))
    }

    @Test func verdictsFollowTheSpecFiles() {
        #expect(spec.verdict(method: "POST", path: "/logs-x-y/_bulk", queryParameters: ["filter_path"]) == .accepted(endpoint: "bulk"))
        #expect(spec.verdict(method: "PUT", path: "/_bulk", queryParameters: ["refresh", "pipeline"]) == .accepted(endpoint: "bulk"))
        #expect(spec.verdict(method: "POST", path: "/_bulk", queryParameters: ["refresh_please"]) == .unrecognizedParameters(["refresh_please"], endpoint: "bulk"))
        #expect(spec.verdict(method: "GET", path: "/_bulk", queryParameters: []) == .wrongMethod(allowed: ["POST", "PUT"]))
        #expect(spec.verdict(method: "GET", path: "/_index_template/_simulate_index/x", queryParameters: []) == .wrongMethod(allowed: ["POST"]))
        #expect(spec.verdict(method: "POST", path: "/_index_template/_simulate_index/x", queryParameters: []) == .accepted(endpoint: "indices.simulate_index_template"))
        #expect(spec.verdict(method: "PUT", path: "/_index_template/t", queryParameters: ["create"]) == .accepted(endpoint: "indices.put_index_template"))
        #expect(spec.verdict(method: "DELETE", path: "/_index_template/t", queryParameters: []) == .accepted(endpoint: "indices.delete_index_template"))
        #expect(spec.verdict(method: "PUT", path: "/_ilm/policy/p", queryParameters: ["flat_settings"]) == .unrecognizedParameters(["flat_settings"], endpoint: "ilm.put_lifecycle"))
        #expect(spec.verdict(method: "POST", path: "/logs-x-y/_pit", queryParameters: []) == .missingParameters(["keep_alive"], endpoint: "open_point_in_time"))
        #expect(spec.verdict(method: "POST", path: "/logs-x-y/_pit", queryParameters: ["keep_alive"]) == .accepted(endpoint: "open_point_in_time"))
        #expect(spec.verdict(method: "DELETE", path: "/_pit", queryParameters: []) == .accepted(endpoint: "close_point_in_time"))
        #expect(spec.verdict(method: "GET", path: "/_nothing_here/a/b/c", queryParameters: []) == .noHandler)
        #expect(spec.verdict(method: "HEAD", path: "/", queryParameters: []) == .wrongMethod(allowed: ["GET"]))
    }

    @Test func theFakeRefusesUnknownParametersWrongMethodsAndUnknownPaths() async throws {
        try await FakeElasticsearch.with { fake in
            let (unknown, unknownBody) = answer(fake, "GET", "/_index_template/logs", query: ["flat_settings": "true", "verbose": "1"])
            #expect(unknown == 400)
            #expect(unknownBody["error"]?["type"] == .string("illegal_argument_exception"))
            #expect(unknownBody["error"]?["reason"] == .string("request [/_index_template/logs] contains unrecognized parameter: [verbose]"))

            let (bulkQuery, bulkBody) = answer(fake, "POST", "/_bulk", query: ["filter_path": "errors", "refresh": "true", "x": "1", "y": "2"])
            #expect(bulkQuery == 400)
            #expect(bulkBody["error"]?["reason"] == .string("request [/_bulk] contains unrecognized parameters: [x], [y]"))

            let (wrong, wrongBody) = answer(fake, "GET", "/_bulk")
            #expect(wrong == 405)
            #expect(wrongBody["error"]?.stringValue?.contains("allowed: [POST, PUT]") == true)
            #expect(answer(fake, "DELETE", "/_security/user/_has_privileges").0 == 405)
            #expect(answer(fake, "PUT", "/_index_template/_simulate_index/logs-mimecast.audit-default").0 == 405)
            #expect(answer(fake, "HEAD", "/").0 == 405)
            #expect(answer(fake, "GET", "/_cat/indices").0 == 400)
            #expect(fake.templateWrites.isEmpty)
            // Every request was recorded with its verdict.
            #expect(fake.recordedRequests.filter { $0.verdict == .noHandler }.map(\.path) == ["/_cat/indices"])
        }
    }

    @Test func anIndexTemplateNamingAMissingComponentIsRefusedUnlessListedAsIgnorable() async throws {
        try await FakeElasticsearch.with { fake in
            let template = #"{"index_patterns":["logs-a.b-*"],"data_stream":{},"composed_of":["logs@mappings","absent@custom"]}"#
            let (refused, refusal) = answer(fake, "PUT", "/_index_template/a", body: template)
            #expect(refused == 400)
            #expect(refusal["error"]?["type"] == .string("invalid_index_template_exception"))
            #expect(refusal["error"]?["reason"]?.stringValue?.contains("absent@custom") == true)
            let ignoring = #"{"index_patterns":["logs-a.b-*"],"data_stream":{},"composed_of":["logs@mappings","absent@custom"],"ignore_missing_component_templates":["absent@custom"]}"#
            #expect(answer(fake, "PUT", "/_index_template/a", body: ignoring).0 == 200)
        }
    }

    @Test func simulateIndexComposesTheStoredTemplatesInOrder() async throws {
        try await FakeElasticsearch.with { fake in
            #expect(answer(fake, "PUT", "/_component_template/first", body: #"{"template":{"settings":{"index.number_of_shards":2},"mappings":{"properties":{"a":{"type":"keyword"},"b":{"type":"keyword"}}}}}"#).0 == 200)
            #expect(answer(fake, "PUT", "/_component_template/second", body: #"{"template":{"mappings":{"properties":{"b":{"type":"long"}}}}}"#).0 == 200)
            let template = #"{"index_patterns":["logs-c.d-*"],"priority":300,"data_stream":{},"composed_of":["first","second"],"template":{"mappings":{"properties":{"c":{"type":"ip"}}}}}"#
            #expect(answer(fake, "PUT", "/_index_template/cd", body: template).0 == 200)
            let (status, simulated) = answer(fake, "POST", "/_index_template/_simulate_index/logs-c.d-default")
            #expect(status == 200)
            let properties = simulated["template"]?["mappings"]?["properties"]
            #expect(properties?["a"]?["type"] == .string("keyword"))
            #expect(properties?["b"]?["type"] == .string("long"), "a later component wins")
            #expect(properties?["c"]?["type"] == .string("ip"), "the index template's own mappings come last")
            #expect(simulated["template"]?["settings"]?["index"]?["number_of_shards"] == .string("2"))
            #expect(simulated["overlapping"]?.arrayValue?.first?["name"] == .string("logs"))
            // A change to a stored component shows in the next simulation.
            #expect(answer(fake, "PUT", "/_component_template/second", body: #"{"template":{"mappings":{"properties":{"b":{"type":"text"}}}}}"#).0 == 200)
            let again = answer(fake, "POST", "/_index_template/_simulate_index/logs-c.d-default").1
            #expect(again["template"]?["mappings"]?["properties"]?["b"]?["type"] == .string("text"))
        }
    }

    @Test func fakeClustersOfEachVersionCarryTheirBuiltIns() async throws {
        try await FakeElasticsearch.with(version: "8.12.2") { fake in
            #expect(fake.componentTemplateNames.isSuperset(of: ["logs-mappings", "logs-settings"]))
            #expect(fake.componentTemplateNames.isDisjoint(with: ["logs@mappings", "logs@settings", "ecs@mappings"]))
            // So the product's index template is refused there, whatever the product checks first.
            let body = try #require(EmbeddedMappings.files.first { $0.name == "index-template.json" }?.json)
            #expect(answer(fake, "PUT", "/_component_template/logs-mimecast.audit@shipper", body: #"{"template":{}}"#).0 == 200)
            #expect(answer(fake, "PUT", "/_index_template/logs-mimecast.audit", body: body).0 == 400)
        }
        try await FakeElasticsearch.with(version: "8.13.0") { fake in
            #expect(fake.componentTemplateNames.isSuperset(of: ["logs@mappings", "logs@settings", "ecs@mappings"]))
        }
        try await FakeElasticsearch.with(distribution: .serverless) { fake in
            #expect(fake.componentTemplateNames.isSuperset(of: ["logs@mappings", "logs@settings", "ecs@mappings"]))
            let (status, refusal) = answer(fake, "GET", "/_ilm/policy/logs")
            #expect(status == 410)
            #expect(refusal["error"]?["type"] == .string("api_not_available_exception"))
            let withPolicy = #"{"template":{"settings":{"index":{"lifecycle":{"name":"p"}}}}}"#
            #expect(answer(fake, "PUT", "/_component_template/x", body: withPolicy).0 == 400)
        }
    }
}
