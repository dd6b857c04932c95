import Foundation
import ShipperCore
import ShipperECS
import ShipperPipeline

/// The repository's `kibana/` files and the bundled sample mapped to ECS, for the rule tests.
enum RuleFixtures {
    static var repository: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every rule file: name and parsed JSON.
    static func ruleFiles() throws -> [(name: String, rule: JSONValue)] {
        let directory = repository.appendingPathComponent("kibana/rules")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted().map { name in
            (name, try JSONValue.parse(Array(try Data(contentsOf: directory.appendingPathComponent(name)))))
        }
    }

    static func rule(_ name: String) throws -> JSONValue {
        guard let found = try ruleFiles().first(where: { $0.name == name })?.rule else {
            throw QueryParseError(description: "no rule file \(name)")
        }
        return found
    }

    /// The raw events of `samples/mimecast-audit-sample.ndjson` (the embedded copy).
    static func sampleEvents() throws -> [JSONValue] {
        try EmbeddedSample.contents.split(separator: "\n").flatMap { line in
            try JSONValue.parse(String(line))["data"]?.arrayValue ?? []
        }
    }

    /// The sample as the shipper indexes it.
    static func sampleDocuments() throws -> [JSONValue] {
        let mapper = ECSMapper()
        return try sampleEvents().map { event in
            let mapped = mapper.map(RawAuditEvent(bytes: event.serialized()), readAt: Date(timeIntervalSince1970: 1_714_650_000))
            return try JSONValue.parse(mapped.source)
        }
    }

    /// Runs a command, returning its exit status and combined output.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
