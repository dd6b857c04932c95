/// The accounts an `eventInfo` narrative names, with the display names written beside them.
enum NarrativeAccounts {
    /// Words that, right before an address, make it the account the event is about:
    /// `for X`, `for user: X`, `to X`, `emailAddress=X`, `of X`, `account X`, `mailbox X`.
    /// Lower case, compared with the word's ASCII letters folded to lower case.
    private static let introducers: [[UInt8]] = ["for", "to", "user", "emailaddress", "email", "account", "of", "mailbox"]
        .map { Array($0.utf8) }

    static func introduced<Text: ByteText>(in narrative: Text) -> [EventInfo.NamedAccount] {
        var accounts: [EventInfo.NamedAccount] = []
        for address in EmailAddresses.find(in: narrative) {
            guard let word = previousWord(in: narrative, before: address.lowerBound), isIntroducer(narrative[word]) else { continue }
            accounts.append(.init(identity: address, displayName: displayName(in: narrative, after: address.upperBound)))
        }
        return accounts
    }

    private static let by: StaticString = " by "

    /// `… by X<Y>` (family 2): X is the acting account, Y its display name or the address again.
    /// Only the last ` by ` counts, and only when an address or a `<…>` follows, so ordinary
    /// prose (`sorted by date`) is not read as an account.
    static func performedBy<Text: ByteText>(in narrative: Text) -> EventInfo.NamedAccount? {
        var last: Int?
        var searchFrom = narrative.startIndex
        while let hit = TextScanning.find(by, in: narrative, from: searchFrom, caseInsensitive: false) {
            last = hit
            searchFrom = hit + 1
        }
        guard let last else { return nil }
        var start = last + by.utf8CodeUnitCount
        while start < narrative.endIndex, narrative[start] == 0x20 { start += 1 }
        var end = start
        while end < narrative.endIndex, narrative[end] != UInt8(ascii: "<"), narrative[end] > 0x20 { end += 1 }
        guard end > start else { return nil }
        let name = displayName(in: narrative, after: end)
        guard name != nil || EmailAddresses.isAddress(narrative[start..<end]) else { return nil }
        return .init(identity: start..<end, displayName: name)
    }

    /// Where the name of a `<Name>` right after an address lies (spaces allowed before it); nil
    /// when absent, empty, unterminated or itself an address.
    static func displayName<Text: ByteText>(in text: Text, after index: Int) -> Range<Int>? {
        var cursor = index
        while cursor < text.endIndex, text[cursor] == 0x20 { cursor += 1 }
        guard cursor < text.endIndex, text[cursor] == UInt8(ascii: "<") else { return nil }
        guard let close = text[(cursor + 1)...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let name = TextScanning.trimmed(text[(cursor + 1)..<close])
        guard !name.isEmpty, !name.contains(UInt8(ascii: "@")) else { return nil }
        return name.range
    }

    /// The range of the word before `index` (ASCII letters, at most 16), skipping the spaces,
    /// colon or `=` between it and the address.
    private static func previousWord<Text: ByteText>(in text: Text, before index: Int) -> Range<Int>? {
        var end = index
        while end > text.startIndex, [0x20, UInt8(ascii: ":"), UInt8(ascii: "=")].contains(text[end - 1]) { end -= 1 }
        var start = end
        while start > text.startIndex, isLetter(text[start - 1]) { start -= 1 }
        guard start < end, end - start <= 16 else { return nil }
        return start..<end
    }

    /// Whether `word` (ASCII letters) is one of `introducers` in any case.
    private static func isIntroducer<Text: ByteText>(_ word: Text) -> Bool {
        introducers.contains { introducer in
            introducer.count == word.count && zip(introducer, word).allSatisfy { $0 == $1 | 0x20 }
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
