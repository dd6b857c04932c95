import ShipperCore
import Testing

/// Documents written one after another into an arena read back as written, however many share
/// it, and an arena with no room left says so without writing.
@Suite struct DocumentArenaTests {
    @Test func documentsInOneArenaReadBackAsWritten() {
        let arena = DocumentArena(capacity: 64)
        var documents: [MappedDocument] = []
        var expected: [[UInt8]] = []
        for text in ["{}", #"{"a":1}"#, "", #"{"b":"\u00e9"}"#] {
            let bytes = Array(text.utf8)
            let range = arena.append(atMost: bytes.count + 5) { out in
                bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { out.initialize(from: base, count: $0.count) } }
                return bytes.count
            }
            guard let range else {
                Issue.record("no room for \(text)")
                return
            }
            documents.append(MappedDocument(id: text, arena: arena, range: range))
            expected.append(bytes)
        }
        #expect(documents.map(\.source) == expected)
        #expect(documents.map(\.sourceCount) == expected.map(\.count))
        // Ranges follow one another: what was asked for but not written is handed out again.
        #expect(arena.used == expected.map(\.count).reduce(0, +))
    }

    @Test func anArenaWithoutRoomWritesNothing() {
        let arena = DocumentArena(capacity: 8)
        #expect(arena.append(atMost: 6) { _ in 6 } == 0..<6)
        var called = false
        #expect(arena.append(atMost: 3) { _ in
            called = true
            return 0
        } == nil)
        #expect(!called && arena.used == 6)
        #expect(arena.append(atMost: 2) { _ in 1 } == 6..<7)
    }

    /// A document made from an array, one from an arena holding the same bytes, and a copy under
    /// another id are what equality and `source` say they are.
    @Test func aDocumentsBytesAreTheSameWhereverTheyLie() {
        let bytes = Array(#"{"event":{"kind":"event"}}"#.utf8)
        let arena = DocumentArena()
        _ = arena.append(atMost: 3) { out in
            out.initialize(repeating: 0x78, count: 3)
            return 3
        }
        let range = arena.append(atMost: bytes.count) { out in
            bytes.withUnsafeBufferPointer { out.initialize(from: $0.baseAddress!, count: $0.count) }
            return bytes.count
        }!
        let fromArena = MappedDocument(id: "x", arena: arena, range: range)
        let fromArray = MappedDocument(id: "x", source: bytes)
        #expect(fromArena == fromArray)
        #expect(fromArena.source == bytes && fromArray.source == bytes)
        #expect(fromArena.withID("y").source == bytes)
        #expect(fromArena.withID("y") != fromArray)
        #expect(MappedDocument(id: "x", source: bytes + [0x20]) != fromArray)
        #expect(MappedDocument(id: "e", source: []).sourceCount == 0)
    }

    /// A document whose id lies in the arena next to its bytes has that id, equal to the same
    /// document with the id as a string; renaming it keeps its bytes.
    @Test func anIDInTheArenaIsTheDocumentsID() {
        let arena = DocumentArena()
        let id = Array("AbC-_09xyz".utf8), bytes = Array(#"{"a":1}"#.utf8)
        let both = arena.append(atMost: id.count + bytes.count) { out in
            out.initialize(from: id + bytes, count: id.count + bytes.count)
            return id.count + bytes.count
        }!
        let document = MappedDocument(idRange: both.lowerBound..<(both.lowerBound + id.count), arena: arena,
                                      range: (both.lowerBound + id.count)..<both.upperBound)
        #expect(document.id == "AbC-_09xyz")
        #expect(document.withIDBytes { Array($0) } == id)
        #expect(document.source == bytes)
        #expect(document == MappedDocument(id: "AbC-_09xyz", source: bytes))
        #expect(document != MappedDocument(id: "AbC-_09xyZ", source: bytes))
        let renamed = document.withID("renamed")
        #expect(renamed.id == "renamed" && renamed.source == bytes)
    }
}
