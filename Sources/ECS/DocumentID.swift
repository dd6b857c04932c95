import Crypto

/// The Elasticsearch `_id` of a mapped event.
///
/// A hash of Mimecast's own stable `id` makes re-reads and retries idempotent and keeps ids short
/// and URL-safe whatever Mimecast puts in `id`. Events without an `id` hash their canonical JSON
/// (sorted keys), so the same content still always gets the same `_id`; unparseable input hashes
/// its raw bytes.
enum DocumentID {
    /// A text `id` hashes as it is (the `_id`s of every stored document depend on it); a numeric
    /// one hashes with a prefix no text id can produce alone, so `12345` and `"12345"` differ.
    static func forMimecastID(_ id: String, numeric: Bool = false) -> String {
        hash(Array(((numeric ? "\u{0}number:" : "") + id).utf8))
    }

    static func forContent(_ bytes: [UInt8]) -> String { hash(bytes) }

    /// base64url (RFC 4648 §5) of SHA-256, without padding: 43 characters.
    static func hash(_ bytes: [UInt8]) -> String {
        let digest = SHA256.hash(data: bytes)
        return base64URL(Array(digest))
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URL(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            let available = min(bytes.count - index, 3)
            for position in 0...available {
                out.append(alphabet[Int(triple >> (18 - 6 * UInt32(position)) & 0x3F)])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
