import Synchronization

/// The fields an event's `auditType` and `category` alone decide (`event.action`,
/// `event.category`, `event.type`, `event.outcome`, `mimecast.audit_type`, `mimecast.category`),
/// each already JSON (empty when the field is left out).
///
/// A run sees a few dozen distinct pairs across millions of events, and folding the texts and
/// looking them up in the categorisation tables costs more than finding the pair's rendering
/// again, so `ClassificationCache` renders each pair once.
final class ClassificationFields: Sendable {
    let action: [UInt8]
    let categories: [UInt8]
    let types: [UInt8]
    let outcome: [UInt8]
    let auditType: [UInt8]
    let category: [UInt8]

    init(auditType: String?, category: String?) {
        action = ECSDocument.quoted(auditType.map(EventFieldMapping.action))
        let categorisation = EventCategorisation.lookup(auditType: auditType, category: category)
        categories = ECSDocument.quoted(categorisation?.categories ?? [])
        types = ECSDocument.quoted(categorisation?.types ?? [])
        outcome = ECSDocument.quoted(categorisation?.outcome)
        self.auditType = ECSDocument.quoted(auditType)
        self.category = ECSDocument.quoted(category)
    }
}

/// The rendered `ClassificationFields` of the pairs seen so far, shared by the copies of one
/// mapper. Bounded: past `capacity` distinct pairs (hostile or broken input) new pairs are
/// rendered for each event instead of kept.
final class ClassificationCache: Sendable {
    private struct Key: Hashable {
        var auditType: String?
        var category: String?
    }

    static let capacity = 1024
    private let entries = Mutex<[Key: ClassificationFields]>([:])

    func fields(auditType: String?, category: String?) -> ClassificationFields {
        let key = Key(auditType: auditType, category: category)
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let fields = ClassificationFields(auditType: auditType, category: category)
        entries.withLock { entries in
            if entries.count < Self.capacity { entries[key] = fields }
        }
        return fields
    }

    var count: Int { entries.withLock { $0.count } }
}
