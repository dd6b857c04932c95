/// Appends compact JSON to a byte buffer.
///
/// The mapper writes each document straight into bytes with it (one write per event, no
/// intermediate dictionaries); commas between members and elements are tracked here so callers
/// cannot produce malformed output by forgetting one.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// One entry per open container: true until its first member or element is written.
    private var firstInContainer: [Bool] = []
    /// True right after a key, when the next value must not be preceded by a comma.
    private var afterKey = false

    public init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        guard let isFirst = firstInContainer.last else { return }
        if isFirst {
            firstInContainer[firstInContainer.count - 1] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        firstInContainer.append(true)
    }

    public mutating func endObject() {
        firstInContainer.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        firstInContainer.append(true)
    }

    public mutating func endArray() {
        firstInContainer.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes a member name; the next call writes its value.
    public mutating func key(_ name: String) {
        separate()
        Self.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    public mutating func string(_ value: String) {
        separate()
        Self.appendQuoted(value, to: &bytes)
    }

    /// A string given as its UTF-8 (valid UTF-8, as a `String`'s).
    public mutating func string(utf8 value: UnsafeBufferPointer<UInt8>) {
        separate()
        Self.appendQuoted(utf8: value, to: &bytes)
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: Array("null".utf8))
    }

    /// Writes a number; integral values print without a fraction, non-finite values as null
    /// (JSON has no NaN or infinity).
    public mutating func number(_ value: Double) {
        separate()
        guard value.isFinite else {
            bytes.append(contentsOf: Array("null".utf8))
            return
        }
        if value.rounded() == value, abs(value) < 1e15 {
            bytes.append(contentsOf: Array(String(Int64(value)).utf8))
        } else {
            bytes.append(contentsOf: Array(String(value).utf8))
        }
    }

    public mutating func number(_ value: Int) {
        separate()
        bytes.append(contentsOf: Array(String(value).utf8))
    }

    /// Writes already-serialised JSON as one value (the caller vouches for its validity).
    public mutating func raw(_ json: some Sequence<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// Convenience: a string member.
    public mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// Writes a parsed value.
    public mutating func value(_ value: JSONValue, sortedKeys: Bool = false) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element, sortedKeys: sortedKeys) }
            endArray()
        case .object(let members):
            beginObject()
            let keys = sortedKeys ? members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } : Array(members.keys)
            for name in keys {
                key(name)
                self.value(members[name]!, sortedKeys: sortedKeys)
            }
            endObject()
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal, escaping quotes, backslashes and control characters.
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        text.withContiguousUTF8 { utf8 in appendQuoted(utf8: utf8, to: &bytes) }
    }

    /// The high bit of each byte of `word` (loaded little-endian) that is below 0x20, a quote or a
    /// backslash, by the "has a byte less than n" and "has a zero byte" word tricks. A borrow can
    /// also mark a byte above a marked one, never below it, so the mask is zero exactly when no
    /// byte qualifies and its lowest mark is exact: `trailingZeroBitCount / 8` is the offset of
    /// the first such byte.
    @inline(__always) static func escapeMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return control | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs)
    }

    /// One byte of what `escapeMask` marks in a word: below 0x20, a quote or a backslash.
    @inline(__always) static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// The offset of the first byte at or after `offset` that is below 0x20, a quote or a
    /// backslash, or `count` if there is none.
    @inline(__always)
    public static func firstEscapeCandidate(in base: UnsafePointer<UInt8>, from offset: Int, count: Int) -> Int {
        var offset = offset
        while offset &+ 8 <= count {
            let mask = escapeMask(UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
            if mask != 0 { return offset &+ mask.trailingZeroBitCount &>> 3 }
            offset &+= 8
        }
        while offset < count {
            if needsEscape(base[offset]) { return offset }
            offset &+= 1
        }
        return count
    }

    /// Whether `text` is ASCII that needs no escape (no byte above 0x7F, below 0x20, a quote or
    /// a backslash), so its bytes are exactly the text a JSON string literal of them decodes to:
    /// one pass, eight bytes at a time.
    public static func isUnescapedASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return true }
        let highs: UInt64 = 0x8080_8080_8080_8080
        var offset = 0
        while offset &+ 8 <= text.count {
            let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            if (word & highs) | escapeMask(word) != 0 { return false }
            offset &+= 8
        }
        while offset < text.count {
            if base[offset] >= 0x80 || needsEscape(base[offset]) { return false }
            offset &+= 1
        }
        return true
    }

    /// Appends UTF-8 bytes as a JSON string literal, escaped as `appendQuoted(_:to:)` escapes a
    /// `String`; the caller vouches that they are valid UTF-8. The escaped bytes are written into
    /// a stack buffer a piece at a time and reach `bytes` in one append per piece, since every
    /// `Array.append` pays for its capacity and uniqueness checks. A text with nothing to escape
    /// (an `_id`, most keys) is appended as it is, without the buffer.
    public static func appendQuoted(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        if let base = utf8.baseAddress, firstEscapeCandidate(in: base, from: 0, count: utf8.count) == utf8.count {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        // The most input bytes whose escaping fits the buffer whatever they hold.
        let piece = (chunkSize - 8) / 6
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunkSize) { chunk in
            let chunk = chunk.baseAddress!
            bytes.append(UInt8(ascii: "\""))
            var offset = 0
            while offset < utf8.count {
                let end = min(offset + piece, utf8.count)
                let written = writeEscaped(UnsafeBufferPointer(rebasing: utf8[offset..<end]), to: chunk)
                bytes.append(contentsOf: UnsafeBufferPointer(start: chunk, count: written))
                offset = end
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// The room `writeEscaped` needs for `count` input bytes: six for each (`\u00XX`), and the
    /// eight bytes a whole-word store can reach past the last one written.
    @inline(__always) public static func escapedCapacity(forCount count: Int) -> Int { 6 &* count &+ 8 }

    /// Writes UTF-8 bytes at `out` escaped as inside a JSON string literal (no quotes around),
    /// where `escapedCapacity(forCount:)` bytes are free, and returns how many it wrote. Eight
    /// bytes at a time: each word is stored whole and the write position advances past its clean
    /// bytes only (all eight, almost always), so a run needs no search and no copy call, and an
    /// event's dense quotes cost one escape each.
    public static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        writeEscaped(utf8, to: out, asciiOnly: false)!
    }

    /// `writeEscaped` for text that is usually ASCII (an event's own bytes): nil, with whatever
    /// it wrote to be ignored, as soon as a byte above 0x7F turns up. The check rides on the
    /// escape scan instead of a pass of its own before it.
    public static func writeEscapedIfASCII(_ utf8: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        writeEscaped(utf8, to: out, asciiOnly: true)
    }

    @inline(__always)
    private static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>, asciiOnly: Bool) -> Int? {
        guard let base = utf8.baseAddress else { return 0 }
        let count = utf8.count
        let highs: UInt64 = asciiOnly ? 0x8080_8080_8080_8080 : 0
        var offset = 0
        var written = 0
        while offset &+ 8 <= count {
            let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            UnsafeMutableRawPointer(out + written).storeBytes(of: word, as: UInt64.self)
            if word & highs != 0 { return nil }
            let mask = escapeMask(word)
            if mask == 0 {
                written &+= 8
                offset &+= 8
                continue
            }
            // The lowest mark is exact (see `escapeMask`): keep the bytes before it.
            let clean = mask.trailingZeroBitCount &>> 3
            written &+= clean &+ writeEscape(base[offset &+ clean], to: out + (written &+ clean))
            offset &+= clean &+ 1
        }
        // The last few bytes of a text at least a word long: the word that ends the text, shifted
        // down past the bytes already written, is checked and stored at once. The zero bytes
        // shifted in would count as control bytes, and are masked off (marks never spread down).
        let remaining = count &- offset
        if remaining > 0, count >= 8 {
            let unwritten = UInt64((8 &- remaining) &* 8)
            let word = UnsafeRawPointer(base + (count &- 8)).loadUnaligned(as: UInt64.self) &>> unwritten
            if word & highs != 0 { return nil }
            if escapeMask(word) & (UInt64.max &>> unwritten) == 0 {
                UnsafeMutableRawPointer(out + written).storeBytes(of: word, as: UInt64.self)
                return written &+ remaining
            }
        }
        while offset < count {
            let byte = base[offset]
            if asciiOnly, byte >= 0x80 { return nil }
            if needsEscape(byte) {
                written &+= writeEscape(byte, to: out + written)
            } else {
                out[written] = byte
                written &+= 1
            }
            offset &+= 1
        }
        return written
    }

    /// Writes UTF-8 bytes escaped as `writeEscaped` writes them, but never past the last byte it
    /// writes, so a buffer sized by `quotedLength` is enough: the runs between escapes are copied
    /// whole. For short texts written back to back (the bulk body's ids).
    public static func writeEscapedExactly(_ utf8: UnsafeBufferPointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let base = utf8.baseAddress else { return 0 }
        var offset = 0
        var written = 0
        while offset < utf8.count {
            let next = firstEscapeCandidate(in: base, from: offset, count: utf8.count)
            (out + written).update(from: base + offset, count: next &- offset)
            written &+= next &- offset
            guard next < utf8.count else { break }
            written &+= writeEscape(base[next], to: out + written)
            offset = next &+ 1
        }
        return written
    }

    /// The length of `text` as `appendQuoted` writes it, counted without writing it: its UTF-8
    /// bytes, one more for each short escape (`\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`), five
    /// more for each other control byte (`\u00XX`), and the two quotes.
    public static func quotedLength(of text: String) -> Int {
        text.withContiguousUTF8(quotedLength(utf8:))
    }

    /// The same for text given as its UTF-8.
    public static func quotedLength(utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var length = utf8.count + 2
        guard let base = utf8.baseAddress else { return length }
        var offset = firstEscapeCandidate(in: base, from: 0, count: utf8.count)
        while offset < utf8.count {
            length += hasShortEscape(base[offset]) ? 1 : 5
            offset = firstEscapeCandidate(in: base, from: offset + 1, count: utf8.count)
        }
        return length
    }

    private static let chunkSize = 512

    /// Whether `writeEscape` writes `byte` as a two-byte escape rather than `\u00XX`.
    static func hasShortEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: true
        default: false
        }
    }

    /// A byte below 0x20, a quote or a backslash, escaped as JSON requires at `out`; returns how
    /// many bytes that took (two, or six for `\u00XX`).
    @inline(__always) static func writeEscape(_ byte: UInt8, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = UInt8(ascii: "\\")
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out[1] = byte
        case 0x0A: out[1] = UInt8(ascii: "n")
        case 0x0D: out[1] = UInt8(ascii: "r")
        case 0x09: out[1] = UInt8(ascii: "t")
        case 0x08: out[1] = UInt8(ascii: "b")
        case 0x0C: out[1] = UInt8(ascii: "f")
        default:
            out[1] = UInt8(ascii: "u")
            out[2] = UInt8(ascii: "0")
            out[3] = UInt8(ascii: "0")
            out[4] = hexDigits[Int(byte >> 4)]
            out[5] = hexDigits[Int(byte & 0x0F)]
            return 6
        }
        return 2
    }
}
