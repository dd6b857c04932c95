/// Reads an `eventInfo` text (every family in the eventinfo-formats reference, and anything else)
/// into an `EventInfo`. Total: any input, however damaged or truncated, gives a result.
enum EventInfoParser {
    static func parse(_ text: String) -> EventInfo {
        parse(utf8: Array(text.utf8)[...])
    }

    /// The same from the text's UTF-8 (valid UTF-8, as a `String`'s). The members are gathered in
    /// locals and the result made once at the end: filling a `var info` in place made the
    /// compiler copy the whole value on return, a retain and a release per string and list. The
    /// text may be part of a larger buffer (the event's bytes, not copied out): every position is
    /// an index of that buffer.
    static func parse(utf8 bytes: ArraySlice<UInt8>) -> EventInfo {
        var ips: [String] = [], emailFrom: [String] = [], emailTo: [String] = []
        var application: String?, method: String?, twoFactor: String?, reason: String?, emailSubject: String?
        let pairs = EventInfoPairs.pairs(in: bytes)
        // Export records wrap everything in brackets; the last value must not keep the `]`.
        let bracketed = bytes.first == UInt8(ascii: "[") && bytes.last == UInt8(ascii: "]")
        // `Remote IP is` forms interleave with the pairs' addresses by position; without them
        // (the usual case) the pairs' addresses are already in order.
        let remoteForms = remoteIPIsForms(in: bytes)
        var located: [(position: Int, ip: String)] = []
        for pair in pairs {
            var range = pair.value
            if bracketed, range.upperBound == bytes.endIndex { range = range.lowerBound..<(range.upperBound - 1) }
            let value = TextScanning.trimmed(bytes[range])
            switch pair.key {
            case .ip where remoteForms.isEmpty:
                IPTokens.appendAddresses(in: value, to: &ips)
            case .ip:
                for ip in IPTokens.addresses(in: value) { located.append((pair.keyStart, ip)) }
            case .application: setOnce(&application, value)
            case .method: setOnce(&method, value)
            case .twoFactor: setOnce(&twoFactor, value)
            case .reason: setOnce(&reason, value)
            case .subject: setOnce(&emailSubject, value)
            case .from: EmailAddresses.appendAddresses(in: value, to: &emailFrom)
            case .to: EmailAddresses.appendAddresses(in: value, to: &emailTo)
            case .date, .time, .processed: break // local wall-clock text; `eventTime` is authoritative
            }
        }
        if !remoteForms.isEmpty {
            located += remoteForms
            located.sort { $0.position < $1.position }
            ips = located.map(\.ip)
        }

        let narrativeEnd = pairs.first?.keyStart ?? bytes.endIndex
        let narrative = bytes[bytes.startIndex..<narrativeEnd]
        if method == nil { method = serialisedMember("method=", in: narrative) }
        return EventInfo(ips: ips, application: application, method: method, twoFactor: twoFactor, reason: reason,
                         emailFrom: emailFrom, emailTo: emailTo, emailSubject: emailSubject,
                         narrativeBytes: TextScanning.trimmed(narrative),
                         namedAccounts: NarrativeAccounts.introduced(in: narrative),
                         performedBy: NarrativeAccounts.performedBy(in: narrative))
    }

    private static func setOnce(_ slot: inout String?, _ value: ArraySlice<UInt8>) {
        guard slot == nil, !value.isEmpty else { return }
        slot = String(decoding: value, as: UTF8.self)
    }

    /// `name=value` inside a serialised object (`LogonRequest{emailAddress=…, method=PASSWORD}`).
    static func serialisedMember(_ name: String, in text: ArraySlice<UInt8>) -> String? {
        let needle = Array(name.utf8)
        var from = text.startIndex
        while let hit = TextScanning.find(needle, in: text, from: from, caseInsensitive: false) {
            from = hit + 1
            guard hit > text.startIndex, [UInt8(ascii: "{"), UInt8(ascii: " "), UInt8(ascii: ",")].contains(text[hit - 1]) else { continue }
            let start = hit + needle.count
            var end = start
            while end < text.endIndex, ![UInt8(ascii: ","), UInt8(ascii: "}")].contains(text[end]) { end += 1 }
            let value = TextScanning.trimmed(text[start..<end])
            return value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
        }
        return nil
    }

    private static let remoteIPIs = Array("remote ip is".utf8)

    /// `Remote IP is 198.51.100.23` (family 3); `Remote IP is null` gives nothing.
    static func remoteIPIsForms(in bytes: ArraySlice<UInt8>) -> [(position: Int, ip: String)] {
        var found: [(Int, String)] = []
        var index = bytes.startIndex
        while let start = TextScanning.find(remoteIPIs, in: bytes, from: index, caseInsensitive: true) {
            var end = start + remoteIPIs.count
            while end < bytes.endIndex, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
            var tokenEnd = end
            while tokenEnd < bytes.endIndex, !IPTokens.isDelimiter(bytes[tokenEnd]) { tokenEnd += 1 }
            if let ip = IPTokens.address(from: bytes[end..<tokenEnd]) { found.append((start, ip)) }
            index = max(tokenEnd, start + 1)
        }
        return found
    }
}
