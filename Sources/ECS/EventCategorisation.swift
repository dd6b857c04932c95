/// ECS `event.category`, `event.type` and `event.outcome` for one kind of audit event.
///
/// Kept as plain values so the table in `AuditTypeCategorisation.swift` reads as data and the
/// validity test can check every row against ECS's allowed category/type pairs.
struct EventCategorisation: Sendable, Equatable {
    var categories: [String]
    var types: [String]
    /// `success`, `failure`, or nil when the audit type does not say.
    var outcome: String?

    init(_ categories: [String], _ types: [String], outcome: String? = nil) {
        self.categories = categories
        self.types = types
        self.outcome = outcome
    }

    static func authentication(_ types: [String], outcome: String) -> Self { .init(["authentication"], types, outcome: outcome) }
    static func iam(_ types: [String]) -> Self { .init(["iam"], types, outcome: "success") }
    static func configuration(_ types: [String]) -> Self { .init(["configuration"], types, outcome: "success") }
    static func web(_ types: [String]) -> Self { .init(["web"], types, outcome: "success") }
    static func file(_ types: [String]) -> Self { .init(["file"], types, outcome: "success") }
    static func email(_ types: [String]) -> Self { .init(["email"], types, outcome: "success") }

    /// The categorisation for an event: the `auditType` row if the table has one, else the row for
    /// its Mimecast `category`, else nothing (an unknown event is better uncategorised than
    /// mis-categorised). A fallback row's outcome is `failure` when the audit type says it failed
    /// and otherwise left out.
    static func lookup(auditType: String?, category: String?) -> EventCategorisation? {
        if let auditType, let row = AuditTypeCategorisation.byAuditType[normalisedKey(auditType)] {
            return row
        }
        guard let category, var row = AuditTypeCategorisation.byCategory[normalisedKey(category)] else { return nil }
        row.outcome = auditType.map { normalisedKey($0).contains("fail") } == true ? "failure" : nil
        return row
    }

    /// Lower case with runs of spaces, hyphens and underscores folded to one space, so
    /// `Logon  Authentication`, `logon-authentication` and `Logon Authentication` are one key.
    static func normalisedKey(_ text: String) -> String {
        ASCIIFolding.fold(text, separator: 0x20) { [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "-"), UInt8(ascii: "_")].contains($0) }
    }
}
