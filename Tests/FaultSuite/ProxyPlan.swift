/// Which API call a proxied request is, from its path.
enum RequestKind: Sendable {
    case token, audit, bulk, other

    init(path: String) {
        if path.hasSuffix("/oauth/token") {
            self = .token
        } else if path.hasSuffix("/get-audit-events") {
            self = .audit
        } else if path.hasSuffix("/_bulk") {
            self = .bulk
        } else {
            self = .other
        }
    }
}

/// When, relative to the HTTP exchanges, the shipper was killed. Each names a moment where a
/// crash could plausibly lose or duplicate events if the ordering rules were wrong.
enum KillMoment: String, Sendable, CaseIterable {
    case randomMoment = "at a random moment after start"
    case midFetch = "mid-fetch (page request sent, no answer)"
    case midBulk = "mid-bulk (bulk request sent, kill while it is processed)"
    case bulkAnswerWithheld = "bulk stored, answer withheld"
    case afterBulkAnswer = "right after a bulk answer (around the checkpoint write)"
}

/// What the proxy does with the request part of one exchange.
enum RequestAction: Sendable, Equatable {
    case forward
    /// Forward the headers and half the body, then reset the connection.
    case cutMidBody
    /// Forward the whole request, then kill the shipper.
    case forwardThenKill(KillMoment)
}

/// What the proxy does with the answer.
enum ResponseAction: Sendable, Equatable {
    case forward
    /// Kill the shipper as soon as the answer starts arriving; it never sees it.
    case withholdAndKill(KillMoment)
    /// Forward the complete answer, then kill the shipper at once.
    case forwardThenKill(KillMoment)
    /// Forward the headers and half the body, then reset the connection.
    case cutMidBody
}

struct ProxyPlan: Sendable, Equatable {
    var delayMilliseconds = 0
    var request = RequestAction.forward
    var response = ResponseAction.forward
}

/// Decides, request by request, what the proxy does; the suite's conductor implements it.
protocol ProxyDirector: AnyObject, Sendable {
    func plan(for kind: RequestKind) -> ProxyPlan
    /// Kills the shipper now (SIGKILL), recording the moment.
    func kill(_ moment: KillMoment)
    /// A connection was reset on purpose.
    func didReset(_ kind: RequestKind, midResponse: Bool)
}
