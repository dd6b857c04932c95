/// A complete response; the body is bounded by the client's `maxResponseBytes`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The HTTP version the server answered with, e.g. "1.1" or "2".
    public var httpVersion: String

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public var isSuccess: Bool { (200..<300).contains(status) }
}
