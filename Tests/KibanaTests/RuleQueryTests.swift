import Foundation
import ShipperCore
import ShipperECS
import ShipperPipeline
import Testing

/// Each rule's query uses only fields the shipper writes, and does what its description says when
/// run over the bundled sample (mapped by the real mapper) and over real heartbeat documents.
@Suite struct RuleQueryTests {
    /// Fields the GeoIP ingest pipeline adds (mappings/ingest-pipeline.json).
    static let pipelineFieldPrefixes = ["source.geo.", "source.as."]

    static func queryFields(_ rule: JSONValue) throws -> [String] {
        let query = try #require(rule["query"]?.stringValue)
        switch rule["type"]?.stringValue {
        case "query", "new_terms":
            #expect(rule["language"]?.stringValue == "kuery")
            var fields = try ConditionParser.parse(query, dialect: .kql).fields
            fields += rule["new_terms_fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return fields
        case "eql":
            return try EQLSequence(query).fields
        case "esql":
            return try ESQLCountQuery(query).fields
        default:
            throw QueryParseError(description: "unexpected rule type")
        }
    }

    @Test func queriesAndRequiredFieldsUseOnlyFieldsTheMapperOrTheHeartbeatWrites() throws {
        let written = Set(ECSFieldCatalogue.paths + Heartbeat.fieldPaths)
        #expect(written.contains("event.action") && written.contains("mimecast.shipper.events"))
        for (name, rule) in try RuleFixtures.ruleFiles() {
            let fields = try Self.queryFields(rule)
            #expect(!fields.isEmpty, "\(name): no field found in the query")
            for field in fields {
                #expect(written.contains(field), "\(name) queries \(field), which neither the mapper nor the heartbeat writes")
            }
            for required in rule["required_fields"]?.arrayValue ?? [] {
                let field = try #require(required["name"]?.stringValue)
                #expect(written.contains(field), "\(name) requires \(field)")
            }
            for field in rule["investigation_fields"]?["field_names"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                let enriched = Self.pipelineFieldPrefixes.contains { field.hasPrefix($0) }
                #expect(written.contains(field) || enriched, "\(name) shows \(field), which nothing writes")
            }
        }
    }

    @Test func theFieldCheckNoticesAFieldNobodyWrites() throws {
        let fields = try Self.queryFields(.object([
            "type": .string("query"), "language": .string("kuery"),
            "query": .string(#"event.action : "x" and mimecast.support_agent : "y""#),
        ]))
        #expect(fields.contains("mimecast.support_agent"))
        #expect(!Set(ECSFieldCatalogue.paths + Heartbeat.fieldPaths).contains("mimecast.support_agent"))
    }

    @Test func theSupportLoginRuleMatchesExactlyTheSamplesSupportLogins() throws {
        let rule = try RuleFixtures.rule("support-login.json")
        let condition = try ConditionParser.parse(try #require(rule["query"]?.stringValue), dialect: .kql)
        let expected = try RuleFixtures.sampleEvents().filter { $0["auditType"]?.stringValue == "Mimecast Support Login" }
            .compactMap { $0["id"]?.stringValue }
        #expect(expected.count == 2)
        let matched = try RuleFixtures.sampleDocuments().filter(condition.matches).compactMap { $0["event"]?["id"]?.stringValue }
        #expect(matched.sorted() == expected.sorted())
    }

    @Test func theSessionRuleFindsTheSupportLoginFollowedByItsChangeAndNothingElse() throws {
        let rule = try RuleFixtures.rule("support-session-change.json")
        let sequence = try EQLSequence(try #require(rule["query"]?.stringValue))
        #expect(sequence.byField == "user.email" && sequence.maxspan == 3600)
        let found = sequence.sequences(in: try RuleFixtures.sampleDocuments())
        #expect(found.count == 1)
        let chain = try #require(found.first)
        #expect(chain.map { $0["mimecast"]?["audit_type"]?.stringValue } == ["Mimecast Support Login", "Mimecast Support Action"])
        #expect(chain.allSatisfy { $0["user"]?["email"]?.stringValue == "support.agent@mimecast.example" })
        // The second support login (11:02) is followed by a policy change of another account: no alert.
    }

    @Test func theSessionRuleIgnoresAChangeAfterTheOneHourSpan() throws {
        let rule = try RuleFixtures.rule("support-session-change.json")
        let sequence = try EQLSequence(try #require(rule["query"]?.stringValue))
        var documents = try RuleFixtures.sampleDocuments()
        // Move the support action 61 minutes after the login.
        documents = documents.map { document in
            guard document["mimecast"]?["audit_type"]?.stringValue == "Mimecast Support Action", var members = document.objectValue else { return document }
            members["@timestamp"] = .string("2024-05-02T10:15:08.000Z")
            return .object(members)
        }
        #expect(sequence.sequences(in: documents).isEmpty)
    }

    @Test func theNewSourceIPRuleFiresOnlyForAddressesWithoutHistory() throws {
        let rule = try RuleFixtures.rule("support-login-new-source-ip.json")
        let condition = try ConditionParser.parse(try #require(rule["query"]?.stringValue), dialect: .kql)
        let field = try #require(rule["new_terms_fields"]?.arrayValue?.first?.stringValue)
        let history = try RuleDocuments.lookback(try #require(rule["history_window_start"]?.stringValue))
        let lookback = try RuleDocuments.lookback(try #require(rule["from"]?.stringValue))
        #expect(history == 30 * 86_400)
        let documents = try RuleFixtures.sampleDocuments().filter(condition.matches)

        func addresses(_ document: JSONValue) -> [String] {
            RuleDocuments.values(of: field, in: document).compactMap(\.stringValue)
        }
        func alerts(now: TimeInterval, in documents: [JSONValue]) -> [String] {
            let windowStart = now - lookback
            let seen = Set(documents.filter { (now - history..<windowStart).contains(RuleDocuments.time($0)) }.flatMap(addresses))
            var reported = Set<String>()
            return documents.filter { (windowStart...now).contains(RuleDocuments.time($0)) }.flatMap(addresses)
                .filter { !seen.contains($0) && reported.insert($0).inserted }
        }
        // 11:16: the 11:02 login's address (203.0.113.44) has no history; the 09:14 one is history.
        let at1116 = RuleDocuments.time(.object(["@timestamp": .string("2024-05-02T11:16:00Z")]))
        #expect(alerts(now: at1116, in: documents) == ["203.0.113.44"])
        // The same agent returning from the known address a day later: no alert.
        var returning = documents.first { addresses($0) == ["203.0.113.9"] }?.objectValue ?? [:]
        returning["@timestamp"] = .string("2024-05-03T09:00:00Z")
        let nextDay = RuleDocuments.time(.object(["@timestamp": .string("2024-05-03T09:05:00Z")]))
        #expect(alerts(now: nextDay, in: documents + [.object(returning)]).isEmpty)
    }

    @Test func thePrivilegeRuleMatchesTheRoleAssignmentAndNothingElse() throws {
        let rule = try RuleFixtures.rule("privilege-or-credential-change.json")
        let condition = try ConditionParser.parse(try #require(rule["query"]?.stringValue), dialect: .kql)
        let matched = try RuleFixtures.sampleDocuments().filter(condition.matches)
        #expect(matched.map { $0["mimecast"]?["audit_type"]?.stringValue } == ["Role Assigned"])
        // Every audit type the rule lists is one the mapper categorises as iam or configuration.
        let description = try #require(rule["description"]?.stringValue)
        for auditType in ["Role Assigned", "Role Created", "Role Updated", "Two Factor Authentication Reset", "API Application Created", "API Application Updated"] {
            #expect(description.contains(auditType))
            let event = JSONValue.object(["id": .string("x"), "auditType": .string(auditType), "eventTime": .string("2024-05-02T10:00:00+0000")])
            let document = try JSONValue.parse(ECSMapper().map(RawAuditEvent(bytes: event.serialized()), readAt: Date()).source)
            #expect(condition.matches(document), "\(auditType)")
            let category = RuleDocuments.values(of: "event.category", in: document)
            #expect(category == [.string("iam")] || category == [.string("configuration")], "\(auditType): \(category)")
        }
    }

    @Test func theHeartbeatRuleAlertsExactlyWhenNoHeartbeatArrivedInThirtyMinutes() throws {
        let rule = try RuleFixtures.rule("shipper-heartbeat-missing.json")
        let query = try ESQLCountQuery(try #require(rule["query"]?.stringValue))
        let lookback = try RuleDocuments.lookback(try #require(rule["from"]?.stringValue))
        let now = Date(timeIntervalSince1970: 1_714_650_000)
        func heartbeat(minutesAgo: Double, failed: Bool = false) throws -> (index: String, document: JSONValue) {
            let end = now.addingTimeInterval(-minutesAgo * 60)
            let beat = Heartbeat(summary: PassSummary(), status: failed ? .failure : .success, errorMessage: failed ? "Mimecast answered 401" : nil,
                                 startedAt: end.addingTimeInterval(-2), endedAt: end, namespace: "default", hostName: "shipper-1")
            return (beat.dataStream, try JSONValue.parse(beat.document))
        }
        func rows(_ documents: [(index: String, document: JSONValue)]) -> Int {
            query.rows(over: documents.filter { now.timeIntervalSince1970 - RuleDocuments.time($0.document) <= lookback })
        }
        #expect(rows([]) == 1)
        #expect(rows([try heartbeat(minutesAgo: 5)]) == 0)
        // A failed pass still proves the shipper runs; its failure is the dashboard's concern.
        #expect(rows([try heartbeat(minutesAgo: 5, failed: true)]) == 0)
        #expect(rows([try heartbeat(minutesAgo: 31), try heartbeat(minutesAgo: 45)]) == 1)
        // Audit events do not count as heartbeats.
        let audit = try RuleFixtures.sampleDocuments().map { (index: "logs-mimecast.audit-default", document: $0) }
        #expect(query.rows(over: audit) == 1)
    }
}
