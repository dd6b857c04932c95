import Foundation
import ShipperCore

/// A JSON-schema (draft-04) validator for the keywords Elastic's rule API schemas use: `type`,
/// `properties`, `additionalProperties`, `required`, `enum`, `pattern`, `minLength`, `minimum`,
/// `maximum`, `items`, `minItems`, `maxItems`. Annotations (`description`, `enumNames`,
/// `min_compat`, `$schema`) are skipped; any other keyword is reported as unsupported rather than
/// ignored, so a schema the fake does not understand can never make it accept a rule.
/// Python's `jsonschema` validates the same files in `KibanaRuleFileTests`.
public struct RuleSchemaValidator: Sendable {
    /// `Tests/KibanaSchemas`, found from this file.
    public static var schemaDirectory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("KibanaSchemas")
    }

    public static let version = "9.4"
    static let annotations: Set<String> = ["description", "enumNames", "min_compat", "$schema"]

    /// `now-<n><s|m|h|d>`, as Kibana's date math takes it for `history_window_start`.
    static func isHistoryWindow(_ text: String) -> Bool {
        guard text.hasPrefix("now-"), let unit = text.last, "smhd".contains(unit) else { return false }
        let digits = text.dropFirst(4).dropLast()
        return !digits.isEmpty && digits.first != "0" && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    private let schemas: [String: JSONValue]

    /// Loads `9.4.<type>.json` for every rule type present.
    public init(directory: URL = RuleSchemaValidator.schemaDirectory) throws {
        var schemas: [String: JSONValue] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("\(Self.version).") && name.hasSuffix(".json") {
            let type = String(name.dropFirst(Self.version.count + 1).dropLast(5))
            schemas[type] = try JSONValue.parse(Array(try Data(contentsOf: directory.appendingPathComponent(name))))
        }
        self.schemas = schemas
    }

    /// Problems with `rule` (empty when it validates), each `path: message`.
    public func problems(_ rule: JSONValue) -> [String] {
        guard let type = rule["type"]?.stringValue else { return ["type: required property is missing"] }
        guard let schema = schemas[type] else { return ["type: no schema for rule type '\(type)'"] }
        var candidate = rule
        var problems: [String] = []
        if var members = candidate.objectValue, let required = members["required_fields"]?.arrayValue {
            // Kibana's API takes `{name, type}` (and ignores `ecs`); the schema's form is `{name, ecs}`.
            for (index, entry) in required.enumerated() where entry["type"]?.stringValue?.isEmpty != false {
                problems.append("required_fields/\(index)/type: Required")
            }
            members["required_fields"] = .array(required.map { entry in
                guard var field = entry.objectValue else { return entry }
                field["type"] = nil
                return .object(field)
            })
            candidate = .object(members)
        }
        if type == "new_terms", var members = candidate.objectValue {
            // The schema's form of the API's top-level keys (see Tests/KibanaSchemas/README.md).
            let window = members.removeValue(forKey: "history_window_start")?.stringValue ?? ""
            if !Self.isHistoryWindow(window) {
                problems.append("history_window_start: '\(window)' is not of the form now-<n><s|m|h|d>")
            }
            members["new_terms"] = .object([
                "field": .string("new_terms_fields"),
                "value": members.removeValue(forKey: "new_terms_fields") ?? .null,
                "history_window_start": .array([.object(["field": .string("history_window_start")])]),
            ])
            candidate = .object(members)
        }
        validate(candidate, against: schema, path: "", into: &problems)
        return problems
    }

    private func validate(_ value: JSONValue, against schema: JSONValue, path: String, into problems: inout [String]) {
        guard let keywords = schema.objectValue else { return }
        let here = path.isEmpty ? "(root)" : path
        for keyword in keywords.keys where !Self.annotations.contains(keyword) {
            switch keyword {
            case "type", "properties", "additionalProperties", "required", "enum", "pattern", "minLength",
                 "minimum", "maximum", "items", "minItems", "maxItems":
                continue
            default:
                problems.append("\(here): the fake's validator does not support schema keyword '\(keyword)'")
            }
        }
        if let type = keywords["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                problems.append("\(here): \(Self.describe(value)) is not of type \(allowed.joined(separator: ", "))")
                return
            }
        }
        if let choices = keywords["enum"]?.arrayValue, !choices.contains(value) {
            problems.append("\(here): \(Self.describe(value)) is not one of the allowed values")
        }
        if let text = value.stringValue {
            if let minimum = keywords["minLength"]?.intValue, text.count < minimum {
                problems.append("\(here): '\(text)' is shorter than \(minimum)")
            }
            if let pattern = keywords["pattern"]?.stringValue {
                let regex = try? NSRegularExpression(pattern: pattern)
                if regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    problems.append("\(here): '\(text)' does not match '\(pattern)'")
                }
            }
        }
        if case .number(let number) = value {
            if let minimum = keywords["minimum"]?.doubleValue, number < minimum {
                problems.append("\(here): \(number) is less than the minimum of \(minimum)")
            }
            if let maximum = keywords["maximum"]?.doubleValue, number > maximum {
                problems.append("\(here): \(number) is greater than the maximum of \(maximum)")
            }
        }
        if let elements = value.arrayValue {
            if let minimum = keywords["minItems"]?.intValue, elements.count < minimum {
                problems.append("\(here): fewer than \(minimum) items")
            }
            if let maximum = keywords["maxItems"]?.intValue, elements.count > maximum {
                problems.append("\(here): more than \(maximum) items")
            }
            if let items = keywords["items"] {
                for (index, element) in elements.enumerated() {
                    validate(element, against: items, path: "\(path.isEmpty ? "" : path)/\(index)", into: &problems)
                }
            }
        }
        if let members = value.objectValue {
            let properties = keywords["properties"]?.objectValue ?? [:]
            for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                problems.append("\(here): '\(name)' is a required property")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let memberPath = path.isEmpty ? name : "\(path)/\(name)"
                if let propertySchema = properties[name] {
                    validate(member, against: propertySchema, path: memberPath, into: &problems)
                } else if let additional = keywords["additionalProperties"] {
                    if additional == .bool(false) {
                        problems.append("\(here): additional property '\(name)' is not allowed")
                    } else if additional.objectValue != nil {
                        validate(member, against: additional, path: memberPath, into: &problems)
                    }
                }
            }
        }
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("null", .null), ("number", .number):
            return true
        case ("integer", .number(let number)):
            return number.rounded() == number
        default:
            return false
        }
    }

    static func describe(_ value: JSONValue) -> String {
        let text = String(decoding: value.serialized().prefix(60), as: UTF8.self)
        return text
    }
}
