import ShipperCore
/// Finds e-mail addresses in free text, by their `@`, as byte ranges.
enum EmailAddresses {
    static func isAddressByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// Where every `local@domain.tld` in `text` lies (a domain needs a dot; trailing dots and
    /// hyphens belong to the sentence, not the address).
    static func find<Text: ByteText>(in text: Text) -> RangeList {
        var found = RangeList()
        appendAddresses(in: text, to: &found)
        return found
    }

    /// The same ranges appended to `addresses` (no array per value).
    static func appendAddresses<Text: ByteText>(in text: Text, to addresses: inout RangeList) {
        let origin = text.startIndex
        text.withBytes { buffer in
            forEachAddress(in: buffer) { range in
                addresses.append((range.lowerBound &+ origin)..<(range.upperBound &+ origin))
                return true
            }
        }
    }

    /// Calls `body` with the range of each address in `text`, in order, until it returns false.
    /// The `@`s are found eight bytes at a time: most of a text is not near one.
    private static func forEachAddress(in text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Bool) {
        var index = 0
        while true {
            index = TextScanning.firstIndex(of: UInt8(ascii: "@"), folding: 0, in: text, from: index, to: text.count)
            guard index < text.count else { return }
            var start = index
            while start > text.startIndex, isAddressByte(text[start - 1]) { start -= 1 }
            var end = index + 1
            while end < text.endIndex, isAddressByte(text[end]) { end += 1 }
            while end > index + 1, text[end - 1] == UInt8(ascii: ".") || text[end - 1] == UInt8(ascii: "-") { end -= 1 }
            let domain = text[(index + 1)..<end]
            if start < index, let first = domain.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-"),
               domain.contains(UInt8(ascii: ".")) {
                guard body(start..<end) else { return }
            }
            index = max(end, index + 1)
        }
    }

    /// `text` is exactly one address (the test for whether a `by` account is an e-mail address).
    static func isAddress<Text: ByteText>(_ text: Text) -> Bool {
        text.withBytes { atOfWholeAddress($0) != nil }
    }

    /// Where the `@` is when `bytes` are exactly one address. Such a text is ASCII with exactly
    /// one `@` (it is not an address byte).
    static func atOfWholeAddress(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var whole = false
        forEachAddress(in: bytes) { range in
            whole = range == 0..<bytes.count
            return false
        }
        return whole ? bytes.firstIndex(of: UInt8(ascii: "@")) : nil
    }
}
