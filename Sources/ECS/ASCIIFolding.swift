/// Byte-level lower-casing and separator folding for keys built from Mimecast's text
/// (`event.action`, table lookups): ASCII letters are lower-cased, other bytes kept, each run of
/// separator bytes becomes one `separator`, and leading/trailing separators are dropped.
/// Works on UTF-8 bytes because it runs for every event.
enum ASCIIFolding {
    static func fold(_ text: String, separator: UInt8, isSeparator: (UInt8) -> Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pending = false
        for byte in text.utf8 {
            if isSeparator(byte) {
                pending = !out.isEmpty
            } else {
                if pending { out.append(separator) }
                pending = false
                out.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
