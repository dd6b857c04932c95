#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ShipperCore
import ShipperHTTP

/// Reads audit events from the Mimecast API (2.0 or 1.0, by the configured credentials).
///
/// Pull-based: each page is requested only when the consumer asks for it, so one page at most is
/// in memory. Long windows are read as slices (`sliceLength`), each its own paging session, so a
/// long backfill never depends on one page token staying valid for hours.
public final class MimecastAuditReader: AuditEventSource, RetryCounting {
    public let configuration: MimecastConfiguration
    private let client: MimecastAPIClient
    private let statisticsBox: StatisticsBox
    private let now: @Sendable () -> Date
    private let logger: Logger

    public init(
        configuration: MimecastConfiguration,
        transport: any HTTPTransport,
        sleeper: Sleeper = .continuous,
        now: @escaping @Sendable () -> Date = Date.init,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger = Logger(label: "mimecast-shipper.mimecast")
    ) {
        self.configuration = configuration
        self.now = now
        self.logger = logger
        let statistics = StatisticsBox()
        self.statisticsBox = statistics
        let exchange = MimecastExchange(
            transport: transport, configuration: configuration, sleeper: sleeper, statistics: statistics,
            pacer: QuotaPacer(maxCallsPerHour: configuration.maxCallsPerHour), logger: logger, jitter: jitter
        )
        self.client = MimecastAPIClient(exchange: exchange, now: now)
    }

    /// Calls, waits and retries so far, summed over every read of this reader.
    public var statistics: MimecastStatistics { statisticsBox.snapshot }

    /// Requests repeated after 5xx, network errors, 429 waits and a 401 that renewed the token
    /// (each one logged).
    public var retriesSoFar: Int {
        let statistics = statisticsBox.snapshot
        return statistics.retries + statistics.rateLimitWaits + statistics.tokenRenewalsAfter401
    }

    public func pages(in window: TimeWindow, categories: [String]) -> AsyncThrowingStream<AuditEventPage, any Error> {
        client.exchange.rateLimitBudget.reset()
        let cursor = AuditPageCursor(
            client: client,
            pager: SlicePager(window: window, sliceLength: configuration.sliceLength, pageSize: configuration.pageSize),
            categories: categories,
            pageSize: configuration.pageSize,
            statistics: statisticsBox,
            logger: logger
        )
        return AsyncThrowingStream(unfolding: { try await cursor.next() })
    }

    /// Proves the credentials work, for the `check` command: API 2.0 fetches a token; API 1.0 makes
    /// one signed call for the last minute. Returns a line for the user; never shows a secret.
    public func verifyCredentials() async throws -> String {
        client.exchange.rateLimitBudget.reset()
        switch configuration.credentials {
        case .oauth:
            guard let token = try await client.currentToken() else { return "no token" }
            let seconds = Int(token.expiresAt.timeIntervalSince(now()).rounded())
            return "Mimecast API 2.0: \(configuration.credentials) accepted by \(Redaction.stripURLCredentials(configuration.baseURL)); access token valid for \(seconds) s"
        case .hmac:
            let end = now()
            let body = AuditRequestBody(
                window: TimeWindow(start: end.addingTimeInterval(-60), end: end), categories: [], pageSize: 1, pageToken: nil
            )
            let response = try await client.post(path: AuditRequestBody.path, body: body.encoded())
            let page = try AuditResponsePage.parse(response.body)
            if !page.failures.isEmpty {
                throw MimecastError.apiFailure(path: AuditRequestBody.path, status: response.status, failures: page.failures)
            }
            return "Mimecast API 1.0: \(configuration.credentials) accepted by \(Redaction.stripURLCredentials(configuration.baseURL)); signed get-audit-events call succeeded"
        }
    }
}

/// The state of one `pages(in:categories:)` read; the stream asks it for one page at a time.
private actor AuditPageCursor {
    private let client: MimecastAPIClient
    private var pager: SlicePager
    private let categories: [String]
    private let pageSize: Int
    private let statistics: StatisticsBox
    private let logger: Logger

    init(client: MimecastAPIClient, pager: SlicePager, categories: [String], pageSize: Int, statistics: StatisticsBox, logger: Logger) {
        self.logger = logger
        self.client = client
        self.pager = pager
        self.categories = categories
        self.pageSize = pageSize
        self.statistics = statistics
    }

    func next() async throws -> AuditEventPage? {
        guard let slice = pager.currentSlice else { return nil }
        let request = AuditRequestBody(window: slice, categories: categories, pageSize: pageSize, pageToken: pager.pageToken)
        let response = try await client.post(path: AuditRequestBody.path, body: request.encoded())
        let page = try AuditResponsePage.parse(response.body)
        if !page.failures.isEmpty {
            throw MimecastError.apiFailure(path: AuditRequestBody.path, status: response.status, failures: page.failures)
        }
        let endsSlice = try pager.record(next: page.next, eventCount: page.events.count, totalCount: page.totalCount)
        if pager.endedOnEmptyPages {
            logger.notice("ending slice \(slice) after \(SlicePager.maxConsecutiveEmptyPages) empty pages in a row that still carried a next-page token (Mimecast gave no totalCount)")
        }
        statistics.update {
            $0.pages += 1
            $0.events += page.events.count
        }
        return AuditEventPage(events: page.events, slice: slice, endsSlice: endsSlice)
    }
}
