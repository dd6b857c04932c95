import ShipperCore
import Testing

/// A short copy writes exactly the bytes `memcpy` writes: every count up to past the longest it
/// copies itself, at every alignment, and nothing before or after them.
@Suite struct ShortCopyTests {
    @Test func copiesExactlyTheBytesAsked() {
        let source = (0..<128).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for count in 0...70 {
            for offset in 0..<9 {
                var destination = [UInt8](repeating: 0xEE, count: 100)
                source.withUnsafeBufferPointer { source in
                    destination.withUnsafeMutableBufferPointer { out in
                        ShortCopy.copy(source.baseAddress! + offset, to: out.baseAddress! + 9, count: count)
                    }
                }
                var expected = [UInt8](repeating: 0xEE, count: 100)
                expected.replaceSubrange(9..<(9 + count), with: source[offset..<(offset + count)])
                #expect(destination == expected, "count \(count), offset \(offset)")
            }
        }
    }
}
