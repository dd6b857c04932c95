/// Small byte-level helpers shared by the `eventInfo` readers.
enum TextScanning {
    /// `text` without surrounding whitespace, commas and semicolons.
    static func trimmed<Text: ByteText>(_ text: Text) -> Text {
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
    /// two bytes eight at a time (a first byte alone, a space or an `r`, is common in prose), and
    /// only candidates compare the whole needle.
    static func find<Text: ByteText>(_ needle: [UInt8], in bytes: Text, from start: Int, caseInsensitive: Bool) -> Int? {
        needle.withUnsafeBufferPointer { find($0, in: bytes, from: start, caseInsensitive: caseInsensitive) }
    }

    /// The same for a needle written in the source, read through its pointer (a stored array is a
    /// lazy global, checked at each search).
    static func find<Text: ByteText>(_ needle: StaticString, in bytes: Text, from start: Int, caseInsensitive: Bool) -> Int? {
        find(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), in: bytes, from: start,
             caseInsensitive: caseInsensitive)
    }

    private static func find<Text: ByteText>(_ needle: UnsafeBufferPointer<UInt8>, in bytes: Text, from start: Int,
                                             caseInsensitive: Bool) -> Int? {
        guard let first = needle.first else { return nil }
        let lastStart = bytes.endIndex - needle.count
        var index = max(start, bytes.startIndex)
        guard index <= lastStart else { return nil }
        // An ASCII letter compares case-insensitively as `byte | 0x20` (only its two cases map
        // to its lower case that way); anything else compares exactly.
        func folded(_ byte: UInt8) -> (wanted: UInt8, fold: UInt8) {
            let lower = byte | 0x20
            return caseInsensitive && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") ? (lower, 0x20) : (byte, 0)
        }
        let head = folded(first)
        let second = needle.count > 1 ? folded(needle[1]) : nil
        return bytes.withBytes { buffer -> Int? in
            let offset = bytes.startIndex
            while index <= lastStart {
                // The next position whose first bytes fit, eight at a time.
                let from = index &- offset, end = lastStart &- offset &+ 1
                let candidate = if let second {
                    firstIndex(of: head.wanted, folding: head.fold, followedBy: second.wanted, folding: second.fold,
                               in: buffer, from: from, to: end) &+ offset
                } else {
                    firstIndex(of: head.wanted, folding: head.fold, in: buffer, from: from, to: end) &+ offset
                }
                guard candidate <= lastStart else { return nil }
                index = candidate
                var matched = 0
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

    /// The first index in `from..<end` of `buffer` where a byte that is `wanted` once OR-ed with
    /// `fold` is followed by one that is `next` once OR-ed with `nextFold`, or `end` when there
    /// is none; `buffer` holds the byte after `end - 1`. The two words' marks are combined: a
    /// mark above a true one can be false (see `firstIndex(of:folding:in:from:to:)`), so the
    /// position found is at or before the first true pair, and the caller compares it.
    @inline(__always)
    static func firstIndex(of wanted: UInt8, folding fold: UInt8, followedBy next: UInt8, folding nextFold: UInt8,
                           in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard let base = buffer.baseAddress else { return end }
        precondition(end < buffer.count, "the byte after the last candidate must be in the buffer")
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let pattern = ones &* UInt64(wanted), folds = ones &* UInt64(fold)
        let nextPattern = ones &* UInt64(next), nextFolds = ones &* UInt64(nextFold)
        var index = start
        while index &+ 8 <= end {
            let word = (UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) | folds) ^ pattern
            let following = (UnsafeRawPointer(base + (index &+ 1)).loadUnaligned(as: UInt64.self) | nextFolds) ^ nextPattern
            let marks: UInt64 = (word &- ones) & ~word
            let nextMarks: UInt64 = (following &- ones) & ~following
            let mask = marks & nextMarks & highs
            if mask != 0 { return index &+ mask.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        while index < end {
            if base[index] | fold == wanted, base[index &+ 1] | nextFold == next { break }
            index &+= 1
        }
        return index
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
