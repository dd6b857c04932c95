import FakeElasticsearch
import Foundation
import ShipperCore
@testable import ShipperElasticsearch
import ShipperHTTP
import Testing

@Suite struct TemplateInstallerTests {
    func withInstaller(
        distribution: FakeDistribution = .elasticsearch,
        _ body: (FakeElasticsearch, TemplateInstaller) async throws -> Void
    ) async throws {
        try await FakeElasticsearch.with(distribution: distribution) { fake in
            let client = ElasticsearchClient(baseURL: fake.baseURL, auth: .none, transport: try CurlHTTPClient(logger: .quiet))
            try await body(fake, TemplateInstaller(client: client, namespace: "default", logger: .quiet))
        }
    }

    @Test func firstRunCreatesPolicyComponentPipelineAndIndexTemplatesInOrder() async throws {
        try await withInstaller { fake, installer in
            let results = try await installer.install()
            #expect(results.map(\.kind) == [.ilmPolicy, .componentTemplate, .ingestPipeline, .indexTemplate, .indexTemplate])
            #expect(results.map(\.status) == [.created, .created, .created, .created, .created])
            #expect(results.map(\.name) == ["logs-mimecast.audit", "logs-mimecast.audit@shipper", "logs-mimecast.audit",
                                            "logs-mimecast.audit", "logs-mimecast.shipper"])
            #expect(fake.templateWrites == [
                "PUT /_ilm/policy/logs-mimecast.audit",
                "PUT /_component_template/logs-mimecast.audit@shipper",
                "PUT /_ingest/pipeline/logs-mimecast.audit",
                "PUT /_index_template/logs-mimecast.audit",
                "PUT /_index_template/logs-mimecast.shipper",
            ])
            let template = try #require(fake.storedIndexTemplate("logs-mimecast.audit"))
            #expect(template["_meta"]?["version"] == .string(ProductInfo.version))
            #expect(template["priority"]?.intValue == 200)
            #expect(template["index_patterns"] == .array([.string("logs-mimecast.audit-*")]))
            #expect(results[0].summaryLine == "ILM policy logs-mimecast.audit: created")
        }
    }

    @Test func secondRunWritesNothing() async throws {
        try await withInstaller { fake, installer in
            _ = try await installer.install()
            let writes = fake.templateWrites.count
            let again = try await installer.install()
            #expect(again.map(\.status) == [.unchanged, .unchanged, .unchanged, .unchanged, .unchanged])
            #expect(fake.templateWrites.count == writes)
            #expect(again.allSatisfy { !$0.writes })
            #expect(again[2].summaryLine == "ingest pipeline logs-mimecast.audit: unchanged")
            #expect(again[3].summaryLine == "index template logs-mimecast.audit: unchanged")
        }
    }

    @Test func dryRunPrintsBodiesAndWritesNothing() async throws {
        try await withInstaller { fake, installer in
            let plan = try await installer.plan()
            #expect(plan.map(\.status) == [.wouldWrite, .wouldWrite, .wouldWrite, .wouldWrite, .wouldWrite])
            #expect(fake.templateWrites.isEmpty)
            #expect(plan[0].summaryLine.contains("would create"))
            #expect(plan[2].dryRunText.hasPrefix("PUT /_ingest/pipeline/logs-mimecast.audit\n{"))
            let indexTemplate = plan[3]
            #expect(indexTemplate.dryRunText.hasPrefix("PUT /_index_template/logs-mimecast.audit\n{"))
            let body = try JSONValue.parse(indexTemplate.requestBody)
            #expect(body["composed_of"]?.arrayValue?.count == 5)
            #expect(body["_meta"]?["version"] == .string(ProductInfo.version))
        }
    }

    @Test func aChangedTemplateIsUpdatedAndTheDifferenceNamed() async throws {
        try await withInstaller { fake, installer in
            _ = try await installer.install()
            var edited = try #require(fake.storedIndexTemplate("logs-mimecast.audit")?.objectValue)
            edited["priority"] = .number(150)
            edited["_meta"] = .object(["version": .string("0.0.1"), "managed_by": .string("mimecast-shipper")])
            fake.overwriteIndexTemplate("logs-mimecast.audit", with: .object(edited))

            let plan = try await installer.plan()
            #expect(plan.map(\.status) == [.unchanged, .unchanged, .unchanged, .wouldWrite, .unchanged])
            #expect(plan[3].summaryLine.contains("would update"))
            #expect(plan[3].differences.contains("priority"))

            let results = try await installer.install()
            #expect(results.map(\.status) == [.unchanged, .unchanged, .unchanged, .updated, .unchanged])
            #expect(results[3].differences.contains("_meta.version"))
            #expect(fake.storedIndexTemplate("logs-mimecast.audit")?["priority"]?.intValue == 200)
        }
    }

    @Test func verifySimulatesTheDataStreamIndex() async throws {
        try await withInstaller { _, installer in
            _ = try await installer.install()
            let summary = try await installer.verify()
            #expect(summary.contains("logs-mimecast.audit-default"))
            #expect(summary.contains("ILM policy logs-mimecast.audit"))
            #expect(summary.contains("logs"))
        }
    }

    @Test func verifyFailsWhenTheTemplatesAreMissing() async throws {
        try await withInstaller { _, installer in
            await #expect {
                _ = try await installer.verify()
            } throws: { error in
                guard case .verificationFailed? = error as? ElasticsearchError else { return false }
                return "\(error)".contains("mimecast.")
            }
        }
    }

    @Test func openSearchIsRefusedNamingWhatIsMissing() async throws {
        try await withInstaller(distribution: .opensearch) { fake, installer in
            await #expect {
                _ = try await installer.install()
            } throws: { error in
                guard case .openSearchUnsupported? = error as? ElasticsearchError else { return false }
                let text = "\(error)"
                return text.contains("OpenSearch") && text.contains("ILM") && text.contains("logs@mappings")
            }
            #expect(fake.templateWrites.isEmpty)
        }
    }

    @Test func documentsInTheDataStreamFollowTheInstalledMappings() async throws {
        try await withInstaller { fake, installer in
            _ = try await installer.install()
            let directory = try TemporaryDirectory()
            defer { directory.cleanUp() }
            let indexer = try makeIndexer(baseURL: fake.baseURL, deadLetterPath: directory.file("dl"), sleeps: SleepRecorder())
            let conflicting = TestDocuments.document(id: "bad", json: #"{"@timestamp":"2024-05-02T09:00:00Z","mimecast":{"category":{"nested":true}}}"#)
            let result = try await indexer.shipReportingOutcomes([conflicting] + TestDocuments.make(1))
            #expect(result.outcomes == [.deadLettered, .indexed])
        }
    }
}

@Suite struct TemplateComparisonTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }

    @Test func extraInstalledFieldsAndDefaultsDoNotCount() throws {
        let desired = try parse(#"{"data_stream":{},"priority":200,"settings":{"index.lifecycle.name":"p","number_of_shards":1}}"#)
        let installed = try parse(#"{"data_stream":{"hidden":false},"priority":200,"version":3,"settings":{"index":{"lifecycle":{"name":"p"}},"number_of_shards":"1"}}"#)
        #expect(TemplateComparison.differences(installed: installed, desired: desired).isEmpty)
    }

    @Test func changedOrMissingFieldsAreNamed() throws {
        let desired = try parse(#"{"composed_of":["a","b"],"priority":200,"_meta":{"version":"1"}}"#)
        let installed = try parse(#"{"composed_of":["a"],"priority":100}"#)
        #expect(TemplateComparison.differences(installed: installed, desired: desired) == ["_meta", "composed_of", "priority"])
    }

    @Test func aMappingTheClusterHasAndTheFilesDroppedIsADifference() throws {
        let desired = try parse(#"{"template":{"mappings":{"properties":{"a":{"type":"keyword"}}},"settings":{"x":"1"}}}"#)
        let installed = try parse(#"{"template":{"mappings":{"properties":{"a":{"type":"keyword"},"gone":{"type":"keyword"}}},"settings":{"x":"1","y":"2"}}}"#)
        // Inside mappings an extra field counts; elsewhere (settings defaults) it does not.
        #expect(TemplateComparison.differences(installed: installed, desired: desired) == ["template.mappings.properties.gone"])
    }

    @Test func everyEmbeddedResourceEqualsItself() throws {
        for resource in try TemplateResources.all() {
            #expect(TemplateComparison.differences(installed: resource.body, desired: resource.body).isEmpty)
        }
    }

    @Test func prettyPrintedBodiesParseBackToTheSameValue() throws {
        for resource in try TemplateResources.all() {
            #expect(try JSONValue.parse(JSONPrettyPrinter.render(resource.body)) == resource.body)
        }
    }
}
