import Foundation
@testable import ShipperECS
import ShipperTestSupport
import Testing

/// IP validation, timestamps, ids and the categorisation lookup.
@Suite struct ParsingPrimitivesTests {
    @Test(arguments: ["0.0.0.0", "198.51.100.23", "255.255.255.255", "::", "::1", "2001:db8::7", "2001:db8:85a3::8a2e:370:7334",
                      "1:2:3:4:5:6:7:8", "FE80::1", "::ffff:192.0.2.1", "1::", "1:2:3:4:5:6:7::"])
    func acceptsAddresses(_ text: String) { #expect(IPAddress.isValid(text)) }

    @Test(arguments: ["", "null", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1:2:3:4:5:6:7:8:9", "1::2::3", ":::",
                      ":1", "1:", "12345::", "fe80::1%eth0", "g::1", "1.2.3.4:80", " 1.2.3.4", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4"])
    func rejectsEverythingElse(_ text: String) { #expect(!IPAddress.isValid(text)) }

    @Test(arguments: [
        ("2024-05-02T09:14:07+0000", "2024-05-02T09:14:07Z"),
        ("2024-05-02T10:14:07+0100", "2024-05-02T09:14:07Z"),
        ("2024-05-02T05:14:07-04:00", "2024-05-02T09:14:07Z"),
        ("2024-05-02T09:14:07Z", "2024-05-02T09:14:07Z"),
        ("2024-05-02 09:14:07+00", "2024-05-02T09:14:07Z"),
        ("2024-05-02T00:30:00+0100", "2024-05-01T23:30:00Z"),
        ("2024-03-01T00:30:00+0100", "2024-02-29T23:30:00Z"),
        ("2023-12-31T23:59:59-0100", "2024-01-01T00:59:59Z"),
        ("2024-05-02T09:14:07.123456+0000", "2024-05-02T09:14:07.123Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
    ])
    func convertsEventTimeToUTC(_ input: String, _ expected: String) {
        #expect(UTCTimestamp(iso8601: input)?.iso8601 == expected)
    }

    @Test(arguments: ["", "2024-05-02", "2024-05-02T09:14:07", "2024-13-02T09:14:07Z", "2023-02-29T09:14:07Z", "2024-05-02T24:00:00Z",
                      "2024-05-02T09:14:07+2500", "2024-05-02T09:14:07 BST", "2024-05-02T09:14:07+0000x", "2024-05-02T09:14:07."])
    func rejectsBadEventTime(_ input: String) { #expect(UTCTimestamp(iso8601: input) == nil) }

    /// `TextScanning.find` (first-byte filter, folded compare) against the plainest search, over
    /// random texts of letters, their other cases and bytes next to them (`@`, `[`, `` ` ``, `{`),
    /// slices that do not start at 0, and every start position.
    @Test func findAgreesWithAPlainSearch() {
        func plain(_ needle: [UInt8], _ bytes: ArraySlice<UInt8>, _ start: Int, _ caseInsensitive: Bool) -> Int? {
            func fold(_ byte: UInt8) -> UInt8 { caseInsensitive && (65...90).contains(byte) ? byte + 32 : byte }
            var index = max(start, bytes.startIndex)
            while index + needle.count <= bytes.endIndex {
                if needle.indices.allSatisfy({ fold(bytes[index + $0]) == fold(needle[$0]) }) { return index }
                index += 1
            }
            return nil
        }
        var rng = SplitMix64(seed: 0xF1ED_0018)
        let alphabet = Array("rRemoteIPis @[`{ zZaA".utf8) + [0x00, 0xC3, 0xA9, 0xFF]
        let needles = ["remote ip is", " by ", "method=", "@", "`x", "{r", "Z"].map { Array($0.utf8) }
        for _ in 0..<4000 {
            let text = (0..<Int.random(in: 0...80, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let drop = Int.random(in: 0...min(3, text.count), using: &rng)
            let slice = text[drop...]
            let needle = needles.randomElement(using: &rng)!
            let caseInsensitive = Bool.random(using: &rng)
            for start in (drop - 1)...(text.count + 1) {
                #expect(TextScanning.find(needle, in: slice, from: start, caseInsensitive: caseInsensitive)
                        == plain(needle, slice, start, caseInsensitive), "\(text) \(needle) \(start) \(caseInsensitive)")
            }
        }
    }

    /// `EmailAddresses.find` (the `@`s found a word at a time) against a byte-by-byte walk of the
    /// same rules, over random texts of address bytes, dots, hyphens, `@`s and separators, in
    /// slices that do not start at 0.
    @Test func addressFindingAgreesWithAByteByByteWalk() {
        func plain(_ text: ArraySlice<UInt8>) -> [Range<Int>] {
            var found: [Range<Int>] = []
            var index = text.startIndex
            while index < text.endIndex {
                guard text[index] == UInt8(ascii: "@") else {
                    index += 1
                    continue
                }
                var start = index
                while start > text.startIndex, EmailAddresses.isAddressByte(text[start - 1]) { start -= 1 }
                var end = index + 1
                while end < text.endIndex, EmailAddresses.isAddressByte(text[end]) { end += 1 }
                while end > index + 1, text[end - 1] == UInt8(ascii: ".") || text[end - 1] == UInt8(ascii: "-") { end -= 1 }
                let domain = text[(index + 1)..<end]
                if start < index, let first = domain.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-"),
                   domain.contains(UInt8(ascii: ".")) {
                    found.append(start..<end)
                }
                index = max(end, index + 1)
            }
            return found
        }
        var rng = SplitMix64(seed: 0xADD2_E55E)
        let alphabet = Array("ab.-@@ <>,x9_".utf8) + [0xC3, 0xA9]
        for _ in 0..<4000 {
            let text = (0..<Int.random(in: 0...70, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let slice = text[Int.random(in: 0...min(3, text.count), using: &rng)...]
            #expect(Array(EmailAddresses.find(in: slice)) == plain(slice), "\(text)")
        }
    }

    @Test func readTimeAgreesWithFoundation() {
        for seconds in stride(from: -86_400.0 * 800, through: 86_400.0 * 30_000, by: 86_400.0 * 37.3 + 0.25) {
            let date = Date(timeIntervalSince1970: seconds)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            #expect(UTCTimestamp(date).iso8601 == formatter.string(from: date))
        }
    }

    /// The first two ranges are held inline and the rest in an array: every count reads back the
    /// ranges in the order appended, and equality is by the ranges alone.
    @Test func aRangeListReadsBackWhatWasAppendedInOrder() {
        for count in 0...6 {
            let ranges = (0..<count).map { ($0 * 10)..<($0 * 10 + 3 + $0) }
            var list = RangeList()
            for range in ranges { list.append(range) }
            #expect(Array(list) == ranges)
            #expect(list.count == count)
            #expect(list == RangeList(ranges))
            if count > 0 {
                #expect(list.last == ranges.last)
                #expect(list != RangeList(ranges.dropLast()))
                #expect(list != RangeList(ranges.dropLast() + [100..<101]))
            }
        }
        #expect(([1..<2, 3..<4, 5..<6] as RangeList).map(\.lowerBound) == [1, 3, 5])
    }

    @Test func base64URLMatchesFoundationWithoutPadding() {
        // Every length up to 40 and, last, every byte value (so every character of the alphabet).
        var inputs: [[UInt8]] = (0..<40).map { length in (0..<length).map { UInt8(($0 * 37 + 11) % 256) } }
        let everyByte: [UInt8] = Array(0...255)
        inputs += [everyByte, everyByte.reversed()]
        for bytes in inputs {
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(DocumentID.base64URL(bytes) == expected)
        }
    }

    @Test func lookupIgnoresCaseAndSeparatorsAndFallsBackByCategory() {
        #expect(EventCategorisation.lookup(auditType: "logon-authentication  FAILED", category: nil)?.outcome == "failure")
        #expect(EventCategorisation.lookup(auditType: "Unheard Of", category: "POLICY_LOGS")?.categories == ["configuration"])
        #expect(EventCategorisation.lookup(auditType: "Unheard Of", category: "policy_logs")?.outcome == nil)
        #expect(EventCategorisation.lookup(auditType: "Unheard Of", category: "mystery_logs") == nil)
        #expect(EventCategorisation.lookup(auditType: nil, category: nil) == nil)
    }

    @Test func userIdentityForms() {
        #expect(UserIdentity.texts("ana@example.org") == .init(email: "ana@example.org", name: "ana", domain: "example.org"))
        #expect(UserIdentity.texts(" svc-sync ")?.email == nil)
        #expect(UserIdentity.texts(" svc-sync ")?.name == "svc-sync")
        #expect(UserIdentity.texts("ana@localhost")?.email == nil)
        #expect(UserIdentity.texts("   ") == nil)
        #expect(EventFieldMapping.action("Mimecast Support Login") == "mimecast-support-login")
    }

    /// Pairs whose hashes collide (forced here) are told apart by their bytes, nil from empty,
    /// and each is found past the others in its probe run.
    @Test func collidingPairsAreToldApartByTheirBytes() {
        var table = ClassificationPairTable()
        let keys: [(String?, String?)] = [(nil, "x"), ("", "x"), ("x", nil), ("x", ""), ("x", "x"), (nil, nil), ("xy", nil), ("x", "y")]
        func bytes(_ text: String?) -> ArraySlice<UInt8>? { text.map { Array($0.utf8)[...] } }
        var rendered: [ClassificationFields] = []
        for (auditType, category) in keys {
            #expect(table.find(hash: 7, bytes(auditType), bytes(category)) == nil)
            let fields = ClassificationFields(auditType: auditType, category: category)
            table.insert(hash: 7, bytes(auditType), bytes(category), fields)
            rendered.append(fields)
        }
        #expect(table.count == keys.count)
        for ((auditType, category), fields) in zip(keys, rendered) {
            #expect(table.find(hash: 7, bytes(auditType), bytes(category)) === fields)
            #expect(table.find(hash: 8, bytes(auditType), bytes(category)) == nil)
        }
        table.insert(hash: 7, bytes("x"), bytes("y"), ClassificationFields(auditType: "x", category: "y"))
        #expect(table.count == keys.count)
    }

    /// A record's pair is looked up where it lies (a borrowed span of the event), or from its
    /// decoded text when a member is escaped or not ASCII: either way it finds the entry the
    /// pair's text finds, and an absent member stays apart from an empty one.
    @Test func aRecordsPairIsTheEntryItsTextFinds() throws {
        let cache = ClassificationCache()
        let cases: [(json: String, auditType: String?, category: String?)] = [
            (#"{"auditType":"Mimecast Support Login","category":"mimecast_access_logs"}"#, "Mimecast Support Login", "mimecast_access_logs"),
            (#"{"category":"mimecast_access_logs","auditType":"Mimecast Support Login"}"#, "Mimecast Support Login", "mimecast_access_logs"),
            (#"{"auditType":"Mimecast\u0020Support Login","category":"mimecast_access_logs"}"#, "Mimecast Support Login", "mimecast_access_logs"),
            (#"{"auditType":"Élève","category":"x"}"#, "Élève", "x"),
            (#"{"auditType":"Logon Authentication Failed"}"#, "Logon Authentication Failed", nil),
            (#"{"category":"policy_logs"}"#, nil, "policy_logs"),
            (#"{"auditType":"","category":""}"#, nil, nil),
            (#"{"id":"1"}"#, nil, nil),
        ]
        for (json, auditType, category) in cases {
            let record = try #require(AuditEventRecord(scanning: Array(json.utf8)))
            #expect(cache.fields(of: record) === cache.fields(auditType: auditType, category: category), "\(json)")
        }
        #expect(cache.fields(auditType: "", category: nil) !== cache.fields(auditType: nil, category: nil))
        #expect(cache.count == 6)
    }

    /// The cache hands back what a fresh rendering gives, tells nil from empty and keeps pairs
    /// apart whatever their hashes, and stops growing at its capacity without failing a lookup.
    @Test func classificationCacheGivesWhatAFreshRenderingGives() {
        let cache = ClassificationCache()
        let pairs: [(String?, String?)] = [
            ("Mimecast Support Login", "mimecast_access_logs"), ("Logon Authentication Failed", nil), (nil, "policy_logs"),
            (nil, nil), ("", nil), ("Unheard Of", "mystery_logs"), ("Ab", "c"), ("A", "bc"),
        ]
        for _ in 0..<2 {
            for (auditType, category) in pairs {
                let cached = cache.fields(auditType: auditType, category: category)
                let fresh = ClassificationFields(auditType: auditType, category: category)
                #expect([cached.action, cached.categories, cached.types, cached.outcome, cached.auditType, cached.category]
                    == [fresh.action, fresh.categories, fresh.types, fresh.outcome, fresh.auditType, fresh.category])
            }
        }
        #expect(cache.count == pairs.count)
        #expect(String(decoding: cache.fields(auditType: "Ab", category: "c").auditType, as: UTF8.self) == "\"Ab\"")
        #expect(String(decoding: cache.fields(auditType: "A", category: "bc").auditType, as: UTF8.self) == "\"A\"")
        // Found from a slice of a larger buffer (as from an event's bytes) as from a whole text.
        let event = Array(#"{"auditType":"Mimecast Support Login","category":"mimecast_access_logs"}"#.utf8)
        let inPlace = cache.fields(auditType: event[14..<36], category: event[50..<70])
        #expect(inPlace === cache.fields(auditType: "Mimecast Support Login", category: "mimecast_access_logs"))
        #expect(cache.count == pairs.count)
        // Canonically equal but different bytes are different pairs, each rendered as written.
        let composed = cache.fields(auditType: "Caf\u{E9}", category: nil)
        let decomposed = cache.fields(auditType: "Cafe\u{301}", category: nil)
        #expect(composed !== decomposed)
        #expect(decomposed.auditType == Array("\"Cafe\u{301}\"".utf8))
        for index in 0..<(ClassificationCache.capacity + 50) {
            let fields = cache.fields(auditType: "type \(index)", category: nil)
            #expect(String(decoding: fields.action, as: UTF8.self) == "\"type-\(index)\"")
        }
        #expect(cache.count == ClassificationCache.capacity)
        // A full cache still answers for the pairs it kept and renders the rest afresh.
        #expect(inPlace === cache.fields(auditType: "Mimecast Support Login", category: "mimecast_access_logs"))
        #expect(cache.fields(auditType: "not kept", category: nil).auditType == Array("\"not kept\"".utf8))
    }
}

extension UserIdentity {
    /// What an identity read from `raw` writes, as text.
    struct Texts: Equatable {
        var email: String?
        var name: String
        var domain: String?
    }

    static func texts(_ raw: String) -> Texts? {
        raw.withContiguousUTF8 { bytes in
            UserIdentity(bytes).map { identity in
                Texts(email: identity.email.map { String(decoding: $0, as: UTF8.self) }, name: String(decoding: identity.name, as: UTF8.self),
                      domain: identity.domain.map { String(decoding: $0, as: UTF8.self) })
            }
        }
    }
}
