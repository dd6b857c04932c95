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
        id.withContiguousUTF8 { forMimecastID(utf8: $0, numeric: numeric) }
    }

    /// The same from the id's UTF-8, borrowed where it lies in the event.
    static func forMimecastID(utf8 id: UnsafeBufferPointer<UInt8>, numeric: Bool) -> String {
        var hasher = SHA256()
        if numeric { hasher.update(data: numericPrefix) }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(id))
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

    /// Written straight into the string's storage: one per event, so no intermediate array. Whole
    /// groups of three bytes give four characters each; a last one or two bytes give two or three.
    static func base64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        let length = (bytes.count * 4 + 2) / 3
        return alphabet.withUnsafeBufferPointer { alphabet in
            String(unsafeUninitializedCapacity: length) { out in
                func put(_ group: UInt32, characters: Int, at written: Int) {
                    for position in 0..<characters {
                        out[written &+ position] = alphabet[Int(group >> (18 &- 6 &* UInt32(position)) & 0x3F)]
                    }
                }
                var written = 0
                var index = 0
                while index &+ 3 <= bytes.count {
                    put(UInt32(bytes[index]) << 16 | UInt32(bytes[index &+ 1]) << 8 | UInt32(bytes[index &+ 2]), characters: 4, at: written)
                    written &+= 4
                    index &+= 3
                }
                let rest = bytes.count &- index
                if rest > 0 {
                    let second = rest > 1 ? UInt32(bytes[index &+ 1]) : 0
                    put(UInt32(bytes[index]) << 16 | second << 8, characters: rest &+ 1, at: written)
                    written &+= rest &+ 1
                }
                return written
            }
        }
    }
}
