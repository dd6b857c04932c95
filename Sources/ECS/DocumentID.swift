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
        id.withContiguousUTF8 { digest(forMimecastID: $0, numeric: numeric).withUnsafeBytes(base64URL) }
    }

    /// The SHA-256 an id is the base64url of, from the id's UTF-8 (borrowed where it lies in the
    /// event); the mapper writes its base64url next to the document (`write(_:to:)`).
    static func digest(forMimecastID id: UnsafeBufferPointer<UInt8>, numeric: Bool) -> SHA256Digest {
        var hasher = SHA256()
        if numeric { hasher.update(data: numericPrefix) }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(id))
        return hasher.finalize()
    }

    /// The length of every id: base64url of 32 bytes, without padding.
    static let length = 43

    /// The id of `digest` written at `out` (which has room for `length` bytes): what a mapped
    /// document's id is, written where its document is rather than made a string.
    static func write(_ digest: SHA256Digest, to out: UnsafeMutablePointer<UInt8>) -> Int {
        digest.withUnsafeBytes { writeBase64URL($0, to: out) }
    }

    private static let numericPrefix = Array("\u{0}number:".utf8)

    static func forContent(_ bytes: [UInt8]) -> String { hash(bytes) }

    /// base64url (RFC 4648 §5) of SHA-256, without padding: 43 characters.
    static func hash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).withUnsafeBytes(base64URL)
    }

    /// A `StaticString`, read through its pointer: an array's buffer cost a retain and a release
    /// (and a lazy global's check) per id.
    private static let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

    static func base64URL(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes(base64URL)
    }

    /// Written straight into the string's storage: one per event, so no intermediate array. Whole
    /// groups of three bytes give four characters each; a last one or two bytes give two or three.
    static func base64URL(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: (bytes.count * 4 + 2) / 3) { out in
            out.baseAddress.map { writeBase64URL(bytes, to: $0) } ?? 0
        }
    }

    /// base64url of `bytes` at `base`, which has room for `(bytes.count × 4 + 2) / 3` bytes;
    /// the number written.
    static func writeBase64URL(_ bytes: UnsafeRawBufferPointer, to base: UnsafeMutablePointer<UInt8>) -> Int {
        let table = alphabet.utf8Start
        var written = 0
        var index = 0
        /// The characters of `group`'s six-bit digits, from the highest, `characters` of them.
        func put(_ group: UInt32, characters: Int) {
            base[written] = table[Int(group &>> 18)]
            base[written &+ 1] = table[Int(group &>> 12 & 0x3F)]
            if characters > 2 { base[written &+ 2] = table[Int(group &>> 6 & 0x3F)] }
            if characters > 3 { base[written &+ 3] = table[Int(group & 0x3F)] }
            written &+= characters
        }
        while index &+ 3 <= bytes.count {
            put(UInt32(bytes[index]) << 16 | UInt32(bytes[index &+ 1]) << 8 | UInt32(bytes[index &+ 2]), characters: 4)
            index &+= 3
        }
        let rest = bytes.count &- index
        if rest > 0 {
            let second = rest > 1 ? UInt32(bytes[index &+ 1]) : 0
            put(UInt32(bytes[index]) << 16 | second << 8, characters: rest &+ 1)
        }
        return written
    }
}
