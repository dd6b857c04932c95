import Hummingbird
import ShipperTestSupport
import Synchronization

/// A loopback Elasticsearch that takes `_bulk` as fast as a tool can send it and answers 201 for
/// every action, one item per action in request order, in the
/// `filter_path=errors,items.*.status,items.*.error` shape. It also satisfies elasticsearch-py:
/// `GET /` with version info, and `X-Elastic-Product: Elasticsearch` on every answer (the client
/// refuses a server without it). Anything else is answered 404 and recorded.
final class FastElasticsearch: Sendable {
    static let dataStream = "logs-mimecast.audit-default"
    static let headers = ["X-Elastic-Product": "Elasticsearch", "Content-Type": "application/json"]
    static let rootDocument = """
        {"name":"bench","cluster_name":"bench","cluster_uuid":"bench-cluster-uuid",\
        "version":{"number":"8.15.0","build_flavor":"default","lucene_version":"9.11.1",\
        "minimum_wire_compatibility_version":"7.17.0","minimum_index_compatibility_version":"7.0.0"},\
        "tagline":"You Know, for Search"}
        """

    let intake: BulkIntake
    private let server: LoopbackServer
    private let unexpected: RequestLog<String>

    var baseURL: String { server.baseURL }
    var unexpectedRequests: [String] { unexpected.all }

    private init(server: LoopbackServer, intake: BulkIntake, unexpected: RequestLog<String>) {
        self.server = server
        self.intake = intake
        self.unexpected = unexpected
    }

    static func start(firstRequest: FirstRequestClock) async throws -> FastElasticsearch {
        let intake = BulkIntake(dataStream: dataStream)
        let unexpected = RequestLog<String>()
        let router = Router(context: LoopbackRequestContext.self)
        router.get("/") { _, _ -> Response in
            firstRequest.mark()
            return .text(rootDocument, headers: headers)
        }
        let bulk: @Sendable (Request, String?) async throws -> Response = { request, target in
            firstRequest.mark()
            let wire = try await request.bodyBytes()
            let gzip = request.header("Content-Encoding")?.lowercased() == "gzip"
            do {
                let accepted = try intake.accept(body: wire, gzip: gzip, target: target)
                return .bytes(answer(accepted.operations), headers: headers)
            } catch {
                unexpected.append("bulk body unreadable: \(error)")
                return .text(#"{"error":{"type":"parse_exception","reason":"bench fake: unreadable body"},"status":400}"#,
                             status: 400, headers: headers)
            }
        }
        // One catch-all route dispatching on the path: Hummingbird (in debug builds) refuses a
        // `:target/_bulk` parameter route beside the `**` wildcard.
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .head] {
            router.on("**", method: method) { request, _ -> Response in
                let segments = request.uri.path.split(separator: "/").map(String.init)
                // The shipper POSTs; elasticsearch-py PUTs.
                if method == .post || method == .put, segments.last == "_bulk", segments.count <= 2 {
                    return try await bulk(request, segments.count == 2 ? segments[0] : nil)
                }
                if method == .post, segments.count == 2, segments[1] == "_search" {
                    // The shipper's existence check (backfills look up every _id first): nothing
                    // is stored before a run, so every lookup finds nothing, as on a fresh cluster.
                    intake.countSearch()
                    return .text(#"{"hits":{"total":{"value":0}}}"#, headers: headers)
                }
                unexpected.append("\(request.method) \(request.uri.path)")
                return .text(#"{"error":"bench fake: not served","status":404}"#, status: 404, headers: headers)
            }
        }
        let server = try await LoopbackServer.start(router: router)
        return FastElasticsearch(server: server, intake: intake, unexpected: unexpected)
    }

    func stop() async { await server.stop() }

    /// `{"errors":false,"items":[{"create":{"status":201}},…]}`.
    private static func answer(_ operations: [String]) -> [UInt8] {
        var bytes = Array(#"{"errors":false,"items":["#.utf8)
        bytes.reserveCapacity(32 + operations.count * 28)
        for (index, operation) in operations.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "{"))
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: operation.utf8)
            bytes.append(contentsOf: #"":{"status":201}}"#.utf8)
        }
        bytes.append(contentsOf: "]}".utf8)
        return bytes
    }
}
