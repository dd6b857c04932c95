/// Trimming by Unicode scalar, as `CharacterSet.whitespaces` and `.whitespacesAndNewlines` trim:
/// it lets every module read flags, headers and files with `FoundationEssentials` alone, which
/// keeps the full Foundation (and its start-up cost) out of the binary.
extension StringProtocol {
    /// Without leading and trailing spaces and tabs: U+0009, U+0020, U+00A0, U+1680,
    /// U+2000–U+200B, U+202F, U+205F and U+3000, the scalars `CharacterSet.whitespaces` holds
    /// (Unicode's Zs plus the tab and, as Foundation keeps it, the zero-width space).
    public func trimmingWhitespace() -> String {
        trimmingScalars { Self.isSpace($0) }
    }

    /// Without leading and trailing white space and line breaks: the spaces above plus
    /// U+000A–U+000D, U+0085, U+2028 and U+2029, as `CharacterSet.whitespacesAndNewlines`.
    public func trimmingWhitespaceAndNewlines() -> String {
        trimmingScalars { Self.isSpace($0) || Self.isNewline($0) }
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    private static func isPrintableASCII(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    private func trimmingScalars(where shouldTrim: (Unicode.Scalar) -> Bool) -> String {
        // Most text starts and ends in a printable ASCII character: no Unicode tables needed.
        let text = String(self)
        if let first = text.utf8.first, let last = text.utf8.last, Self.isPrintableASCII(first), Self.isPrintableASCII(last) {
            return text
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !shouldTrim($0) }),
              let last = scalars.lastIndex(where: { !shouldTrim($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
