/// RFC 3986 percent-encoding of everything but the unreserved characters (`A-Z a-z 0-9 - . _ ~`),
/// with upper-case hex: what `application/x-www-form-urlencoded` bodies such as the OAuth token
/// request carry, and therefore one of the forms a secret is scrubbed in.
public enum PercentEncoding {
    public static func unreserved(_ text: String) -> String {
        encoding(text) { isUnreserved($0) }
    }

    /// What `addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)` leaves readable: the
    /// unreserved characters, the sub-delimiters and `: @ / ?`.
    public static func query(_ text: String) -> String {
        encoding(text) { isUnreserved($0) || isSubDelimiter($0) || $0 == 0x3A || $0 == 0x40 || $0 == 0x2F || $0 == 0x3F }
    }

    /// What `addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed)` leaves readable:
    /// the unreserved characters and the sub-delimiters.
    public static func password(_ text: String) -> String {
        encoding(text) { isUnreserved($0) || isSubDelimiter($0) }
    }

    /// `%XX` escapes decoded, as `removingPercentEncoding` decodes them: nil when an escape is
    /// malformed or the bytes are not UTF-8, and a leading byte-order mark dropped as it drops it.
    public static func decoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
            bytes.append(high << 4 | low)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
            || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }

    /// `! $ & ' ( ) * + , ; =` (RFC 3986).
    private static func isSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21, 0x24, 0x26...0x2C, 0x3B, 0x3D: true
        default: false
        }
    }

    private static func encoding(_ text: String, allowing isAllowed: (UInt8) -> Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            if isAllowed(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
