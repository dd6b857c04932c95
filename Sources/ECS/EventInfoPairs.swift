/// Finds the `Key: value` pairs in an `eventInfo` text.
///
/// Values are delimited by the next recognised key, not by commas, because display names and
/// free text contain commas (`<Lopez, Ana>`) and the separators vary (`, ` in most families, a
/// bare space in `Action Performed`, a bare comma in export records, newlines in connector
/// changes). A key counts only at the start of the text or after a separator character, and only
/// when a colon follows (spaces before the colon are allowed: `IP : x`, `remote IP : x`).
enum EventInfoPairs {
    enum Key: Sendable, Equatable {
        case ip, date, time, application, method, twoFactor, reason, from, to, subject, processed
    }

    struct Pair: Equatable {
        var key: Key
        /// Byte range of the key itself, and of its raw value (everything up to the next key).
        var keyStart: Int
        var value: Range<Int>
    }

    /// Key spellings, longest first where one is a prefix of another. `caseSensitive` keys are
    /// ordinary words (`to`, `from`) that only count when capitalised as Mimecast writes them.
    private static let spellings: [(text: [UInt8], key: Key, caseSensitive: Bool)] = [
        ("remote IP", Key.ip, false), ("IP Address", .ip, false), ("IP", .ip, false),
        ("Date", .date, false), ("Time", .time, false), ("Application", .application, false),
        ("Method", .method, false), ("2FA", .twoFactor, false), ("Reason", .reason, false),
        ("From", .from, true), ("To", .to, true), ("Subject", .subject, true), ("Processed", .processed, true),
    ].map { (Array($0.0.utf8), $0.1, $0.2) }

    /// Per byte value: in the low 16 bits, which `spellings` can start with it (bit `i` for
    /// `spellings[i]`, first bytes compared as `matchKey` compares them); `separatorFlag` when it
    /// is a separator. One lookup per byte rules out almost every position, and a candidate is
    /// compared only with the spellings its first byte allows.
    private static let byteFlags: [UInt32] = (0...255).map { byte in
        var flags: UInt32 = isSeparator(UInt8(byte)) ? separatorFlag : 0
        for (offset, spelling) in spellings.enumerated() where spelling.text[0] | 0x20 == UInt8(byte) | 0x20 {
            flags |= 1 << UInt32(offset)
        }
        return flags
    }
    private static let spellingBits: UInt32 = 0xFFFF
    private static let separatorFlag: UInt32 = 1 << 16

    static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "["), UInt8(ascii: "("),
             UInt8(ascii: "{"), UInt8(ascii: "|"):
            true
        default:
            false
        }
    }

    static func pairs(in text: [UInt8]) -> [Pair] {
        // Each value runs to the next key's start (or the text's end): a pair's end is set when
        // the next key is found, so one array holds them from the start.
        var pairs: [Pair] = []
        pairs.reserveCapacity(8)
        text.withUnsafeBufferPointer { text in
            byteFlags.withUnsafeBufferPointer { flags in
                guard let base = text.baseAddress, let flags = flags.baseAddress else { return }
                var index = 0
                // Whether the byte before `index` lets a key start there (the text's start does).
                var afterSeparator = true
                while index < text.count {
                    let byteFlags = flags[Int(base[index])]
                    if afterSeparator, byteFlags & spellingBits != 0,
                       let match = matchKey(in: text, at: index, candidates: byteFlags & spellingBits) {
                        if let last = pairs.indices.last {
                            pairs[last].value = pairs[last].value.lowerBound..<max(pairs[last].value.lowerBound, index)
                        }
                        pairs.append(Pair(key: match.key, keyStart: index, value: match.valueStart..<text.count))
                        index = match.valueStart
                        afterSeparator = flags[Int(base[index &- 1])] & separatorFlag != 0
                    } else {
                        afterSeparator = byteFlags & separatorFlag != 0
                        index &+= 1
                    }
                }
            }
        }
        return pairs
    }

    /// The key starting at `index` and where its value starts (after the colon), if any, trying
    /// the `candidates` (bits of `spellings`, whose first bytes match) in their order.
    private static func matchKey(in text: UnsafeBufferPointer<UInt8>, at index: Int,
                                 candidates: UInt32) -> (key: Key, valueStart: Int)? {
        var candidates = candidates
        while candidates != 0 {
            let spelling = spellings[candidates.trailingZeroBitCount]
            candidates &= candidates &- 1
            let end = index + spelling.text.count
            guard end <= text.count else { continue }
            var matches = true
            for offset in 0..<spelling.text.count {
                let have = text[index + offset], want = spelling.text[offset]
                if spelling.caseSensitive ? have != want : lowered(have) != lowered(want) {
                    matches = false
                    break
                }
            }
            guard matches else { continue }
            var cursor = end
            while cursor < text.count, text[cursor] == 0x20 || text[cursor] == 0x09 { cursor += 1 }
            if cursor < text.count, text[cursor] == UInt8(ascii: ":") { return (spelling.key, cursor + 1) }
        }
        return nil
    }

    @inline(__always) static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
