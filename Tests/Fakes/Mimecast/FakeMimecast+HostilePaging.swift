import Foundation
import ShipperCore

/// Paging a misbehaving (or merely surprising) Mimecast may send: empty pages that still carry a
/// `next` token, tokens that cycle, endless fresh tokens, odd JSON. For the reader's paging rules.
extension FakeMimecast {
    /// The next audit calls (once authenticated) answer 200 with these bodies, verbatim, one per
    /// call, whatever the request's page token; then the fake pages its data set as usual.
    public func serveScriptedPages(_ bodies: [String]) {
        state.withLock { $0.scriptedPages += bodies.map { Array($0.utf8) } }
    }

    /// Every audit call answers a page of `eventsPerPage` fresh events and a fresh `next` token,
    /// forever (with `totalCount` in `meta.pagination` when given).
    public func serveEndlessPages(eventsPerPage: Int, totalCount: Int? = nil) {
        state.withLock { $0.endlessPaging = (eventsPerPage, totalCount) }
    }

    /// A page body as Mimecast shapes it. `next` is written as given (a string, a number, …) and
    /// left out when nil; `totalCount` likewise.
    public static func pageBody(events: [FakeAuditEvent], next: JSONValue?, totalCount: Int?, pageSize: Int = 100) -> String {
        var pagination: [String: JSONValue] = ["pageSize": .number(Double(pageSize))]
        if let next { pagination["next"] = next }
        if let totalCount { pagination["totalCount"] = .number(Double(totalCount)) }
        let meta = String(decoding: JSONValue.object(["status": .number(200), "pagination": .object(pagination)]).serialized(sortedKeys: true), as: UTF8.self)
        return "{\"meta\":\(meta),\"data\":[\(events.map(\.json).joined(separator: ","))],\"fail\":[]}"
    }
}

extension FakeMimecastState {
    /// A scripted or endless page for this call, or nil to answer normally.
    mutating func hostilePage(query: FakeAuditQuery?, served: inout [String]) -> FakeAnswer? {
        if !scriptedPages.isEmpty {
            return FakeAnswer(status: 200, body: scriptedPages.removeFirst())
        }
        guard let endless = endlessPaging else { return nil }
        issuedCursors += 1
        let start = query?.start ?? options.now()
        let events = (0..<endless.eventsPerPage).map { index in
            FakeAuditEvent(
                id: "endless-\(issuedCursors)-\(index)", eventTime: start, category: "mimecast_access_logs",
                auditType: "Logon Authentication", user: "user@example.org", eventInfo: "endless page \(issuedCursors)"
            )
        }
        served = events.map(\.id)
        let body = FakeMimecast.pageBody(events: events, next: .string("endless-\(issuedCursors)-\(UUID().uuidString)"),
                                         totalCount: endless.totalCount)
        return FakeAnswer(status: 200, body: Array(body.utf8))
    }
}

extension FakeMimecast {
    /// The JSON of every event in the data set, in serving order.
    public var allEventJSON: [String] {
        state.withLock { $0.events.sorted { ($0.eventTime, $0.id) < ($1.eventTime, $1.id) }.map(\.json) }
    }
}
