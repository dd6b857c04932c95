import Logging
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP

/// Kibana's HTTP API over the product's one HTTP layer: authentication, `kbn-xsrf` on every
/// request (Kibana refuses writes without it), the space prefix, and 401/403 as clear errors.
public final class KibanaClient: Sendable {
    public let configuration: KibanaConfiguration
    private let transport: any HTTPTransport

    public init(configuration: KibanaConfiguration, transport: any HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    /// A client over a fresh libcurl transport trusting the configured CA file.
    public convenience init(configuration: KibanaConfiguration, logger: Logger = Logger(label: "mimecast-shipper.kibana")) throws {
        self.init(configuration: configuration, transport: try CurlHTTPClient(configuration: configuration.httpClientConfiguration, logger: logger))
    }

    /// Sends `apiPath` (starting `/api/`) in the configured space. `privilege` names what a 403
    /// means for this request.
    public func send(_ method: HTTPRequest.Method, _ apiPath: String, body: [UInt8]? = nil,
                     contentType: String = "application/json", privilege: String) async throws -> HTTPResponse {
        var headers: HTTPHeaders = ["Accept": "application/json", "kbn-xsrf": "true"]
        if let header = configuration.auth.authorizationHeader {
            headers.add("Authorization", header)
        }
        if body != nil { headers.add("Content-Type", contentType) }
        let path = configuration.path(apiPath)
        let response = try await transport.send(HTTPRequest(method: method, url: configuration.url + path, headers: headers, body: body))
        let requestLine = "\(method.rawValue) \(path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path)"
        switch response.status {
        case 401:
            throw KibanaError.authentication(url: Redaction.stripURLCredentials(configuration.url), hint: credentialHint)
        case 403:
            throw KibanaError.forbidden(request: requestLine, privilege: privilege)
        case 200..<300:
            return response
        default:
            throw KibanaError.unexpectedStatus(status: response.status, request: requestLine, detail: Self.message(response.body))
        }
    }

    /// Like `send`, but answers nil for 404 and parses the JSON body.
    public func getJSON(_ apiPath: String, privilege: String) async throws -> JSONValue? {
        do {
            let response = try await send(.get, apiPath, privilege: privilege)
            return try Self.parse(response.body, request: "GET \(apiPath)")
        } catch KibanaError.unexpectedStatus(404, _, _) {
            return nil
        }
    }

    static func parse(_ body: [UInt8], request: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            throw KibanaError.malformedResponse(request: request, detail: "not JSON (\(error))")
        }
    }

    /// Kibana's error bodies are `{"statusCode": …, "error": …, "message": …}`.
    static func message(_ body: [UInt8]) -> String {
        if let parsed = try? JSONValue.parse(body), let message = parsed["message"]?.stringValue {
            return message
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.isEmpty ? "empty body" : text
    }

    private var credentialHint: String {
        switch configuration.auth {
        case .none:
            "no credentials were sent; set ELASTICSEARCH_API_KEY(_FILE), or ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD(_FILE) (Kibana takes the same credentials)"
        case .apiKey:
            "check ELASTICSEARCH_API_KEY: Kibana takes the same API key as Elasticsearch; is it expired or invalidated?"
        case .basic:
            "check ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD"
        }
    }
}
