import FuzzSupport
import ShipperCore
import ShipperECS

/// libFuzzer entry: the input is an `eventInfo` text, wrapped in an otherwise well-formed event so
/// every input reaches the eventInfo parser (not the JSON or eventTime failure paths).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventInfo(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let eventInfo = String(decoding: bytes, as: UTF8.self)
    var writer = JSONWriter()
    writer.beginObject()
    writer.member("id", "fuzz-event")
    writer.member("auditType", "Logon Authentication Failed")
    writer.member("user", "ana.lopez@example.org")
    writer.member("eventTime", "2024-05-02T09:14:07+0000")
    writer.member("eventInfo", eventInfo)
    writer.member("category", "authentication_logs")
    writer.endObject()
    MappedDocumentInvariants.mapAndCheck(RawAuditEvent(bytes: writer.bytes))
    return 0
}

FuzzDriver.run(fuzzEventInfo)
