import FakeElasticsearch
import Foundation
import ShipperCore
@testable import ShipperElasticsearch
import ShipperHTTP
import Testing

/// The GeoIP ingest pipeline `install-template` adds and the index template names as its default.
@Suite struct IngestPipelineTests {
    func withInstaller(_ body: (FakeElasticsearch, ElasticsearchClient, TemplateInstaller) async throws -> Void) async throws {
        try await FakeElasticsearch.with { fake in
            let client = ElasticsearchClient(baseURL: fake.baseURL, auth: .none, transport: try CurlHTTPClient(logger: .quiet))
            try await body(fake, client, TemplateInstaller(client: client, namespace: "default", logger: .quiet))
        }
    }

    @Test func thePipelineEnrichesSourceIPAndNeverRefusesADocumentForIt() async throws {
        try await withInstaller { fake, _, installer in
            _ = try await installer.install()
            let pipeline = try #require(fake.storedIngestPipeline(TemplateResources.ingestPipelineName))
            let processors = try #require(pipeline["processors"]?.arrayValue)
            let geoip = processors.compactMap { $0["geoip"] }
            #expect(geoip.map { $0["field"]?.stringValue } == ["source.ip", "source.ip"])
            #expect(Set(geoip.compactMap { $0["target_field"]?.stringValue }) == ["source.geo", "source.as"])
            for processor in geoip {
                #expect(processor["ignore_missing"]?.boolValue == true)
                // A missing or not yet downloaded database must not refuse the document.
                #expect(processor["ignore_failure"]?.boolValue == true)
            }
            let renamed = processors.compactMap { $0["rename"]?["target_field"]?.stringValue }
            #expect(renamed == ["source.as.number", "source.as.organization.name"])
            let last = try #require(processors.last?["pipeline"])
            #expect(last["name"]?.stringValue == "logs-mimecast.audit@custom")
            #expect(last["ignore_missing_pipeline"]?.boolValue == true)
            #expect(pipeline["on_failure"]?.arrayValue?.isEmpty == false)

            let template = try #require(fake.storedIndexTemplate(TemplateResources.indexTemplateName))
            #expect(template["template"]?["settings"]?["index"]?["default_pipeline"]?.stringValue == TemplateResources.ingestPipelineName)
        }
    }

    /// The fake refuses documents whose default pipeline is missing, as Elasticsearch does; so a
    /// document indexing only after the install proves the template really names the pipeline.
    @Test func documentsNeedThePipelineAndAReinstallRestoresIt() async throws {
        try await withInstaller { fake, client, installer in
            _ = try await installer.install()
            let directory = try TemporaryDirectory()
            defer { directory.cleanUp() }
            let indexer = try makeIndexer(baseURL: fake.baseURL, deadLetterPath: directory.file("dl"), sleeps: SleepRecorder())
            #expect(try await indexer.shipReportingOutcomes(TestDocuments.make(1)).outcomes == [.indexed])

            let deleted = try await client.send(.delete, "/_ingest/pipeline/\(TemplateResources.ingestPipelineName)")
            #expect(deleted.isSuccess)
            let refused = try await indexer.shipReportingOutcomes([TestDocuments.document(id: "after-delete", json: #"{"@timestamp":"2024-05-02T09:00:00Z"}"#)])
            #expect(refused.outcomes == [.deadLettered])

            let again = try await installer.install()
            #expect(again.filter(\.writes).map(\.kind) == [.ingestPipeline])
            let accepted = try await indexer.shipReportingOutcomes([TestDocuments.document(id: "after-reinstall", json: #"{"@timestamp":"2024-05-02T09:00:00Z"}"#)])
            #expect(accepted.outcomes == [.indexed])
        }
    }

    @Test func theFakeRefusesAProcessorOptionElasticsearchDoesNotTake() async throws {
        try await withInstaller { _, client, _ in
            let body = Array(#"{"processors":[{"geoip":{"field":"source.ip","ignore_missing_database":true}}]}"#.utf8)
            let response = try await client.send(.put, "/_ingest/pipeline/bad", body: body)
            #expect(response.status == 400)
            #expect(String(decoding: response.body, as: UTF8.self).contains("ignore_missing_database"))
        }
    }

    @Test func theHeartbeatTemplateMapsTheCountersOnItsOwnDataStream() async throws {
        try await withInstaller { fake, _, installer in
            _ = try await installer.install()
            let template = try #require(fake.storedIndexTemplate(TemplateResources.heartbeatIndexTemplateName))
            #expect(template["index_patterns"] == .array([.string("logs-mimecast.shipper-*")]))
            #expect(template["data_stream"] != nil)
            let fields = try #require(template["template"]?["mappings"]?["properties"]?["mimecast"]?["properties"]?["shipper"]?["properties"]?.objectValue)
            #expect(fields["events"]?["type"]?.stringValue == "long")
            #expect(fields["window_start"]?["type"]?.stringValue == "date")
        }
    }
}
