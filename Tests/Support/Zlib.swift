import CZlib

/// gzip straight from zlib, for oracles: the fakes and the benchmark judge what the product sends
/// without going through the product's own compression wrapper.
public enum Zlib {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let code: Int32
        public var description: String { "zlib error \(code)" }
    }

    /// Inflates a gzip member (RFC 1952); throws on anything zlib refuses, including trailing data
    /// or a truncated stream.
    public static func gunzip(_ bytes: [UInt8], maxBytes: Int = 512 * 1024 * 1024) throws -> [UInt8] {
        var stream = z_stream()
        var status = inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Failure(code: status) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = bytes
        status = input.withUnsafeMutableBufferPointer { inputBuffer -> Int32 in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            var result: Int32 = Z_OK
            repeat {
                result = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int32 in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    let code = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: chunkBuffer[0..<(chunkBuffer.count - Int(stream.avail_out))])
                    return code
                }
                if output.count > maxBytes { return Z_MEM_ERROR }
            } while result == Z_OK
            return result
        }
        guard status == Z_STREAM_END, stream.avail_in == 0 else { throw Failure(code: status == Z_STREAM_END ? Z_DATA_ERROR : status) }
        return output
    }
}
