import Foundation
import ShipperCore
import ShipperECS
import ShipperElasticsearch
import ShipperMimecast
@testable import ShipperPipeline
import Testing

/// The mapper (ECS module) and the installed mappings (Elasticsearch module) are written apart;
/// this checks they agree on the vendor fields both ways: no `mimecast.*` value lands unmapped,
/// and no mapping is kept for a field the mapper never writes (dead mappings hide renames).
@Suite struct MapperAndTemplateAgreementTests {
    static func mappedVendorFields() throws -> Set<String> {
        let component = try #require(EmbeddedMappings.files.first { $0.name == "component-template.json" })
        return Set(try #require(try JSONValue.parse(component.json)["template"]?["mappings"]?["properties"]?["mimecast"]?["properties"]?.objectValue).keys)
    }

    /// The `mimecast.*` keys the mapper writes over the embedded sample (every event family).
    static func writtenVendorFields() throws -> Set<String> {
        let reader = ReplayReader(contents: Array(EmbeddedSample.contents.utf8), name: EmbeddedSample.name)
        let mapper = ECSMapper()
        var seen: Set<String> = []
        for event in try reader.events() {
            let document = try JSONValue.parse(mapper.map(event, readAt: Date()).source)
            for key in document["mimecast"]?.objectValue?.keys ?? [:].keys { seen.insert(key) }
        }
        return seen
    }

    @Test func everyVendorFieldTheMapperWritesHasAnExplicitMapping() throws {
        let mapped = try Self.mappedVendorFields()
        let seen = try Self.writtenVendorFields()
        #expect(seen.isSuperset(of: ["category", "audit_type", "application", "method", "two_factor"]), "\(seen)")
        #expect(seen.subtracting(mapped).isEmpty, "unmapped vendor fields: \(seen.subtracting(mapped))")
    }

    @Test func everyMappedVendorFieldIsWrittenByTheMapper() throws {
        let mapped = try Self.mappedVendorFields()
        let seen = try Self.writtenVendorFields()
        #expect(!mapped.isEmpty)
        #expect(mapped.subtracting(seen).isEmpty, "mapped but never written: \(mapped.subtracting(seen)); map them in the ECS module or drop them from mappings/")
    }
}
