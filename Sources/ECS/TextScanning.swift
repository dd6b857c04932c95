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
    /// byte in a tight loop, and only candidates compare the rest.
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
                if buffer[index &- offset] | fold == wanted {
                    var matched = 1
                    while matched < needle.count {
                        let have = buffer[index &- offset &+ matched], want = needle[matched]
                        if caseInsensitive ? EventInfoPairs.lowered(have) != EventInfoPairs.lowered(want) : have != want { break }
                        matched &+= 1
                    }
                    if matched == needle.count { return index }
                }
                index &+= 1
            }
            return nil
        }
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
