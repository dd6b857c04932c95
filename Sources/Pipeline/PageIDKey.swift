import ShipperCore

/// A document id as the key of the page's table of ids (which finds two events of one page that
/// share an `_id`), hashed by its length and its first and last eight bytes.
///
/// The ids are base64url of SHA-256 digests, as random in those bytes as anywhere; hashing all 43
/// bytes with `Hasher` cost several hundred instructions per event. The two ends cover the one
/// kind of id that shares a prefix with another (the renamed later event of a pair). Equality is
/// the ids' own, so the table finds exactly what a table keyed by the ids finds.
struct PageIDKey: Hashable {
    let id: String

    static func == (lhs: PageIDKey, rhs: PageIDKey) -> Bool {
        lhs.id == rhs.id
    }

    func hash(into hasher: inout Hasher) {
        id.withContiguousUTF8 { utf8 in
            guard utf8.count >= 8, let base = utf8.baseAddress else {
                hasher.combine(bytes: UnsafeRawBufferPointer(utf8))
                return
            }
            // One word for the hasher: its rounds, not the mixing here, spread the bits.
            let first = UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)
            let last = UnsafeRawPointer(base + (utf8.count - 8)).loadUnaligned(as: UInt64.self)
            hasher.combine(first ^ (last &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(utf8.count))
        }
    }
}
