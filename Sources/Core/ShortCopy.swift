/// Copies of a few bytes without a call to `memcpy`.
///
/// A document is written as some fifty pieces of 2 to 30 bytes (a field's name and the framing
/// before it, then its value), and `initialize(from:count:)` of a count known only at run time
/// is a call through the PLT into `memcpy` for each: a tenth of the mapper's instructions went
/// there. Up to 32 bytes are copied here as two overlapping loads and stores of the widest
/// integer that fits, as `memcpy` itself does once it has been called; longer runs still go to it.
/// The two ranges must not overlap.
public enum ShortCopy {
    @inlinable @inline(__always)
    public static func copy(_ source: UnsafePointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(destination)
        if count >= 8 {
            if count <= 16 {
                let head = from.loadUnaligned(as: UInt64.self)
                let tail = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                to.storeBytes(of: head, as: UInt64.self)
                to.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
            } else if count <= 32 {
                let head0 = from.loadUnaligned(as: UInt64.self)
                let head1 = from.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                let tail0 = from.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self)
                let tail1 = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                to.storeBytes(of: head0, as: UInt64.self)
                to.storeBytes(of: head1, toByteOffset: 8, as: UInt64.self)
                to.storeBytes(of: tail0, toByteOffset: count &- 16, as: UInt64.self)
                to.storeBytes(of: tail1, toByteOffset: count &- 8, as: UInt64.self)
            } else {
                to.copyMemory(from: from, byteCount: count)
            }
        } else if count >= 4 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else if count > 0 {
            // One, two or three bytes: the first, the middle and the last (some of them the same).
            destination[0] = source[0]
            destination[count &>> 1] = source[count &>> 1]
            destination[count &- 1] = source[count &- 1]
        }
    }
}
