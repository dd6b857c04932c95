#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperECS
import ShipperReport

/// Reads Mimecast audit events (from the API, or the embedded sample) and maps them with the
/// same mapper as `run`, so a report from Mimecast matches one from the documents `run` indexed.
/// Two passes: access logs first to learn the support accounts, then every category, keeping
/// only those accounts' events.
public struct AuditSourceReportReader: ReportEventReader {
    public let source: any AuditEventSource
    public let description: String
    private let mapper: ECSMapper
    private let now: @Sendable () -> Date

    public init(source: any AuditEventSource, description: String, mapper: ECSMapper = ECSMapper(), now: @escaping @Sendable () -> Date = Date.init) {
        self.source = source
        self.description = description
        self.mapper = mapper
        self.now = now
    }

    public func report(period: TimeWindow, sessionGap: TimeInterval) async throws -> AccessReport {
        var accounts: Set<String> = []
        try await forEachEvent(in: period, categories: ["mimecast_access_logs"]) { event in
            if let account = ReportEventFilter.supportAccount(of: event, in: period) { accounts.insert(account) }
        }
        let filter = ReportEventFilter(period: period, accounts: accounts)
        var kept: [ReportEvent] = []
        try await forEachEvent(in: period, categories: []) { event in
            if filter.keeps(event) { kept.append(event) }
        }
        return buildReport(period: period, sessionGap: sessionGap, accounts: accounts, events: kept)
    }

    private func forEachEvent(in period: TimeWindow, categories: [String], _ body: (ReportEvent) -> Void) async throws {
        for try await page in source.pages(in: period, categories: categories) {
            let readAt = now()
            for raw in page.events {
                let document = mapper.map(raw, readAt: readAt)
                guard !document.isPipelineError, let parsed = try? JSONValue.parse(document.source),
                      let event = ReportEvent(document: parsed)
                else { continue }
                body(event)
            }
        }
    }
}
