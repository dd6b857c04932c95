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
        for event in page.events { requireVerbatimJSON(event, in: bytes) }
        if let next = page.next, next.isEmpty { fatalError("empty next token not turned into nil") }
    }
    _ = MimecastResponseDecoding.failures(inBody: bytes)

    if let events = try? MimecastResponseDecoding.replayEvents(bytes, name: "fuzz.ndjson") {
        for event in events { requireVerbatimJSON(event, in: bytes) }
    }
    return 0
}

private func requireVerbatimJSON(_ event: RawAuditEvent, in input: [UInt8]) {
    guard !event.bytes.isEmpty else { fatalError("empty event") }
    guard (try? JSONValue.parse(event.bytes)) != nil else { fatalError("event is not one JSON value") }
    guard contains(input, event.bytes) else { fatalError("event bytes are not a slice of the input") }
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
}

FuzzDriver.run(fuzzMimecastResponse)
