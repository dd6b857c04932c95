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

    /// How a key is written. `caseSensitive` keys are ordinary words (`to`, `from`) that only
    /// count when capitalised as Mimecast writes them. The text is a `StaticString` so that
    /// reading a spelling retains nothing.
    struct Spelling: Sendable {
        let text: StaticString
        let key: Key
        let caseSensitive: Bool

        var count: Int { text.utf8CodeUnitCount }
        subscript(offset: Int) -> UInt8 { text.utf8Start[offset] }
    }

    /// Every key spelling.
    static let spellings: [Spelling] = [
        .init(text: "remote IP", key: .ip, caseSensitive: false), .init(text: "IP Address", key: .ip, caseSensitive: false),
        .init(text: "IP", key: .ip, caseSensitive: false), .init(text: "Date", key: .date, caseSensitive: false),
        .init(text: "Time", key: .time, caseSensitive: false), .init(text: "Application", key: .application, caseSensitive: false),
        .init(text: "Method", key: .method, caseSensitive: false), .init(text: "2FA", key: .twoFactor, caseSensitive: false),
        .init(text: "Reason", key: .reason, caseSensitive: false), .init(text: "From", key: .from, caseSensitive: true),
        .init(text: "To", key: .to, caseSensitive: true), .init(text: "Subject", key: .subject, caseSensitive: true),
        .init(text: "Processed", key: .processed, caseSensitive: true),
    ]

    /// Per byte value (lower-cased as `lowered` lowers it), the `spellings` that can end with it:
    /// bit `i` for `spellings[i]`. A colon is compared only with the keys its last key byte allows.
    private static let lastByteSpellings: [UInt32] = (0...255).map { byte in
        var bits: UInt32 = 0
        for (offset, spelling) in spellings.enumerated() where lowered(spelling[spelling.count - 1]) == UInt8(byte) {
            bits |= 1 << UInt32(offset)
        }
        return bits
    }

    static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "["), UInt8(ascii: "("),
             UInt8(ascii: "{"), UInt8(ascii: "|"):
            true
        default:
            false
        }
    }

    /// Every key is followed by a colon (spaces and tabs may come between), and colons are few:
    /// the text is passed over eight bytes at a time to the next colon, and only there is a key
    /// looked for, ending just before it. Reading left to right, a key is the one found starting
    /// earliest, at the text's start or after a separator: for each colon that is the longest
    /// spelling that fits there. (A key never reaches back past an earlier colon, since neither
    /// a spelling nor the spaces after it hold one, and a colon is not a separator, so a key
    /// cannot start right after the previous key's colon either.)
    static func pairs(in text: [UInt8]) -> [Pair] {
        pairs(in: text[...])
    }

    /// The same in a text that is part of a larger buffer (the event's `eventInfo`, read where it
    /// lies); the ranges are indices of that buffer.
    static func pairs<Text: ByteText>(in slice: Text) -> [Pair] {
        withPairs(in: slice) { Array($0) }
    }

    /// Calls `body` with the pairs of `slice`, held in temporary (stack) memory: an array of them
    /// was an allocation and its release per event.
    static func withPairs<Text: ByteText, R>(in slice: Text, _ body: (UnsafeBufferPointer<Pair>) -> R) -> R {
        // Room for a usual text on the stack (a kilobyte always is); a text with more keys than
        // that, rare, has its pairs in an array.
        withUnsafeTemporaryAllocation(of: Pair.self, capacity: 1024 / MemoryLayout<Pair>.stride) { storage in
            if let count = fill(storage, from: slice) { return body(UnsafeBufferPointer(rebasing: storage[..<count])) }
            // A key is at least two bytes and its colon a third, and the next key starts at least
            // one separator past that colon, so no more than a third of the bytes begin a pair.
            var all = [Pair](repeating: Pair(key: .ip, keyStart: 0, value: 0..<0), count: slice.count / 3 &+ 1)
            return all.withUnsafeMutableBufferPointer { all in
                let count = fill(all, from: slice)
                precondition(count != nil, "more eventInfo pairs than its length allows")
                return body(UnsafeBufferPointer(rebasing: all[..<count!]))
            }
        }
    }

    /// Writes the pairs of `slice` into `storage` and returns how many; nil when they do not fit.
    private static func fill<Text: ByteText>(_ storage: UnsafeMutableBufferPointer<Pair>, from slice: Text) -> Int? {
        let origin = slice.startIndex
        var count = 0
        // Each value runs to the next key's start (or the text's end): a pair's end is set when
        // the next key is found.
        let fits = slice.withBytes { text -> Bool in
            let colon = UInt8(ascii: ":")
            var index = TextScanning.firstIndex(of: colon, folding: 0, in: text, from: 0, to: text.count)
            while index < text.count {
                if let match = key(before: index, in: text) {
                    let start = origin &+ match.start
                    if count > 0 {
                        let last = storage[count &- 1].value
                        storage[count &- 1].value = last.lowerBound..<max(last.lowerBound, start)
                    }
                    guard count < storage.count else { return false }
                    // Pairs hold only plain values: nothing to deinitialise afterwards.
                    (storage.baseAddress! + count).initialize(
                        to: Pair(key: match.key, keyStart: start, value: (origin &+ index &+ 1)..<(origin &+ text.count)))
                    count &+= 1
                }
                index = TextScanning.firstIndex(of: colon, folding: 0, in: text, from: index + 1, to: text.count)
            }
            return true
        }
        return fits ? count : nil
    }

    /// The key that ends just before the colon at `colon` (spaces and tabs between allowed) and
    /// starts earliest, at the text's start or after a separator.
    private static func key(before colon: Int, in text: UnsafeBufferPointer<UInt8>) -> (key: Key, start: Int)? {
        var end = colon
        while end > 0, text[end - 1] == 0x20 || text[end - 1] == 0x09 { end -= 1 }
        guard end > 0 else { return nil }
        var candidates = lastByteSpellings[Int(lowered(text[end - 1]))]
        var found: (key: Key, start: Int)?
        while candidates != 0 {
            let spelling = spellings[candidates.trailingZeroBitCount]
            candidates &= candidates &- 1
            let start = end - spelling.count
            guard start >= 0, start < found?.start ?? end,
                  start == 0 || isSeparator(text[start - 1]) else { continue }
            var matches = true
            for offset in 0..<spelling.count {
                let have = text[start + offset], want = spelling[offset]
                if spelling.caseSensitive ? have != want : lowered(have) != lowered(want) {
                    matches = false
                    break
                }
            }
            if matches { found = (spelling.key, start) }
        }
        return found
    }

    @inline(__always) static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}
