/// Account texts compared and trimmed as bytes, judged exactly as the `String` operations the
/// mapping has always used (`Character.isWhitespace`, `lowercased()`): ASCII, almost every text,
/// is decided byte by byte, anything else through a `String` made for that one question.
///
/// The texts are pieces of buffers that outlive the mapping of one event (the event's bytes, a
/// decoded member), borrowed through pointers so that passing and copying them counts no
/// references.
enum AccountText {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Without leading and trailing `Character`s that are whitespace (line breaks included).
    /// `text` is valid UTF-8 cut where characters start, as every account text is.
    static func trimmed(_ text: Bytes) -> Bytes {
        // Printable ASCII at both ends cannot be (part of) a whitespace Character.
        guard let first = text.first, let last = text.last, first <= 0x20 || first >= 0x7F || last <= 0x20 || last >= 0x7F
        else { return text }
        let string = String(decoding: text, as: UTF8.self)
        // Repaired bytes would not line up with the text's own; account texts are never invalid.
        guard string.utf8.elementsEqual(text) else { return text }
        var slice = Substring(string)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        let start = string.utf8.distance(from: string.startIndex, to: slice.startIndex)
        return Bytes(rebasing: text[start..<(start + slice.utf8.count)])
    }

    /// Whether `a` and `b` are equal once lower-cased, decided byte by byte when both are ASCII
    /// (where `lowercased()` only maps A-Z).
    static func equalIgnoringCase(_ a: Bytes, _ b: Bytes) -> Bool {
        guard TextScanning.isASCII(a), TextScanning.isASCII(b) else {
            return String(decoding: a, as: UTF8.self).lowercased() == String(decoding: b, as: UTF8.self).lowercased()
        }
        guard a.count == b.count else { return false }
        for index in 0..<a.count where EventInfoPairs.lowered(a[index]) != EventInfoPairs.lowered(b[index]) { return false }
        return true
    }

    /// The same, for texts of the same UTF-8 length only: how two accounts are compared.
    static func sameLengthEqualIgnoringCase(_ a: Bytes, _ b: Bytes) -> Bool {
        a.count == b.count && equalIgnoringCase(a, b)
    }

    /// Where the last `@` of `text` is: its last `@` byte in ASCII text; otherwise the last `@`
    /// that is a `Character` of its own (a combining mark after an `@` makes it part of another).
    static func lastAt(in text: Bytes) -> Int? {
        if TextScanning.isASCII(text) { return text.lastIndex(of: UInt8(ascii: "@")) }
        let string = String(decoding: text, as: UTF8.self)
        guard string.utf8.elementsEqual(text), let at = string.lastIndex(of: "@") else { return nil }
        return string.utf8.distance(from: string.startIndex, to: at)
    }
}
