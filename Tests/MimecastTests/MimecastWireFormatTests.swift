import Foundation
import ShipperCore
import ShipperHTTP
@testable import ShipperMimecast
import Testing

/// The pure pieces: request bodies, response decoding, token handling, 429 headers, slicing.
@Suite struct MimecastWireFormatTests {
    static let window = TimeWindow(start: Date(timeIntervalSince1970: 1_714_640_400), end: Date(timeIntervalSince1970: 1_714_644_000))

    @Test func requestBodyHasWindowPageSizeTokenAndCategories() throws {
        let body = AuditRequestBody(window: Self.window, categories: ["mimecast_access_logs"], pageSize: 500, pageToken: "tok-1").encoded()
        let document = try JSONValue.parse(body)
        #expect(document["meta"]?["pagination"]?["pageSize"]?.intValue == 500)
        #expect(document["meta"]?["pagination"]?["pageToken"]?.stringValue == "tok-1")
        let criteria = try #require(document["data"]?.arrayValue?.first)
        #expect(criteria["startDateTime"]?.stringValue == "2024-05-02T09:00:00+0000")
        #expect(criteria["endDateTime"]?.stringValue == "2024-05-02T10:00:00+0000")
        #expect(criteria["categories"] == .array([.string("mimecast_access_logs")]))
    }

    @Test func requestBodyOmitsEmptyCategoriesAndFirstPageToken() throws {
        let document = try JSONValue.parse(AuditRequestBody(window: Self.window, categories: [], pageSize: 100, pageToken: nil).encoded())
        #expect(document["meta"]?["pagination"]?["pageToken"] == nil)
        #expect(document["data"]?.arrayValue?.first?["categories"] == nil)
    }

    @Test func responseKeepsEachEventsExactBytes() throws {
        let first = #"{"id":"a1", "eventTime":"2024-05-02T09:14:07+0000","nested":{"x":[1, 2.50]}}"#
        let second = #"{"id":"a2","eventInfo":"caf\u00e9 \"quoted\""}"#
        let body = #"{"meta":{"status":200,"pagination":{"pageSize":2,"next":"n-2"}},"data":[ "# + first + " ,\n" + second + #"],"fail":[]}"#
        let page = try AuditResponsePage.parse(Array(body.utf8))
        #expect(page.events.map { String(decoding: $0.bytes, as: UTF8.self) } == [first, second])
        #expect(page.next == "n-2")
        #expect(page.failures.isEmpty)
    }

    @Test func responseWithoutNextOrWithEmptyNextEndsPaging() throws {
        let page = try AuditResponsePage.parse(Array(#"{"meta":{"pagination":{"next":""}},"data":[]}"#.utf8))
        #expect(page.next == nil)
        #expect(page.events.isEmpty)
    }

    @Test func failEntriesAreDecoded() throws {
        let body = #"{"meta":{"status":200},"data":[],"fail":[{"key":{},"errors":[{"code":"err_validation","message":"bad window","retryable":false},{"code":"err_two","message":"m2","retryable":true}]}]}"#
        let page = try AuditResponsePage.parse(Array(body.utf8))
        #expect(page.failures == [
            MimecastFailure(code: "err_validation", message: "bad window"),
            MimecastFailure(code: "err_two", message: "m2", retryable: true),
        ])
    }

    @Test func malformedResponsesAreTypedErrors() {
        for body in ["not json", "[1,2]", #"{"meta":{}}"#, #"{"data":{"id":1}}"#] {
            #expect(throws: MimecastError.self) { try AuditResponsePage.parse(Array(body.utf8)) }
        }
    }

    @Test func tokenRequestBodyIsFormEncoded() {
        let body = String(decoding: OAuthToken.requestBody(clientID: "id 1", clientSecret: "a+b/c=d&e"), as: UTF8.self)
        #expect(body == "client_id=id%201&client_secret=a%2Bb%2Fc%3Dd%26e&grant_type=client_credentials")
    }

    @Test func tokenIsReusedUntilSixtySecondsBeforeExpiry() throws {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let token = try OAuthToken.parse(Array(#"{"access_token":"abc","token_type":"Bearer","expires_in":1800}"#.utf8), receivedAt: now)
        #expect(token.value == "abc")
        #expect(token.isUsable(at: now))
        #expect(token.isUsable(at: now.addingTimeInterval(1739)))
        #expect(!token.isUsable(at: now.addingTimeInterval(1740)))
    }

    @Test func tokenAnswerWithoutAccessTokenIsMalformed() {
        #expect(throws: MimecastError.self) { try OAuthToken.parse(Array(#"{"token_type":"Bearer"}"#.utf8), receivedAt: Date()) }
    }

    @Test func rateLimitHeadersGiveTheWait() {
        #expect(RateLimitHeaders.wait(in: ["X-RateLimit-Reset": "2500"]) == .milliseconds(2500))
        #expect(RateLimitHeaders.wait(in: ["Retry-After": "7"]) == .seconds(7))
        #expect(RateLimitHeaders.wait(in: ["x-ratelimit-reset": "100", "Retry-After": "7"]) == .milliseconds(100))
        #expect(RateLimitHeaders.wait(in: ["Retry-After": "soon"]) == nil)
        #expect(RateLimitHeaders.wait(in: [:]) == nil)
    }

    @Test func statusesAreClassified() {
        #expect(ResponseDisposition.classify(HTTPResponse(status: 200)) == .success)
        #expect(ResponseDisposition.classify(HTTPResponse(status: 429, headers: ["Retry-After": "3"])) == .rateLimited(wait: .seconds(3)))
        #expect(ResponseDisposition.classify(HTTPResponse(status: 503)) == .transient)
        #expect(ResponseDisposition.classify(HTTPResponse(status: 500)) == .transient)
        #expect(ResponseDisposition.classify(HTTPResponse(status: 401)) == .unauthorized)
        #expect(ResponseDisposition.classify(HTTPResponse(status: 403)) == .forbidden)
        #expect(ResponseDisposition.classify(HTTPResponse(status: 400)) == .otherFailure)
    }

    @Test func pagerFollowsNextThenMovesToTheNextSlice() throws {
        let start = Date(timeIntervalSince1970: 0)
        var pager = SlicePager(window: TimeWindow(start: start, end: start.addingTimeInterval(150)), sliceLength: 100, pageSize: 5)
        #expect(pager.currentSlice == TimeWindow(start: start, end: start.addingTimeInterval(100)))
        #expect(try pager.record(next: "p2", eventCount: 5, totalCount: nil) == false)
        #expect(pager.pageToken == "p2")
        #expect(try pager.record(next: nil, eventCount: 3, totalCount: nil) == true)
        #expect(pager.pageToken == nil)
        #expect(pager.currentSlice == TimeWindow(start: start.addingTimeInterval(100), end: start.addingTimeInterval(150)))
        #expect(try pager.record(next: nil, eventCount: 0, totalCount: nil) == true)
        #expect(pager.currentSlice == nil)
    }

    @Test func errorDescriptionsAreOneLineWithoutSecrets() {
        let credentials = MimecastCredentials.hmac(appID: "app", appKey: "TOPSECRET-APP-KEY", accessKey: "TOPSECRET-ACCESS", secretKey: "VE9QU0VDUkVU")
        let errors: [MimecastError] = [
            .configuration(AuthenticationAdvice.rejected(credentials, path: "/api/audit/get-audit-events", status: 401, failures: [])),
            .configuration(AuthenticationAdvice.forbidden(credentials, path: "/api/audit/get-audit-events", failures: [])),
            .apiFailure(path: "/p", status: 200, failures: [MimecastFailure(code: "err_x", message: "boom")]),
            .retriesExhausted(path: "/p", attempts: 6, lastProblem: "HTTP 503"),
            .httpStatus(path: "/p", status: 400, detail: ""),
            .malformedResponse(path: "/p", detail: "not JSON"),
        ]
        for error in errors {
            #expect(!error.description.contains("\n"))
            #expect(!error.description.contains("TOPSECRET"))
            #expect(!error.description.contains("VE9QU0VDUkVU"))
        }
        #expect(errors[0].description.contains("MIMECAST_SECRET_KEY"))
        #expect(errors[0].isConfigurationProblem)
        #expect(errors[2].description.contains("err_x: boom"))
    }
}
