#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A recursive-descent JSON parser over a byte buffer. One pass, no intermediate tokens; strings
/// without escapes are decoded straight from the buffer. Depth is limited so hostile input cannot
/// exhaust the stack.
struct JSONParser {
    static let maxDepth = 512

    let buffer: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == buffer.count else { throw fail("unexpected data after the value") }
        return value
    }

    func fail(_ reason: String) -> JSONParseError {
        JSONParseError(reason, offset: index)
    }

    mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < buffer.count else { throw fail("unexpected end of input") }
        switch buffer[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard buffer.count - index >= count else { throw fail("unexpected end of input") }
        let start = literal.utf8Start
        for offset in 0..<count where buffer[index + offset] != start[offset] {
            throw fail("invalid literal")
        }
        index += count
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let key = try parseString()
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            members[key] = try parseValue()
            skipWhitespace()
            guard index < buffer.count else { throw fail("unterminated object") }
            let next = buffer[index]
            index += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else { index -= 1; throw fail("expected ',' or '}'") }
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < buffer.count, buffer[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < buffer.count else { throw fail("unterminated array") }
            let next = buffer[index]
            index += 1
            if next == UInt8(ascii: "]") { return .array(elements) }
            guard next == UInt8(ascii: ",") else { index -= 1; throw fail("expected ',' or ']'") }
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        if buffer[index] == UInt8(ascii: "-") { index += 1 }
        guard index < buffer.count else { throw fail("truncated number") }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard skipDigits() > 0 else { throw fail("invalid number") }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw fail("invalid number fraction") }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "E") {
            index += 1
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard skipDigits() > 0 else { throw fail("invalid number exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
        guard let value = Double(text) else { throw JSONParseError("invalid number", offset: start) }
        return value
    }

    mutating func skipDigits() -> Int {
        let start = index
        while index < buffer.count, buffer[index] >= UInt8(ascii: "0"), buffer[index] <= UInt8(ascii: "9") {
            index += 1
        }
        return index - start
    }

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        guard let base = buffer.baseAddress else { throw fail("unterminated string") }
        // Fast path: no escapes, the text decoded straight from the buffer. The search reads a
        // word at a time; the byte it stops at is a quote, a backslash or a control byte.
        index = JSONWriter.firstEscapeCandidate(in: base, from: index, count: buffer.count)
        if index < buffer.count, buffer[index] == UInt8(ascii: "\"") {
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
            index += 1
            return text
        }
        // With escapes: the runs between them are appended whole, not a byte at a time (an
        // `eventInfo` with quoted names has dozens of escapes in a few hundred bytes).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(buffer.count - start, 1 << 12))
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
        while index < buffer.count {
            let byte = buffer[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: bytes, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                try appendEscape(to: &bytes)
            default:
                throw fail("control character in string")
            }
            let run = index
            index = JSONWriter.firstEscapeCandidate(in: base, from: index, count: buffer.count)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[run..<index]))
        }
        throw fail("unterminated string")
    }

    mutating func appendEscape(to bytes: inout [UInt8]) throws(JSONParseError) {
        guard index < buffer.count else { throw fail("unterminated escape") }
        let byte = buffer[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(byte)
        case UInt8(ascii: "b"): bytes.append(0x08)
        case UInt8(ascii: "f"): bytes.append(0x0C)
        case UInt8(ascii: "n"): bytes.append(0x0A)
        case UInt8(ascii: "r"): bytes.append(0x0D)
        case UInt8(ascii: "t"): bytes.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4()
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                if buffer.count - index >= 6, buffer[index] == UInt8(ascii: "\\"), buffer[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try parseHex4()
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        appendScalar(0xFFFD, to: &bytes)
                        scalar = low
                    }
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(scalar) {
                scalar = 0xFFFD
            }
            appendScalar(scalar, to: &bytes)
        default:
            index -= 1
            throw fail("invalid escape")
        }
    }

    mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard buffer.count - index >= 4 else { throw fail("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = buffer[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    func appendScalar(_ value: UInt32, to bytes: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    /// Skips a string starting at its opening quote, rejecting what `parseString` rejects (control
    /// characters, unknown or truncated escapes) so a skipped value is always valid JSON: raw
    /// element ranges become events, and an event that the mapper cannot parse must not get that far.
    mutating func skipString() throws(JSONParseError) {
        index += 1
        while index < buffer.count {
            // Most of a string is neither a quote, a backslash nor a control character: eight
            // bytes at a time to the first byte that is.
            let end = buffer.count
            if let base = buffer.baseAddress {
                index = JSONWriter.firstEscapeCandidate(in: base, from: index, count: end)
            }
            guard index < end else { break }
            let byte = buffer[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                guard index < buffer.count else { throw fail("unterminated escape") }
                switch buffer[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    index += 1
                    _ = try parseHex4()
                default:
                    throw fail("invalid escape")
                }
            case ..<0x20:
                throw fail("control character in string")
            default:
                index += 1
            }
        }
        throw fail("unterminated string")
    }

    /// Skips one value without building it; used to find raw element ranges.
    mutating func skipValue() throws(JSONParseError) {
        var none: JSONArrayRecording?
        try skipValue(recording: &none)
    }

    /// The same skip; when `recording` is not nil and the value is an array, the range of each of
    /// its elements is appended on the way (same checks, depth and errors), and of each element
    /// that is an object the ranges of its members too, so a caller that wants an array's
    /// elements, or the members of its objects, does not scan them a second time.
    mutating func skipValue(recording: inout JSONArrayRecording?) throws(JSONParseError) {
        guard index < buffer.count else { throw fail("unexpected end of input") }
        switch buffer[index] {
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "{"):
            var none: JSONArrayRecording?
            try skipObject(recordingMembersIn: &none)
        case UInt8(ascii: "["):
            try skipArray(recording: &recording)
        default:
            _ = try parseValue()
        }
    }

    /// Skips the array at `index`, recording its elements (and their members) when asked.
    private mutating func skipArray(recording: inout JSONArrayRecording?) throws(JSONParseError) {
        try enter()
        defer { depth -= 1 }
        if skipOpening(closing: UInt8(ascii: "]")) { return }
        while true {
            skipWhitespace()
            let elementStart = index
            if recording != nil, index < buffer.count, buffer[index] == UInt8(ascii: "{") {
                let firstMember = recording!.members.count
                try skipObject(recordingMembersIn: &recording)
                recording!.elementMembers.append(firstMember..<recording!.members.count)
            } else {
                try skipValue()
                recording?.elementMembers.append(nil)
            }
            recording?.elements.append(elementStart..<index)
            if try skipSeparator(closing: UInt8(ascii: "]")) { return }
        }
    }

    /// Skips the object at `index`; with a recording, appends where each of its members' name and
    /// value lie to its `members` (the values' own members are not recorded).
    private mutating func skipObject(recordingMembersIn recording: inout JSONArrayRecording?) throws(JSONParseError) {
        try enter()
        defer { depth -= 1 }
        if skipOpening(closing: UInt8(ascii: "}")) { return }
        while true {
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
            let keyStart = index
            try skipString()
            let key = keyStart..<index
            skipWhitespace()
            guard index < buffer.count, buffer[index] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            index += 1
            skipWhitespace()
            let valueStart = index
            try skipValue()
            recording?.members.append(JSONMemberLiteral(key: key, value: valueStart..<index))
            if try skipSeparator(closing: UInt8(ascii: "}")) { return }
        }
    }

    /// Past the opening bracket at `index`: true when the container is empty (its closing bracket
    /// consumed too).
    private mutating func skipOpening(closing close: UInt8) -> Bool {
        index += 1
        skipWhitespace()
        guard index < buffer.count, buffer[index] == close else { return false }
        index += 1
        return true
    }

    /// After a member or element: the comma before the next, or the container's closing bracket
    /// (then true), either one consumed.
    private mutating func skipSeparator(closing close: UInt8) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < buffer.count else { throw fail("unterminated container") }
        let next = buffer[index]
        index += 1
        if next == close { return true }
        guard next == UInt8(ascii: ",") else { index -= 1; throw fail("expected ',' or a closing bracket") }
        return false
    }
}
