/// Turns the value of an IP pair into validated addresses.
enum IPTokens {
    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "|"): true
        default: false
        }
    }

    /// Where every valid address among the whitespace/comma separated tokens of `value` lies, so
    /// damaged values (`: 192.0.2.77,,`) still give their address and `null` gives none.
    static func addresses<Text: ByteText>(in value: Text) -> RangeList {
        var found = RangeList()
        appendAddresses(in: value, to: &found)
        return found
    }

    /// The same addresses appended to `found`, which spares an array per `IP:` pair.
    static func appendAddresses<Text: ByteText>(in value: Text, to found: inout RangeList) {
        var index = value.startIndex
        while index < value.endIndex {
            while index < value.endIndex, isDelimiter(value[index]) { index += 1 }
            var end = index
            while end < value.endIndex, !isDelimiter(value[end]) { end += 1 }
            if end > index, let ip = address(from: value[index..<end]) { found.append(ip) }
            index = end
        }
    }

    /// Where the address in the token lies, after removing brackets/quotes around it and the stray
    /// colon of a doubled separator (`:192.0.2.77`). Nil unless that is a valid IPv4 or IPv6 address.
    static func address<Text: ByteText>(from token: Text) -> Range<Int>? {
        var token = token
        while let first = token.first, isWrapper(first) { token.removeFirst() }
        while let last = token.last, isWrapper(last) || last == UInt8(ascii: ".") { token.removeLast() }
        guard !token.isEmpty, token.count <= 45 else { return nil }
        if IPAddress.isValid(token) { return token.range }
        var unprefixed = token
        while let first = unprefixed.first, first == UInt8(ascii: ":") { unprefixed.removeFirst() }
        if !unprefixed.contains(UInt8(ascii: ":")), IPAddress.isIPv4(unprefixed) {
            return unprefixed.range
        }
        return nil
    }

    private static func isWrapper(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            true
        default:
            false
        }
    }
}
