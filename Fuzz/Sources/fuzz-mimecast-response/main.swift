import FuzzSupport
import ShipperCore
@_spi(Fuzzing) import ShipperMimecast

/// libFuzzer entry: the input is a `get-audit-events` response body and, the same bytes, a replay
/// file. Decoding may fail with a typed error but must not trap, and every event it yields must be
/// one complete JSON value taken verbatim from the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMimecastResponse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []

    if let page = try? MimecastResponseDecoding.decodePage(bytes) {
        guard (try? JSONValue.parse(bytes)) != nil else { fatalError("a page was decoded from invalid JSON") }
        for event in page.events { requireVerbatimJSON(event, in: bytes, fromPage: true) }
        if let next = page.next, next.isEmpty { fatalError("empty next token not turned into nil") }
    }
    _ = MimecastResponseDecoding.failures(inBody: bytes)

    if let events = try? MimecastResponseDecoding.replayEvents(bytes, name: "fuzz.ndjson") {
        for event in events { requireVerbatimJSON(event, in: bytes, fromPage: false) }
    }
    return 0
}

private func requireVerbatimJSON(_ event: RawAuditEvent, in input: [UInt8], fromPage: Bool) {
    guard !event.bytes.isEmpty else { fatalError("empty event") }
    guard let parsed = try? JSONValue.parse(event.bytes) else { fatalError("event is not one JSON value") }
    guard contains(input, event.bytes) else { fatalError("event bytes are not a slice of the input") }
    requireScannedMembers(event, isObject: parsed.objectValue != nil, fromPage: fromPage)
}

/// The members the page's scan recorded, which the mapper reads instead of scanning the event,
/// are exactly what a scan of the event alone finds (nil for an event that is not an object; an
/// object cut out of a page always has them).
private func requireScannedMembers(_ event: RawAuditEvent, isObject: Bool, fromPage: Bool) {
    guard let members = event.members else {
        if isObject, fromPage { fatalError("an object cut out of a page carries no members") }
        return
    }
    guard isObject else { fatalError("members recorded for an event that is not an object") }
    var recorded: [JSONMemberLiteral] = []
    members.forEach { recorded.append(JSONMemberLiteral(key: $0, value: $1)) }
    guard let alone = try? JSONRawElements.memberLiterals(of: event.bytes) else { fatalError("the event alone does not scan") }
    guard recorded == alone.map({ JSONMemberLiteral(key: $0.key, value: $0.value) }) else {
        fatalError("recorded members differ from the event's own scan")
    }
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
}

FuzzDriver.run(fuzzMimecastResponse)
