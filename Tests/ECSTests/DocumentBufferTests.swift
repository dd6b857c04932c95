import ShipperCore
@testable import ShipperECS
import ShipperTestSupport
import Testing

/// A document's buffer writes what `JSONWriter` appends to an array, whatever room it starts
/// with (so through every growth), and keeps its room when emptied.
@Suite struct DocumentBufferTests {
    @Test func writesWhatTheArrayWriterWritesThroughEveryGrowth() {
        var rng = SplitMix64(seed: 0xB0FF_0018)
        let alphabet: [UInt8] = Array("abc 09{}:,é".utf8) + [0x22, 0x5C, 0x00, 0x01, 0x0A, 0x1F, 0x7F, 0xFF]
        for capacity in [0, 1, 7, 64] {
            var buffer = DocumentBuffer(capacity: capacity)
            var expected: [UInt8] = []
            for _ in 0..<300 {
                let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
                bytes.withUnsafeBufferPointer { text in
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0:
                        buffer.appendQuoted(utf8: text)
                        JSONWriter.appendQuoted(utf8: text, to: &expected)
                    case 1:
                        buffer.append(text)
                        expected += bytes
                    default:
                        buffer.append(bytes.first ?? 0x2C)
                        expected.append(bytes.first ?? 0x2C)
                    }
                }
            }
            #expect(Array(buffer.bytes[..<buffer.count]) == expected, "starting room \(capacity)")
            let room = buffer.bytes.count
            buffer.removeAll()
            #expect(buffer.count == 0 && buffer.bytes.count == room)
        }
    }
}
