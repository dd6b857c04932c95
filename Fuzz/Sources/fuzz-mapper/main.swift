import FuzzSupport
import ShipperCore
import ShipperECS

/// libFuzzer entry: the input is one raw audit event (any bytes); the mapper must return a valid
/// document for it (see `MappedDocumentInvariants`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapper(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    MappedDocumentInvariants.mapAndCheck(RawAuditEvent(bytes: bytes))
    return 0
}

FuzzDriver.run(fuzzMapper)
