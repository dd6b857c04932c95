import Foundation
import ShipperCore
import ShipperHTTP
import ShipperMimecast
import Synchronization
import Testing

/// Answers as the field does rather than as the fake does: header spellings, quota headers and a
/// token answer without `expires_in`. Scripted by a closure over (request, call number).
final class ScriptedTransport: HTTPTransport {
    private let requests = Mutex<[HTTPRequest]>([])
    private let answer: @Sendable (HTTPRequest, Int) -> HTTPResponse

    init(_ answer: @escaping @Sendable (HTTPRequest, Int) -> HTTPResponse) {
        self.answer = answer
    }

    var sent: [HTTPRequest] { requests.withLock { $0 } }

    func count(path: String) -> Int { sent.filter { $0.url.hasSuffix(path) }.count }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let number = requests.withLock { list -> Int in
            list.append(request)
            return list.count
        }
        return answer(request, number)
    }

    static let token = HTTPResponse(status: 200, body: Array(#"{"access_token":"field-token","token_type":"Bearer","expires_in":1800}"#.utf8))

    /// A page of one event; `next` chains to another page.
    static func page(_ id: Int, next: String?, headers: HTTPHeaders = [:]) -> HTTPResponse {
        let nextField = next.map { #","next":"\#($0)""# } ?? ""
        let body = #"{"meta":{"status":200,"pagination":{"pageSize":1\#(nextField)}},"data":[{"id":"field-\#(id)","auditType":"Logon Authentication","user":"a@example.org","eventTime":"2024-05-02T09:00:00+0000","eventInfo":"x","category":"authentication_logs"}],"fail":[]}"#
        return HTTPResponse(status: 200, headers: headers, body: Array(body.utf8))
    }

    /// The page token a request sends, nil for the first page.
    static func pageToken(of request: HTTPRequest) -> String? {
        (try? JSONValue.parse(request.body ?? []))?["meta"]?["pagination"]?["pageToken"]?.stringValue
    }

    /// Pages `p1` → `p2` → `p3` (three calls), each answer carrying `headers`.
    static func threePages(headers: HTTPHeaders = [:]) -> @Sendable (HTTPRequest, Int) -> HTTPResponse {
        { request, _ in
            if request.url.hasSuffix("/oauth/token") { return token }
            switch pageToken(of: request) {
            case nil: return page(1, next: "p2", headers: headers)
            case "p2": return page(2, next: "p3", headers: headers)
            default: return page(3, next: nil, headers: headers)
            }
        }
    }
}

@Suite struct MimecastFieldLimitsTests {
    typealias Support = MimecastTestSupport

    static let credentials = MimecastCredentials.oauth(clientID: "field-client", clientSecret: "field-secret")

    func reader(_ transport: ScriptedTransport, sleeper: RecordingSleeper) -> MimecastAuditReader {
        let configuration = MimecastConfiguration(baseURL: "https://mimecast.invalid", credentials: Self.credentials, pageSize: 1)
        return MimecastAuditReader(configuration: configuration, transport: transport, sleeper: sleeper.sleeper, logger: Support.quietLogger)
    }

    @Test(arguments: ["X-Rate-Limit-Reset", "x-rate-limit-reset", "X-RATELIMIT-RESET"])
    func aRateLimitResetIsReadInEitherSpellingAndAnyCase(_ header: String) async throws {
        // Call 1 fetches the token, call 2 is rate limited, call 3 repeats the page.
        let rateLimiting = ScriptedTransport { request, number in
            if request.url.hasSuffix("/oauth/token") { return ScriptedTransport.token }
            if number == 2 { return HTTPResponse(status: 429, headers: [header: "1500"]) }
            return ScriptedTransport.page(1, next: nil)
        }
        let sleeper = RecordingSleeper()
        let pages = try await Support.collect(reader(rateLimiting, sleeper: sleeper).pages(in: Support.day, categories: []))
        #expect(pages.flatMap(\.events).count == 1)
        #expect(sleeper.recorded == [.milliseconds(1500)])
    }

    @Test func aTokenAnswerWithoutExpiresInIsReusedForThirtyMinutes() async throws {
        let transport = ScriptedTransport { request, number in
            if request.url.hasSuffix("/oauth/token") {
                return HTTPResponse(status: 200, body: Array(#"{"access_token":"no-expiry","token_type":"Bearer"}"#.utf8))
            }
            return ScriptedTransport.threePages()(request, number)
        }
        let sleeper = RecordingSleeper()
        let reader = reader(transport, sleeper: sleeper)
        let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
        #expect(pages.count == 3)
        #expect(transport.count(path: "/oauth/token") == 1)
        let check = try await reader.verifyCredentials()
        #expect(check.contains("valid for 18"), "\(check)")
    }

    @Test func aDwindlingQuotaSlowsTheCallsDown() async throws {
        let transport = ScriptedTransport(ScriptedTransport.threePages(headers: ["X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "10"]))
        let sleeper = RecordingSleeper()
        let pages = try await Support.collect(reader(transport, sleeper: sleeper).pages(in: Support.day, categories: []))
        #expect(pages.count == 3)
        // After the first answer showed 1% of the quota left, each further call waits.
        #expect(sleeper.recorded.count == 2, "\(sleeper.recorded)")
        #expect(sleeper.recorded.allSatisfy { $0 > .seconds(1) && $0 <= .seconds(60) }, "\(sleeper.recorded)")
    }

    @Test func aHealthyQuotaIsNotPaced() async throws {
        let transport = ScriptedTransport(ScriptedTransport.threePages(headers: ["X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "900"]))
        let sleeper = RecordingSleeper()
        let pages = try await Support.collect(reader(transport, sleeper: sleeper).pages(in: Support.day, categories: []))
        #expect(pages.count == 3)
        #expect(sleeper.recorded.isEmpty, "\(sleeper.recorded)")
    }
}
