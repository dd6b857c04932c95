import FakeElasticsearch
import Foundation
import Logging
import ShipperCore
import ShipperElasticsearch
import ShipperPipeline
import Testing

/// One heartbeat per pass, to its own data stream, also when the pass fails; a heartbeat that
/// cannot be written never fails the pass.
@Suite struct HeartbeatTests {
    static let heartbeatStream = "logs-mimecast.shipper-default"

    func withRun(_ body: (FakeElasticsearch, () throws -> PreparedRun) async throws -> Void) async throws {
        try await FakeElasticsearch.with { elasticsearch in
            let state = NSTemporaryDirectory() + "heartbeat-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: state) }
            let environment = ["ELASTICSEARCH_URL": elasticsearch.baseURL, "MIMECAST_SHIPPER_STATE_DIR": state]
            var flags = RunFlags()
            flags.sample = true
            let settings = try RunSettings.resolve(flags, environment: environment)
            var tuning = RunTuning()
            tuning.sleeper = Sleeper { _ in }
            tuning.retryBudget = .seconds(1)
            try await body(elasticsearch) {
                try PreparedRun(settings: settings, environment: environment, elasticsearch: .init(), stop: StopSignal(),
                                progress: nil, logger: Logger(label: "test"), tuning: tuning)
            }
        }
    }

    func heartbeats(_ elasticsearch: FakeElasticsearch) throws -> [JSONValue] {
        try elasticsearch.documents(in: Self.heartbeatStream).values.map { try JSONValue.parse($0) }
            .sorted { ($0["event"]?["end"]?.stringValue ?? "") < ($1["event"]?["end"]?.stringValue ?? "") }
    }

    @Test func everyPassWritesOneHeartbeatWithItsCounters() async throws {
        try await withRun { elasticsearch, prepare in
            let summary = try await prepare().pass()
            #expect(summary.report.indexed == 20)
            let first = try #require(try heartbeats(elasticsearch).first)
            #expect(try heartbeats(elasticsearch).count == 1)
            #expect(first["event"]?["kind"]?.stringValue == "metric")
            #expect(first["event"]?["dataset"]?.stringValue == "mimecast.shipper")
            #expect(first["event"]?["outcome"]?.stringValue == "success")
            #expect((first["event"]?["duration"]?.intValue ?? -1) >= 0)
            #expect(first["data_stream"]?["dataset"]?.stringValue == "mimecast.shipper")
            #expect(first["service"]?["version"]?.stringValue == ProductInfo.version)
            #expect(first["host"]?["name"]?.stringValue?.isEmpty == false)
            #expect(first["error"] == nil)
            #expect(first["mimecast"]?["shipper"]?["events"]?.intValue == 20)
            #expect(first["mimecast"]?["shipper"]?["indexed"]?.intValue == 20)
            #expect(first["mimecast"]?["shipper"]?["status"]?.stringValue == "success")

            _ = try await prepare().pass()
            let both = try heartbeats(elasticsearch)
            #expect(both.count == 2)
            // Two passes may end in the same second: compare without relying on order.
            #expect(both.compactMap { $0["mimecast"]?["shipper"]?["duplicates"]?.intValue }.sorted() == [0, 20])
        }
    }

    @Test func aFailedPassStillWritesAHeartbeatNamingTheError() async throws {
        try await withRun { elasticsearch, prepare in
            elasticsearch.failNextBulkRequests(status: 400)
            await #expect(throws: (any Error).self) { _ = try await prepare().pass() }
            let beats = try heartbeats(elasticsearch)
            #expect(beats.count == 1)
            #expect(beats.first?["event"]?["outcome"]?.stringValue == "failure")
            #expect(beats.first?["error"]?["message"]?.stringValue?.contains("400") == true, "\(beats)")
            #expect(beats.first?["mimecast"]?["shipper"]?["status"]?.stringValue == "failure")
        }
    }

    @Test func aHeartbeatThatCannotBeWrittenNeverFailsThePass() async throws {
        try await withRun { elasticsearch, prepare in
            // A template that maps `event` as a keyword: Elasticsearch refuses the heartbeat's event object.
            elasticsearch.overwriteIndexTemplate("conflicting-heartbeats", with: .object([
                "index_patterns": .array([.string("logs-mimecast.shipper-*")]),
                "priority": .number(500),
                "data_stream": .object([:]),
                "template": .object(["mappings": .object(["properties": .object(["event": .object(["type": .string("keyword")])])])]),
            ]))
            let summary = try await prepare().pass()
            #expect(summary.report.indexed == 20)
            #expect(try heartbeats(elasticsearch).isEmpty)
        }
    }

    /// ECS fields where ECS has one: every non-`mimecast.*` field the heartbeat writes is checked
    /// against the vendored ECS definitions (which cover all its field sets but host and service).
    @Test func theHeartbeatUsesECSFieldsWithTheirECSTypes() throws {
        let fixture = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ECSTests/Fixtures/ecs-subset.json")
        let ecs = try JSONValue.parse(Array(try Data(contentsOf: fixture)))
        let beat = Heartbeat(summary: PassSummary(), status: .failure, errorMessage: "boom", startedAt: Date(timeIntervalSince1970: 0),
                             endedAt: Date(timeIntervalSince1970: 1), namespace: "default", hostName: "h")
        let document = try JSONValue.parse(beat.document)
        var checked = 0
        for path in Heartbeat.fieldPaths where !path.hasPrefix("mimecast.") && !path.hasPrefix("host.") && !path.hasPrefix("service.") {
            let definition = try #require(ecs["fields"]?[path], "\(path) is not an ECS field")
            var value: JSONValue? = document
            for component in path.split(separator: ".") { value = value?[String(component)] }
            let present = try #require(value, "the heartbeat lacks \(path)")
            switch definition["type"]?.stringValue {
            case "date": #expect(present.stringValue?.hasSuffix("Z") == true, "\(path)")
            case "long": #expect(present.intValue != nil, "\(path)")
            default: #expect(present.stringValue != nil, "\(path)")
            }
            if let allowed = definition["allowed_values"]?.arrayValue?.compactMap({ $0["name"]?.stringValue ?? $0.stringValue }), !allowed.isEmpty {
                #expect(allowed.contains(present.stringValue ?? ""), "\(path) = \(present)")
            }
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test func aDryRunWritesNoHeartbeat() async throws {
        try await FakeElasticsearch.with { elasticsearch in
            var flags = RunFlags()
            flags.sample = true
            flags.dryRun = true
            let environment = ["ELASTICSEARCH_URL": elasticsearch.baseURL]
            let prepared = try PreparedRun(settings: try RunSettings.resolve(flags, environment: environment), environment: environment,
                                           elasticsearch: .init(), stop: StopSignal(), progress: nil, logger: Logger(label: "test"),
                                           writeDocuments: { _ in })
            _ = try await prepared.pass()
            #expect(elasticsearch.requestLog.isEmpty)
        }
    }
}
