import ShipperCore

/// The kinds of thing `install-template` manages, in the order they must be written: the lifecycle
/// policy, the component template that names it, the ingest pipeline the index template names as
/// its default, and the index templates.
public enum TemplateKind: String, Sendable, Equatable, CaseIterable {
    case ilmPolicy
    case componentTemplate
    case ingestPipeline
    case indexTemplate

    /// Human name for output lines.
    public var label: String {
        switch self {
        case .ilmPolicy: "ILM policy"
        case .componentTemplate: "component template"
        case .ingestPipeline: "ingest pipeline"
        case .indexTemplate: "index template"
        }
    }

    func path(name: String) -> String {
        switch self {
        case .ilmPolicy: "/_ilm/policy/\(name)"
        case .componentTemplate: "/_component_template/\(name)"
        case .ingestPipeline: "/_ingest/pipeline/\(name)"
        case .indexTemplate: "/_index_template/\(name)"
        }
    }
}

/// One resource with the exact body the installer sends.
struct TemplateResource: Sendable, Equatable {
    let kind: TemplateKind
    let name: String
    let body: JSONValue

    var path: String { kind.path(name: name) }

    /// The comparable part of a GET answer for this resource, nil when the answer does not
    /// contain it. Elasticsearch wraps each kind differently.
    func installedBody(from response: JSONValue) -> JSONValue? {
        switch kind {
        case .ilmPolicy:
            guard let policy = response[name]?["policy"] else { return nil }
            return .object(["policy": policy])
        case .ingestPipeline:
            return response[name]
        case .componentTemplate:
            return response["component_templates"]?.arrayValue?
                .first { $0["name"]?.stringValue == name }?["component_template"]
        case .indexTemplate:
            return response["index_templates"]?.arrayValue?
                .first { $0["name"]?.stringValue == name }?["index_template"]
        }
    }
}

/// The names the product installs and the bodies from `mappings/`.
public enum TemplateResources {
    public static let ilmPolicyName = DataStreamNaming.templateName
    public static let componentTemplateName = "\(DataStreamNaming.templateName)@shipper"
    public static let customComponentTemplateName = "\(DataStreamNaming.templateName)@custom"
    public static let indexTemplateName = DataStreamNaming.templateName
    /// The GeoIP pipeline the audit index template names as `index.default_pipeline`.
    public static let ingestPipelineName = DataStreamNaming.templateName
    /// The optional pipeline users may create; the shipped pipeline ends by calling it.
    public static let customIngestPipelineName = "\(DataStreamNaming.templateName)@custom"
    /// The heartbeat data stream's own small index template.
    public static let heartbeatIndexTemplateName = DataStreamNaming.heartbeatTemplateName

    /// Kind, name and file in `mappings/` of each resource, in the order they are written.
    static let catalogue: [(kind: TemplateKind, name: String, file: String)] = [
        (.ilmPolicy, ilmPolicyName, "ilm-policy.json"),
        (.componentTemplate, componentTemplateName, "component-template.json"),
        (.ingestPipeline, ingestPipelineName, "ingest-pipeline.json"),
        (.indexTemplate, indexTemplateName, "index-template.json"),
        (.indexTemplate, heartbeatIndexTemplateName, "heartbeat-index-template.json"),
    ]

    /// Every resource, with `_meta.version` of the index templates set to `version`. Throws when
    /// an embedded file is missing or not JSON (a build mistake). With the data stream lifecycle
    /// (serverless, which has no ILM API) there is no policy and the component template enables
    /// `template.lifecycle` instead of naming the policy.
    static func all(version: String = ProductInfo.version, lifecycle: ClusterCompatibility.Lifecycle = .ilm) throws -> [TemplateResource] {
        let entries = lifecycle == .ilm ? catalogue : catalogue.filter { $0.kind != .ilmPolicy }
        return try entries.map { entry in
            guard let file = EmbeddedMappings.files.first(where: { $0.name == entry.file }) else {
                throw ElasticsearchError.malformedResponse(request: "embedded mappings", detail: "\(entry.file) is missing; run scripts/embed-mappings.sh")
            }
            var body: JSONValue
            do {
                body = try JSONValue.parse(file.json)
            } catch {
                throw ElasticsearchError.malformedResponse(request: "embedded mappings", detail: "\(entry.file): \(error)")
            }
            if entry.kind == .indexTemplate {
                body = body.settingMeta(key: "version", to: .string(version))
            }
            if entry.kind == .componentTemplate, lifecycle == .dataStreamLifecycle {
                body = body.usingDataStreamLifecycle()
            }
            return TemplateResource(kind: entry.kind, name: entry.name, body: body)
        }
    }
}

extension JSONValue {
    /// The component template without `index.lifecycle.*` settings and with
    /// `template.lifecycle.enabled` (retention unset: kept until an operator decides, as the ILM
    /// policy does).
    func usingDataStreamLifecycle() -> JSONValue {
        guard var members = objectValue, var template = members["template"]?.objectValue else { return self }
        if var settings = template["settings"]?.objectValue {
            settings["index.lifecycle.name"] = nil
            if var index = settings["index"]?.objectValue {
                index["lifecycle"] = nil
                settings["index"] = index.isEmpty ? nil : .object(index)
            }
            template["settings"] = settings.isEmpty ? nil : .object(settings)
        }
        template["lifecycle"] = .object(["enabled": .bool(true)])
        members["template"] = .object(template)
        return .object(members)
    }

    /// A copy with `_meta.<key>` set (creating `_meta` when absent).
    func settingMeta(key: String, to value: JSONValue) -> JSONValue {
        guard var members = objectValue else { return self }
        var meta = members["_meta"]?.objectValue ?? [:]
        meta[key] = value
        members["_meta"] = .object(meta)
        return .object(members)
    }
}
