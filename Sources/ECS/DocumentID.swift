import ShipperCore
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
        var hasher = SHA256()
        if numeric { hasher.update(data: numericPrefix) }
        id.withContiguousUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hasher.finalize().withUnsafeBytes(base64URL)
    }

    private static let numericPrefix = Array("\u{0}number:".utf8)

    static func forContent(_ bytes: [UInt8]) -> String { hash(bytes) }

    /// base64url (RFC 4648 §5) of SHA-256, without padding: 43 characters.
    static func hash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).withUnsafeBytes(base64URL)
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func base64URL(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes(base64URL)
    }

    /// Written straight into the string's storage: one per event, so no intermediate array.
    static func base64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        let length = (bytes.count * 4 + 2) / 3
        return alphabet.withUnsafeBufferPointer { alphabet in
            String(unsafeUninitializedCapacity: length) { out in
                var written = 0
                var index = 0
                while index < bytes.count {
                    let b0 = UInt32(bytes[index])
                    let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
                    let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
                    let triple = b0 << 16 | b1 << 8 | b2
                    let available = min(bytes.count - index, 3)
                    for position in 0...available {
                        out[written] = alphabet[Int(triple >> (18 - 6 * UInt32(position)) & 0x3F)]
                        written += 1
                    }
                    index += 3
                }
                return written
            }
        }
    }
}
