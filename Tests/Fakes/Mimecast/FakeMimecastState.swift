import Foundation
import ShipperCore
import ShipperTestSupport

/// An answer the fake decided on.
struct FakeAnswer: Sendable {
    var status: Int
    var headers: [String: String] = [:]
    var body: [UInt8]
}

/// Everything the fake remembers between requests, behind one lock; each request is handled as
/// one transaction on it, so the fake behaves deterministically under any request interleaving.
struct FakeMimecastState: Sendable {
    static let auditPath = "/api/audit/get-audit-events"
    static let tokenPath = "/oauth/token"

    var options: FakeMimecastOptions
    var events: [FakeAuditEvent]
    var lateEvents: [(afterAuditCalls: Int, events: [FakeAuditEvent])] = []
    var tokens: [String: Date] = [:]
    var issuedTokens = 0
    var pageCursors: [String: (query: String, offset: Int)] = [:]
    var issuedCursors = 0
    var seenRequestIDs: Set<String> = []
    var pendingRateLimits: [FakeRateLimit] = []
    /// 429 bursts that start once this many audit calls have been answered (mid-window limits).
    var scheduledRateLimits: [(afterAuditCalls: Int, limits: [FakeRateLimit])] = []
    var pendingServerErrors = 0
    var serverErrorEvery: Int?
    var serverErrorStatus = 503
    var pendingFailures: [(code: String, message: String)] = []
    var pendingStatusFailures: [(status: Int, code: String, message: String)] = []
    /// When true every bearer token is refused, as after a revoked API application.
    var rejectBearerTokens = false
    /// Hostile paging (see FakeMimecast+HostilePaging.swift): bodies served verbatim, in order.
    var scriptedPages: [[UInt8]] = []
    /// Answer every audit call with a fresh `next` token and these many events, forever.
    var endlessPaging: (eventsPerPage: Int, totalCount: Int?)?
    /// Error answers quote the request (body or Authorization header) back.
    var echoRequests = false
    var calls: [FakeMimecastCall] = []
    var tokenCalls = 0
    var auditCalls = 0

    init(options: FakeMimecastOptions) {
        self.options = options
        self.events = options.events
    }

    // MARK: token endpoint

    mutating func answerToken(headers: [String: String], body: [UInt8]) -> FakeAnswer {
        tokenCalls += 1
        let form = Self.formFields(body)
        let answer: FakeAnswer
        if form["grant_type"] != "client_credentials" {
            answer = FakeAnswer(status: 400, body: FakeResponses.oauthError("unsupported_grant_type", description: "grant_type must be client_credentials"))
        } else if form["client_id"] != options.clientID || form["client_secret"] != options.clientSecret {
            let echo = echoRequests ? " for request \(String(decoding: body, as: UTF8.self))" : ""
            answer = FakeAnswer(status: 401, body: FakeResponses.oauthError("invalid_client", description: "Client authentication failed" + echo))
        } else {
            issuedTokens += 1
            let token = "fake-token-\(issuedTokens)-\(UUID().uuidString)"
            tokens[token] = options.now().addingTimeInterval(TimeInterval(options.tokenLifetime))
            answer = FakeAnswer(status: 200, body: FakeResponses.token(token, lifetime: options.tokenLifetime))
        }
        log(path: Self.tokenPath, headers: headers, body: body, status: answer.status, query: nil, served: [])
        return answer
    }

    // MARK: audit endpoint

    mutating func answerAudit(headers: [String: String], body: [UInt8]) -> FakeAnswer {
        auditCalls += 1
        releaseLateEvents()
        let dueLimits = scheduledRateLimits.filter { $0.afterAuditCalls < auditCalls }
        pendingRateLimits += dueLimits.flatMap(\.limits)
        scheduledRateLimits.removeAll { $0.afterAuditCalls < auditCalls }
        let query = FakeAuditQuery(body: body)
        var served: [String] = []
        let answer = auditAnswer(headers: headers, query: query, served: &served)
        log(path: Self.auditPath, headers: headers, body: body, status: answer.status, query: query, served: served)
        return answer
    }

    private mutating func auditAnswer(headers: [String: String], query: FakeAuditQuery?, served: inout [String]) -> FakeAnswer {
        let echo = echoRequests ? " (Authorization: \(headers["authorization"] ?? "none"))" : ""
        if let problem = authenticationProblem(headers) {
            return FakeAnswer(status: 401, body: FakeResponses.failure(status: 401, code: "err_authentication_failed", message: problem + echo))
        }
        if let hostile = hostilePage(query: query, served: &served) {
            return hostile
        }
        if !pendingStatusFailures.isEmpty {
            let failure = pendingStatusFailures.removeFirst()
            return FakeAnswer(status: failure.status, body: FakeResponses.failure(status: failure.status, code: failure.code, message: failure.message + echo))
        }
        if !pendingRateLimits.isEmpty {
            let limit = pendingRateLimits.removeFirst()
            var answerHeaders: [String: String] = [:]
            if let reset = limit.resetMilliseconds { answerHeaders["X-RateLimit-Reset"] = String(reset) }
            if let retryAfter = limit.retryAfterSeconds { answerHeaders["Retry-After"] = String(retryAfter) }
            return FakeAnswer(
                status: 429, headers: answerHeaders,
                body: FakeResponses.failure(status: 429, code: "err_rate_limit_exceeded", message: "Rate limit exceeded", retryable: true)
            )
        }
        if pendingServerErrors > 0 || serverErrorEvery.map({ auditCalls % $0 == 0 }) == true {
            pendingServerErrors = max(pendingServerErrors - 1, 0)
            return FakeAnswer(status: serverErrorStatus, body: Array("upstream unavailable".utf8))
        }
        if !pendingFailures.isEmpty {
            let failure = pendingFailures.removeFirst()
            return FakeAnswer(status: 200, body: FakeResponses.failure(status: 200, code: failure.code, message: failure.message))
        }
        guard let query, let start = query.start, let end = query.end else {
            return FakeAnswer(status: 400, body: FakeResponses.failure(
                status: 400, code: "err_validation_failed", message: "data[0].startDateTime and endDateTime are required"
            ))
        }
        let pageSize = min(query.pageSize ?? options.defaultPageSize, options.maxPageSize)
        var offset = 0
        if let pageToken = query.pageToken {
            guard let cursor = pageCursors[pageToken], cursor.query == query.identity else {
                return FakeAnswer(status: 200, body: FakeResponses.failure(
                    status: 200, code: "err_invalid_page_token", message: "pageToken is unknown or belongs to another query"
                ))
            }
            offset = cursor.offset
        }
        let matching = events
            .filter { $0.eventTime >= start && $0.eventTime < end && (query.categories.isEmpty || query.categories.contains($0.category)) }
            .sorted { ($0.eventTime, $0.id) < ($1.eventTime, $1.id) }
        let page = Array(matching.dropFirst(offset).prefix(pageSize))
        var next: String?
        if offset + page.count < matching.count {
            issuedCursors += 1
            let token = "cursor-\(issuedCursors)-\(UUID().uuidString)"
            pageCursors[token] = (query.identity, offset + page.count)
            next = token
        }
        served = page.map(\.id)
        return FakeAnswer(status: 200, body: FakeResponses.page(events: page, pageSize: pageSize, totalCount: matching.count, next: next))
    }

    /// Nil when the request carries a live bearer token or a valid, fresh, unreplayed signature.
    private mutating func authenticationProblem(_ headers: [String: String]) -> String? {
        guard let authorization = headers["authorization"] else { return "missing Authorization header" }
        if authorization.hasPrefix("Bearer ") {
            let token = String(authorization.dropFirst("Bearer ".count))
            guard !rejectBearerTokens, let expiry = tokens[token] else { return "access token is not valid" }
            guard options.now() < expiry else { return "access token has expired" }
            return nil
        }
        if let problem = options.signatureVerifier.problem(headers: headers, path: Self.auditPath, now: options.now()) {
            return problem
        }
        guard let requestID = headers["x-mc-req-id"], seenRequestIDs.insert(requestID).inserted else {
            return "x-mc-req-id was already used"
        }
        return nil
    }

    private mutating func releaseLateEvents() {
        let due = lateEvents.filter { $0.afterAuditCalls < auditCalls }
        guard !due.isEmpty else { return }
        lateEvents.removeAll { $0.afterAuditCalls < auditCalls }
        events += due.flatMap(\.events)
    }

    private mutating func log(path: String, headers: [String: String], body: [UInt8], status: Int, query: FakeAuditQuery?, served: [String]) {
        calls.append(FakeMimecastCall(
            path: path, headers: headers, body: body, status: status,
            pageToken: query?.pageToken, pageSize: query?.pageSize,
            categories: query.map(\.categories).flatMap { $0.isEmpty ? nil : $0 },
            startDateTime: query?.startText, endDateTime: query?.endText, servedEventIDs: served
        ))
    }

    /// `a=b&c=d` with percent-decoding and `+` as space.
    static func formFields(_ body: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

/// The parts of an audit request body the fake acts on.
struct FakeAuditQuery: Sendable {
    var pageSize: Int?
    var pageToken: String?
    var startText: String?
    var endText: String?
    var categories: [String]

    var start: Date? { startText.flatMap(FakeDates.parseBody) }
    var end: Date? { endText.flatMap(FakeDates.parseBody) }
    /// Page tokens are valid only for the query (window and categories) that produced them.
    var identity: String { "\(startText ?? "")|\(endText ?? "")|\(categories.joined(separator: ","))|\(pageSize ?? 0)" }

    init?(body: [UInt8]) {
        guard let document = try? FoundationJSON.parse(body) else { return nil }
        let pagination = document["meta"]?["pagination"]
        pageSize = pagination?["pageSize"]?.intValue
        pageToken = pagination?["pageToken"]?.stringValue
        let criteria = document["data"]?.arrayValue?.first
        startText = criteria?["startDateTime"]?.stringValue
        endText = criteria?["endDateTime"]?.stringValue
        categories = criteria?["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
