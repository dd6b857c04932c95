import Logging
import ShipperCore
import ShipperHTTP

/// Sends one logical Mimecast request, waiting out 429s and retrying 5xx and network errors with
/// backoff; any other answer goes back to the caller, which knows what it means for its endpoint.
///
/// The request is rebuilt for every attempt, so API 1.0 signatures get a fresh date and request id
/// and API 2.0 calls pick up a renewed token. The same page (same body) is repeated: a page is
/// never skipped.
struct MimecastExchange: Sendable {
    let transport: any HTTPTransport
    let configuration: MimecastConfiguration
    let sleeper: Sleeper
    let statistics: StatisticsBox
    let pacer: QuotaPacer
    let logger: Logger
    /// Shared by every copy of this exchange (token provider, client); reset per pass.
    var rateLimitBudget = RateLimitWaitBudget()

    /// Wait before the one retry of a DNS failure or refused connection.
    static let unreachableRetryDelay: Duration = .seconds(1)
    /// The uniform draw in `[0, 1)` of each backoff's full jitter; injected so tests can assert
    /// the exact schedule.
    var jitter: @Sendable () -> Double = { Double.random(in: 0..<1) }

    func send(
        path: String,
        countCall: @Sendable (inout MimecastStatistics) -> Void,
        build: () async throws -> HTTPRequest
    ) async throws -> HTTPResponse {
        var failures = 0
        var rateLimitWaits = 0
        var unreachable = 0
        while true {
            let request = try await build()
            let turn = pacer.nextTurn()
            if let change = turn.change { logger.notice("\(change)") }
            if turn.wait > .zero { try await sleeper.sleep(for: turn.wait) }
            pacer.sending()
            statistics.update(countCall)
            let problem: String
            do {
                let response = try await transport.send(request)
                pacer.observe(response.headers)
                switch ResponseDisposition.classify(response) {
                case .rateLimited(let wait):
                    guard rateLimitWaits < configuration.maxRateLimitWaits else {
                        throw MimecastError.retriesExhausted(
                            path: path, attempts: failures + rateLimitWaits + 1, lastProblem: "HTTP 429 rate limited"
                        )
                    }
                    let delay = min(wait ?? configuration.backoff.delay(attempt: rateLimitWaits, unit: jitter()), configuration.maxRateLimitWait)
                    guard rateLimitBudget.spend(delay, cap: configuration.maxRateLimitWaitPerPass) else {
                        throw MimecastError.rateLimitWaitCapReached(
                            path: path, waited: rateLimitBudget.spent, requested: delay, cap: configuration.maxRateLimitWaitPerPass
                        )
                    }
                    rateLimitWaits += 1
                    statistics.update { $0.rateLimitWaits += 1 }
                    logger.notice("Mimecast rate limit reached; waiting before repeating the same request", metadata: [
                        "path": "\(path)", "wait_seconds": "\(delay.secondsDouble)", "from_headers": "\(wait != nil)",
                    ])
                    try await sleeper.sleep(for: delay)
                    continue
                case .transient:
                    problem = "HTTP \(response.status)"
                default:
                    return response
                }
            } catch let error as HTTPClientError where Self.unreachableProblem(error) != nil {
                unreachable += 1
                guard unreachable <= 1 else {
                    throw MimecastUnreachable(baseURL: configuration.baseURL, problem: Self.unreachableProblem(error) ?? error.description)
                }
                statistics.update { $0.retries += 1 }
                logger.warning("Mimecast request failed; retrying once", metadata: [
                    "path": "\(path)", "problem": "\(error)", "wait_seconds": "\(Self.unreachableRetryDelay.secondsDouble)",
                ])
                try await sleeper.sleep(for: Self.unreachableRetryDelay)
                continue
            } catch let error as HTTPClientError where error.isTransient {
                problem = error.description
            }
            guard failures < configuration.maxRetries else {
                throw MimecastError.retriesExhausted(path: path, attempts: failures + rateLimitWaits + 1, lastProblem: problem)
            }
            let delay = configuration.backoff.delay(attempt: failures, unit: jitter())
            failures += 1
            statistics.update { $0.retries += 1 }
            logger.warning("Mimecast request failed; retrying", metadata: [
                "path": "\(path)", "problem": "\(problem)", "attempt": "\(failures)", "wait_seconds": "\(delay.secondsDouble)",
            ])
            try await sleeper.sleep(for: delay)
        }
    }

    /// "DNS lookup failed" or "connection refused" for the failures that point at the base URL.
    static func unreachableProblem(_ error: HTTPClientError) -> String? {
        switch error {
        case .dnsResolution(let message): "DNS lookup failed: \(message)"
        case .connect(let message): message.lowercased().contains("refused") ? "connection refused: \(message)" : "connection failed: \(message)"
        default: nil
        }
    }
}
