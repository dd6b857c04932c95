import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// One detection rule from `kibana/rules/`, in Kibana's import format.
public struct KibanaRule: Sendable, Equatable {
    public let ruleID: String
    public let name: String
    public let version: Int
    /// The rule as in the file.
    public let body: JSONValue

    /// A digest of the file's rule; `install-kibana` stores it in the rule's `meta` so that a
    /// later run can tell an up-to-date rule from an outdated or hand-edited one.
    public var contentDigest: String { KibanaContent.digest(body) }

    /// The rule as imported: the file's rule with `meta.mimecast_shipper_content` set, and each
    /// `required_fields` entry given the `type` Kibana's API requires. (The published schema the
    /// files validate against has `{name, ecs}` only; Kibana takes `{name, type}` and ignores `ecs`.)
    public var importBody: JSONValue {
        guard var members = body.objectValue else { return body }
        var meta = members["meta"]?.objectValue ?? [:]
        meta[KibanaContent.digestKey] = .string(contentDigest)
        members["meta"] = .object(meta)
        if let required = members["required_fields"]?.arrayValue {
            members["required_fields"] = .array(required.map { entry in
                guard var field = entry.objectValue, let name = field["name"]?.stringValue,
                      let type = KibanaContent.requiredFieldTypes[name] else { return entry }
                field["type"] = .string(type)
                return .object(field)
            })
        }
        return .object(members)
    }
}

/// One saved object (dashboard, data view, Lens, map, saved search) from `kibana/saved_objects/`.
public struct KibanaSavedObject: Sendable, Equatable {
    public let type: String
    public let id: String
    public let title: String
    public let body: JSONValue
}

/// The rules and saved objects the binary carries, and the facts about them.
public enum KibanaContent {
    /// The oldest Kibana the content is made for: ES|QL rules and `investigation_fields` objects
    /// need 8.14, and the templates (`ecs@mappings`, `ignore_missing_pipeline`) need 8.13 or later.
    public static let minimumKibanaVersion = "8.14.0"
    /// The detection-rule schema version the rule files are validated against.
    public static let ruleSchemaVersion = "9.4"
    static let digestKey = "mimecast_shipper_content"
    /// The Elasticsearch type of each field a rule lists in `required_fields` (ECS 9.4's types;
    /// `KibanaContentTests` checks every listed field is here and agrees with the ECS definitions).
    public static let requiredFieldTypes: [String: String] = [
        "@timestamp": "date",
        "event.action": "keyword",
        "event.category": "keyword",
        "event.dataset": "keyword",
        "event.outcome": "keyword",
        "event.type": "keyword",
        "source.ip": "ip",
        "user.email": "keyword",
    ]
    static let dashboardID = "mimecast-shipper-provider-accountability"

    /// Every rule file, sorted by path. Throws on a file that is not a rule (a build mistake).
    public static func rules() throws -> [KibanaRule] {
        try EmbeddedKibanaContent.files.filter { $0.path.hasPrefix("rules/") }.map { file in
            try rule(from: try parse(file.text, path: file.path), source: file.path)
        }
    }

    /// A rule file's JSON as a rule; throws when `rule_id`, `name` or `version` is missing.
    public static func rule(from body: JSONValue, source: String = "rule") throws -> KibanaRule {
        guard let ruleID = body["rule_id"]?.stringValue, let name = body["name"]?.stringValue,
              let version = body["version"]?.intValue else {
            throw KibanaError.malformedResponse(request: "embedded \(source)", detail: "rule_id, name or version is missing")
        }
        return KibanaRule(ruleID: ruleID, name: name, version: version, body: body)
    }

    /// Every saved object, in file order.
    public static func savedObjects() throws -> [KibanaSavedObject] {
        var objects: [KibanaSavedObject] = []
        for file in EmbeddedKibanaContent.files where file.path.hasPrefix("saved_objects/") {
            for line in file.text.split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
                let body = try parse(String(line), path: file.path)
                guard let type = body["type"]?.stringValue, let id = body["id"]?.stringValue else {
                    throw KibanaError.malformedResponse(request: "embedded \(file.path)", detail: "an object lacks type or id")
                }
                let title = body["attributes"]?["title"]?.stringValue ?? id
                objects.append(KibanaSavedObject(type: type, id: id, title: title, body: body))
            }
        }
        return objects
    }

    /// The saved objects as imported: the dashboard's description ends with the digest of the
    /// whole set, which is how a later run recognises an unchanged installation.
    public static func savedObjectsForImport() throws -> (objects: [JSONValue], digest: String) {
        let objects = try savedObjects()
        let digest = digest(.array(objects.map(\.body)))
        let marked = objects.map { object -> JSONValue in
            guard object.type == "dashboard", object.id == dashboardID,
                  var members = object.body.objectValue, var attributes = members["attributes"]?.objectValue else {
                return object.body
            }
            attributes["description"] = .string(markedDescription(attributes["description"]?.stringValue ?? "", digest: digest))
            members["attributes"] = .object(attributes)
            return .object(members)
        }
        return (marked, digest)
    }

    static func markedDescription(_ description: String, digest: String) -> String {
        "\(description) [mimecast-shipper content \(digest)]"
    }

    /// One JSON document per line, each ending in a newline (Kibana's NDJSON).
    public static func ndjson(_ values: [JSONValue]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in values {
            bytes += value.serialized(sortedKeys: true)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// First 16 hex digits of the SHA-256 of the value with sorted keys.
    static func digest(_ value: JSONValue) -> String {
        let hash = SHA256.hash(data: value.serialized(sortedKeys: true))
        return hash.prefix(8).map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }

    private static func parse(_ text: String, path: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(Array(text.utf8))
        } catch {
            throw KibanaError.malformedResponse(request: "embedded \(path)", detail: "not JSON (\(error)); run scripts/embed-kibana.sh")
        }
    }
}
