import FakeKibana
import Foundation
import ShipperCore
import ShipperECS
import ShipperElasticsearch
import ShipperKibana
import ShipperPipeline
import Testing

/// The saved-objects file is right by construction (no Kibana runs here): every line parses,
/// every reference resolves inside the file, every field a panel uses is one the shipper (or its
/// GeoIP pipeline) writes, and the data views match the data streams.
@Suite struct DashboardTests {
    static func objects() throws -> [JSONValue] {
        let url = RuleFixtures.repository.appendingPathComponent("kibana/saved_objects/mimecast-shipper.ndjson")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            // JSONSerialization is the oracle for "parses": not our parser.
            _ = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try JSONValue.parse(String(line))
        }
    }

    static let writtenFields = Set(ECSFieldCatalogue.paths + Heartbeat.fieldPaths)

    static func isWritten(_ field: String) -> Bool {
        writtenFields.contains(field) || field.hasPrefix("source.geo.") || field.hasPrefix("source.as.")
    }

    @Test func everyObjectHasTheExportShapeAndPassesTheFakesChecks() throws {
        let objects = try Self.objects()
        #expect(objects.count == 10)
        for object in objects {
            for key in ["type", "id", "attributes", "references", "coreMigrationVersion", "typeMigrationVersion"] {
                #expect(object[key] != nil, "\(object["id"]?.stringValue ?? "?") lacks \(key)")
            }
            #expect(FakeKibana.savedObjectProblem(object, kibanaVersion: KibanaContent.minimumKibanaVersion) == nil,
                    "\(object["id"]?.stringValue ?? "?"): \(FakeKibana.savedObjectProblem(object) ?? "")")
        }
    }

    @Test func everyReferenceResolvesInsideTheFile() throws {
        let objects = try Self.objects()
        let present = Set(objects.map { "\($0["type"]?.stringValue ?? "")/\($0["id"]?.stringValue ?? "")" })
        for object in objects {
            for reference in object["references"]?.arrayValue ?? [] {
                let target = "\(reference["type"]?.stringValue ?? "")/\(reference["id"]?.stringValue ?? "")"
                #expect(present.contains(target), "\(object["id"]?.stringValue ?? "?") refers to \(target), not in the file")
            }
        }
        let dashboard = try #require(objects.first { $0["type"]?.stringValue == "dashboard" })
        let panels = try JSONValue.parse(try #require(dashboard["attributes"]?["panelsJSON"]?.stringValue)).arrayValue ?? []
        #expect(panels.count == 7)
        // Every panel kind the issue asks for is there.
        let panelTypes = Set(panels.compactMap { $0["type"]?.stringValue })
        #expect(panelTypes == ["lens", "search", "map"])
    }

    @Test func theDataViewsMatchTheDataStreams() throws {
        let views = try Self.objects().filter { $0["type"]?.stringValue == "index-pattern" }
        let titles = Set(views.compactMap { $0["attributes"]?["title"]?.stringValue })
        #expect(titles == ["logs-mimecast.audit-*", "logs-mimecast.shipper-*"])
        #expect(ESQLCountQuery.glob("logs-mimecast.audit-*", matches: DataStreamNaming.dataStream(namespace: "default")))
        #expect(ESQLCountQuery.glob("logs-mimecast.shipper-*", matches: DataStreamNaming.heartbeatDataStream(namespace: "default")))
        for view in views {
            #expect(view["attributes"]?["timeFieldName"]?.stringValue == "@timestamp")
        }
    }

    @Test func everyFieldAPanelUsesIsOneTheShipperWrites() throws {
        var used: [String] = []
        for object in try Self.objects() {
            let attributes = object["attributes"] ?? .null
            switch object["type"]?.stringValue {
            case "lens":
                for layer in (attributes["state"]?["datasourceStates"]?["formBased"]?["layers"]?.objectValue ?? [:]).values {
                    for column in (layer["columns"]?.objectValue ?? [:]).values {
                        if let field = column["sourceField"]?.stringValue, field != "___records___" { used.append(field) }
                    }
                }
                if let query = attributes["state"]?["query"]?["query"]?.stringValue, !query.isEmpty {
                    used += try ConditionParser.parse(query, dialect: .kql).fields
                }
            case "search":
                used += attributes["columns"]?.arrayValue?.compactMap(\.stringValue) ?? []
                let source = try JSONValue.parse(try #require(attributes["kibanaSavedObjectMeta"]?["searchSourceJSON"]?.stringValue))
                if let query = source["query"]?["query"]?.stringValue, !query.isEmpty {
                    used += try ConditionParser.parse(query, dialect: .kql).fields
                }
            case "map":
                let layers = try JSONValue.parse(try #require(attributes["layerListJSON"]?.stringValue)).arrayValue ?? []
                for layer in layers {
                    let source = layer["sourceDescriptor"] ?? .null
                    used += [source["geoField"]?.stringValue, source["sortField"]?.stringValue].compactMap { $0 }
                    used += source["tooltipProperties"]?.arrayValue?.compactMap(\.stringValue) ?? []
                }
            default:
                continue
            }
        }
        #expect(used.count > 15)
        for field in used {
            #expect(Self.isWritten(field), "a panel uses \(field), which the shipper does not write")
        }
    }
}
