import ShipperCore
@testable import ShipperECS
import Testing

/// The free-text reader on its own.
@Suite struct EventInfoParserTests {
    @Test(arguments: [
        ("IP: 198.51.100.23", ["198.51.100.23"]),
        ("x, IP : 198.51.100.23, y", ["198.51.100.23"]),
        ("x, IP: : 198.51.100.23,, y", ["198.51.100.23"]),
        ("x, IP: :198.51.100.23,, y", ["198.51.100.23"]),
        ("x, remote IP : 2001:db8::1, application : y", ["2001:db8::1"]),
        ("x, Remote IP is 198.51.100.23", ["198.51.100.23"]),
        ("x, remote ip is [2001:db8::5].", ["2001:db8::5"]),
        ("[A :b,IP Address :198.51.100.40,Application :c]", ["198.51.100.40"]),
        ("x IP: ::ffff:192.0.2.1 Application: y", ["::ffff:192.0.2.1"]),
        ("x, IP: null", []),
        ("x, IP: ", []),
        ("x, IP: 300.1.1.1", []),
        ("x, IP: 198.51.100.23:443", []),
        ("x, IP: fe80::1%eth0", []),
        ("ZIP: 198.51.100.23", []),
        ("Remote IP is", []),
    ])
    func findsAddresses(_ text: String, _ expected: [String]) {
        #expect(EventInfoParser.parse(text).texts.ips == expected)
    }

    @Test func pairsDoNotSplitOnCommasInsideValues() {
        let info = EventInfoParser.parse("Failed for a@example.org <Lopez, Ana>, Date: 2024-05-02, Reason: Locked, too many attempts, Method: Cloud").texts
        #expect(info.reason == "Locked, too many attempts")
        #expect(info.method == "Cloud")
        #expect(info.namedAccounts == [.init(identity: "a@example.org", displayName: "Lopez, Ana")])
        #expect(info.narrative == "Failed for a@example.org <Lopez, Ana>")
    }

    @Test func performedByNeedsAnAddressOrDisplayName() {
        #expect(EventInfoParser.parse("Action Performed - x by a@example.org<A> Date: d").texts.performedBy == .init(identity: "a@example.org", displayName: "A"))
        #expect(EventInfoParser.parse("Action Performed - x by a@example.org Date: d").texts.performedBy == .init(identity: "a@example.org", displayName: nil))
        #expect(EventInfoParser.parse("Sorted by date").texts.performedBy == nil)
    }

    @Test func addressesInSearchCriteriaAreNotAccounts() {
        let info = EventInfoParser.parse(#"Executed Search - Search Criteria: {"from":"billing@example.net"}, IP: 192.0.2.1"#).texts
        #expect(info.namedAccounts == [])
    }

    @Test func lowerCaseToAndFromInProseAreNotPairs() {
        let info = EventInfoParser.parse("Moved from: inbox to: archive for x@example.org, IP: 192.0.2.1").texts
        #expect(info.emailFrom == [] && info.emailTo == [])
        #expect(info.ips == ["192.0.2.1"])
    }

    /// The mapper hands the parser the `eventInfo` where it lies in the event: a text inside a
    /// larger buffer reads exactly as the same text alone, with nothing read from around it
    /// (the surroundings hold keys, addresses and brackets that would show if it were).
    @Test func aTextInsideALargerBufferReadsAsTheTextAlone() {
        let before = Array("IP: 192.0.2.1, for outside@example.org <Out>, [".utf8)
        let after = Array("], IP: 192.0.2.2 Application: outside, Remote IP is 192.0.2.3 by x@example.org<X>".utf8)
        var checked = 0
        for golden in GoldenEvents.all {
            let text = Array(golden.eventInfo.utf8)
            let alone = EventInfoParser.parse(golden.eventInfo)
            let buffer = before + text + after
            let inside = EventInfoParser.parse(utf8: buffer[before.count..<(before.count + text.count)])
            #expect(inside == alone, "\(golden.eventInfo.debugDescription)")
            let shifted = EventInfoPairs.pairs(in: buffer[before.count..<(before.count + text.count)]).map { pair in
                EventInfoPairs.Pair(key: pair.key, keyStart: pair.keyStart - before.count,
                                    value: (pair.value.lowerBound - before.count)..<(pair.value.upperBound - before.count))
            }
            #expect(shifted == EventInfoPairs.pairs(in: text))
            checked += 1
        }
        #expect(checked > 20)
    }

    /// The mapper reads a record's `eventInfo` through a pointer (a slice of a borrowed buffer,
    /// not the `ArraySlice`): as a span of the event (plain ASCII), as its own decoded bytes (an
    /// escape in the text), and as a slice that starts past 0, it reads as the text alone does.
    @Test func aRecordsEventInfoReadsAsTheTextAlone() throws {
        var checked = 0
        for golden in GoldenEvents.all {
            let alone = EventInfoParser.parse(golden.eventInfo)
            var quoted: [UInt8] = []
            JSONWriter.appendQuoted(golden.eventInfo, to: &quoted)
            let plain = try #require(AuditEventRecord(scanning: Array(#"{"id":"a","eventInfo":"#.utf8) + quoted + [UInt8(ascii: "}")]))
            let isPlain = !golden.eventInfo.isEmpty && Array(golden.eventInfo.utf8).withUnsafeBufferPointer(JSONWriter.isUnescapedASCII)
            #expect(plain.eventInfoIsPlain == isPlain)
            #expect(EventInfoParser.parse(eventInfoOf: plain) == alone, "\(golden.eventInfo.debugDescription)")
            // The same text with a needless escape (`\u0020` for each space) is decoded.
            let escaped = Array(String(decoding: quoted, as: UTF8.self).replacingEvery(" ", with: #"\u0020"#).utf8)
            let decoded = try #require(AuditEventRecord(scanning: Array(#"{"eventInfo":"#.utf8) + escaped + [UInt8(ascii: "}")]))
            #expect(!decoded.eventInfoIsPlain || !golden.eventInfo.contains(" "))
            #expect(EventInfoParser.parse(eventInfoOf: decoded) == alone, "\(golden.eventInfo.debugDescription)")
            var offset = decoded
            offset.eventInfoIsPlain = false
            offset.eventInfo = (Array("decoy IP: 192.0.2.9 ".utf8) + Array(golden.eventInfo.utf8))[20...]
            #expect(EventInfoParser.parse(eventInfoOf: offset) == alone, "\(golden.eventInfo.debugDescription)")
            checked += 1
        }
        #expect(checked > 20)
    }
}
