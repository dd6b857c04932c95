import ShipperCore

/// Reads the answer of `POST /_index_template/_simulate_index/<data stream>`.
enum SimulatedIndex {
    /// A one-line summary, or `verificationFailed` when the simulated index lacks the fields of
    /// the product's component template (another template wins, or the install did not happen).
    static func summary(of answer: JSONValue, dataStream: String, expected resources: [TemplateResource]) throws -> String {
        guard let template = answer["template"] else {
            throw ElasticsearchError.verificationFailed(dataStream: dataStream, detail: "no index template matches it")
        }
        let expectedFields = resources.first { $0.kind == .componentTemplate }
            .flatMap { $0.body["template"]?["mappings"]?["properties"]?["mimecast"]?["properties"]?.objectValue } ?? [:]
        let simulatedFields = TemplateComparison.expandingDottedKeys(template["mappings"] ?? .null)["properties"]?["mimecast"]?["properties"]?.objectValue ?? [:]
        let missing = expectedFields.keys.filter { simulatedFields[$0] == nil }.sorted()
        if !missing.isEmpty {
            let list = missing.prefix(5).map { "mimecast.\($0)" }.joined(separator: ", ")
            throw ElasticsearchError.verificationFailed(dataStream: dataStream, detail: "the mappings lack \(list)")
        }
        let differing = expectedFields.keys.sorted().filter { key in
            !TemplateComparison.differences(installed: simulatedFields[key]!, desired: expectedFields[key]!).isEmpty
        }
        if !differing.isEmpty {
            let list = differing.prefix(5).map { "mimecast.\($0)" }.joined(separator: ", ")
            throw ElasticsearchError.verificationFailed(dataStream: dataStream, detail: "\(list) would be mapped differently (a later template overrides them)")
        }
        let settings = TemplateComparison.expandingDottedKeys(template["settings"] ?? .null)
        let lifecycle = settings["index"]?["lifecycle"]?["name"]?.stringValue
        let lifecycleText = lifecycle.map { "ILM policy \($0)" }
            ?? (template["lifecycle"] != nil ? "the data stream lifecycle" : "no ILM policy")
        let overlapping = answer["overlapping"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let overlapText = overlapping.isEmpty ? "" : "; overrides lower-priority template(s) \(overlapping.joined(separator: ", "))"
        return "verified: a new backing index of \(dataStream) would map \(expectedFields.count) mimecast.* fields and use \(lifecycleText)\(overlapText)"
    }
}
