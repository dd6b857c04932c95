import ShipperCore

/// A document id as the key of the page's table of ids (which finds two events of one page that
/// share an `_id`), hashed by its length and its first and last eight bytes.
///
/// The ids are base64url of SHA-256 digests, as random in those bytes as anywhere; hashing all 43
/// bytes with `Hasher` cost several hundred instructions per event. The two ends cover the one
/// kind of id that shares a prefix with another (the renamed later event of a pair). Equality is
/// the ids' own, so the table finds exactly what a table keyed by the ids finds.
///
/// An id of up to `inlineCapacity` bytes (every id the mapper makes) is held in the key itself,
/// copied from where the document holds it: a string per event cost an allocation.
struct PageIDKey: Hashable {
    static let inlineCapacity = 48

    /// The id's bytes, zero after its end, when it fits; else empty and the id is in `long`.
    private var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private var count = 0
    private var long: [UInt8]?

    init(id: String) {
        self = id.withContiguousUTF8(PageIDKey.init(utf8:))
    }

    init(document: MappedDocument) {
        self = document.withIDBytes(PageIDKey.init(utf8:))
    }

    init(utf8: UnsafeBufferPointer<UInt8>) {
        count = utf8.count
        guard utf8.count <= Self.inlineCapacity else {
            long = Array(utf8)
            return
        }
        withUnsafeMutableBytes(of: &words) { words in
            if let base = utf8.baseAddress { words.baseAddress!.copyMemory(from: base, byteCount: utf8.count) }
        }
    }

    static func == (lhs: PageIDKey, rhs: PageIDKey) -> Bool {
        lhs.count == rhs.count && lhs.words == rhs.words && lhs.long == rhs.long
    }

    func hash(into hasher: inout Hasher) {
        withBytes { bytes in
            guard bytes.count >= 8 else {
                hasher.combine(bytes: bytes)
                return
            }
            // One word for the hasher: its rounds, not the mixing here, spread the bits.
            let first = bytes.loadUnaligned(as: UInt64.self)
            let last = bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)
            hasher.combine(first ^ (last &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(bytes.count))
        }
    }

    /// The id's bytes, wherever the key holds them.
    private func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let long { return long.withUnsafeBytes(body) }
        return withUnsafeBytes(of: words) { body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }
}
