import Foundation
import ShipperCore
import ShipperTestSupport
import Testing

/// The product's `JSONParser` against Foundation's `JSONSerialization` on thousands of random and
/// edge-case texts: both must accept the same texts and read the same values.
///
/// Deliberate exclusions, where the two may legitimately differ (RFC 8259 leaves them open or
/// Foundation has its own rules), so the generator never produces them:
/// - top-level scalars: RFC 8259 allows them and so does the product; Foundation only with
///   `.fragmentsAllowed`, which the oracle passes;
/// - duplicate object keys (RFC 8259: "names SHOULD be unique"; which one wins is unspecified);
/// - numbers outside Double's exact range (more than 15 significant digits, exponents beyond
///   ±300): Foundation returns Int64/UInt64/Decimal or refuses, the product reads Double;
/// - lone UTF-16 surrogates in `\u` escapes (RFC 8259 §8.2: behaviour unpredictable);
/// - invalid UTF-8 and NUL/UTF-16/UTF-32 byte patterns: Foundation sniffs the encoding from the
///   first bytes (RFC 8259 requires UTF-8), so mutations only insert printable ASCII, tab and
///   line breaks;
/// - nesting deeper than 20 (both have limits, at different depths);
/// - trailing commas (`[1,]`, `{"a":1,}`): Foundation on Linux accepts them, RFC 8259 does not and
///   neither does the product; where that is the only disagreement it is allowed, and
///   `trailingCommasAreRefused` pins the product's (standard) side.
@Suite struct JSONDifferentialTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case invalid
        case valid(JSONValue)

        var description: String {
            switch self {
            case .invalid: "invalid"
            case .valid(let value): "valid \(String(decoding: value.serialized(sortedKeys: true), as: UTF8.self))"
            }
        }
    }

    static func product(_ bytes: [UInt8]) -> Outcome {
        (try? JSONValue.parse(bytes)).map(Outcome.valid) ?? .invalid
    }

    static func foundation(_ bytes: [UInt8]) -> Outcome {
        (try? FoundationJSON.parse(bytes)).map(Outcome.valid) ?? .invalid
    }

    /// Texts the two must agree on; returns the disagreements.
    static func disagreements(_ texts: [[UInt8]]) -> [String] {
        texts.compactMap { text in
            let ours = product(text)
            let theirs = foundation(text)
            guard ours != theirs else { return nil }
            if ours == .invalid, hasTrailingComma(text) { return nil }
            // Mutations can split a surrogate pair or overflow a number: excluded categories
            // (see above), recognisable by the product's U+FFFD for a lone surrogate and its
            // infinite Double for an overflowing number.
            if theirs == .invalid, case .valid(let value) = ours,
               containsLoneSurrogateReplacement(value, in: text) || containsNonFinite(value) { return nil }
            return "\(String(reflecting: String(decoding: text.prefix(120), as: UTF8.self))): product \(ours), JSONSerialization \(theirs)"
        }
    }

    static func containsLoneSurrogateReplacement(_ value: JSONValue, in text: [UInt8]) -> Bool {
        let replacement = "\u{FFFD}"
        guard !String(decoding: text, as: UTF8.self).contains(replacement) else { return false }
        return String(decoding: value.serialized(), as: UTF8.self).contains(replacement)
    }

    static func containsNonFinite(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let number): !number.isFinite
        case .array(let elements): elements.contains(where: containsNonFinite)
        case .object(let members): members.values.contains(where: containsNonFinite)
        default: false
        }
    }

    /// A `,` followed (after JSON whitespace) by `]` or `}`.
    static func hasTrailingComma(_ text: [UInt8]) -> Bool {
        var lastSignificant: UInt8?
        for byte in text where ![0x20, 0x09, 0x0A, 0x0D].contains(byte) {
            if lastSignificant == UInt8(ascii: ","), byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { return true }
            lastSignificant = byte
        }
        return false
    }

    // MARK: Generator

    struct Generator {
        var random: SplitMix64

        mutating func chance(_ oneIn: Int) -> Bool { Int.random(in: 0..<oneIn, using: &random) == 0 }

        mutating func whitespace() -> String {
            guard chance(3) else { return "" }
            return String((0..<Int.random(in: 1...3, using: &random)).map { _ in [" ", "\t", "\n", "\r"].randomElement(using: &random)! })
        }

        mutating func number() -> String {
            var text = chance(3) ? "-" : ""
            if chance(4) {
                text += "0"
            } else {
                text += String(Int.random(in: 1...9, using: &random))
                text += String((0..<Int.random(in: 0...6, using: &random)).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
            }
            if chance(2) {
                text += "." + String((0..<Int.random(in: 1...6, using: &random)).map { _ in Character(String(Int.random(in: 0...9, using: &random))) })
            }
            if chance(3) {
                text += ["e", "E"].randomElement(using: &random)! + ["", "+", "-"].randomElement(using: &random)!
                text += String(Int.random(in: 0...40, using: &random))
            }
            return text
        }

        static let pieces = ["a", "Z", "0", " ", "é", "ß", "中", "😀", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
                             "\\u0041", "\\u00e9", "\\u4e2d", "\\ud83d\\ude00", "\\u0000", "\\u001f", "'", ",", ":", "{", "]"]

        mutating func string() -> String {
            "\"" + (0..<Int.random(in: 0...8, using: &random)).map { _ in Self.pieces.randomElement(using: &random)! }.joined() + "\""
        }

        mutating func value(depth: Int) -> String {
            let kind = depth > 4 ? Int.random(in: 0..<5, using: &random) : Int.random(in: 0..<7, using: &random)
            switch kind {
            case 0: return "null"
            case 1: return chance(2) ? "true" : "false"
            case 2: return number()
            case 3, 4: return string()
            case 5:
                let count = Int.random(in: 0...4, using: &random)
                let elements = (0..<count).map { _ in whitespace() + value(depth: depth + 1) + whitespace() }
                return "[" + (elements.isEmpty ? whitespace() : elements.joined(separator: ",")) + "]"
            default:
                let count = Int.random(in: 0...4, using: &random)
                var keys: Set<String> = []
                var members: [String] = []
                for index in 0..<count {
                    let key = "\"k\(index)" + (chance(3) ? "é\\u00e9" : "") + "\""
                    guard keys.insert(key).inserted else { continue }
                    members.append(whitespace() + key + whitespace() + ":" + whitespace() + value(depth: depth + 1) + whitespace())
                }
                return "{" + (members.isEmpty ? whitespace() : members.joined(separator: ",")) + "}"
            }
        }

        static let insertable = Array("{}[]\",:0123456789-+.eEtrufalsn \t\n\r\\/abcxyz'".utf8)

        /// A copy with one small edit: a byte dropped, inserted, replaced, or the text cut short.
        mutating func mutate(_ text: [UInt8]) -> [UInt8] {
            guard !text.isEmpty else { return [Self.insertable.randomElement(using: &random)!] }
            var bytes = text
            let index = Int.random(in: 0..<bytes.count, using: &random)
            // Never split a multi-byte UTF-8 sequence: only touch ASCII positions.
            guard bytes[index] < 0x80 else { return Array(bytes[..<index]) }
            switch Int.random(in: 0..<4, using: &random) {
            case 0: bytes.remove(at: index)
            case 1: bytes.insert(Self.insertable.randomElement(using: &random)!, at: index)
            case 2: bytes[index] = Self.insertable.randomElement(using: &random)!
            default: bytes = Array(bytes[..<index])
            }
            return bytes
        }
    }

    // MARK: Tests

    @Test func randomDocumentsAndTheirMutationsAgree() {
        var generator = Generator(random: SplitMix64(seed: 0x15_0D1F))
        var texts: [[UInt8]] = []
        for _ in 0..<3_000 {
            let valid = Array((generator.whitespace() + generator.value(depth: 0) + generator.whitespace()).utf8)
            texts.append(valid)
            texts.append(generator.mutate(valid))
            texts.append(generator.mutate(generator.mutate(valid)))
        }
        let outcomes = texts.map(Self.product)
        let validCount = outcomes.filter { $0 != .invalid }.count
        // Both sides of the comparison are exercised: many valid texts and many broken ones.
        #expect(validCount > 3_000)
        #expect(texts.count - validCount > 1_500)
        let differences = Self.disagreements(texts)
        #expect(differences.isEmpty, "\(differences.count) disagreements, first: \(differences.prefix(5))")
    }

    /// The element ranges of an array member, found while the same scan validates the document,
    /// against the parsed document: thrown for exactly the texts the parser refuses, nil unless
    /// the member (its last occurrence) is an array, and otherwise one range per element that
    /// parses to that element. Pages with `data` repeated, not an array, absent, and mutated.
    @Test func arrayMemberRangesAgreeWithTheParsedDocument() throws {
        var generator = Generator(random: SplitMix64(seed: 0xDA7A_0018))
        var texts: [[UInt8]] = []
        for _ in 0..<2_000 {
            var members: [String] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator.random) {
                let name = ["\"data\"", "\"meta\"", "\"fail\"", "\"d\\u0061ta\""].randomElement(using: &generator.random)!
                let value = generator.chance(2)
                    ? "[" + (0..<Int.random(in: 0...4, using: &generator.random)).map { _ in
                        generator.whitespace() + generator.value(depth: 1) + generator.whitespace()
                    }.joined(separator: ",") + "]"
                    : generator.value(depth: 1)
                members.append(generator.whitespace() + name + generator.whitespace() + ":" + generator.whitespace() + value)
            }
            let page = Array(("{" + members.joined(separator: ",") + generator.whitespace() + "}").utf8)
            texts.append(page)
            texts.append(generator.mutate(page))
        }
        var arrays = 0, objects = 0
        for text in texts {
            let parsed = try? JSONValue.parse(text)
            guard case .object(let members)? = parsed else {
                #expect(throws: JSONParseError.self, "\(String(decoding: text, as: UTF8.self))") {
                    try JSONRawElements.ranges(ofArrayMember: "data", in: text)
                }
                continue
            }
            let ranges = try JSONRawElements.ranges(ofArrayMember: "data", in: text)
            guard case .array(let elements)? = members["data"] else {
                #expect(ranges == nil, "\(String(decoding: text, as: UTF8.self))")
                continue
            }
            arrays += 1
            #expect(try ranges?.map { try JSONValue.parse(text[$0]) } == elements, "\(String(decoding: text, as: UTF8.self))")
            // The members recorded of each element that is an object are what a scan of that
            // element alone finds (the mapper uses them instead of that scan).
            let recording = try #require(try JSONRawElements.recording(ofArrayMember: "data", in: text))
            #expect(recording.elements == ranges)
            for index in recording.elements.indices {
                let element = Array(text[recording.elements[index]])
                let alone = try JSONRawElements.memberLiterals(of: element, countingTheObject: true)
                var recorded: [JSONMemberLiteral] = []
                recording.members(ofElement: index)?.forEach { recorded.append(JSONMemberLiteral(key: $0, value: $1)) }
                #expect((recording.members(ofElement: index) != nil) == (alone != nil), "\(String(decoding: element, as: UTF8.self))")
                #expect(recorded == (alone ?? []).map { JSONMemberLiteral(key: $0.key, value: $0.value) })
                if alone != nil { objects += 1 }
            }
        }
        // Both kinds of page are common enough to matter, and so are objects among the elements.
        #expect(arrays > 500)
        #expect(objects > 200)
    }

    @Test func edgeCasesAgree() {
        let cases = [
            "", " ", "null", "true", "false", "0", "-0", "1", "-1", "1.5", "1e5", "1E-5", "1e+5", "0.0", "-0.0e0",
            "01", "-01", "+1", ".5", "1.", "1e", "1e+", "-", "--1", "0x10", "NaN", "Infinity", "-Infinity", "1_000",
            "\"\"", "\"a\"", "'a'", "\"\\u0041\"", "\"\\u00\"", "\"\\x41\"", "\"\\a\"", "\"tab\there\"", "\"line\nbreak\"",
            "\"\\ud83d\\ude00\"", "\"unterminated", "\"\\\"", "\"é\"", "[]", "{}", "[ ]", "{ }", "[1,]", "[,1]", "[1 2]",
            "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":}", "{\"a\"}", "{1:2}", "[[[[[]]]]]", "[1]]", "{}}", "[\"a\",\"b\"]",
            "nul", "nulll", "tru", "truee", "fals", "[null,true,false]", "{\"a\":{\"b\":[1,{\"c\":null}]}}",
            "1 2", "[] []", "\t\n\r [1] \r\n\t", "\u{0B}1", "1\u{0C}", "/* c */ 1", "1 // c", "[1e300]", "[-1e-300]",
            "123456789012345", "0.000001", "1e-7", "\"\\/\"", "{\"\":\"\"}", "{\"a\":1,\"b\":2}",
        ]
        let differences = Self.disagreements(cases.map { Array($0.utf8) })
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    @Test func trailingCommasAreRefused() {
        for text in ["[1,]", "{\"a\":1,}", "[1, ]", "{\"a\":[],\n}"] {
            #expect(Self.product(Array(text.utf8)) == .invalid, "\(text)")
        }
    }

    /// The writer's output, read back by JSONSerialization, is the value that was written.
    @Test func writtenJSONReadsBackThroughJSONSerialization() {
        var generator = Generator(random: SplitMix64(seed: 0x0B5E_55ED))
        var mismatches: [String] = []
        for _ in 0..<2_000 {
            let text = Array(generator.value(depth: 0).utf8)
            guard case .valid(let value) = Self.foundation(text) else { continue }
            for sorted in [false, true] {
                let written = value.serialized(sortedKeys: sorted)
                if Self.foundation(written) != .valid(value) {
                    mismatches.append(String(decoding: written.prefix(120), as: UTF8.self))
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }
}
