import Foundation
import ShipperCore
@testable import ShipperECS
import Testing

/// Every document the mapper emits is ECS-valid against the committed ECS definitions.
@Suite struct ECSValidityTests {
    typealias S = ECSTestSupport
    let ecs = ECSDefinitions.shared

    @Test func fixtureMatchesTheVersionWeWrite() {
        #expect(ecs.version == ECSVersion.current)
        #expect(ecs.fields["source.ip"]?.type == "ip")
        #expect(ecs.fields["event.category"]?.expectedEventTypes?["iam"]?.contains("change") == true)
    }

    @Test func theCheckerRejectsWhatECSRejects() {
        let bad: JSONValue = .object([
            "source": .object(["ip": .string("not-an-ip")]),
            "event": .object(["category": .array([.string("email")]), "type": .array([.string("change")]), "outcome": .string("meh")]),
            "mimecast": .object(["TwoFA": .string("x")]),
            "user": .object(["nickname": .string("x")]),
            "related": .object(["ip": .string("192.0.2.1")]),
        ])
        let problems = ecs.violations(in: bad)
        #expect(problems.contains { $0.hasPrefix("source.ip") })
        #expect(problems.contains { $0.contains("does not allow event.type change") })
        #expect(problems.contains { $0.hasPrefix("event.outcome") })
        #expect(problems.contains { $0.hasPrefix("mimecast.TwoFA") })
        #expect(problems.contains { $0.hasPrefix("user.nickname") })
        #expect(problems.contains { $0.hasPrefix("related.ip") })
    }

    @Test func everyFieldTheMapperCanWriteIsAnECSFieldOrVendorField() {
        for field in ECSField.allCases where !field.path.hasPrefix("mimecast.") {
            #expect(ecs.fields[field.path] != nil, "\(field.path) is not in ECS \(ecs.version)")
        }
        #expect(Set(ECSField.allCases.map(\.path)).count == ECSField.allCases.count)
    }

    @Test func everyCategorisationRowIsAnAllowedPair() {
        for row in AuditTypeCategorisation.allRows {
            #expect(ecs.categorisationViolations(categories: row.categories, types: row.types) == [], "\(row)")
            #expect(!row.categories.isEmpty && !row.types.isEmpty)
            for category in row.categories { #expect(ecs.fields["event.category"]?.allowedValues?.contains(category) == true) }
            for type in row.types { #expect(ecs.fields["event.type"]?.allowedValues?.contains(type) == true) }
            if let outcome = row.outcome { #expect(ecs.fields["event.outcome"]?.allowedValues?.contains(outcome) == true) }
        }
    }

    @Test(arguments: GoldenEvents.all)
    func goldenDocumentsAreValid(_ golden: GoldenCase) {
        let (_, document) = S.map(golden.event)
        #expect(ecs.violations(in: document) == [])
    }

    @Test func everySampleEventMapsToAValidDocument() throws {
        let events = try S.sampleEvents()
        #expect(events.count == (try S.sampleTotalCount()))
        var ids = Set<String>()
        for event in events {
            let (mapped, document) = S.map(event)
            #expect(!mapped.isPipelineError, "\(String(decoding: event.bytes, as: UTF8.self))")
            #expect(ecs.violations(in: document) == [], "\(String(decoding: event.bytes, as: UTF8.self))")
            #expect(S.string(document, "event.original") == String(decoding: event.bytes, as: UTF8.self))
            #expect(S.strings(document, "event.category") != nil, "every sample audit type is categorised")
            ids.insert(mapped.id)
        }
        #expect(ids.count == events.count)
    }
}
