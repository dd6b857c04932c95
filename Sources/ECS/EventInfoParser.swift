/// Reads an `eventInfo` text (every family in the eventinfo-formats reference, and anything else)
/// into an `EventInfo`. Total: any input, however damaged or truncated, gives a result.
enum EventInfoParser {
    static func parse(_ text: String) -> EventInfo {
        parse(utf8: Array(text.utf8)[...])
    }

    /// The same from the text's UTF-8 (valid UTF-8, as a `String`'s). The text may be part of a
    /// larger buffer (the event's bytes, not copied out): every position is an index of that buffer.
    static func parse(utf8 bytes: ArraySlice<UInt8>) -> EventInfo {
        read(bytes, text: bytes)
    }

    /// The record's `eventInfo` read where it lies, through a pointer, with the indices its slice
    /// has: the pieces cut from it along the way retain nothing.
    static func parse(eventInfoOf record: AuditEventRecord) -> EventInfo {
        guard let text = record.eventInfo else { return EventInfo() }
        if record.eventInfoIsPlain {
            // A span of the event's bytes: the slice's indices are the event's.
            return record.bytes.withUnsafeBufferPointer { read($0[text.indices], text: text) }
        }
        guard text.startIndex == 0 else { return parse(utf8: text) }
        return text.withUnsafeBufferPointer { read($0[...], text: text) }
    }

    /// What `parse` finds in `bytes`, which are `text` (as the caller holds it). The members are gathered in
    /// locals and the result made once at the end: filling a `var info` in place made the
    /// compiler copy the whole value on return, a retain and a release per string and list.
    private static func read<Text: ByteText>(_ bytes: Text, text: ArraySlice<UInt8>) -> EventInfo {
        EventInfoPairs.withPairs(in: bytes) { read(bytes, text: text, pairs: $0) }
    }

    private static func read<Text: ByteText>(_ bytes: Text, text: ArraySlice<UInt8>,
                                             pairs: UnsafeBufferPointer<EventInfoPairs.Pair>) -> EventInfo {
        var ips = RangeList(), emailFrom = RangeList(), emailTo = RangeList()
        var application: Range<Int>?, method: Range<Int>?, twoFactor: Range<Int>?, reason: Range<Int>?
        var emailSubject: Range<Int>?
        // Export records wrap everything in brackets; the last value must not keep the `]`.
        let bracketed = bytes.first == UInt8(ascii: "[") && bytes.last == UInt8(ascii: "]")
        // `Remote IP is` forms interleave with the pairs' addresses by position; without them
        // (the usual case) the pairs' addresses are already in order.
        let remoteForms = remoteIPIsForms(in: bytes)
        var located: [(position: Int, ip: Range<Int>)] = []
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
            ips = RangeList(located.map(\.ip))
        }

        let narrativeEnd = pairs.first?.keyStart ?? bytes.endIndex
        let narrative = bytes[bytes.startIndex..<narrativeEnd]
        if method == nil { method = serialisedMember(methodMember, in: narrative) }
        return EventInfo(text: text, ips: ips, application: application, method: method, twoFactor: twoFactor,
                         reason: reason, emailFrom: emailFrom, emailTo: emailTo, emailSubject: emailSubject,
                         narrative: TextScanning.trimmed(narrative).range,
                         namedAccounts: NarrativeAccounts.introduced(in: narrative),
                         performedBy: NarrativeAccounts.performedBy(in: narrative))
    }

    private static func setOnce<Text: ByteText>(_ slot: inout Range<Int>?, _ value: Text) {
        guard slot == nil, !value.isEmpty else { return }
        slot = value.range
    }

    private static let methodMember: StaticString = "method="

    /// `name=value` inside a serialised object (`LogonRequest{emailAddress=…, method=PASSWORD}`):
    /// where the value lies. `needle` is the name with its `=`.
    static func serialisedMember<Text: ByteText>(_ needle: StaticString, in text: Text) -> Range<Int>? {
        var from = text.startIndex
        while let hit = TextScanning.find(needle, in: text, from: from, caseInsensitive: false) {
            from = hit + 1
            guard hit > text.startIndex else { continue }
            let before = text[hit - 1]
            guard before == UInt8(ascii: "{") || before == UInt8(ascii: " ") || before == UInt8(ascii: ",") else { continue }
            let start = hit + needle.utf8CodeUnitCount
            var end = start
            while end < text.endIndex, text[end] != UInt8(ascii: ","), text[end] != UInt8(ascii: "}") { end += 1 }
            let value = TextScanning.trimmed(text[start..<end])
            return value.isEmpty ? nil : value.range
        }
        return nil
    }

    private static let remoteIPIs: StaticString = "remote ip is"

    /// `Remote IP is 198.51.100.23` (family 3); `Remote IP is null` gives nothing.
    static func remoteIPIsForms<Text: ByteText>(in bytes: Text) -> [(position: Int, ip: Range<Int>)] {
        var found: [(Int, Range<Int>)] = []
        var index = bytes.startIndex
        while let start = TextScanning.find(remoteIPIs, in: bytes, from: index, caseInsensitive: true) {
            var end = start + remoteIPIs.utf8CodeUnitCount
            while end < bytes.endIndex, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
            var tokenEnd = end
            while tokenEnd < bytes.endIndex, !IPTokens.isDelimiter(bytes[tokenEnd]) { tokenEnd += 1 }
            if let ip = IPTokens.address(from: bytes[end..<tokenEnd]) { found.append((start, ip)) }
            index = max(tokenEnd, start + 1)
        }
        return found
    }
}
