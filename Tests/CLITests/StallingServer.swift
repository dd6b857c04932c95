import Foundation
import Hummingbird
import ShipperCore
import ShipperTestSupport
import Synchronization

/// A loopback server that answers like Mimecast for `answeredAuditCalls` audit calls (one event
/// per call, no next page, so one call per slice) and then holds every further request open
/// without answering: the stalled transfer a broken proxy or a hung server produces. With
/// `answeredAuditCalls` 0 and `stallEverything`, it stalls even `GET /` (an Elasticsearch that
/// accepts connections and never answers).
final class StallingServer: Sendable {
    let server: LoopbackServer
    private let box: Box

    var baseURL: String { server.baseURL }
    /// Requests held open so far.
    var stalledRequests: Int { box.state.withLock { $0.stalled } }

    private init(server: LoopbackServer, box: Box) {
        self.server = server
        self.box = box
    }

    static func start(answeredAuditCalls: Int, stallEverything: Bool = false) async throws -> StallingServer {
        let shared = Box()
        let router = Router(context: LoopbackRequestContext.self)
        @Sendable func stall() async throws -> Response {
            shared.state.withLock { $0.stalled += 1 }
            try await Task.sleep(for: .seconds(300))
            return .text("{}", status: 503)
        }
        router.post("oauth/token") { _, _ -> Response in
            if stallEverything { return try await stall() }
            return .text(#"{"access_token":"stalling-token","token_type":"Bearer","expires_in":1800}"#)
        }
        router.post("api/audit/get-audit-events") { request, _ -> Response in
            let body = try await request.bodyBytes()
            let call = shared.state.withLock { state -> Int in
                state.auditCalls += 1
                return state.auditCalls
            }
            guard call <= answeredAuditCalls, !stallEverything else { return try await stall() }
            let start = (try? JSONValue.parse(body))?["data"]?.arrayValue?.first?["startDateTime"]?.stringValue ?? "2024-05-02T09:00:00+0000"
            let event = #"{"id":"stall-event-\#(call)","auditType":"Logon Authentication","user":"ana@example.org","eventTime":"\#(start)","eventInfo":"Successful authentication for ana@example.org","category":"authentication_logs"}"#
            return .text(#"{"meta":{"status":200,"pagination":{"pageSize":500}},"data":[\#(event)],"fail":[]}"#)
        }
        router.get("/") { _, _ -> Response in
            try await stall()
        }
        let server = try await LoopbackServer.start(router: router)
        return StallingServer(server: server, box: shared)
    }

    /// An Elasticsearch that answers `GET /` (so the preflight passes) and holds every bulk
    /// request open: the stalled batch.
    static func startElasticsearch() async throws -> StallingServer {
        let shared = Box()
        let router = Router(context: LoopbackRequestContext.self)
        router.get("/") { _, _ -> Response in
            .text(#"{"name":"stalling","cluster_name":"stalling","version":{"number":"8.15.0","build_flavor":"default"},"tagline":"You Know, for Search"}"#)
        }
        router.post(":index/_bulk") { _, _ -> Response in
            shared.state.withLock { $0.stalled += 1 }
            try await Task.sleep(for: .seconds(300))
            return .text("{}", status: 503)
        }
        let server = try await LoopbackServer.start(router: router)
        return StallingServer(server: server, box: shared)
    }

    func stop() async {
        await server.stop()
    }

    private final class Box: Sendable {
        let state = Mutex<(auditCalls: Int, stalled: Int)>((0, 0))
    }
}
