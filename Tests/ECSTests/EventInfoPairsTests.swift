@testable import ShipperECS
import ShipperTestSupport
import Testing

/// `EventInfoPairs` looks for keys only before colons; these tests hold it to the rule it
/// implements, read the slow, plain way: left to right, at the text's start or after a
/// separator, the first spelling followed by spaces or tabs and a colon is a key, reading
/// resumes after that colon, and each value runs to the next key.
@Suite struct EventInfoPairsTests {
    static func plainReading(_ text: [UInt8]) -> [EventInfoPairs.Pair] {
        var pairs: [EventInfoPairs.Pair] = []
        var index = 0
        while index < text.count {
            if index == 0 || EventInfoPairs.isSeparator(text[index - 1]), let (key, valueStart) = key(at: index, in: text) {
                if let last = pairs.indices.last {
                    pairs[last].value = pairs[last].value.lowerBound..<max(pairs[last].value.lowerBound, index)
                }
                pairs.append(EventInfoPairs.Pair(key: key, keyStart: index, value: valueStart..<text.count))
                index = valueStart
            } else {
                index += 1
            }
        }
        return pairs
    }

    /// The first spelling (in table order) written at `index` and followed by a colon.
    private static func key(at index: Int, in text: [UInt8]) -> (EventInfoPairs.Key, Int)? {
        for spelling in EventInfoPairs.spellings where index + spelling.count <= text.count {
            let written = (0..<spelling.count).allSatisfy { offset in
                let have = text[index + offset], want = spelling[offset]
                return spelling.caseSensitive ? have == want : EventInfoPairs.lowered(have) == EventInfoPairs.lowered(want)
            }
            guard written else { continue }
            var cursor = index + spelling.count
            while cursor < text.count, text[cursor] == 0x20 || text[cursor] == 0x09 { cursor += 1 }
            if cursor < text.count, text[cursor] == UInt8(ascii: ":") { return (spelling.key, cursor + 1) }
        }
        return nil
    }

    @Test func everyGoldenTextAndEachOfItsPrefixesReadAsThePlainReadingReadsThem() {
        for golden in GoldenEvents.all {
            let bytes = Array(golden.eventInfo.utf8)
            for length in 0...bytes.count {
                let text = Array(bytes[0..<length])
                #expect(EventInfoPairs.pairs(in: text) == Self.plainReading(text), "\(String(decoding: text, as: UTF8.self).debugDescription)")
            }
        }
    }

    @Test func randomTextsOfKeysColonsAndSeparatorsReadAsThePlainReadingReadsThem() {
        var rng = SplitMix64(seed: 0x5EED_0018)
        // Fragments that make keys overlap, nest, lose their separator or their colon.
        let fragments = PropertyTests.fragments + [
            "remote", "remote IP", "IP Address", "Address:", "xIP:", "IPIP:", "ip\t:", "Ip  :", "from:", "From :", "TO:", "to:",
            "Subject\t:", "processed:", "Processed:", "2fa:", "2FA :", "(", "|", ";", "{", "10:14:07", "Date:Time:", "IP::", "  :",
        ]
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...24, using: &rng) {
                text += Int.random(in: 0..<6, using: &rng) == 0
                    ? String(UnicodeScalar(UInt8.random(in: 0...127, using: &rng)))
                    : fragments.randomElement(using: &rng)!
            }
            let bytes = Array(text.utf8)
            if EventInfoPairs.pairs(in: bytes) != Self.plainReading(bytes) { disagreements.append(text.debugDescription) }
        }
        #expect(disagreements == [])
    }

    /// The pairs of a usual text are held in a kilobyte of stack memory (32 pairs); a text with
    /// more keys reads the same through its fallback, up to the densest text the bound allows
    /// (`IP:,` repeated: a pair every four bytes).
    @Test func textsWithMoreKeysThanTheUsualRoomReadAsThePlainReadingReadsThem() {
        for count in [31, 32, 33, 34, 100, 1_000] {
            for (unit, keyed) in [("IP:,", true), ("IP: 192.0.2.1, ", true), ("Date:", false)] {
                let bytes = Array(String(repeating: unit, count: count).utf8)
                let pairs = EventInfoPairs.pairs(in: bytes)
                #expect(pairs == Self.plainReading(bytes), "\(count) × \(unit.debugDescription)")
                // `Date:Date:` has no separator before its second key: one pair however long.
                #expect(pairs.count == (keyed ? count : 1), "\(count) × \(unit.debugDescription)")
            }
        }
        let info = EventInfoParser.parse(String(repeating: "IP: 192.0.2.1, ", count: 40) + "IP: 192.0.2.2")
        #expect(info.texts.ips == Array(repeating: "192.0.2.1", count: 40) + ["192.0.2.2"])
    }

    /// Values are raw (the parser trims them).
    @Test func keysAreFoundWhereTheRuleFindsThem() {
        func keys(_ text: String) -> [String] {
            let bytes = Array(text.utf8)
            return EventInfoPairs.pairs(in: bytes).map { pair in
                "\(pair.key)=\(String(decoding: bytes[pair.value], as: UTF8.self))"
            }
        }
        #expect(keys("Date: 2024-05-02 Time: 10:14:07 +0100 IP: 203.0.113.9") == ["date= 2024-05-02 ", "time= 10:14:07 +0100 ", "ip= 203.0.113.9"])
        #expect(keys("remote IP : 192.0.2.1, IP Address: 192.0.2.2") == ["ip= 192.0.2.1, ", "ip= 192.0.2.2"])
        // No separator before the spelling: not a key; a later, shorter spelling after one is.
        #expect(keys("xremote IP: 1") == ["ip= 1"])
        #expect(keys("IPIP: 1") == [])
        // A key cannot start right after the previous colon.
        #expect(keys("IP:Date: 1") == ["ip=Date: 1"])
        // Case: `To`/`From` only as written; `ip` in any case.
        #expect(keys("to: a From: b ip: c") == ["from= b ", "ip= c"])
    }
}
