import Foundation
import ShipperCore
import ShipperElasticsearch
import ShipperTestSupport
import Testing

/// `mappings/` is the source of truth; the binary carries a generated copy.
@Suite struct EmbeddedMappingsTests {
    static var mappingsDirectory: URL { RepositoryRoot.file("mappings") }

    @Test func embeddedCopyMatchesTheFilesOnDisk() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.mappingsDirectory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        #expect(EmbeddedMappings.files.map(\.name) == names, "run scripts/embed-mappings.sh")
        for name in names {
            var text = try String(contentsOf: Self.mappingsDirectory.appendingPathComponent(name), encoding: .utf8)
            if text.hasSuffix("\n") { text.removeLast() }
            let embedded = EmbeddedMappings.files.first { $0.name == name }?.json
            #expect(embedded == text, "\(name) differs from its embedded copy; run scripts/embed-mappings.sh")
        }
    }

    @Test func filesAreJSONAndReferToEachOther() throws {
        func file(_ name: String) throws -> JSONValue {
            try JSONValue.parse(try #require(EmbeddedMappings.files.first { $0.name == name }?.json))
        }
        let index = try file("index-template.json")
        let component = try file("component-template.json")
        let policy = try file("ilm-policy.json")
        #expect(index["index_patterns"] == .array([.string("logs-mimecast.audit-*")]))
        #expect(index["priority"]?.intValue == 200)
        #expect(index["data_stream"] == .object([:]))
        #expect(index["composed_of"] == .array(["logs@mappings", "logs@settings", "ecs@mappings",
                                                 TemplateResources.componentTemplateName,
                                                 TemplateResources.customComponentTemplateName].map(JSONValue.string)))
        #expect(index["ignore_missing_component_templates"] == .array([.string(TemplateResources.customComponentTemplateName)]))
        #expect(component["template"]?["settings"]?["index"]?["lifecycle"]?["name"] == .string(TemplateResources.ilmPolicyName))
        let fields = try #require(component["template"]?["mappings"]?["properties"]?["mimecast"]?["properties"]?.objectValue)
        for field in ["category", "application", "method", "two_factor"] {
            #expect(fields[field]?["type"] == .string("keyword"), "mimecast.\(field)")
        }
        #expect(policy["policy"]?["phases"]?["hot"]?["actions"]?["rollover"] != nil)
    }
}
