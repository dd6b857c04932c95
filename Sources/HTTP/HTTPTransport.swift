/// The one thing the Mimecast and Elasticsearch sides need from HTTP. The libcurl client is the
/// real implementation; tests of retry and paging logic may pass a scripted one.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
