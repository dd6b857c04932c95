#if canImport(Glibc)
import Glibc
#endif
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

/// Where rendered `ClassificationFields` are kept and found by their pair: behind a lock for the
/// copies of one mapper (`ClassificationCache`), or without one for a mapping session.
///
/// Pairs are found by their UTF-8, read where it lies in the event: keyed by `String`s, every
/// event made two of them (two allocations) only to look them up. Two spellings are one pair only
/// when their bytes are equal.
protocol ClassificationStore {
    func find<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?) -> ClassificationFields?
    /// Keeps `fields` unless the store is full (`ClassificationPairTable.capacity` pairs).
    func keep<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?, _ fields: ClassificationFields)
}

extension ClassificationStore {
    func fields(of record: AuditEventRecord) -> ClassificationFields {
        // Spans of the event (the usual case) are read through a pointer: a slice of the
        // event's bytes for each was a retain and a release.
        guard record.auditType?.isSpan ?? true, record.category?.isSpan ?? true else {
            return fields(auditType: record.auditType.map(record.utf8), category: record.category.map(record.utf8))
        }
        return record.bytes.withUnsafeBufferPointer { buffer in
            func span(_ text: MemberText?) -> Slice<UnsafeBufferPointer<UInt8>>? {
                guard case .span(let range)? = text else { return nil }
                return buffer[range]
            }
            return fields(auditType: span(record.auditType), category: span(record.category))
        }
    }

    func fields(auditType: String?, category: String?) -> ClassificationFields {
        fields(auditType: auditType.map { Array($0.utf8)[...] }, category: category.map { Array($0.utf8)[...] })
    }

    /// Nil and empty are different keys, as they are different renderings.
    func fields<Text: ByteText>(auditType: Text?, category: Text?) -> ClassificationFields {
        let hash = ClassificationPairTable.hash(auditType, category)
        if let hit = find(hash: hash, auditType, category) { return hit }
        let fields = ClassificationFields(auditType: auditType.map { $0.withBytes { String(decoding: $0, as: UTF8.self) } },
                                          category: category.map { $0.withBytes { String(decoding: $0, as: UTF8.self) } })
        keep(hash: hash, auditType, category, fields)
        return fields
    }
}

/// The rendered `ClassificationFields` of the pairs seen so far, shared by the copies of one
/// mapper. Bounded: past `capacity` distinct pairs (hostile or broken input) new pairs are
/// rendered for each event instead of kept.
///
/// A run sees a few dozen distinct pairs across millions of events, and folding the texts and
/// looking them up in the categorisation tables costs more than finding the pair's rendering
/// again, so each pair is rendered once.
final class ClassificationCache: ClassificationStore, Sendable {
    static let capacity = ClassificationPairTable.capacity
    private let table = Mutex(ClassificationPairTable())

    func find<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?) -> ClassificationFields? {
        table.withLock { $0.find(hash: hash, auditType, category) }
    }

    func keep<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?, _ fields: ClassificationFields) {
        table.withLock { $0.insertIfRoom(hash: hash, auditType, category, fields) }
    }

    var count: Int { table.withLock { $0.count } }
}

/// An open-addressing hash table from a pair of byte strings to its rendering: a lookup hashes
/// the bytes where they lie and compares them, with nothing to allocate.
struct ClassificationPairTable: ~Copyable {
    private struct Entry {
        var hash: Int
        var auditType: [UInt8]?
        var category: [UInt8]?
        var fields: ClassificationFields
    }

    /// The most pairs kept; past it new pairs are rendered for each event instead.
    static let capacity = 1024
    /// Twice the capacity, a power of two, so a probe ends at an empty slot soon.
    private static let slotCount = 2 * capacity
    /// Index into `entries` plus one; zero is an empty slot.
    private var slots = [Int32](repeating: 0, count: slotCount)
    private var entries: [Entry] = []

    var count: Int { entries.count }

    /// A multiply-and-rotate hash over eight bytes at a time, seeded per process so crafted
    /// texts cannot aim at one slot, with a final mix so the low bits the table uses depend on
    /// every byte. Not `Hasher`: SipHash over the pair cost more than the rest of the lookup, and
    /// a table this small, compared by bytes, needs spread, not a keyed cryptographic hash.
    static func hash<Text: ByteText>(_ auditType: Text?, _ category: Text?) -> Int {
        var state = absorb(category, into: absorb(auditType, into: seed))
        state ^= state &>> 31
        state = state &* 0xBF58_476D_1CE4_E5B9
        state ^= state &>> 32
        return Int(truncatingIfNeeded: state)
    }

    /// Written as plain functions of the state: as closures capturing it, they cost hundreds of
    /// instructions per text.
    private static func absorb<Text: ByteText>(_ part: Text?, into state: UInt64) -> UInt64 {
        guard let part else { return mix(0xFFFF_FFFF_FFFF_FFFF, into: state) }
        let absorbed = part.withBytes { bytes in absorb(bytes, into: state) }
        return mix(UInt64(part.count), into: absorbed)
    }

    private static func absorb(_ bytes: UnsafeBufferPointer<UInt8>, into state: UInt64) -> UInt64 {
        var state = state
        var offset = 0
        while offset &+ 8 <= bytes.count {
            state = mix(UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self), into: state)
            offset &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) &<< shift
            shift &+= 8
            offset &+= 1
        }
        return mix(tail, into: state)
    }

    @inline(__always) private static func mix(_ word: UInt64, into state: UInt64) -> UInt64 {
        (((state &<< 5) | (state &>> 59)) ^ word) &* 0x517C_C1B7_2722_0A95
    }

    private static let seed = UInt64.random(in: .min ... .max)

    func find<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?) -> ClassificationFields? {
        var slot = hash & (Self.slotCount - 1)
        while slots[slot] != 0 {
            let entry = entries[Int(slots[slot]) - 1]
            if entry.hash == hash, Self.same(entry.auditType, auditType), Self.same(entry.category, category) { return entry.fields }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
        return nil
    }

    /// `insert` while fewer than `capacity` pairs are kept.
    mutating func insertIfRoom<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?, _ fields: ClassificationFields) {
        if count < Self.capacity { insert(hash: hash, auditType, category, fields) }
    }

    mutating func insert<Text: ByteText>(hash: Int, _ auditType: Text?, _ category: Text?, _ fields: ClassificationFields) {
        // Another task may have rendered the same pair meanwhile: keep one.
        guard find(hash: hash, auditType, category) == nil else { return }
        var slot = hash & (Self.slotCount - 1)
        while slots[slot] != 0 { slot = (slot + 1) & (Self.slotCount - 1) }
        entries.append(Entry(hash: hash, auditType: auditType.map(Array.init), category: category.map(Array.init), fields: fields))
        slots[slot] = Int32(entries.count)
    }

    private static func same<Text: ByteText>(_ kept: [UInt8]?, _ probe: Text?) -> Bool {
        switch (kept, probe) {
        case (nil, nil): true
        case let (kept?, probe?):
            kept.count == probe.count && kept.withUnsafeBytes { left in
                probe.withBytes { right in left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
            }
        default: false
        }
    }
}
