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
    static func find(_ needle: [UInt8], in bytes: ArraySlice<UInt8>, from start: Int, caseInsensitive: Bool) -> Int? {
        guard !needle.isEmpty else { return nil }
        var index = max(start, bytes.startIndex)
        while index + needle.count <= bytes.endIndex {
            var offset = 0
            while offset < needle.count {
                let have = bytes[index + offset], want = needle[offset]
                if caseInsensitive ? EventInfoPairs.lowered(have) != EventInfoPairs.lowered(want) : have != want { break }
                offset += 1
            }
            if offset == needle.count { return index }
            index += 1
        }
        return nil
    }
}
