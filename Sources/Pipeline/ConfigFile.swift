#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// The optional `--config` file: the same variable names as the environment, one `NAME=value`
/// per line (`#` comments, optional `export `, optional quotes), i.e. a systemd `EnvironmentFile`
/// or a Docker `--env-file`. One vocabulary for every way of configuring the tool.
public enum ConfigFile {
    public static func load(path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("config file \(path) cannot be read; check --config and the file's permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("config file \(path) is not UTF-8 text")
        }
        for (line, key) in try keyedLines(text, name: path) where !ConfigurationVariables.isKnown(key) {
            throw ConfigurationError("config file \(path) line \(line): \(key) is not a setting mimecast-shipper reads; fix the name (see --help for the list) or remove the line")
        }
        return try parse(text, name: path)
    }

    /// The line number and name of every setting in `text`.
    static func keyedLines(_ text: String, name: String) throws -> [(line: Int, key: String)] {
        try entries(text, name: name).map { ($0.line, $0.key) }
    }

    public static func parse(_ text: String, name: String) throws -> [String: String] {
        var values: [String: String] = [:]
        for entry in try entries(text, name: name) {
            values[entry.key] = entry.value
        }
        return values
    }

    private static func entries(_ text: String, name: String) throws -> [(line: Int, key: String, value: String)] {
        var entries: [(line: Int, key: String, value: String)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingWhitespace()
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingWhitespace() }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError("config file \(name) line \(index + 1): expected NAME=value")
            }
            let key = line[..<equals].trimmingWhitespace()
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw ConfigurationError("config file \(name) line \(index + 1): '\(key)' is not a variable name")
            }
            var value = line[line.index(after: equals)...].trimmingWhitespace()
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            entries.append((index + 1, key, value))
        }
        return entries
    }

    /// The environment the tool resolves settings from: the process environment over the file.
    public static func effectiveEnvironment(process: [String: String], file: [String: String]) -> [String: String] {
        file.merging(process) { _, fromProcess in fromProcess }
    }
}
