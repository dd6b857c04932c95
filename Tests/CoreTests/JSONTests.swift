import Foundation
import ShipperCore
import ShipperTestSupport
import Testing

@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"a": [1, -2.5e2, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(value["a"] == .array([.number(1), .number(-250), .bool(true), .bool(false), .null]))
        #expect(value["b"]?["c"]?.stringValue == "d")
        #expect(value["e"]?.stringValue == "")
        #expect(value["missing"] == nil)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue.parse(#"["a\"b\\c\/\n\t\u00e9\ud83d\ude00", "\ud800x"]"#)
        #expect(value.arrayValue?[0].stringValue == "a\"b\\c/\n\té😀")
        #expect(value.arrayValue?[1].stringValue == "\u{FFFD}x")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\u{01}\"", "tru", "[1] 2", "\"abc", "{\"a\":1,}", "\"\\x\""])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    /// The escapes `appendQuoted` must write, one byte at a time, without any shortcut.
    static func referenceQuoted(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in bytes {
            switch byte {
            case 0x22: out += Array(#"\""#.utf8)
            case 0x5C: out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0x08: out += Array(#"\b"#.utf8)
            case 0x0C: out += Array(#"\f"#.utf8)
            case ..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(0x22)
        return out
    }

    @Test func quotingEscapesEveryByteValueAtEveryPositionOfAWord() {
        // Up to six words (and the last word of each length), and across the 84-byte pieces
        // `appendQuoted` escapes at a time.
        for length in [1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 48, 49, 84, 85, 92] {
            for position in 0..<length {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = UInt8(value)
                    var out: [UInt8] = []
                    bytes.withUnsafeBufferPointer { JSONWriter.appendQuoted(utf8: $0, to: &out) }
                    #expect(out == Self.referenceQuoted(bytes), "length \(length) position \(position) byte \(value)")
                }
            }
        }
    }

    /// Every pair of byte values side by side, across a word and at its edges: a word with two
    /// marks (and the false marks a borrow can set above a true one: `#` after a quote, `]` after a
    /// backslash, a space after a control byte) escapes each byte as the reference does.
    @Test func quotingEscapesEveryPairOfAdjacentBytes() {
        let escaped = (0...255).map { Array(Self.referenceQuoted([UInt8($0)]).dropFirst().dropLast()) }
        for position in [0, 3, 6, 7, 15] {
            for first in 0...255 {
                for second in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 17)
                    bytes[position] = UInt8(first)
                    bytes[position + 1] = UInt8(second)
                    var out: [UInt8] = []
                    bytes.withUnsafeBufferPointer { JSONWriter.appendQuoted(utf8: $0, to: &out) }
                    let expected: [UInt8] = [0x22] + bytes.flatMap { escaped[Int($0)] } + [0x22]
                    if out != expected {
                        Issue.record("position \(position) bytes \(first) \(second)")
                        return
                    }
                }
            }
        }
    }

    @Test func quotingMatchesTheByteByByteReferenceOnRandomText() {
        var rng = SplitMix64(seed: 0x0E5C_0018)
        let alphabet: [UInt8] = Array("abcXYZ 09{}:,é".utf8) + [0x22, 0x5C, 0x00, 0x01, 0x0A, 0x1F, 0x7F, 0x80, 0xFF]
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...400, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            var out: [UInt8] = Array("prefix".utf8)
            bytes.withUnsafeBufferPointer { JSONWriter.appendQuoted(utf8: $0, to: &out) }
            #expect(out == Array("prefix".utf8) + Self.referenceQuoted(bytes))
        }
    }

    /// `writeEscapedIfASCII` gives up exactly when a byte above 0x7F is present, wherever it is
    /// (in a word, in the word that ends the text, in the last bytes), and otherwise writes what
    /// the byte-by-byte reference writes.
    @Test func escapingIfASCIIGivesUpExactlyOnAByteAboveASCII() {
        for length in [1, 5, 7, 8, 9, 13, 16, 17, 23, 30, 31, 32, 33, 40, 47, 48, 49] {
            for position in 0..<length {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = UInt8(value)
                    // A quote beside the probe, so words with an escape are checked too.
                    bytes[(position + 3) % length] = length > 3 ? 0x22 : bytes[(position + 3) % length]
                    var out = [UInt8](repeating: 0, count: JSONWriter.escapedCapacity(forCount: length))
                    let written = bytes.withUnsafeBufferPointer { input in
                        out.withUnsafeMutableBufferPointer { JSONWriter.writeEscapedIfASCII(input, to: $0.baseAddress!) }
                    }
                    if bytes.contains(where: { $0 >= 0x80 }) {
                        #expect(written == nil, "length \(length) position \(position) byte \(value)")
                    } else {
                        let expected = Array(Self.referenceQuoted(bytes).dropFirst().dropLast())
                        #expect(written.map { Array(out[..<$0]) } == expected, "length \(length) position \(position) byte \(value)")
                    }
                }
            }
        }
    }

    /// Strings dense with escapes of every kind, at every distance from each other, decode as
    /// Foundation's `JSONSerialization` decodes them (the parser copies the runs between escapes
    /// whole); a control byte is refused at its own offset wherever the run before it ends.
    @Test func stringsWithEscapesDecodeAsFoundationDecodesThem() throws {
        var rng = SplitMix64(seed: 0x5C5C_0018)
        let pieces = ["a", "bc", "defghij", "klmnopqrs", "é", "😀", #"\""#, #"\\"#, #"\/"#, #"\n"#, #"\t"#, #"\u00e9"#,
                      #"\ud83d\ude00"#, #"\u0000"#, " ", "0123456789abcdef"]
        for _ in 0..<3000 {
            let content = (0..<Int.random(in: 0...40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let literal = Array("[\"\(content)\"]".utf8)
            #expect(try JSONValue.parse(literal) == FoundationJSON.parse(literal), "\(content)")
        }
        for prefix in ["", #"a\n"#, #"\"abcdefghijk"#, #"\\"#] {
            let literal = Array("\"\(prefix)".utf8) + [0x01] + Array("x\"".utf8)
            #expect(throws: JSONParseError("control character in string", offset: literal.count - 3)) {
                try JSONValue.parse(literal)
            }
        }
    }

    /// Every byte value at every position of texts up to six words long: the one-pass test says
    /// what its plain definition says.
    @Test func unescapedASCIIIsDecidedForEveryByteAtEveryPosition() {
        for length in 1...49 {
            for position in 0..<length {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = UInt8(value)
                    let expected = value < 0x80 && value >= 0x20 && value != 0x22 && value != 0x5C
                    #expect(bytes.withUnsafeBufferPointer(JSONWriter.isUnescapedASCII) == expected)
                }
            }
        }
        #expect([UInt8]().withUnsafeBufferPointer(JSONWriter.isUnescapedASCII))
    }

    /// The first byte to escape, searched from every start near the front, for every byte value
    /// at every position of texts up to six words long: what a byte-by-byte search finds.
    @Test func firstEscapeCandidateIsTheFirstByteToEscape() {
        for length in 1...49 {
            for position in 0..<length {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = UInt8(value)
                    let toEscape = value < 0x20 || value == 0x22 || value == 0x5C
                    for start in 0...min(3, length) {
                        let expected = toEscape && position >= start ? position : length
                        let found = bytes.withUnsafeBufferPointer { JSONWriter.firstEscapeCandidate(in: $0.baseAddress!, from: start, count: length) }
                        if found != expected {
                            Issue.record("length \(length) position \(position) byte \(value) from \(start): \(found), expected \(expected)")
                            return
                        }
                    }
                }
            }
        }
    }

    /// The writers store whole words past the last byte they write: never past
    /// `escapedCapacity(forCount:)`, whatever the text (all control bytes write six bytes each,
    /// the most there is), at every length up to nearly nine words.
    @Test func escapingStaysWithinTheEscapedCapacity() {
        for length in 0...70 {
            for fill: UInt8 in [0x01, 0x22, UInt8(ascii: "a")] {
                for asciiOnly in [false, true] {
                    let bytes = [UInt8](repeating: fill, count: length)
                    let capacity = JSONWriter.escapedCapacity(forCount: length)
                    var out = [UInt8](repeating: 0xEE, count: capacity + 32)
                    let written = out.withUnsafeMutableBufferPointer { out in
                        bytes.withUnsafeBufferPointer {
                            asciiOnly ? JSONWriter.writeEscapedIfASCII($0, to: out.baseAddress!) : JSONWriter.writeEscaped($0, to: out.baseAddress!)
                        }
                    }
                    let expected = Array(Self.referenceQuoted(bytes).dropFirst().dropLast())
                    #expect(written == expected.count, "length \(length) byte \(fill)")
                    #expect(Array(out[..<expected.count]) == expected, "length \(length) byte \(fill)")
                    #expect(out[capacity...].allSatisfy { $0 == 0xEE }, "length \(length) byte \(fill) wrote past the capacity")
                }
            }
        }
    }

    /// The exact writer writes what the reference writes and not one byte past it: the bytes
    /// after its end keep a sentinel.
    @Test func exactEscapingMatchesTheReferenceAndStaysWithinItsLength() {
        var rng = SplitMix64(seed: 0x0E5C_0019)
        let alphabet: [UInt8] = Array("abcXYZ 09{}:,é".utf8) + [0x22, 0x5C, 0x00, 0x01, 0x0A, 0x1F, 0x7F, 0x80, 0xFF]
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...100, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let expected = Array(Self.referenceQuoted(bytes).dropFirst().dropLast())
            var out = [UInt8](repeating: 0xEE, count: expected.count + 16)
            let written = out.withUnsafeMutableBufferPointer { out in
                bytes.withUnsafeBufferPointer { JSONWriter.writeEscapedExactly($0, to: out.baseAddress!) }
            }
            #expect(written == expected.count)
            #expect(Array(out[..<expected.count]) == expected)
            #expect(out[expected.count...].allSatisfy { $0 == 0xEE })
        }
    }

    @Test func intValueIsNilOutsideIntsRangeInsteadOfTrapping() throws {
        #expect(try JSONValue.parse("9223372036854775808").intValue == nil)
        #expect(try JSONValue.parse("1e400").intValue == nil)
        #expect(try JSONValue.parse("-9223372036854775808").intValue == Int.min)
        #expect(try JSONValue.parse("9223372036854774784").intValue == 9_223_372_036_854_774_784)
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }

    @Test func writerRoundTripsThroughTheParser() throws {
        let original: JSONValue = .object([
            "text": .string("quote \" backslash \\ newline \n bell \u{07} é"),
            "list": .array([.number(1), .number(0.5), .null, .bool(true), .object([:]), .array([])]),
        ])
        let bytes = original.serialized()
        #expect(try JSONValue.parse(bytes) == original)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#"\u0007"#))
    }

    @Test func sortedSerialisationIsCanonical() throws {
        let first = try JSONValue.parse(#"{"b": 1, "a": {"z": 2, "y": 3}}"#)
        let second = try JSONValue.parse(#"{"a": {"y": 3, "z": 2}, "b": 1}"#)
        #expect(first.serialized(sortedKeys: true) == second.serialized(sortedKeys: true))
        #expect(String(decoding: first.serialized(sortedKeys: true), as: UTF8.self) == #"{"a":{"y":3,"z":2},"b":1}"#)
    }

    @Test func writerPlacesCommasBetweenMembersAndElements() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("a", "x")
        writer.key("b")
        writer.beginArray()
        writer.number(1)
        writer.string("two")
        writer.raw(Array(#"{"raw":true}"#.utf8))
        writer.endArray()
        writer.key("c")
        writer.null()
        writer.endObject()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"a":"x","b":[1,"two",{"raw":true}],"c":null}"#)
    }

    @Test func rawElementRangesAreTheExactBytes() throws {
        let text = #"{"meta": {"pagination": {"next": "x"}}, "data": [ {"id": "1", "s": "a]b"} , {"id":"2"},[3] ], "fail": []}"#
        let bytes = Array(text.utf8)
        let ranges = try #require(try JSONRawElements.ranges(ofArrayMember: "data", in: bytes))
        let elements = ranges.map { String(decoding: bytes[$0], as: UTF8.self) }
        #expect(elements == [#"{"id": "1", "s": "a]b"}"#, #"{"id":"2"}"#, "[3]"])
        #expect(try JSONRawElements.ranges(ofArrayMember: "fail", in: bytes) == [])
        #expect(try JSONRawElements.ranges(ofArrayMember: "absent", in: bytes) == nil)
        #expect(try JSONRawElements.ranges(ofArrayMember: "meta", in: bytes) == nil)
        #expect(throws: JSONParseError.self) { try JSONRawElements.ranges(ofArrayMember: "data", in: Array(#"{"data": [1, 2"#.utf8)) }
    }

    /// Found by `fuzz-mimecast-response` (Fuzz/README.md): skipping a value accepted strings that
    /// the parser rejects (a raw control character, an unknown escape), so a replay line could yield
    /// an event that is not JSON. Skipped values must now be exactly as valid as parsed ones.
    @Test(arguments: [
        Array(#"{"data":[{"id":"e","eventInfo":"Date: 2024-0"#.utf8) + [0x00, 0x00] + Array(#"02"}]}"#.utf8),
        Array(#"{"data":[{"id":"e","eventInfo":"a\qb"}]}"#.utf8),
        Array(#"{"data":["\u12"]}"#.utf8),
        Array(#"{"other":"\x","data":[]}"#.utf8),
        Array("{\"data\":[\"tab\there\"]}".utf8),
    ])
    func rawElementRangesRejectWhatTheParserRejects(_ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(bytes) }
        #expect(throws: JSONParseError.self) { try JSONRawElements.ranges(ofArrayMember: "data", in: bytes) }
    }

    @Test func rawElementRangesKeepValidEscapes() throws {
        let text = #"{"data":["a\"b\\c\/\b\f\n\r\t\u00e9\ud83d\ude00"]}"#
        let bytes = Array(text.utf8)
        let ranges = try #require(try JSONRawElements.ranges(ofArrayMember: "data", in: bytes))
        #expect(ranges.count == 1)
        let element = try #require(ranges.first)
        #expect(try JSONValue.parse(bytes[element]).stringValue == "a\"b\\c/\u{08}\u{0C}\n\r\té😀")
    }
}
