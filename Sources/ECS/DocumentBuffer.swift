import ShipperCore

/// The bytes of a document's values, written through a pointer into an array kept at its full
/// length, with the length in use counted apart.
///
/// `Array.append` checks capacity and uniqueness and copies through a generic path on every
/// call, a hundred-odd instructions for each of the thirty values of a document, and an array
/// has no way to be written past its count; here a value costs one uniqueness check and its
/// own bytes.
struct DocumentBuffer {
    /// Only `bytes[0..<count]` is written; the rest is room (zeros, or an earlier document's).
    private(set) var bytes: [UInt8]
    private(set) var count = 0

    init(capacity: Int) {
        bytes = [UInt8](repeating: 0, count: capacity)
    }

    /// Empty again, its room kept for the next document.
    mutating func removeAll() {
        count = 0
    }

    /// Lets `body` write at most `maximum` bytes at the end and keeps the number it returns.
    mutating func write(atMost maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if bytes.count &- count < maximum {
            bytes += repeatElement(0, count: max(count &+ maximum, 2 &* bytes.count) &- bytes.count)
        }
        let end = count
        count = bytes.withUnsafeMutableBufferPointer { room in
            let written = body(room.baseAddress! + end)
            precondition(written <= maximum, "a document value overran its room")
            return end &+ written
        }
    }

    mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        write(atMost: source.count) { out in
            if let base = source.baseAddress { ShortCopy.copy(base, to: out, count: source.count) }
            return source.count
        }
    }

    mutating func append(_ byte: UInt8) {
        write(atMost: 1) { out in
            out.pointee = byte
            return 1
        }
    }

    /// Lets `body` write at most `maximum` bytes between two quotes, keeping the number it returns.
    mutating func writeQuoted(atMost maximum: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        write(atMost: maximum &+ 2) { out in
            out.pointee = UInt8(ascii: "\"")
            let written = body(out + 1)
            out[written &+ 1] = UInt8(ascii: "\"")
            return written &+ 2
        }
    }

    /// `utf8` (valid UTF-8) as a JSON string literal. `plain` text (ASCII with nothing to escape,
    /// as the caller knows from where it lies) is copied as it is, without looking for escapes.
    mutating func appendQuoted(utf8: UnsafeBufferPointer<UInt8>, plain: Bool = false) {
        guard plain else {
            writeQuoted(atMost: JSONWriter.escapedCapacity(forCount: utf8.count)) { JSONWriter.writeEscaped(utf8, to: $0) }
            return
        }
        assert(JSONWriter.isUnescapedASCII(utf8), "text said to be plain needs escaping")
        writeQuoted(atMost: utf8.count) { out in
            if let base = utf8.baseAddress { ShortCopy.copy(base, to: out, count: utf8.count) }
            return utf8.count
        }
    }

    /// `utf8` as a JSON string literal if it is all ASCII, else nothing; whether it was written.
    mutating func appendQuotedIfASCII(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var ascii = true
        write(atMost: JSONWriter.escapedCapacity(forCount: utf8.count) &+ 2) { out in
            guard let written = JSONWriter.writeEscapedIfASCII(utf8, to: out + 1) else {
                ascii = false
                return 0
            }
            out.pointee = UInt8(ascii: "\"")
            out[written &+ 1] = UInt8(ascii: "\"")
            return written &+ 2
        }
        return ascii
    }

    mutating func appendQuoted(_ text: String) {
        text.withContiguousUTF8 { appendQuoted(utf8: $0) }
    }
}
