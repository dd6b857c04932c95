import ShipperCore
import ShipperTestSupport

/// Index templates, component templates, ILM policies, data streams and `_simulate_index`, stored
/// and answered in Elasticsearch's wrapped shapes, with the defaults it adds on the way.
extension FakeElasticsearchState {
    mutating func templateEndpoint(_ request: FakeRequest, segments: [String]) -> FakeResponse {
        switch segments.first {
        case "_ilm":
            guard segments.count == 3, segments[1] == "policy" else { return notFound(request) }
            return resource(request, name: segments[2], store: \.ilmPolicies, kind: "policy")
        case "_component_template":
            guard segments.count == 2 else { return notFound(request) }
            return resource(request, name: segments[1], store: \.componentTemplates, kind: "component template")
        case "_index_template":
            if segments.count == 3, segments[1] == "_simulate_index", request.method == "POST" {
                return simulateIndex(segments[2])
            }
            guard segments.count == 2 else { return notFound(request) }
            return resource(request, name: segments[1], store: \.indexTemplates, kind: "index template")
        case "_data_stream":
            guard segments.count == 2 else { return notFound(request) }
            return dataStream(request, name: segments[1])
        default:
            return notFound(request)
        }
    }

    private func notFound(_ request: FakeRequest) -> FakeResponse {
        .error(status: 404, type: "resource_not_found_exception", reason: "no such resource [\(request.path)]")
    }

    private mutating func resource(
        _ request: FakeRequest,
        name: String,
        store: WritableKeyPath<FakeElasticsearchState, [String: JSONValue]>,
        kind: String
    ) -> FakeResponse {
        switch request.method {
        case "GET", "HEAD":
            guard let stored = self[keyPath: store][name] else {
                return .error(status: 404, type: "resource_not_found_exception", reason: "\(kind) matching [\(name)] not found")
            }
            return .json(wrapped(stored, name: name, kind: kind))
        case "PUT", "POST":
            guard let body = try? FoundationJSON.parse(request.body), body.objectValue != nil else {
                return .error(status: 400, type: "parse_exception", reason: "request body is required")
            }
            let normalized: JSONValue
            switch normalize(body, name: name, kind: kind) {
            case .success(let value): normalized = value
            case .failure(let refusal): return refusal.response
            }
            self[keyPath: store][name] = normalized
            templateWrites.append("\(request.method) \(request.path)")
            return .acknowledged
        case "DELETE":
            guard self[keyPath: store].removeValue(forKey: name) != nil else {
                return .error(status: 404, type: "resource_not_found_exception", reason: "\(kind) matching [\(name)] not found")
            }
            return .acknowledged
        default:
            return methodNotAllowed(request)
        }
    }

    struct Refusal: Error {
        let response: FakeResponse
    }

    /// Validates a PUT body and stores it the way Elasticsearch returns it later.
    private func normalize(_ body: JSONValue, name: String, kind: String) -> Result<JSONValue, Refusal> {
        func refuse(_ type: String, _ reason: String) -> Result<JSONValue, Refusal> {
            .failure(Refusal(response: .error(status: 400, type: type, reason: reason)))
        }
        switch kind {
        case "policy":
            guard var policy = body["policy"]?.objectValue else {
                return refuse("x_content_parse_exception", "[put_lifecycle_request] policy is missing")
            }
            if var phases = policy["phases"]?.objectValue {
                for (phase, value) in phases {
                    guard var object = value.objectValue else { continue }
                    if object["min_age"] == nil { object["min_age"] = .string("0ms") }
                    phases[phase] = .object(object)
                }
                policy["phases"] = .object(phases)
            }
            return .success(.object(policy))
        case "component template":
            guard var object = body.objectValue, var template = body["template"]?.objectValue else {
                return refuse("x_content_parse_exception", "[component_template] template is missing")
            }
            if distribution == .serverless, let settings = template["settings"],
               FakeJSON.normalizedSettings(settings)["index"]?["lifecycle"] != nil {
                return refuse("illegal_argument_exception",
                              "Settings [index.lifecycle.name] are not available when running in serverless mode")
            }
            if let settings = template["settings"] { template["settings"] = FakeJSON.normalizedSettings(settings) }
            object["template"] = .object(template)
            return .success(.object(object))
        default:
            guard var object = body.objectValue, body["index_patterns"]?.arrayValue != nil else {
                return refuse("action_request_validation_exception", "Validation Failed: 1: index patterns are missing;")
            }
            let ignored = Set(body["ignore_missing_component_templates"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            let missing = (body["composed_of"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                .filter { componentTemplates[$0] == nil && !ignored.contains($0) }
            if !missing.isEmpty {
                return refuse("invalid_index_template_exception",
                              "index_template [\(name)] invalid, cause [index template [\(name)] specifies component templates \(missing) that do not exist]")
            }
            if let dataStream = body["data_stream"]?.objectValue {
                var withDefaults = dataStream
                if withDefaults["hidden"] == nil { withDefaults["hidden"] = .bool(false) }
                if withDefaults["allow_custom_routing"] == nil { withDefaults["allow_custom_routing"] = .bool(false) }
                object["data_stream"] = .object(withDefaults)
            }
            if var template = body["template"]?.objectValue, let settings = template["settings"] {
                template["settings"] = FakeJSON.normalizedSettings(settings)
                object["template"] = .object(template)
            }
            return .success(.object(object))
        }
    }

    private func wrapped(_ stored: JSONValue, name: String, kind: String) -> JSONValue {
        switch kind {
        case "policy":
            return .object([name: .object([
                "version": .number(1),
                "modified_date": .string("2024-05-02T09:00:00.000Z"),
                "policy": stored,
                "in_use_by": .object(["indices": .array([]), "data_streams": .array([]), "composable_templates": .array([])]),
            ])])
        case "component template":
            return .object(["component_templates": .array([.object(["name": .string(name), "component_template": stored])])])
        default:
            return .object(["index_templates": .array([.object(["name": .string(name), "index_template": stored])])])
        }
    }

    // MARK: Matching and composition

    /// The highest-priority index template whose patterns match `name`.
    func matchingIndexTemplate(for name: String) -> (name: String, template: JSONValue)? {
        matchingIndexTemplates(for: name).first
    }

    /// Every matching index template, highest priority first.
    func matchingIndexTemplates(for name: String) -> [(name: String, template: JSONValue)] {
        indexTemplates
            .filter { _, template in
                (template["index_patterns"]?.arrayValue ?? []).compactMap(\.stringValue).contains { FakeJSON.glob($0, matches: name) }
            }
            .map { (name: $0.key, template: $0.value) }
            .sorted { ($0.template["priority"]?.intValue ?? 0, $1.name) > ($1.template["priority"]?.intValue ?? 0, $0.name) }
    }

    /// Settings and mappings a new index called `name` would get, nil when no template matches.
    func simulatedTemplate(for name: String) -> JSONValue? {
        guard let template = matchingIndexTemplate(for: name)?.template else { return nil }
        var settings: JSONValue = .object([:])
        var mappings: JSONValue = .object([:])
        var lifecycle: JSONValue?
        let parts = (template["composed_of"]?.arrayValue ?? []).compactMap(\.stringValue)
            .compactMap { componentTemplates[$0]?["template"] } + [template["template"]].compactMap { $0 }
        for part in parts {
            if let partSettings = part["settings"] {
                settings = FakeJSON.deepMerge(settings, FakeJSON.normalizedSettings(partSettings))
            }
            if let partMappings = part["mappings"] {
                mappings = FakeJSON.deepMerge(mappings, partMappings)
            }
            if let partLifecycle = part["lifecycle"] {
                lifecycle = FakeJSON.deepMerge(lifecycle ?? .object([:]), partLifecycle)
            }
        }
        if template["data_stream"] != nil {
            mappings = FakeJSON.deepMerge(mappings, .object(["_data_stream_timestamp": .object(["enabled": .bool(true)])]))
        }
        var simulated: [String: JSONValue] = ["settings": settings, "mappings": mappings, "aliases": .object([:])]
        if let lifecycle, template["data_stream"] != nil {
            simulated["lifecycle"] = lifecycle
        }
        return .object(simulated)
    }

    private func simulateIndex(_ name: String) -> FakeResponse {
        let matches = matchingIndexTemplates(for: name)
        let overlapping: [JSONValue] = matches.dropFirst().map { match in
            .object(["name": .string(match.name), "index_patterns": match.template["index_patterns"] ?? .array([])])
        }
        var answer: [String: JSONValue] = ["overlapping": .array(overlapping)]
        if let template = simulatedTemplate(for: name) {
            answer["template"] = template
        }
        return .json(.object(answer))
    }

    private mutating func dataStream(_ request: FakeRequest, name: String) -> FakeResponse {
        guard documents[name] != nil else {
            return .error(status: 404, type: "index_not_found_exception", reason: "no such index [\(name)]")
        }
        switch request.method {
        case "GET":
            let template = matchingIndexTemplate(for: name)?.name ?? ""
            return .json(.object(["data_streams": .array([.object([
                "name": .string(name), "template": .string(template), "status": .string("GREEN"),
            ])])]))
        case "DELETE":
            documents[name] = nil
            backingIndices[name] = nil
            return .acknowledged
        default:
            return methodNotAllowed(request)
        }
    }

    // MARK: Built-ins

    /// The subset of Elasticsearch's built-in `logs` templates the shipper composes. Before 8.13
    /// they were called `logs-mappings` and `logs-settings` and there was no `ecs@mappings`.
    mutating func installBuiltInTemplates() {
        defer {
            if distribution == .serverless {
                // Serverless has no ILM: the built-in settings name no policy.
                componentTemplates["logs@settings"] = .object(["template": .object([
                    "settings": FakeJSON.normalizedSettings(.object(["index.codec": .string("best_compression")])),
                    "lifecycle": .object(["enabled": .bool(true)]),
                ])])
            }
            if !Self.versionAtLeast(version, [8, 13, 0]) && distribution == .elasticsearch {
                componentTemplates["logs-mappings"] = componentTemplates.removeValue(forKey: "logs@mappings")
                componentTemplates["logs-settings"] = componentTemplates.removeValue(forKey: "logs@settings")
                componentTemplates["ecs@mappings"] = nil
                if let logs = indexTemplates["logs"] {
                    indexTemplates["logs"] = logs.replacing(
                        key: "composed_of", with: .array(["logs-mappings", "logs-settings", "logs@custom"].map(JSONValue.string))
                    )
                }
            }
        }
        componentTemplates["logs@mappings"] = .object(["template": .object(["mappings": .object([
            "date_detection": .bool(false),
            "properties": .object([
                "@timestamp": .object(["type": .string("date")]),
                "data_stream": .object(["properties": .object([
                    "type": .object(["type": .string("constant_keyword")]),
                    "dataset": .object(["type": .string("constant_keyword")]),
                    "namespace": .object(["type": .string("constant_keyword")]),
                ])]),
            ]),
        ])])])
        componentTemplates["logs@settings"] = .object(["template": .object([
            "settings": FakeJSON.normalizedSettings(.object([
                "index.lifecycle.name": .string("logs"),
                "index.codec": .string("best_compression"),
                "index.default_pipeline": .string("logs@default-pipeline"),
            ])),
        ])])
        componentTemplates["ecs@mappings"] = .object(["template": .object(["mappings": .object([
            "dynamic_templates": .array([.object(["ecs_timestamp": .object([
                "match": .string("@timestamp"),
                "mapping": .object(["type": .string("date")]),
            ])])]),
            "properties": .object([
                "event": .object(["properties": .object([
                    "original": .object(["type": .string("keyword"), "index": .bool(false), "doc_values": .bool(false)]),
                ])]),
            ]),
        ])])])
        indexTemplates["logs"] = .object([
            "index_patterns": .array([.string("logs-*-*")]),
            "priority": .number(100),
            "composed_of": .array(["logs@mappings", "logs@settings", "logs@custom", "ecs@mappings"].map(JSONValue.string)),
            "ignore_missing_component_templates": .array([.string("logs@custom")]),
            "data_stream": .object(["hidden": .bool(false), "allow_custom_routing": .bool(false)]),
            "allow_auto_create": .bool(true),
            "_meta": .object(["description": .string("default logs template installed by x-pack"), "managed": .bool(true)]),
        ])
    }
}

extension JSONValue {
    /// A copy of an object with `key` set to `value`.
    func replacing(key: String, with value: JSONValue) -> JSONValue {
        guard var members = objectValue else { return self }
        members[key] = value
        return .object(members)
    }
}

/// JSON helpers of the fake.
enum FakeJSON {
    /// Settings as Elasticsearch returns them: dotted keys nested, every leaf a string.
    static func normalizedSettings(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: JSONValue = .object([:])
            for (key, member) in members {
                let path = key.split(separator: ".").map(String.init)
                result = deepMerge(result, nest(path, normalizedSettings(member)))
            }
            return result
        case .array(let elements):
            return .array(elements.map(normalizedSettings))
        case .bool(let flag):
            return .string(flag ? "true" : "false")
        case .number:
            return .string(String(decoding: value.serialized(), as: UTF8.self))
        default:
            return value
        }
    }

    private static func nest(_ path: [String], _ value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        return .object([first: nest(Array(path.dropFirst()), value)])
    }

    /// Objects merge member by member (right wins on conflicts); anything else is replaced.
    static func deepMerge(_ left: JSONValue, _ right: JSONValue) -> JSONValue {
        guard var merged = left.objectValue, let additions = right.objectValue else { return right }
        for (key, value) in additions {
            merged[key] = merged[key].map { deepMerge($0, value) } ?? value
        }
        return .object(merged)
    }

    /// `yyyy-MM-dd…` or epoch milliseconds, the forms `strict_date_optional_time||epoch_millis` takes.
    static func looksLikeDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return true }
        guard bytes.count >= 10 else { return false }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { bytes[$0] >= 48 && bytes[$0] <= 57 }
        return digits && bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
    }

    /// Index-pattern matching: `*` matches any run of characters.
    static func glob(_ pattern: String, matches name: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == name }
        var remainder = Substring(name)
        guard remainder.hasPrefix(parts[0]) else { return false }
        remainder = remainder.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = remainder.range(of: part) else { return false }
            remainder = remainder[range.upperBound...]
        }
        return remainder.hasSuffix(parts.last!)
    }
}
