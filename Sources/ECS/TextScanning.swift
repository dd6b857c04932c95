/// Small byte-level helpers shared by the `eventInfo` readers.
enum TextScanning {
    /// `text` without surrounding whitespace, commas and semicolons.
    static func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = text.startIndex, end = text.endIndex
        while start < end, isTrimmable(text[start]) { start += 1 }
        while end > start, isTrimmable(text[end - 1]) { end -= 1 }
        return text[start..<end]
    }

    private static func isTrimmable(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";")
    }

    /// First index at or after `start` where `needle` occurs (ASCII case-insensitive if asked).
    /// Runs for every event over its whole `eventInfo`: positions are ruled out by their first
    /// byte eight at a time, and only candidates compare the rest.
    static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int, caseInsensitive: Bool) -> Int? {
        guard let first = needle.first else { return nil }
        let lastStart = bytes.endIndex - needle.count
        var index = max(start, bytes.startIndex)
        guard index <= lastStart else { return nil }
        // An ASCII letter compares case-insensitively as `byte | 0x20` (only its two cases map
        // to its lower case that way); anything else compares exactly.
        let lowerFirst = first | 0x20
        let foldFirst = caseInsensitive && lowerFirst >= UInt8(ascii: "a") && lowerFirst <= UInt8(ascii: "z")
        let wanted = foldFirst ? lowerFirst : first
        let fold: UInt8 = foldFirst ? 0x20 : 0
        return bytes.withUnsafeBufferPointer { buffer -> Int? in
            let offset = bytes.startIndex
            while index <= lastStart {
                // The next position whose first byte fits, eight bytes at a time.
                let candidate = firstIndex(of: wanted, folding: fold, in: buffer, from: index &- offset, to: lastStart &- offset &+ 1) &+ offset
                guard candidate <= lastStart else { return nil }
                index = candidate
                var matched = 1
                while matched < needle.count {
                    let have = buffer[index &- offset &+ matched], want = needle[matched]
                    if caseInsensitive ? EventInfoPairs.lowered(have) != EventInfoPairs.lowered(want) : have != want { break }
                    matched &+= 1
                }
                if matched == needle.count { return index }
                index &+= 1
            }
            return nil
        }
    }

    /// The first index in `from..<end` of `buffer` whose byte, OR-ed with `fold` (0 or 0x20), is
    /// `wanted`; `end` when there is none. Eight bytes at a time by the "has a zero byte" word
    /// trick, whose lowest mark is exact (a borrow only marks bytes above a marked one).
    @inline(__always)
    static func firstIndex(of wanted: UInt8, folding fold: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard let base = buffer.baseAddress else { return end }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let pattern = ones &* UInt64(wanted), folds = ones &* UInt64(fold)
        var index = start
        while index &+ 8 <= end {
            let word = (UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) | folds) ^ pattern
            let mask = (word &- ones) & ~word & 0x8080_8080_8080_8080
            if mask != 0 { return index &+ mask.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < end, base[index] | fold != wanted { index &+= 1 }
        return index
    }

    /// Whether every byte is below 0x80, eight at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        var high: UInt64 = 0
        while offset &+ 8 <= bytes.count {
            high |= UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            offset &+= 8
        }
        while offset < bytes.count {
            high |= UInt64(base[offset])
            offset &+= 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }
}
