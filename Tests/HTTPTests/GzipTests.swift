import ShipperHTTP
import Testing

@Suite struct GzipTests {
    @Test func roundTripsAndWritesTheGzipHeader() throws {
        let input = Array(String(repeating: "mimecast audit event ", count: 500).utf8)
        let compressed = try Gzip.compress(input, level: 1)
        #expect(compressed.prefix(2) == [0x1f, 0x8b])
        #expect(compressed.count < input.count / 10)
        #expect(try Gzip.decompress(compressed) == input)
    }

    @Test func emptyInputRoundTrips() throws {
        #expect(try Gzip.decompress(try Gzip.compress([])) == [])
    }

    @Test func decompressionRefusesBombsAndGarbage() throws {
        let input = [UInt8](repeating: 0, count: 1_000_000)
        let compressed = try Gzip.compress(input, level: 9)
        #expect(throws: Gzip.Failure(code: -100)) { try Gzip.decompress(compressed, maxBytes: 1000) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array("not gzip at all".utf8)) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Array(compressed.prefix(20))) }
    }
}
