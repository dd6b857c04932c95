import FakeElasticsearch
import FakeMimecast
import Foundation
import Logging
import ShipperCore
import ShipperECS
import ShipperElasticsearch
import ShipperHTTP
import ShipperMimecast
@testable import ShipperPipeline
import ShipperReport
import Testing

/// Each report source against the fakes (and a file), all giving the report the bundled sample's
/// events should give. The expected contents are written out here, not computed.
@Suite(.serialized) struct ReportSourceTests {
    static let dataStream = "logs-mimecast.audit-default"
    static let samplePeriod = TimeWindow(start: utc("2024-05-01T00:00:00Z"), end: utc("2024-05-03T00:00:00Z"))

    static func utc(_ text: String) -> Date {
        ReportTime.parse(text)!
    }

    /// The sample as `run --dry-run --sample` maps it: `_id` and document bytes.
    static func sampleDocuments() throws -> [MappedDocument] {
        let events = try ReplayReader(contents: Array(EmbeddedSample.contents.utf8), name: "sample").events()
        let mapper = ECSMapper()
        return events.map { mapper.map($0, readAt: utc("2024-05-03T00:00:00Z")) }
    }

    /// What the sample holds: two support logins, one followed by a policy change seven minutes
    /// later; no failed support login (the sample's failed logins are ordinary users').
    static func expectSampleReport(_ report: AccessReport) {
        #expect(report.sessions.count == 2)
        #expect(report.sessionsWithoutLogin.isEmpty)
        #expect(report.failedLogins.isEmpty)
        guard report.sessions.count == 2 else { return }
        let agent = report.sessions[0]
        #expect(agent.account == "support.agent@mimecast.example")
        #expect(agent.start == utc("2024-05-02T09:14:07Z"))
        #expect(agent.end == utc("2024-05-02T09:21:40Z"))
        #expect(agent.beganWithLogin)
        #expect(agent.sourceIPs == ["203.0.113.9"])
        #expect(agent.applications == ["Administration Console"])
        #expect(agent.events == 2)
        #expect(agent.changes == 1)
        #expect(agent.actions == [
            ActionCount(auditType: "Mimecast Support Action", count: 1),
            ActionCount(auditType: "Mimecast Support Login", count: 1),
        ])
        #expect(agent.targets == [])
        let two = report.sessions[1]
        #expect(two.account == "support.two@mimecast.example")
        #expect(two.start == utc("2024-05-02T11:02:00Z"))
        #expect(two.end == utc("2024-05-02T11:02:00Z"))
        #expect(two.sourceIPs == ["203.0.113.44"])
        #expect(two.events == 1)
        #expect(two.changes == 0)
        #expect(two.actions == [ActionCount(auditType: "Mimecast Support Login", count: 1)])
        #expect(report.totals.sessions == 2)
        #expect(report.totals.supportAccounts == 2)
        #expect(report.totals.sourceIPs == 2)
        #expect(report.totals.sessionsWithChanges == 1)
        #expect(report.totals.readOnlySessions == 1)
        #expect(report.totals.failedLogins == 0)
        #expect(report.totals.events == 3)
    }

    // MARK: The embedded sample

    @Test func theBundledSampleGivesTheExpectedReport() async throws {
        var settings = ReportSettings(period: Self.samplePeriod, input: .sample)
        settings.format = .json
        let prepared = try PreparedReport(settings: settings, environment: [:], elasticsearch: ElasticsearchOverrides(), logger: Logger(label: "test"))
        let (report, text) = try await prepared.render()
        Self.expectSampleReport(report)
        #expect(report.newSourceIPs == nil)
        #expect(report.sourceDescription.contains("embedded sample"))
        #expect(text.contains(#""account":"support.agent@mimecast.example""#))
    }

    // MARK: --from FILE

    @Test func aFileOfDryRunDocumentsGivesTheSameReport() async throws {
        let path = temporaryDirectory() + "/dry-run.ndjson"
        let lines = try Self.sampleDocuments().map { String(decoding: $0.source, as: UTF8.self) }
        try Data((lines.joined(separator: "\n") + "\n\n").utf8).write(to: URL(fileURLWithPath: path))
        let report = try await NDJSONReportReader(path: path).report(period: Self.samplePeriod, sessionGap: 3600)
        Self.expectSampleReport(report)
        #expect(report.sourceDescription == "file \(path)")
    }

    @Test func aFileThatIsNotECSDocumentsIsAClearError() async throws {
        let directory = temporaryDirectory()
        let broken = directory + "/broken.ndjson"
        try Data("{\"@timestamp\":\"2024-05-02T09:14:07Z\",\"event\":{\"action\":\"x\"}}\nnot json\n".utf8).write(to: URL(fileURLWithPath: broken))
        await #expect(throws: ReportReadError.self) {
            _ = try await NDJSONReportReader(path: broken).report(period: Self.samplePeriod, sessionGap: 3600)
        }
        let raw = directory + "/raw.ndjson"
        try Data(EmbeddedSample.contents.utf8).write(to: URL(fileURLWithPath: raw))
        do {
            _ = try await NDJSONReportReader(path: raw).report(period: Self.samplePeriod, sessionGap: 3600)
            Issue.record("raw Mimecast responses were accepted as ECS documents")
        } catch let error as ReportReadError {
            #expect(error == .noDocuments(path: raw))
            #expect(error.description.contains("run --dry-run --replay"))
        }
        await #expect(throws: ReportReadError.self) {
            _ = try await NDJSONReportReader(path: directory + "/missing.ndjson").report(period: Self.samplePeriod, sessionGap: 3600)
        }
    }

    // MARK: --from elasticsearch

    static func seededElasticsearch(_ body: (FakeElasticsearch, ElasticsearchReportReader) async throws -> Void) async throws {
        try await FakeElasticsearch.with { fake in
            for document in try sampleDocuments() {
                fake.seedDocument(id: document.id, source: document.source, in: dataStream)
            }
            // History: the first support address was seen a month before the period.
            let old = #"{"@timestamp":"2024-04-01T08:00:00Z","event":{"action":"logon-authentication"},"user":{"email":"ana.lopez@example.org"},"source":{"ip":"203.0.113.9"}}"#
            fake.seedDocument(id: "old-1", source: Array(old.utf8), in: dataStream)
            let client = ElasticsearchClient(baseURL: fake.baseURL, auth: .none, transport: try CurlHTTPClient())
            var reader = ElasticsearchReportReader(client: client, dataStream: dataStream)
            reader.pageSize = 1 // every event its own page: search_after carries the whole read
            try await body(fake, reader)
        }
    }

    @Test func elasticsearchGivesTheSameReportThroughAPointInTime() async throws {
        try await Self.seededElasticsearch { fake, reader in
            let report = try await reader.report(period: Self.samplePeriod, sessionGap: 3600)
            Self.expectSampleReport(report)
            #expect(report.newSourceIPs == ["203.0.113.44"])
            #expect(report.totals.newSourceIPs == 1)

            let counts = fake.pointInTimeCounts
            #expect(counts.opened == 1)
            #expect(counts.closed == 1)
            #expect(counts.open == 0)
            let scans = fake.searchBodies.filter { $0["pit"] != nil }
            // Three support events, one per page, then an empty page.
            #expect(scans.count == 4)
            #expect(scans.first?["search_after"] == nil)
            #expect(scans.dropFirst().allSatisfy { $0["search_after"]?.arrayValue?.count == 2 })
            #expect(scans.allSatisfy { $0["from"] == nil })
            let sort = scans.first?["sort"]?.arrayValue?.compactMap { $0.objectValue?.keys.first }
            #expect(sort == ["@timestamp", "_shard_doc"])
            let includes = scans.first?["_source"]?["includes"]?.arrayValue?.compactMap(\.stringValue)
            #expect(includes == ReportEvent.sourceFields)
        }
    }

    @Test func aMissingDataStreamIsAClearError() async throws {
        try await FakeElasticsearch.with { fake in
            let client = ElasticsearchClient(baseURL: fake.baseURL, auth: .none, transport: try CurlHTTPClient())
            let reader = ElasticsearchReportReader(client: client, dataStream: "logs-mimecast.audit-nothere")
            do {
                _ = try await reader.report(period: Self.samplePeriod, sessionGap: 3600)
                Issue.record("no error for a missing data stream")
            } catch let error as ReportReadError {
                #expect(error.description.contains("no data stream logs-mimecast.audit-nothere"))
                #expect(ErrorClassification.exitStatus(for: error) == .configuration)
            }
        }
    }

    @Test func thePointInTimeIsClosedWhenTheReadFails() async throws {
        try await Self.seededElasticsearch { fake, reader in
            struct Stop: Error {}
            var scan = PointInTimeScan(client: reader.client, index: Self.dataStream)
            scan.pageSize = 2
            await #expect(throws: Stop.self) {
                try await scan.scan(query: .object(["match_all": .object([:])]), sourceIncludes: ["@timestamp"]) { _ in throw Stop() }
            }
            #expect(fake.pointInTimeCounts.open == 0)
            #expect(fake.pointInTimeCounts.closed == 1)
        }
    }

    @Test func anExpiredPointInTimeFailsTheReadClearly() async throws {
        try await Self.seededElasticsearch { fake, reader in
            var scan = PointInTimeScan(client: reader.client, index: Self.dataStream)
            scan.pageSize = 2
            do {
                try await scan.scan(query: .object(["match_all": .object([:])]), sourceIncludes: ["@timestamp"]) { _ in fake.expirePointsInTime() }
                Issue.record("an expired point in time went unnoticed")
            } catch let error as ElasticsearchError {
                #expect("\(error)".contains("404"))
                #expect("\(error)".contains("search_context_missing_exception"))
            }
        }
    }

    // MARK: --from mimecast

    @Test func mimecastGivesTheSameReportThroughTheReaderAndMapper() async throws {
        let events = try ReplayReader(contents: Array(EmbeddedSample.contents.utf8), name: "sample").events().enumerated().map { index, raw in
            let object = try JSONValue.parse(raw.bytes)
            return FakeAuditEvent(
                id: object["id"]?.stringValue ?? "id-\(index)",
                eventTime: DateArgument.parseDate(object["eventTime"]?.stringValue ?? "")!,
                category: object["category"]?.stringValue ?? "",
                auditType: object["auditType"]?.stringValue ?? "",
                user: object["user"]?.stringValue ?? "",
                eventInfo: object["eventInfo"]?.stringValue ?? ""
            )
        }
        try await FakeMimecast.run(FakeMimecastOptions(events: events)) { mimecast in
            let environment = [
                "MIMECAST_BASE_URL": mimecast.baseURL,
                "MIMECAST_CLIENT_ID": "fake-client-id",
                "MIMECAST_CLIENT_SECRET": "fake-client-secret",
            ]
            var flags = ReportFlags()
            flags.since = "2024-05-01"
            flags.until = "2024-05-03"
            let settings = try ReportSettings.resolve(flags, environment: environment, elasticsearchFlagGiven: false, now: Date())
            #expect(settings.input == .mimecast)
            let prepared = try PreparedReport(settings: settings, environment: environment, elasticsearch: ElasticsearchOverrides(), logger: Logger(label: "test"))
            let (report, _) = try await prepared.render()
            Self.expectSampleReport(report)
            #expect(report.newSourceIPs == nil)
            // First pass asks for access logs only, the second for every category.
            #expect(mimecast.auditCallCount >= 2)
        }
    }

    // MARK: Settings

    @Test func settingsPickTheSourceAndValidateFlags() throws {
        let now = Self.utc("2024-06-01T00:00:00Z")
        var flags = ReportFlags()
        #expect(try ReportSettings.resolve(flags, environment: ["ELASTICSEARCH_URL": "http://127.0.0.1:9"], elasticsearchFlagGiven: false, now: now).input == .elasticsearch)
        #expect(try ReportSettings.resolve(flags, environment: [:], elasticsearchFlagGiven: true, now: now).input == .elasticsearch)
        #expect(try ReportSettings.resolve(flags, environment: ["MIMECAST_CLIENT_ID": "x"], elasticsearchFlagGiven: false, now: now).input == .mimecast)
        #expect(throws: ConfigurationError.self) { try ReportSettings.resolve(flags, environment: [:], elasticsearchFlagGiven: false, now: now) }
        let defaults = try ReportSettings.resolve(flags, environment: ["ELASTICSEARCH_URL": "x"], elasticsearchFlagGiven: false, now: now)
        #expect(defaults.period == TimeWindow(start: now.addingTimeInterval(-90 * 86_400), end: now))
        #expect(defaults.sessionGap == 3600)
        #expect(defaults.format == .markdown)
        flags.from = "/tmp/docs.ndjson"
        flags.format = "HTML"
        flags.sessionGap = "30m"
        flags.since = "7d"
        flags.until = "2024-05-10"
        let custom = try ReportSettings.resolve(flags, environment: [:], elasticsearchFlagGiven: false, now: now)
        #expect(custom.input == .file(path: "/tmp/docs.ndjson"))
        #expect(custom.format == .html)
        #expect(custom.sessionGap == 1800)
        #expect(custom.period == TimeWindow(start: Self.utc("2024-05-03T00:00:00Z"), end: Self.utc("2024-05-10T00:00:00Z")))
        for (change, message) in [
            ({ (f: inout ReportFlags) in f.format = "pdf" }, "--format 'pdf'"),
            ({ (f: inout ReportFlags) in f.sessionGap = "soon" }, "--session-gap 'soon'"),
            ({ (f: inout ReportFlags) in f.since = "2024-05-11" }, "is not before --until"),
            ({ (f: inout ReportFlags) in f.sample = true }, "--sample and --from"),
        ] as [((inout ReportFlags) -> Void, String)] {
            var bad = flags
            change(&bad)
            do {
                _ = try ReportSettings.resolve(bad, environment: [:], elasticsearchFlagGiven: false, now: now)
                Issue.record("accepted: \(message)")
            } catch let error as ConfigurationError {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }
}
