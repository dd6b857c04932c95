import ShipperCore

/// What the fake refuses in a saved object: the shape of an exported object, migration versions
/// newer than the Kibana it plays (real Kibana refuses those), and references that the object's
/// own JSON strings name but its `references` array lacks (the object would import but break).
enum FakeSavedObjectChecks {
    static let supportedTypes: Set<String> = ["index-pattern", "search", "lens", "map", "dashboard", "visualization"]

    static func problem(_ object: JSONValue, kibanaVersion: String) -> String? {
        guard let type = object["type"]?.stringValue, supportedTypes.contains(type) else {
            return "Unsupported saved object type: '\(object["type"]?.stringValue ?? "")'"
        }
        guard object["id"]?.stringValue?.isEmpty == false, let attributes = object["attributes"]?.objectValue else {
            return "id and attributes are required"
        }
        for key in ["coreMigrationVersion", "typeMigrationVersion"] {
            guard let version = object[key]?.stringValue else { return "\(key) is missing (exported objects carry it)" }
            if isNewer(version, than: kibanaVersion) {
                return "Document \"\(object["id"]?.stringValue ?? "")\" has property \"\(type)\" which belongs to a more recent version of Kibana [\(version)]"
            }
        }
        let referenceNames = Set((object["references"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
        func requireReference(_ name: String, _ what: String) -> String? {
            referenceNames.contains(name) ? nil : "\(what) names reference [\(name)], which the object's references lack"
        }
        func embedded(_ key: String) -> JSONValue? {
            attributes[key]?.stringValue.flatMap { try? JSONValue.parse($0) }
        }
        switch type {
        case "index-pattern":
            guard attributes["title"]?.stringValue?.isEmpty == false else { return "a data view needs attributes.title" }
        case "dashboard":
            guard let panels = embedded("panelsJSON")?.arrayValue else { return "panelsJSON is not a JSON string of an array" }
            for panel in panels {
                guard let refName = panel["panelRefName"]?.stringValue, let index = panel["panelIndex"]?.stringValue else { continue }
                if let problem = requireReference("\(index):\(refName)", "panel \(index)") { return problem }
            }
        case "search":
            guard let source = attributes["kibanaSavedObjectMeta"]?["searchSourceJSON"]?.stringValue.flatMap({ try? JSONValue.parse($0) }) else {
                return "kibanaSavedObjectMeta.searchSourceJSON is not a JSON string"
            }
            if let name = source["indexRefName"]?.stringValue, let problem = requireReference(name, "searchSourceJSON") { return problem }
        case "lens":
            let layers = attributes["state"]?["datasourceStates"]?["formBased"]?["layers"]?.objectValue ?? [:]
            guard !layers.isEmpty else { return "a Lens visualization needs state.datasourceStates.formBased.layers" }
            for layer in layers.keys.sorted() {
                if let problem = requireReference("indexpattern-datasource-layer-\(layer)", "layer \(layer)") { return problem }
            }
        case "map":
            guard let layers = embedded("layerListJSON")?.arrayValue else { return "layerListJSON is not a JSON string of an array" }
            for layer in layers {
                if let name = layer["sourceDescriptor"]?["indexPatternRefName"]?.stringValue,
                   let problem = requireReference(name, "map layer") { return problem }
            }
        default:
            break
        }
        return nil
    }

    static func isNewer(_ version: String, than other: String) -> Bool {
        func parts(_ text: String) -> [Int] { text.split(separator: "-")[0].split(separator: ".").map { Int($0) ?? 0 } }
        let left = parts(version), right = parts(other)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0, b = index < right.count ? right[index] : 0
            if a != b { return a > b }
        }
        return false
    }
}
