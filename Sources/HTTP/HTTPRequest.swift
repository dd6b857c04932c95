
/// One HTTP request as the Mimecast and Elasticsearch sides describe it; the transport decides how
/// it travels.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable {
        case get = "GET"
        case head = "HEAD"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
    }

    public var method: Method
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    /// Send the body gzip-compressed with `Content-Encoding: gzip`, at this zlib level (1-9).
    public var gzipLevel: Int?

    public init(
        method: Method,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        gzipLevel: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.gzipLevel = gzipLevel
    }
}
