import Foundation
import HTTPTypes
import Hummingbird
import ShipperCore
import ShipperTestSupport
import Synchronization

/// A loopback Elasticsearch for tests: bulk with data-stream rules and failure injection,
/// API-key and basic authentication, `GET /`, `_has_privileges`, and the template, component
/// template, ILM and `_simulate_index` endpoints. Documents are kept per data stream so tests can
/// check exactly what was stored.
public final class FakeElasticsearch: Sendable {
    public let server: LoopbackServer
    let box: FakeStateBox

    public var baseURL: String { server.baseURL }

    private init(server: LoopbackServer, box: FakeStateBox) {
        self.server = server
        self.box = box
    }

    /// Reads or changes the state under its lock.
    func withState<T: Sendable>(_ body: (inout FakeElasticsearchState) -> T) -> T {
        box.state.withLock { body(&$0) }
    }

    /// Starts a fake on 127.0.0.1 with a free port (HTTPS with the test certificate when `tls`).
    public static func start(
        distribution: FakeDistribution = .elasticsearch,
        version: String? = nil,
        tls: Bool = false
    ) async throws -> FakeElasticsearch {
        let box = FakeStateBox(FakeElasticsearchState(distribution: distribution, version: version))
        let router = Router(context: LoopbackRequestContext.self)
        // Every method reaches the state, which answers by the REST spec (405 for a wrong one).
        let methods: [HTTPTypes.HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch]
        for method in methods {
            for path in ["/", "**"] {
                router.on(RouterPath(path), method: method) { request, context -> Response in
                    let body = try await request.bodyBytes(limit: context.maxUploadSize)
                    var headers: [String: String] = [:]
                    for field in request.headers {
                        headers[field.name.canonicalName.lowercased()] = field.value
                    }
                    let fake = FakeRequest(
                        method: request.method.rawValue,
                        path: request.uri.path,
                        query: FakeRequest.parseQuery(request.uri.query),
                        headers: headers,
                        body: body
                    )
                    let answer = box.state.withLock { $0.handle(fake) }
                    return Response.bytes(answer.body, status: answer.status, headers: answer.headers)
                }
            }
        }
        let server = try await LoopbackServer.start(router: router, tls: tls)
        return FakeElasticsearch(server: server, box: box)
    }

    public func stop() async {
        await server.stop()
    }

    /// Runs `body` against a started fake and stops it afterwards, also when `body` throws.
    public static func with<T>(
        distribution: FakeDistribution = .elasticsearch,
        version: String? = nil,
        tls: Bool = false,
        _ body: (FakeElasticsearch) async throws -> T
    ) async throws -> T {
        let fake = try await start(distribution: distribution, version: version, tls: tls)
        do {
            let result = try await body(fake)
            await fake.stop()
            return result
        } catch {
            await fake.stop()
            throw error
        }
    }

    /// Answers a request without the network (for unit tests of the fake itself).
    public func handle(_ request: FakeRequest) -> FakeResponse {
        withState { $0.handle(request) }
    }
}

/// Shares one state between the router closures and the `FakeElasticsearch` handle.
final class FakeStateBox: Sendable {
    let state: Mutex<FakeElasticsearchState>

    init(_ initial: FakeElasticsearchState) {
        state = Mutex(initial)
    }
}
