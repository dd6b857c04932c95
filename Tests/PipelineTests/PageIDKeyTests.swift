import ShipperCore
@testable import ShipperPipeline
import ShipperTestSupport
import Testing

/// The page's table of ids hashes only an id's ends and length; it must still tell apart every
/// two different ids, and find every id it holds, as a table keyed by the ids themselves does.
@Suite struct PageIDKeyTests {
    @Test func idsThatShareTheirEndsAndLengthStayApart() {
        // Same first and last eight bytes and the same length, different middles; short ids too.
        let ids = ["abcdefgh-1-stuvwxyz", "abcdefgh-2-stuvwxyz", "abcdefgh-3-stuvwxyz", "", "a", "abcdefg", "abcdefgh",
                   "é", "abcdefghé", String(repeating: "x", count: 43), String(repeating: "x", count: 42) + "y"]
        var table: [PageIDKey: Int] = [:]
        for (position, id) in ids.enumerated() {
            #expect(table.updateValue(position, forKey: PageIDKey(id: id)) == nil, "\(id)")
        }
        for (position, id) in ids.enumerated() {
            #expect(table[PageIDKey(id: id)] == position, "\(id)")
        }
        #expect(table[PageIDKey(id: "abcdefgh-4-stuvwxyz")] == nil)
    }

    /// Random ids, many sharing their ends: the table agrees with one keyed by `String`.
    @Test func theTableAgreesWithOneKeyedByTheIds() {
        var rng = SplitMix64(seed: 0x1D5_0018)
        var byKey: [PageIDKey: Int] = [:]
        var byString: [String: Int] = [:]
        for position in 0..<5000 {
            let middle = (0..<Int.random(in: 0...3, using: &rng)).map { _ in "ab-_".randomElement(using: &rng)! }
            let id = "prefix00" + String(middle) + "suffix00"
            #expect(byKey.updateValue(position, forKey: PageIDKey(id: id)) == byString.updateValue(position, forKey: id))
        }
        #expect(byKey.count == byString.count)
    }

    /// A key made from a document (its id read where the document holds it) is the key of its id
    /// string, for ids held in the key and for longer ones.
    @Test func aDocumentsKeyIsItsIDsKey() {
        let ids = ["", "a", String(repeating: "x", count: 43), String(repeating: "y", count: PageIDKey.inlineCapacity),
                   String(repeating: "z", count: PageIDKey.inlineCapacity + 1), String(repeating: "x", count: 43) + "-9f3a0c1d2e4b5a69"]
        var table: [PageIDKey: Int] = [:]
        for (position, id) in ids.enumerated() {
            table[PageIDKey(id: id)] = position
        }
        #expect(table.count == ids.count)
        for (position, id) in ids.enumerated() {
            let document = MappedDocument(id: "other", source: Array("{}".utf8)).withID(id)
            #expect(PageIDKey(document: document) == PageIDKey(id: id), "\(id)")
            #expect(table[PageIDKey(document: document)] == position, "\(id)")
        }
    }
}
