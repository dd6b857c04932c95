
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
    /// Sent as given; a caller that compresses sets `Content-Encoding` itself (the Elasticsearch
    /// client does, so it learns the size that went over the wire).
    public var body: [UInt8]?

    public init(
        method: Method,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
