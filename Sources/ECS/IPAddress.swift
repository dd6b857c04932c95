/// Strict textual IPv4/IPv6 recognition for `source.ip` and `related.ip`.
///
/// Elasticsearch rejects a whole document whose `ip` field does not parse, so anything that is not
/// exactly an address (`null`, `unknown`, a host name, a zone id, an address with a port) must be
/// left out rather than passed on. Written by hand to keep the mapper free of platform libraries.
enum IPAddress {
    /// True when `text` is a dotted-quad IPv4 address or an RFC 4291 IPv6 address (with optional
    /// `::` compression and an embedded IPv4 tail).
    static func isValid(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        return isValid(bytes[...])
    }

    static func isValid(_ text: String) -> Bool { isValid(text[...]) }

    static func isValid<Text: ByteText>(_ bytes: Text) -> Bool {
        bytes.contains(UInt8(ascii: ":")) ? isIPv6(bytes) : isIPv4(bytes)
    }

    /// Four decimal parts 0...255 without leading zeros (which some parsers read as octal).
    static func isIPv4<Text: ByteText>(_ bytes: Text) -> Bool {
        var parts = 0
        var digits = 0
        var value = 0
        var firstDigit: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return false }
                parts += 1
                digits = 0
                value = 0
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                if digits == 0 { firstDigit = byte }
                digits += 1
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                guard digits <= 3, value <= 255, !(digits > 1 && firstDigit == UInt8(ascii: "0")) else { return false }
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    /// Colon-separated groups of 1-4 hex digits: eight of them, or fewer with exactly one `::`;
    /// a trailing dotted IPv4 part counts as two groups.
    static func isIPv6<Text: ByteText>(_ bytes: Text) -> Bool {
        guard bytes.count >= 2, bytes.count <= 45 else { return false }
        var groups = 0
        var sawCompression = false
        var index = bytes.startIndex
        let end = bytes.endIndex
        if bytes[index] == UInt8(ascii: ":") {
            guard bytes[index + 1] == UInt8(ascii: ":") else { return false }
            sawCompression = true
            index += 2
            if index == end { return true }
        }
        while index < end {
            var groupEnd = index
            while groupEnd < end, isHexDigit(bytes[groupEnd]) { groupEnd += 1 }
            if groupEnd < end, bytes[groupEnd] == UInt8(ascii: ".") {
                // Embedded IPv4: must be the last part and leave room for it.
                guard isIPv4(bytes[index..<end]) else { return false }
                groups += 2
                index = end
                break
            }
            let length = groupEnd - index
            guard length >= 1, length <= 4 else { return false }
            groups += 1
            index = groupEnd
            if index == end { break }
            guard bytes[index] == UInt8(ascii: ":") else { return false }
            index += 1
            if index < end, bytes[index] == UInt8(ascii: ":") {
                guard !sawCompression else { return false }
                sawCompression = true
                index += 1
                if index == end { break }
            } else if index == end {
                return false // a single trailing colon
            }
        }
        return sawCompression ? groups <= 7 : groups == 8
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }
}
