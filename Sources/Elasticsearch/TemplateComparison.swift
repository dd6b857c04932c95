import ShipperCore

/// Decides whether an installed resource already holds what the installer would send.
///
/// Elasticsearch answers a GET with more than was PUT (defaults such as `min_age: "0ms"` or
/// `data_stream.hidden`) and normalised (settings nested and as strings), so the comparison is
/// one-sided: every field that is sent must be present with an equal value; extra fields are fine.
/// Except inside `mappings`, where Elasticsearch adds nothing: there a field the cluster holds and
/// `mappings/` no longer has is a difference too, so removing a field is written, not "unchanged".
enum TemplateComparison {
    /// Dotted paths of the fields of `desired` that `installed` lacks or holds differently;
    /// empty when nothing needs writing.
    static func differences(installed: JSONValue, desired: JSONValue) -> [String] {
        var paths: [String] = []
        collect(installed: installed, desired: desired, path: "", strict: false, into: &paths)
        return paths
    }

    private static func collect(installed: JSONValue?, desired: JSONValue, path: String, strict: Bool, into paths: inout [String]) {
        let label = path.isEmpty ? "(root)" : path
        switch desired {
        case .object:
            guard let installedObject = installed.map(expandingDottedKeys)?.objectValue,
                  let desiredObject = expandingDottedKeys(desired).objectValue else {
                paths.append(label)
                return
            }
            for key in desiredObject.keys.sorted() {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                collect(installed: installedObject[key], desired: desiredObject[key]!, path: childPath,
                        strict: strict || key == "mappings", into: &paths)
            }
            if strict {
                for key in installedObject.keys.sorted() where desiredObject[key] == nil {
                    paths.append(path.isEmpty ? key : "\(path).\(key)")
                }
            }
        case .array(let desiredElements):
            guard let installedElements = installed?.arrayValue, installedElements.count == desiredElements.count else {
                paths.append(label)
                return
            }
            var elementPaths: [String] = []
            for (installedElement, desiredElement) in zip(installedElements, desiredElements) {
                collect(installed: installedElement, desired: desiredElement, path: label, strict: strict, into: &elementPaths)
            }
            if !elementPaths.isEmpty { paths.append(label) }
        case .null:
            if let installed, installed != .null { paths.append(label) }
        default:
            guard let installed, scalarsMatch(installed, desired) else {
                paths.append(label)
                return
            }
        }
    }

    /// Equal, or equal once both are written as text (settings come back as strings).
    static func scalarsMatch(_ installed: JSONValue, _ desired: JSONValue) -> Bool {
        if installed == desired { return true }
        guard let left = scalarText(installed), let right = scalarText(desired) else { return false }
        return left == right
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number: return String(decoding: value.serialized(), as: UTF8.self)
        default: return nil
        }
    }

    /// `{"index.lifecycle.name": x}` becomes `{"index": {"lifecycle": {"name": x}}}` (one level;
    /// nested objects are expanded as the comparison descends into them).
    static func expandingDottedKeys(_ value: JSONValue) -> JSONValue {
        guard let members = value.objectValue, members.keys.contains(where: { $0.contains(".") }) else { return value }
        var result: [String: JSONValue] = [:]
        for (key, member) in members {
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            result[parts[0]] = merge(result[parts[0]], nested(Array(parts.dropFirst()), member))
        }
        return .object(result)
    }

    private static func nested(_ path: [String], _ value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        return .object([first: nested(Array(path.dropFirst()), value)])
    }

    private static func merge(_ existing: JSONValue?, _ addition: JSONValue) -> JSONValue {
        guard let existing, let left = existing.objectValue, let right = addition.objectValue else { return addition }
        var merged = left
        for (key, value) in right {
            merged[key] = merge(merged[key], value)
        }
        return .object(merged)
    }
}
