import FakeKibana
import Foundation
import ShipperCore
import ShipperKibana
import ShipperPipeline
import Testing

/// The rule files against Elastic's published schemas (through Python's `jsonschema`, which we did
/// not write, and through the fake Kibana's validator), and the metadata the issue requires.
@Suite struct KibanaRuleFileTests {
    static let script = RuleFixtures.repository.appendingPathComponent("scripts/validate-kibana-rules.py").path

    @Test func everyRuleFileValidatesWithPythonJSONSchema() throws {
        let result = try RuleFixtures.run("python3", [Self.script])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("5 rule file(s) checked against the 9.4 schemas, 0 invalid"), "\(result.output)")
    }

    /// Broken copies must fail both validators, or passing proves nothing.
    static let mutations: [(String, @Sendable (inout [String: JSONValue]) -> Void)] = [
        ("rule_id not a UUID", { $0["rule_id"] = .string("mimecast-support-login") }),
        ("unknown property", { $0["alert_after"] = .string("5m") }),
        ("severity outside the enum", { $0["severity"] = .string("urgent") }),
        ("risk_score above 100", { $0["risk_score"] = .number(120) }),
        ("interval not a duration", { $0["interval"] = .string("five minutes") }),
        ("author missing", { $0["author"] = nil }),
        ("required_fields entry without ecs", { $0["required_fields"] = .array([.object(["name": .string("event.action")])]) }),
    ]

    @Test(arguments: 0..<mutations.count) func aBrokenRuleFailsBothValidators(_ index: Int) throws {
        let (label, mutate) = Self.mutations[index]
        var members = try #require(try RuleFixtures.rule("support-login.json").objectValue)
        mutate(&members)
        let broken = JSONValue.object(members)
        let path = NSTemporaryDirectory() + "broken-rule-\(UUID().uuidString).json"
        try Data(broken.serialized()).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let python = try RuleFixtures.run("python3", [Self.script, path])
        #expect(python.status == 1, "python accepted a rule with \(label): \(python.output)")
        #expect(!(try FakeKibana.ruleProblems(try KibanaContent.rule(from: broken).importBody)).isEmpty, "the fake accepted a rule with \(label)")
    }

    @Test func aNewTermsRuleWithABadHistoryWindowFailsBothValidators() throws {
        var members = try #require(try RuleFixtures.rule("support-login-new-source-ip.json").objectValue)
        members["history_window_start"] = .string("30 days")
        let path = NSTemporaryDirectory() + "broken-rule-\(UUID().uuidString).json"
        try Data(JSONValue.object(members).serialized()).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try RuleFixtures.run("python3", [Self.script, path]).status == 1)
        #expect(!(try FakeKibana.ruleProblems(try KibanaContent.rule(from: .object(members)).importBody)).isEmpty)
    }

    @Test func theFakeAcceptsEveryRuleAsImportedAndRefusesRequiredFieldsWithoutAType() throws {
        for (name, rule) in try RuleFixtures.ruleFiles() {
            #expect(try FakeKibana.ruleProblems(try KibanaContent.rule(from: rule).importBody) == [], "\(name)")
            // As in the file, without Kibana's `type`: real Kibana refuses it, so the fake must.
            #expect(try FakeKibana.ruleProblems(rule).contains { $0.hasSuffix("/type: Required") }, "\(name)")
        }
    }

    /// The `type` the installer adds to `required_fields` is the field's type in ECS.
    @Test func requiredFieldTypesAgreeWithECS() throws {
        let ecs = try JSONValue.parse(Array(try Data(contentsOf: RuleFixtures.repository.appendingPathComponent("Tests/ECSTests/Fixtures/ecs-subset.json"))))
        for (field, type) in KibanaContent.requiredFieldTypes {
            #expect(ecs["fields"]?[field]?["type"]?.stringValue == type, "\(field)")
        }
        for (name, rule) in try RuleFixtures.ruleFiles() {
            for entry in rule["required_fields"]?.arrayValue ?? [] {
                let field = try #require(entry["name"]?.stringValue)
                #expect(KibanaContent.requiredFieldTypes[field] != nil, "\(name): no type for \(field)")
            }
        }
    }

    @Test func everyRuleCarriesTheRequiredMetadata() throws {
        let files = try RuleFixtures.ruleFiles()
        #expect(files.count == 5)
        var ids = Set<String>()
        for (name, rule) in files {
            let id = try #require(rule["rule_id"]?.stringValue, "\(name)")
            #expect(UUID(uuidString: id) != nil && id == id.lowercased(), "\(name): rule_id must be a lowercase UUID")
            #expect(ids.insert(id).inserted, "\(name): duplicate rule_id")
            #expect((rule["version"]?.intValue ?? 0) >= 1, "\(name)")
            #expect(rule["author"]?.arrayValue?.isEmpty == false, "\(name)")
            #expect(rule["license"]?.stringValue?.isEmpty == false, "\(name)")
            #expect(rule["interval"]?.stringValue == "5m", "\(name)")
            #expect(rule["enabled"]?.boolValue == true, "\(name)")
            #expect((rule["note"]?.stringValue?.count ?? 0) > 200, "\(name): the investigation guide is missing")
            #expect(rule["investigation_fields"]?["field_names"]?.arrayValue?.isEmpty == false, "\(name)")
            #expect(rule["required_fields"]?.arrayValue?.isEmpty == false, "\(name)")
            for threat in rule["threat"]?.arrayValue ?? [] {
                #expect(threat["framework"]?.stringValue == "MITRE ATT&CK", "\(name)")
                #expect(threat["technique"]?.arrayValue?.isEmpty == false, "\(name): a tactic without a technique")
            }
        }
    }

    /// The look-back must cover the rule interval plus the shipper's lag and overlap and a 5-minute
    /// schedule, or an event the shipper indexes late is never seen by any rule run.
    @Test func everyLookBackCoversTheIntervalTheShippersLagOverlapAndSchedule() throws {
        let planner = WindowPlanner()
        let schedule: TimeInterval = 300
        let interval: TimeInterval = 300
        for (name, rule) in try RuleFixtures.ruleFiles() {
            let lookback = try RuleDocuments.lookback(try #require(rule["from"]?.stringValue))
            if rule["type"]?.stringValue == "esql" {
                // The absence rule's look-back is its 30-minute silence threshold.
                #expect(lookback == 1800, "\(name)")
                continue
            }
            var needed = interval + planner.lag + planner.overlap + schedule
            if rule["type"]?.stringValue == "eql" {
                needed += try EQLSequence(try #require(rule["query"]?.stringValue)).maxspan
            }
            #expect(lookback >= needed, "\(name): from covers \(lookback)s, needs \(needed)s")
        }
    }

    @Test func theEmbeddedContentMatchesTheFilesInKibana() throws {
        let directory = RuleFixtures.repository.appendingPathComponent("kibana")
        var onDisk: [String] = []
        for folder in ["rules", "saved_objects"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(folder).path) {
                onDisk.append("\(folder)/\(name)")
            }
        }
        #expect(EmbeddedKibanaContent.files.map(\.path) == onDisk.sorted(), "run scripts/embed-kibana.sh")
        for file in EmbeddedKibanaContent.files {
            var text = try String(contentsOf: directory.appendingPathComponent(file.path), encoding: .utf8)
            if text.hasSuffix("\n") { text.removeLast() }
            #expect(file.text == text, "\(file.path) differs from its embedded copy; run scripts/embed-kibana.sh")
        }
        #expect(try KibanaContent.rules().count == 5)
    }
}
