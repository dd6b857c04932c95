import CCurl

/// gzip for request bodies (Elasticsearch accepts `Content-Encoding: gzip`; Beats use level 1) and
/// for the test servers that must read them. A thin layer over the C target: libdeflate compresses,
/// zlib inflates.
public enum Gzip {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let code: Int32

        public init(code: Int32) {
            self.code = code
        }

        public var description: String {
            code == -100 ? "gzip: inflated data exceeds the size limit" : "gzip: zlib error \(code)"
        }
    }

    public static func compress(_ bytes: [UInt8], level: Int = 1) throws -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var outputLength = 0
        let status = bytes.withUnsafeBufferPointer { input in
            ccurl_gzip(input.baseAddress, input.count, Int32(min(max(level, 0), 9)), &output, &outputLength)
        }
        guard status == 0, let output else { throw Failure(code: status) }
        defer { ccurl_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: outputLength))
    }

    public static func decompress(_ bytes: [UInt8], maxBytes: Int = 512 * 1024 * 1024) throws -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var outputLength = 0
        let status = bytes.withUnsafeBufferPointer { input in
            ccurl_gunzip(input.baseAddress, input.count, maxBytes, &output, &outputLength)
        }
        guard status == 0, let output else { throw Failure(code: status) }
        defer { ccurl_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: outputLength))
    }
}
