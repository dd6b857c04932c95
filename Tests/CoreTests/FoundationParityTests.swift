import Foundation
import ShipperCore
import Testing

/// The product links only `FoundationEssentials`; these helpers stand in for the full-Foundation
/// APIs it used before (`trimmingCharacters`, `replacingOccurrences`, `NSString` paths,
/// `addingPercentEncoding`, `removingPercentEncoding`, `String(format:)`). The test process has
/// the full Foundation, so each helper is checked against the API it replaces.
@Suite struct FoundationParityTests {
    /// Every scalar Foundation's white-space sets hold, their neighbours, and ordinary text.
    static let edgeScalars: [Unicode.Scalar] = {
        var values: [UInt32] = Array(0...0x7F) + [0x85, 0xA0, 0xAD, 0x1680, 0x180E, 0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x2060, 0x3000, 0xFEFF, 0x301, 0xE9, 0x1F600]
        values += Array(0x2000...0x200D)
        return values.compactMap(Unicode.Scalar.init)
    }()

    static func randomText(_ generator: inout some RandomNumberGenerator, length: Int) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<length { text.append(edgeScalars.randomElement(using: &generator)!) }
        return String(text)
    }

    @Test func trimmingMatchesFoundationsWhiteSpaceSets() {
        for scalar in Self.edgeScalars {
            let text = "\(scalar)a\(scalar)b\(scalar)"
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "U+\(String(scalar.value, radix: 16))")
            #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines), "U+\(String(scalar.value, radix: 16))")
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = Self.randomText(&generator, length: Int.random(in: 0...6, using: &generator))
            #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
            #expect(text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(text.unicodeScalars))")
            #expect(text[...].trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func replacementMatchesFoundationOnASCIIText() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab/+%20_\"")
        func word(_ range: ClosedRange<Int>) -> String {
            String((0..<Int.random(in: range, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        for _ in 0..<5_000 {
            let text = word(0...12)
            let target = word(1...3)
            let replacement = word(0...3)
            #expect(text.replacingEvery(target, with: replacement) == text.replacingOccurrences(of: target, with: replacement), "\(text) \(target) \(replacement)")
        }
        #expect("abc".replacingEvery("", with: "x") == "abc")
    }

    /// The redactor's reason to compare bytes: a combining mark after a secret merges with its last
    /// character, and a character-wise search would leave the secret's bytes in the text.
    @Test func replacementFindsBytesACharacterSearchWouldMiss() {
        let text = "token=abc\u{301} rest"
        #expect(text.replacingEvery("abc", with: "***") == "token=***\u{301} rest")
    }

    @Test(arguments: ["", "/", "/a", "/a/", "/a/b", "/a/b/", "a/b", "a/b/", "/var/lib/mimecast-shipper", "./state", "../state/"])
    func pathsMatchNSString(_ directory: String) {
        for component in ["lock", "dead-letter-logs-mimecast.audit-default.ndjson", ".local/state/mimecast-shipper"] {
            #expect(PathText.joining(directory, component) == (directory as NSString).appendingPathComponent(component), "\(directory) + \(component)")
        }
        #expect(PathText.parent(of: directory) == (directory as NSString).deletingLastPathComponent, "parent of \(directory)")
    }

    /// Where `NSString` traps (`"a".deletingLastPathComponent` on Linux) or keeps a doubled slash.
    @Test func pathsWhereNSStringIsNoReference() {
        #expect(PathText.parent(of: "a") == "")
        #expect(PathText.parent(of: "a/") == "")
        #expect(PathText.parent(of: "//") == "/")
        #expect(PathText.parent(of: "/a//b") == "/a")
        #expect(PathText.joining("//", "lock") == "/lock")
        #expect(PathText.joining("a//b", "lock") == "a//b/lock")
        #expect(PathText.joining("state", "/lock") == "state/lock")
        #expect(PathText.joining("state", "") == "state")
    }

    @Test func percentEncodingMatchesFoundationsURLSets() {
        var generator = SystemRandomNumberGenerator()
        var samples = (0...0x7F).map { String(UnicodeScalar(UInt8($0))) }
        samples += ["s3cr/t+Val=ue x", "pä$$wörd@host:1?q#f", "\u{1F600}%41"]
        for _ in 0..<2_000 { samples.append(Self.randomText(&generator, length: 5)) }
        for text in samples {
            #expect(PercentEncoding.query(text) == text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed), "\(text)")
            #expect(PercentEncoding.password(text) == text.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed), "\(text)")
            let encoded = PercentEncoding.unreserved(text)
            #expect(PercentEncoding.decoded(encoded) == encoded.removingPercentEncoding, "\(text)")
        }
        for malformed in ["%", "%4", "%zz", "a%2", "%C3", "%C3%28", "100%"] {
            #expect(PercentEncoding.decoded(malformed) == malformed.removingPercentEncoding, "\(malformed)")
        }
    }

    @Test func cFormatMatchesStringFormat() {
        for value in [0, 0.004, 0.005, 0.125, 0.375, 1.005, 2.5, 3.5, 12.345, 99.995, 1e7 + 0.5, -0.25] {
            #expect(CFormat.string("%.2f", value) == String(format: "%.2f", value), "\(value)")
            #expect(CFormat.string("duration %.1fs", value) == String(format: "duration %.1fs", value), "\(value)")
            #expect(CFormat.string("%.0f s", value) == String(format: "%.0f s", value), "\(value)")
        }
        for value in [0, 7, 10, 59, 255, 4096] {
            #expect(CFormat.string("%02d", value) == String(format: "%02d", value))
            #expect(CFormat.string("%02x", UInt8(truncatingIfNeeded: value)) == String(format: "%02x", UInt8(truncatingIfNeeded: value)))
            #expect(CFormat.string("%02d:%02d", value, value + 1) == String(format: "%02d:%02d", value, value + 1))
        }
        let long = CFormat.string("%.70f", 1.0)
        #expect(long == String(format: "%.70f", 1.0) && long.count == 72)
    }
}
