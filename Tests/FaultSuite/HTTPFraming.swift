import Foundation

/// Just enough HTTP/1.1 framing for the proxy to tell where a request or response starts and
/// ends (header block plus `Content-Length` body), so faults land at exact points: mid-body, or
/// between a complete answer and what the shipper does next. Pure, no I/O.
enum HTTPFraming {
    private static let terminator: [UInt8] = Array("\r\n\r\n".utf8)

    /// The length of the header block including its blank line, nil when it is not complete yet.
    static func headerLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= terminator.count else { return nil }
        for start in 0...(bytes.count - terminator.count) where bytes[start] == terminator[0] {
            if bytes[start..<(start + terminator.count)].elementsEqual(terminator) {
                return start + terminator.count
            }
        }
        return nil
    }

    /// `Content-Length` of a header block; nil when absent (chunked or close-delimited).
    static func contentLength(_ header: ArraySlice<UInt8>) -> Int? {
        for line in String(decoding: header, as: UTF8.self).split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    /// The target of a request line (`POST /path?query HTTP/1.1`), without the query.
    static func requestPath(_ header: ArraySlice<UInt8>) -> String {
        let firstLine = String(decoding: header.prefix(512), as: UTF8.self).split(separator: "\r\n").first ?? ""
        let words = firstLine.split(separator: " ")
        guard words.count >= 2 else { return "" }
        return String(words[1].split(separator: "?", maxSplits: 1).first ?? "")
    }
}
