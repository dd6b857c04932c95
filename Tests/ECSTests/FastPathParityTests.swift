import Foundation
import ShipperCore
@testable import ShipperECS
import ShipperTestSupport
import Testing

/// The mapper's fast paths against the slower code they replaced: the member scan of an event
/// against `JSONValue.parse` (which the scan must agree with on every input: same acceptance, same
/// members), and the planned document writer against a `JSONWriter` walk of the same layout.
@Suite struct FastPathParityTests {
    typealias S = ECSTestSupport

    /// What the mapper read before the scan: the full parse, then the record from its members.
    static func parsedRecord(_ bytes: [UInt8]) -> AuditEventRecord? {
        guard case .object(let members)? = try? JSONValue.parse(bytes) else { return nil }
        return AuditEventRecord(members)
    }

    static let handWritten: [String] = [
        #"{"id":"a","id":"b","auditType":"Logon Authentication","eventTime":"2024-05-02T09:14:07+0000"}"#,
        #"{"\u0069d":"escaped key","event\u0054ime":"2024-05-02T09:14:07+0000"}"#,
        #"{"id":12345,"eventTime":"2024-05-02T09:14:07+0000"}"#,
        #"{"id":1.5e3}"#, #"{"id":-0.25}"#, #"{"id":-0}"#, #"{"id":1e400}"#, #"{"id":9223372036854775808}"#,
        #"{"id":"n","auditType":{"x":1},"user":["a"],"eventInfo":true,"category":null}"#,
        #"{"id":"","user":"","eventInfo":""}"#,
        #"{"eventInfo":"caf\u00e9 \ud83d\ude00 \ud800 lone, \"q\" \\ \t","user":"élève@example.org"}"#,
        " \t\n{ \"id\" : \"w\" ,\r\n \"eventTime\" : \"x\" } \n",
        "{}", "[]", "[1]", "\"text\"", "12", "null", "true", "",
        #"{"id":"bad","#, #"{"id":"a"} x"#, #"{"id":"a",}"#, #"{"id":01}"#, #"{"id":"a\u00"}"#,
        #"{"id":"a\x"}"#, "{\"id\":\"a\u{1}\"}", #"{"id":nul}"#, #"{"id" "a"}"#, #"{'id':'a'}"#,
        #"{"id":"deep","x":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}",
        #"{"id":"deeper","x":"# + String(repeating: "[", count: 512) + String(repeating: "]", count: 512) + "}",
    ]

    @Test func theScanReadsWhatTheParserReadsOnHandWrittenInputs() {
        for text in Self.handWritten {
            let bytes = Array(text.utf8)
            #expect(AuditEventRecord(scanning: bytes) == Self.parsedRecord(bytes), "\(text.prefix(80).debugDescription)")
        }
    }

    @Test func theScanReadsWhatTheParserReadsOnTheSampleAndItsMutations() throws {
        var rng = SplitMix64(seed: 0x5CA1_0018)
        var checked = 0
        for event in try S.sampleEvents() {
            #expect(AuditEventRecord(scanning: event.bytes) != nil)
            #expect(AuditEventRecord(scanning: event.bytes) == Self.parsedRecord(event.bytes))
            // Every truncation, and random byte edits: the two must accept and read alike.
            for length in stride(from: 0, through: event.bytes.count, by: 7) {
                let bytes = Array(event.bytes[0..<length])
                #expect(AuditEventRecord(scanning: bytes) == Self.parsedRecord(bytes))
                checked += 1
            }
            let alphabet = Array(#"{}[]":,\ u0123456789abcdefnrtlsx-+.eE"#.utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xA9, 0xFF]
            for _ in 0..<300 {
                var bytes = event.bytes
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let position = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: bytes[position] = alphabet.randomElement(using: &rng)!
                    case 1: bytes.insert(alphabet.randomElement(using: &rng)!, at: position)
                    default: bytes.remove(at: position)
                    }
                }
                let scanned = AuditEventRecord(scanning: bytes)
                let parsed = Self.parsedRecord(bytes)
                #expect(scanned == parsed, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }

    /// Events cut out of a page carry the members the page's scan found; the mapper reads them
    /// instead of scanning the event again, and must read and write exactly what that scan gives:
    /// the sample's pages, the hand-written edge cases (escaped and repeated names, whitespace)
    /// and random edits of the sample's events, each inside a page.
    @Test func membersFromThePagesScanMapAsTheEventsOwnScan() throws {
        var rng = SplitMix64(seed: 0x9A6E_0018)
        var pages = try String(contentsOf: S.samplesURL, encoding: .utf8).split(separator: "\n").map { Array($0.utf8) }
        for text in Self.handWritten { pages.append(Array(#"{"data":[ "#.utf8) + Array(text.utf8) + Array(" ]}".utf8)) }
        for event in try S.sampleEvents().prefix(40) {
            for _ in 0..<25 {
                var bytes = event.bytes
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = Array(#"{}[]":,\ u09"#.utf8).randomElement(using: &rng)!
                pages.append(Array(#"{"data":["#.utf8) + bytes + Array(",1]}".utf8))
            }
        }
        let mapper = ECSMapper()
        let readAt = Date(timeIntervalSince1970: 1_714_640_000)
        var compared = 0
        for page in pages {
            guard let recording = try? JSONRawElements.recording(ofArrayMember: "data", in: page) else { continue }
            for index in recording.elements.indices {
                let bytes = Array(page[recording.elements[index]])
                let members = recording.members(ofElement: index)
                #expect((members != nil) == (bytes.first == UInt8(ascii: "{")))
                #expect(AuditEventRecord(scanning: bytes, members: members) == AuditEventRecord(scanning: bytes))
                let withMembers = mapper.map(RawAuditEvent(bytes: bytes, members: members), readAt: readAt)
                let scanned = mapper.map(RawAuditEvent(bytes: bytes), readAt: readAt)
                #expect(withMembers == scanned, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
                // Left in its page, with the page's members or without: read where it lies, the
                // same event (every span and the eventInfo slice are of the page's bytes).
                let range = recording.elements[index]
                let inPage = RawAuditEvent.cut(from: page, recording: recording)[index]
                #expect(inPage.range == range && inPage.bytes == bytes)
                #expect(AuditEventRecord(scanning: page, at: range, members: members) == AuditEventRecord(scanning: bytes))
                #expect(AuditEventRecord(scanning: page, at: range) == AuditEventRecord(scanning: bytes))
                #expect(mapper.map(inPage, readAt: readAt) == scanned, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
                #expect(mapper.map(RawAuditEvent(in: page, at: range), readAt: readAt) == scanned)
                compared += 1
            }
        }
        #expect(compared > 500)
        // Members that do not fit the bytes (a caller's mistake) are not read: the event is scanned.
        let bytes = Array(#"{"id":"e1","eventTime":"2024-05-02T09:14:07+0000"}"#.utf8)
        for wrong in [JSONMemberLiteral(key: 1..<5, value: 6..<400), JSONMemberLiteral(key: 3..<3, value: 6..<10),
                      JSONMemberLiteral(key: -1..<5, value: 6..<10)] {
            let members = JSONObjectMembers(literals: [wrong][...], origin: 0)
            #expect(AuditEventRecord(scanning: bytes, members: members) == AuditEventRecord(scanning: bytes))
        }
    }

    /// Plain ASCII members are read in place and everything else decoded, and both read the same
    /// texts: a span that pointed one byte off, or kept a member with an escape or other UTF-8,
    /// would differ from the parsed record above.
    @Test func plainASCIIMembersStayInTheEventAndTheRestAreDecoded() throws {
        let text = #"{"id":"e1","auditType":"Mimecast Support Login","user":"ana@example.org","eventTime":"2024-05-02T09:14:07+0000","category":"caf\u00e9 logs"}"#
        let record = try #require(AuditEventRecord(scanning: Array(text.utf8)))
        for (member, expected) in [(record.id, "e1"), (record.auditType, "Mimecast Support Login"), (record.eventTime, "2024-05-02T09:14:07+0000")] {
            guard case .span? = member else { Issue.record("\(expected) was not read in place"); continue }
            #expect(record.string(member) == expected)
        }
        guard case .decoded("café logs")? = record.category else { Issue.record("an escaped member must be decoded"); return }
        let accented = try #require(AuditEventRecord(scanning: Array(#"{"auditType":"Élève"}"#.utf8)))
        guard case .decoded("Élève")? = accented.auditType else { Issue.record("other UTF-8 must be decoded"); return }
        let numeric = try #require(AuditEventRecord(scanning: Array(#"{"id":12}"#.utf8)))
        guard case .decoded("12")? = numeric.id, numeric.idIsNumber else { Issue.record("a numeric id is decoded"); return }
    }

    /// The writer the planned one replaced: nested objects opened and closed by a `JSONWriter` as
    /// the sorted layout goes.
    static func referenceSerialization(_ values: [ECSField: [String]], arrays: Set<ECSField>) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 1024)
        writer.beginObject()
        var open: [String] = []
        for entry in ECSField.layout {
            guard let texts = values[entry.field]?.filter({ !$0.isEmpty }), !texts.isEmpty else { continue }
            var shared = 0
            while shared < open.count, shared < entry.objects.count, open[shared] == entry.objects[shared] { shared += 1 }
            while open.count > shared {
                writer.endObject()
                open.removeLast()
            }
            for name in entry.objects[shared...] {
                writer.key(name)
                writer.beginObject()
                open.append(name)
            }
            writer.key(entry.member)
            if arrays.contains(entry.field) {
                writer.beginArray()
                for text in texts { writer.string(text) }
                writer.endArray()
            } else {
                writer.string(texts[0])
            }
        }
        for _ in open { writer.endObject() }
        writer.endObject()
        return writer.bytes
    }

    @Test func thePlannedWriterWritesTheSameBytesAsAJSONWriterWalk() throws {
        var rng = SplitMix64(seed: 0xD0C_0018)
        let pieces = ["a", "", "ana@example.org", "quote \" back \\ tab \t nl \n ctl \u{1} \u{1F}", "café ☃ 😀", "x y"]
        for _ in 0..<2000 {
            var values: [ECSField: [String]] = [:]
            var arrays: Set<ECSField> = []
            var document = ECSDocument()
            for field in ECSField.allCases where Int.random(in: 0..<3, using: &rng) == 0 {
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    let texts = (0..<Int.random(in: 0...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                    values[field] = texts
                    arrays.insert(field)
                    document.set(field, texts)
                } else {
                    let text = pieces.randomElement(using: &rng)!
                    values[field] = [text]
                    if field == .eventOriginal, Bool.random(using: &rng) {
                        document.setOriginal(Array(text.utf8))
                    } else {
                        document.set(field, text)
                    }
                }
            }
            let reference = Self.referenceSerialization(values, arrays: arrays)
            #expect(document.serialized() == reference, "\(String(decoding: reference, as: UTF8.self))")
            #expect(try JSONValue.parse(document.serialized()).objectValue != nil)
        }
    }

    /// Strings that stress the ASCII fast paths: Unicode whitespace, CR LF, case pairs that change
    /// length (Kelvin sign, ß), combining marks and a prepended mark.
    static func trickyStrings(_ rng: inout SplitMix64, count: Int) -> [String] {
        let pieces = ["a", "A", "Ana", "ANA", "ana@example.org", "Ana@Example.ORG", " ", "\t", "\r\n", "\n", "\u{A0}", "\u{2028}",
                      "\u{3000}", "\u{85}", "\u{212A}", "k", "K", "ß", "SS", "é", "e\u{301}", "\u{600}x", "\u{1F}", "\u{7F}", "x", ""]
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...4, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        }
    }

    /// The byte-level account helpers against the `String` operations they must judge as:
    /// `Character.isWhitespace` trimming, `lowercased()` comparison, a set of lower-cased values.
    @Test func theASCIIFastPathsAgreeWithTheUnicodeOnes() {
        var rng = SplitMix64(seed: 0xA5C1_0018)
        let strings = Self.trickyStrings(&rng, count: 3000)
        for text in strings {
            var slice = Substring(text)
            while let first = slice.first, first.isWhitespace { slice.removeFirst() }
            while let last = slice.last, last.isWhitespace { slice.removeLast() }
            let trimmed = text.withContiguousUTF8 { String(decoding: AccountText.trimmed($0), as: UTF8.self) }
            #expect(trimmed == String(slice), "\(text.debugDescription)")
        }
        let pairs = Array(zip(strings, strings.shuffled(using: &rng))) + Array(zip(strings, strings.map { $0.uppercased() }))
        for (a, b) in pairs {
            let equal = a.withContiguousUTF8 { a in b.withContiguousUTF8 { b in AccountText.equalIgnoringCase(a, b) } }
            #expect(equal == (a.lowercased() == b.lowercased()), "\(a.debugDescription) \(b.debugDescription)")
            let sameLength = a.withContiguousUTF8 { a in b.withContiguousUTF8 { b in AccountText.sameLengthEqualIgnoringCase(a, b) } }
            #expect(sameLength == (a.utf8.count == b.utf8.count && a.lowercased() == b.lowercased()), "\(a.debugDescription) \(b.debugDescription)")
        }
        for text in strings {
            let at = text.withContiguousUTF8 { AccountText.lastAt(in: $0) }
            let expected = text.lastIndex(of: "@").map { text.utf8.distance(from: text.startIndex, to: $0) }
            #expect(at == expected, "\(text.debugDescription)")
        }
        for start in stride(from: 0, to: strings.count - 40, by: 7) {
            let values = Array(strings[start..<(start + start % 37)]) + strings[start..<(start + 3)].map { $0.uppercased() }
            var seen = Set<String>()
            var reference: [String] = []
            for value in values where !value.isEmpty && seen.insert(value.lowercased()).inserted { reference.append(value) }
            #expect(Self.distinct(values) == reference, "\(values)")
        }
    }

    /// `DistinctTexts` over `values`, as text.
    static func distinct(_ values: [String]) -> [String] {
        let buffers = values.map { Array($0.utf8) }
        func collect(_ index: Int, _ borrowed: [UnsafeBufferPointer<UInt8>]) -> [String] {
            guard index < buffers.count else {
                return DistinctTexts.collect(capacity: borrowed.count) { list in
                    for text in borrowed { list.add(text) }
                } _: { kept in
                    kept.map { String(decoding: $0, as: UTF8.self) }
                }
            }
            return buffers[index].withUnsafeBufferPointer { collect(index + 1, borrowed + [$0]) }
        }
        return collect(0, [])
    }

    @Test func anIDOfTwoToThe63MapsInsteadOfTrapping() {
        let (mapped, document) = S.map(RawAuditEvent(#"{"id":9223372036854775808,"eventTime":"2024-05-02T09:14:07+0000"}"#))
        #expect(!mapped.isPipelineError)
        #expect(S.string(document, "event.id") == String(9_223_372_036_854_775_808.0))
    }

    /// A mapper writes each document in the buffers of the one before: each must still hold
    /// exactly what a fresh mapper writes, whatever the earlier one held (rich events followed by
    /// sparse ones, pipeline errors between them).
    @Test func aMapperReusingItsBuffersWritesEachDocumentAsAFreshMapperDoes() {
        var events = GoldenEvents.all.map(\.event)
        events += [
            RawAuditEvent(#"{"id":"sparse","eventTime":"2024-05-02T09:14:07+0000"}"#),
            RawAuditEvent("not json"),
            S.event(eventInfo: nil),
            S.event(id: nil, user: nil, eventInfo: "IP: 192.0.2.1"),
        ]
        let shared = ECSMapper()
        for event in events + events.reversed() {
            #expect(shared.map(event, readAt: S.readAt) == ECSMapper().map(event, readAt: S.readAt),
                    "\(String(decoding: event.bytes.prefix(80), as: UTF8.self))")
        }
    }

    /// A document written in an earlier one's buffers holds none of its fields, and the buffers
    /// do not grow from one document to the next.
    @Test func aDocumentInAnEarlierDocumentsBuffersHoldsOnlyItsOwnFields() {
        var first = ECSDocument(eventBytes: 200)
        first.set(.message, "the first document's message")
        first.set(.userName, "ana")
        first.set(.relatedIP, ["192.0.2.1", "192.0.2.2"])
        var storage = first.storage()
        let capacity = storage.capacity
        for round in 0..<50 {
            var next = ECSDocument(eventBytes: 200, reusing: storage)
            var fresh = ECSDocument(eventBytes: 200)
            // Each round writes more than the buffers' spare room, so left-over bytes would show.
            let message = "round \(round) " + String(repeating: "x", count: 300)
            next.set(.message, message)
            fresh.set(.message, message)
            #expect(next.serialized() == fresh.serialized())
            storage = next.storage()
            #expect(storage.capacity == capacity)
        }
    }

    @Test func invalidUTF8InTheOriginalIsRepairedAsAStringRepairsIt() {
        var document = ECSDocument()
        let bytes: [UInt8] = [0x7B, 0x22, 0xC3, 0x22, 0xFF, 0x7D, 0xE2, 0x98]
        document.setOriginal(bytes)
        var reference = ECSDocument()
        reference.set(.eventOriginal, String(decoding: bytes, as: UTF8.self))
        #expect(document.serialized() == reference.serialized())
    }
}
