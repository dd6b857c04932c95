import Foundation
import ShipperCore

/// One request as the fake sees it: plain strings and bytes, so the fake's logic is testable
/// without a socket.
public struct FakeRequest: Sendable {
    public var method: String
    /// The path without query, e.g. `/logs-mimecast.audit-default/_bulk`.
    public var path: String
    /// Query parameters (last value wins).
    public var query: [String: String]
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }

    /// Parses `a=1&b=2` (percent-decoding values).
    public static func parseQuery(_ query: String?) -> [String: String] {
        guard let query, !query.isEmpty else { return [:] }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0].removingPercentEncoding ?? parts[0]
            let value = parts.count > 1 ? (parts[1].removingPercentEncoding ?? parts[1]) : ""
            result[name] = value
        }
        return result
    }
}

/// The fake's answer.
public struct FakeResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer with Elasticsearch's product header.
    static func json(_ value: JSONValue, status: Int = 200) -> FakeResponse {
        FakeResponse(
            status: status,
            headers: ["Content-Type": "application/json", "X-Elastic-Product": "Elasticsearch"],
            body: value.serialized(sortedKeys: true)
        )
    }

    /// Elasticsearch's error shape: `{"error":{"root_cause":[…],"type":…,"reason":…},"status":…}`.
    static func error(status: Int, type: String, reason: String, headers: [String: String] = [:]) -> FakeResponse {
        let cause: JSONValue = .object(["type": .string(type), "reason": .string(reason)])
        let error: JSONValue = .object([
            "root_cause": .array([cause]),
            "type": .string(type),
            "reason": .string(reason),
        ])
        var response = json(.object(["error": error, "status": .number(Double(status))]), status: status)
        response.headers.merge(headers) { _, new in new }
        return response
    }

    static let acknowledged = json(.object(["acknowledged": .bool(true)]))
}
