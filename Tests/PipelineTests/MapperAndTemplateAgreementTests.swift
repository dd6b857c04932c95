import Foundation
import ShipperCore
import ShipperECS
import ShipperElasticsearch
import ShipperMimecast
@testable import ShipperPipeline
import Testing

/// The mapper (ECS module) and the installed mappings (Elasticsearch module) are written apart;
/// this checks they agree on the vendor fields, so no `mimecast.*` value lands unmapped.
@Suite struct MapperAndTemplateAgreementTests {
    @Test func everyVendorFieldTheMapperWritesHasAnExplicitMapping() throws {
        let component = try #require(EmbeddedMappings.files.first { $0.name == "component-template.json" })
        let mapped = try #require(try JSONValue.parse(component.json)["template"]?["mappings"]?["properties"]?["mimecast"]?["properties"]?.objectValue)
        let reader = ReplayReader(contents: Array(EmbeddedSample.contents.utf8), name: EmbeddedSample.name)
        let mapper = ECSMapper()
        var seen: Set<String> = []
        for event in try reader.events() {
            let document = try JSONValue.parse(mapper.map(event, readAt: Date()).source)
            for key in document["mimecast"]?.objectValue?.keys ?? [:].keys { seen.insert(key) }
        }
        #expect(seen.isSuperset(of: ["category", "audit_type", "application", "method", "two_factor"]), "\(seen)")
        #expect(seen.subtracting(mapped.keys).isEmpty, "unmapped vendor fields: \(seen.subtracting(mapped.keys))")
    }
}
