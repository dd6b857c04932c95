/// A `multipart/form-data` body with one file field (RFC 7578), which is how Kibana's import
/// APIs take their NDJSON. Pure, so the exact bytes are tested against an independent parser.
public struct MultipartFormData: Sendable, Equatable {
    public let body: [UInt8]
    /// `multipart/form-data; boundary=<boundary>`.
    public let contentType: String

    /// One part `name` holding `contents` as file `fileName`. The boundary must not occur in the
    /// contents; `boundaryToken` makes it unique otherwise (tests pass a fixed one).
    public init(field name: String, fileName: String, fileContentType: String = "application/ndjson",
                contents: [UInt8], boundaryToken: String = Self.randomToken()) {
        var boundary = "mimecast-shipper-\(boundaryToken)"
        while Self.contains(contents, Array("--\(boundary)".utf8)) {
            boundary += "-\(Self.randomToken())"
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(contents.count + 256)
        func line(_ text: String) {
            bytes += Array(text.utf8)
            bytes += [13, 10]
        }
        line("--\(boundary)")
        line("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(fileName))\"")
        line("Content-Type: \(fileContentType)")
        line("")
        bytes += contents
        bytes += [13, 10]
        line("--\(boundary)--")
        body = bytes
        contentType = "multipart/form-data; boundary=\(boundary)"
    }

    public static func randomToken() -> String {
        String(UInt64.random(in: .min ... .max), radix: 16)
    }

    /// Quotes and line breaks cannot appear inside the quoted header values.
    private static func quoted(_ text: String) -> String {
        String(text.map { $0 == "\"" || $0 == "\r" || $0 == "\n" ? "_" : $0 })
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}
