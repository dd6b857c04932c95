import Foundation
import Hummingbird
import ShipperCore
import ShipperTestSupport
import Synchronization

/// A loopback Mimecast fast enough not to be the bottleneck: OAuth token endpoint and
/// `get-audit-events`, answering from a `PageCatalog` by page token.
///
/// It still checks what matters for a fair comparison: the bearer token, the window, the page
/// size, and the page token; any other request gets a non-retryable `fail` entry so a tool that
/// asks for something else fails loudly instead of being measured on the wrong work.
final class FastMimecast: Sendable {
    private let server: LoopbackServer
    private let book: MimecastBook

    var baseURL: String { server.baseURL }

    private init(server: LoopbackServer, book: MimecastBook) {
        self.server = server
        self.book = book
    }

    static func start(firstRequest: FirstRequestClock) async throws -> FastMimecast {
        let book = MimecastBook()
        let router = Router(context: LoopbackRequestContext.self)
        router.post("oauth/token") { request, _ -> Response in
            firstRequest.mark()
            let body = String(decoding: try await request.bodyBytes(limit: 64 * 1024), as: UTF8.self)
            return book.answerToken(form: body)
        }
        router.post("api/audit/get-audit-events") { request, _ -> Response in
            firstRequest.mark()
            let authorization = request.header("Authorization")
            let body = try await request.bodyBytes(limit: 64 * 1024)
            return book.answerAudit(authorization: authorization, body: body)
        }
        let server = try await LoopbackServer.start(router: router)
        return FastMimecast(server: server, book: book)
    }

    func stop() async { await server.stop() }

    /// Serves `catalog` from now on and zeroes the counters.
    func load(_ catalog: PageCatalog?) { book.load(catalog) }

    func resetCounters() { book.resetCounters() }

    var counters: MimecastBook.Counters { book.counters }
}

/// The fake's state and answers, shared by the router's closures.
final class MimecastBook: Sendable {
    static let clientID = "bench-client"
    static let clientSecret = "bench-secret"
    static let token = "bench-token-7f3a"

    struct Counters: Sendable, Codable {
        var tokenCalls = 0
        var auditCalls = 0
        var eventsServed = 0
        var bytesServed = 0
        var refusals: [String] = []
    }

    private let state = Mutex<(catalog: PageCatalog?, counters: Counters)>((nil, Counters()))

    /// Serves `catalog` from now on and zeroes the counters.
    func load(_ catalog: PageCatalog?) {
        state.withLock { $0 = (catalog, Counters()) }
    }

    func resetCounters() {
        state.withLock { $0.counters = Counters() }
    }

    var counters: Counters { state.withLock { $0.counters } }

    func answerToken(form: String) -> Response {
        state.withLock { $0.counters.tokenCalls += 1 }
        var fields: [String: String] = [:]
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard fields["grant_type"] == "client_credentials", fields["client_id"] == Self.clientID,
              fields["client_secret"] == Self.clientSecret else {
            refuse("token request with wrong credentials or grant type")
            return .text(#"{"error":"invalid_client","error_description":"bench fake: wrong credentials"}"#, status: 401)
        }
        return .text(#"{"access_token":"\#(Self.token)","token_type":"Bearer","expires_in":1800}"#)
    }

    func answerAudit(authorization: String?, body: [UInt8]) -> Response {
        guard authorization == "Bearer \(Self.token)" else {
            refuse("audit call without the bench bearer token")
            return Self.failure(status: 401, code: "err_authentication_failed", message: "bench fake: bearer token required")
        }
        guard let query = try? JSONValue.parse(body) else {
            refuse("audit call whose body is not JSON")
            return Self.failure(status: 400, code: "err_validation_failed", message: "bench fake: body is not JSON")
        }
        let criteria = query["data"]?.arrayValue?.first
        let start = criteria?["startDateTime"]?.stringValue.map(Self.normalised)
        let end = criteria?["endDateTime"]?.stringValue.map(Self.normalised)
        let pageSize = query["meta"]?["pagination"]?["pageSize"]?.intValue
        let pageToken = query["meta"]?["pagination"]?["pageToken"]?.stringValue
        return state.withLock { state -> Response in
            state.counters.auditCalls += 1
            guard let catalog = state.catalog else {
                state.counters.refusals.append("audit call with no catalog loaded")
                return Self.failure(status: 200, code: "err_bench", message: "bench fake: nothing loaded")
            }
            if start == PageCatalog.windowEnd, pageToken == nil {
                // The seconds after the catalog that a scheduled run (`--scheduled`) also reads: empty.
                return .text(#"{"meta":{"status":200,"pagination":{"pageSize":500,"totalCount":0}},"data":[],"fail":[]}"#)
            }
            guard start == PageCatalog.windowStart, end == PageCatalog.windowEnd, pageSize == catalog.pageSize else {
                state.counters.refusals.append("window \(start ?? "-")..\(end ?? "-") page size \(pageSize ?? 0)")
                return Self.failure(status: 200, code: "err_bench_window",
                                    message: "bench fake serves only \(PageCatalog.windowStart)..\(PageCatalog.windowEnd) in pages of \(catalog.pageSize)")
            }
            var index = 0
            if let pageToken {
                guard pageToken.hasPrefix("page-"), let parsed = Int(pageToken.dropFirst(5)), parsed > 0, parsed < catalog.pages.count else {
                    state.counters.refusals.append("unknown page token")
                    return Self.failure(status: 200, code: "err_invalid_page_token", message: "bench fake: unknown page token")
                }
                index = parsed
            }
            let page = catalog.pages[index]
            let first = index * catalog.pageSize
            state.counters.eventsServed += min(catalog.pageSize, catalog.eventCount - first)
            state.counters.bytesServed += page.readableBytes
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: page))
        }
    }

    private func refuse(_ reason: String) {
        state.withLock { $0.counters.refusals.append(reason) }
    }

    /// `…T00:00:00Z` and `…T00:00:00+0000` are the same instant; compare one spelling.
    private static func normalised(_ text: String) -> String {
        text.hasSuffix("Z") ? String(text.dropLast()) + "+0000" : text.replacingOccurrences(of: "+00:00", with: "+0000")
    }

    private static func failure(status: Int, code: String, message: String) -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("meta"); writer.beginObject(); writer.key("status"); writer.number(status); writer.endObject()
        writer.key("data"); writer.beginArray(); writer.endArray()
        writer.key("fail"); writer.beginArray(); writer.beginObject()
        writer.key("errors"); writer.beginArray(); writer.beginObject()
        writer.member("code", code)
        writer.member("message", message)
        writer.key("retryable"); writer.bool(false)
        writer.endObject(); writer.endArray()
        writer.endObject(); writer.endArray()
        writer.endObject()
        return .bytes(writer.bytes, status: status, headers: ["Content-Type": "application/json"])
    }
}
