/// Collects what libcurl hands over during one transfer: header lines and body chunks.
///
/// Pure state with no curl types, so header parsing and the body cap are unit-tested without a
/// network. curl reports the headers of every response it reads (a `100 Continue`, a proxy's
/// `CONNECT` answer); a new status line therefore starts the header list afresh.
struct ResponseAccumulator {
    let maxBodyBytes: Int
    private(set) var headers = HTTPHeaders()
    private(set) var body: [UInt8] = []
    private(set) var statusLineVersion: String?
    /// Set when the body went over `maxBodyBytes`; the transfer is then aborted.
    private(set) var exceededLimit = false

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// One raw header line as curl delivers it, CRLF included.
    mutating func receiveHeaderLine(_ line: String) {
        let trimmed = line.trimmingTrailingLineBreaks()
        if trimmed.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
            let version = trimmed.dropFirst("HTTP/".count).prefix { $0 != " " }
            statusLineVersion = String(version)
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].trimmingSpaces()
        let value = trimmed[trimmed.index(after: colon)...].trimmingSpaces()
        guard !name.isEmpty else { return }
        headers.add(String(name), String(value))
    }

    /// The announced `Content-Length`, within the cap: the body is given that room at its first
    /// chunk, instead of growing by doubling (a 250 KB page was copied five times on the way and
    /// each large buffer was fresh memory the kernel had to zero). A length that is wrong, or a
    /// body curl decompresses, only makes the room a guess; the body still grows as needed.
    var expectedBodyBytes: Int? {
        guard let value = headers["Content-Length"], let length = Int(value), length > 0 else { return nil }
        return min(length, maxBodyBytes)
    }

    /// Appends a body chunk; returns false (abort the transfer) once the cap would be exceeded.
    mutating func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard body.count + chunk.count <= maxBodyBytes else {
            exceededLimit = true
            return false
        }
        if body.isEmpty { body.reserveCapacity(expectedBodyBytes ?? chunk.count) }
        body.append(contentsOf: chunk)
        return true
    }
}

extension StringProtocol {
    fileprivate func trimmingTrailingLineBreaks() -> Substring {
        var end = endIndex
        while end > startIndex {
            let previous = index(before: end)
            guard self[previous].isNewline else { break }
            end = previous
        }
        return self[startIndex..<end].toSubstring()
    }

    fileprivate func trimmingSpaces() -> Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        var end = endIndex
        while end > start {
            let previous = index(before: end)
            guard self[previous] == " " || self[previous] == "\t" else { break }
            end = previous
        }
        return self[start..<end].toSubstring()
    }

    private func toSubstring() -> Substring { Substring(self) }
}
