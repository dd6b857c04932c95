import Logging
import ShipperCore
import ShipperHTTP

/// The cluster as the shipper sees it: a base URL and credentials over any `HTTPTransport`.
///
/// One place adds authentication and content types and turns 401/403 into a clear error, so the
/// bulk indexer, the template installer and the `check` subcommand cannot differ on it.
public final class ElasticsearchClient: Sendable {
    public let baseURL: String
    public let auth: ElasticsearchAuth
    private let transport: any HTTPTransport

    public init(baseURL: String, auth: ElasticsearchAuth, transport: any HTTPTransport) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.auth = auth
        self.transport = transport
    }

    public convenience init(configuration: ElasticsearchConfiguration, transport: any HTTPTransport) {
        self.init(baseURL: configuration.url, auth: configuration.auth, transport: transport)
    }

    /// A client over a fresh libcurl transport that trusts the configured CA file.
    public convenience init(configuration: ElasticsearchConfiguration, logger: Logger = Logger(label: "mimecast-shipper.elasticsearch")) throws {
        let transport = try CurlHTTPClient(configuration: configuration.httpClientConfiguration, logger: logger)
        self.init(configuration: configuration, transport: transport)
    }

    /// The base URL without user-info, for messages.
    public var redactedBaseURL: String { Redaction.stripURLCredentials(baseURL) }

    /// Sends one request with authentication; `path` starts with '/' and may carry a query.
    /// `body` is sent as given; with `gzipLevel` it is compressed here so callers learn the size
    /// that went over the wire.
    public func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        body: [UInt8]? = nil,
        contentType: String = "application/json",
        gzipLevel: Int? = nil
    ) async throws -> ElasticsearchResponse {
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let header = auth.authorizationHeader {
            headers.add("Authorization", header)
        }
        var wireBody = body
        if let plain = body {
            headers.add("Content-Type", contentType)
            if let gzipLevel, gzipLevel > 0 {
                wireBody = try Gzip.compress(plain, level: gzipLevel)
                headers.add("Content-Encoding", "gzip")
            }
        }
        let request = HTTPRequest(method: method, url: baseURL + path, headers: headers, body: wireBody)
        let response = try await transport.send(request)
        return ElasticsearchResponse(
            response: response,
            requestLine: "\(method.rawValue) \(Self.pathWithoutQuery(path))",
            bytesSent: wireBody?.count ?? 0
        )
    }

    /// Throws `ElasticsearchError.authentication` for 401 and 403.
    func checkAuthorized(_ response: ElasticsearchResponse, privilegeHint: String) throws {
        switch response.status {
        case 401:
            // curl sends user-info from the URL as basic authentication.
            let hint = auth == .none && redactedBaseURL != baseURL ? ElasticsearchAuth.urlCredentialHint : auth.credentialHint
            throw ElasticsearchError.authentication(status: 401, url: redactedBaseURL, hint: hint)
        case 403:
            let detail = ElasticsearchErrorBody.summary(response.body)
            throw ElasticsearchError.authentication(status: 403, url: redactedBaseURL, hint: "\(privilegeHint) (\(detail))")
        default:
            return
        }
    }

    /// Throws for 401/403 and any other non-2xx status.
    func requireSuccess(_ response: ElasticsearchResponse, privilegeHint: String) throws {
        try checkAuthorized(response, privilegeHint: privilegeHint)
        guard response.isSuccess else {
            throw ElasticsearchError.unexpectedStatus(
                status: response.status,
                request: response.requestLine,
                detail: ElasticsearchErrorBody.summary(response.body)
            )
        }
    }

    /// `GET /`: product, version and distribution.
    public func info() async throws -> ClusterInfo {
        let response = try await send(.get, "/")
        try requireSuccess(response, privilegeHint: "the user needs the 'monitor' cluster privilege to read GET /")
        guard let info = ClusterInfo.parse(response.body) else {
            throw ElasticsearchError.malformedResponse(request: response.requestLine, detail: "no version.number; is this Elasticsearch?")
        }
        return info
    }

    /// Which of `privileges` the current credentials hold on `index` (`_has_privileges`, which
    /// every authenticated user may call).
    public func hasPrivileges(index: String, privileges: [String]) async throws -> [String: Bool] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("index")
        writer.beginArray()
        writer.beginObject()
        writer.key("names")
        writer.beginArray()
        writer.string(index)
        writer.endArray()
        writer.key("privileges")
        writer.beginArray()
        for privilege in privileges { writer.string(privilege) }
        writer.endArray()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        let response = try await send(.post, "/_security/user/_has_privileges", body: writer.bytes)
        try requireSuccess(response, privilegeHint: "the credentials cannot check their own privileges")
        guard let granted = (try? JSONValue.parse(response.body))?["index"]?[index]?.objectValue else {
            throw ElasticsearchError.malformedResponse(request: response.requestLine, detail: "no index.\(index) object")
        }
        var result: [String: Bool] = [:]
        for privilege in privileges {
            result[privilege] = granted[privilege]?.boolValue ?? false
        }
        return result
    }

    /// Whether the composable index template `name` exists.
    public func indexTemplateExists(_ name: String) async throws -> Bool {
        try await exists("/_index_template/\(name)")
    }

    public func componentTemplateExists(_ name: String) async throws -> Bool {
        try await exists("/_component_template/\(name)")
    }

    private func exists(_ path: String) async throws -> Bool {
        try await getJSON(path) != nil
    }

    /// The parsed body of a GET, nil on 404.
    public func getJSON(_ path: String) async throws -> JSONValue? {
        let response = try await send(.get, path)
        if response.status == 404 { return nil }
        try requireSuccess(response, privilegeHint: "the user needs the 'manage_index_templates', 'manage_ilm' and 'manage_pipeline' cluster privileges")
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw ElasticsearchError.malformedResponse(request: response.requestLine, detail: "\(error)")
        }
    }

    /// PUTs or POSTs JSON and returns the parsed answer; any non-2xx status throws.
    @discardableResult
    public func writeJSON(_ method: HTTPRequest.Method, _ path: String, body: [UInt8]) async throws -> JSONValue {
        let response = try await send(method, path, body: body)
        try requireSuccess(response, privilegeHint: "the user needs the 'manage_index_templates', 'manage_ilm' and 'manage_pipeline' cluster privileges")
        return (try? JSONValue.parse(response.body)) ?? .null
    }

    private static func pathWithoutQuery(_ path: String) -> String {
        path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
    }
}

/// A response and how the request was described and sized.
public struct ElasticsearchResponse: Sendable {
    public let response: HTTPResponse
    /// `METHOD /path` without the query, for messages.
    public let requestLine: String
    /// Bytes of the body as sent (after compression).
    public let bytesSent: Int

    public var status: Int { response.status }
    public var body: [UInt8] { response.body }
    public var isSuccess: Bool { response.isSuccess }
}
