import FakeElasticsearch
import Foundation
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP
import Testing

/// Where the shared sink scenarios run: the loopback fake, or a real cluster.
struct SinkTarget {
    let configuration: ElasticsearchConfiguration

    func client() throws -> ElasticsearchClient {
        ElasticsearchClient(configuration: configuration,
                            transport: try CurlHTTPClient(configuration: configuration.httpClientConfiguration, logger: .quiet))
    }

    func indexer(deadLetterPath: String, sleeps: SleepRecorder) throws -> BulkIndexer {
        try makeIndexer(baseURL: configuration.url, auth: configuration.auth, dataStream: configuration.dataStream,
                        deadLetterPath: deadLetterPath, sleeps: sleeps, caCertPath: configuration.caCertPath)
    }
}

/// Sink behaviour that needs no failure injection, so the same code runs against the fake and,
/// when `ELASTICSEARCH_TEST_URL` is set, against a real Elasticsearch.
enum SinkScenarios {
    /// New documents are indexed; shipping them again reports duplicates and stores nothing new.
    static func newThenDuplicate(_ target: SinkTarget, prefix: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let indexer = try target.indexer(deadLetterPath: directory.file("dl.ndjson"), sleeps: SleepRecorder())
        let documents = TestDocuments.make(25, prefix: prefix)
        let first = try await indexer.ship(documents)
        #expect(first.indexed == 25 && first.duplicates == 0 && first.deadLettered == 0)
        let second = try await indexer.ship(documents)
        #expect(second.indexed == 0 && second.duplicates == 25 && second.deadLettered == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.file("dl.ndjson")))
    }

    /// A document the data stream refuses is dead-lettered with its reason; the rest are stored.
    static func refusedDocumentIsDeadLettered(_ target: SinkTarget, prefix: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let deadLetterPath = directory.file("state/dl.ndjson")
        let indexer = try target.indexer(deadLetterPath: deadLetterPath, sleeps: SleepRecorder())
        let good = TestDocuments.make(3, prefix: prefix)
        // Not a date where the data stream maps a date: refused for good by any cluster.
        let refused = TestDocuments.document(id: "\(prefix)-bad-timestamp", json: #"{"@timestamp":"not-a-date","message":"bad timestamp"}"#)
        let result = try await indexer.shipReportingOutcomes([good[0], refused, good[1], good[2]])
        #expect(result.outcomes == [.indexed, .deadLettered, .indexed, .indexed])
        let letters = try readNDJSON(deadLetterPath)
        #expect(letters.count == 1)
        #expect(letters.first?["_id"] == .string(refused.id))
        #expect(letters.first?["status"]?.intValue == 400)
        #expect(letters.first?["reason"]?.stringValue?.contains("@timestamp") == true)
        #expect(letters.first?["document"]?["message"] == .string("bad timestamp"))
    }

    /// Installing twice writes nothing the second time, and the simulated index uses the templates.
    static func installTemplateIsIdempotent(_ target: SinkTarget) async throws {
        let installer = TemplateInstaller(client: try target.client(), namespace: target.configuration.namespace, logger: .quiet)
        _ = try await installer.install()
        let second = try await installer.install()
        #expect(second.map(\.status) == Array(repeating: .unchanged, count: 5))
        let summary = try await installer.verify()
        #expect(summary.contains(target.configuration.dataStream))
    }
}

@Suite struct FakeSinkScenarioTests {
    func run(_ body: (SinkTarget) async throws -> Void) async throws {
        try await FakeElasticsearch.with { fake in
            try await body(SinkTarget(configuration: ElasticsearchConfiguration(url: fake.baseURL)))
        }
    }

    @Test func newThenDuplicate() async throws {
        try await run { try await SinkScenarios.newThenDuplicate($0, prefix: "fake") }
    }

    @Test func refusedDocumentIsDeadLettered() async throws {
        try await run { try await SinkScenarios.refusedDocumentIsDeadLettered($0, prefix: "fake") }
    }

    @Test func installTemplateIsIdempotent() async throws {
        try await run { try await SinkScenarios.installTemplateIsIdempotent($0) }
    }
}

/// The same scenarios against a real cluster (e.g. `docker compose up`): set
/// `ELASTICSEARCH_TEST_URL`, and `ELASTICSEARCH_TEST_API_KEY` or `ELASTICSEARCH_TEST_USERNAME`/
/// `ELASTICSEARCH_TEST_PASSWORD`, and `ELASTICSEARCH_TEST_CA_CERT` as needed. Each run writes to
/// its own namespace and deletes that data stream afterwards.
@Suite(.enabled(if: RealElasticsearch.isConfigured,
                "skipped: set ELASTICSEARCH_TEST_URL (e.g. http://localhost:9200 from docker compose up) to run the sink tests against a real Elasticsearch"))
struct RealElasticsearchTests {
    @Test func newThenDuplicate() async throws {
        try await RealElasticsearch.run { try await SinkScenarios.newThenDuplicate($0, prefix: "real") }
    }

    @Test func refusedDocumentIsDeadLettered() async throws {
        try await RealElasticsearch.run { try await SinkScenarios.refusedDocumentIsDeadLettered($0, prefix: "real") }
    }

    @Test func installTemplateIsIdempotent() async throws {
        try await RealElasticsearch.run { try await SinkScenarios.installTemplateIsIdempotent($0) }
    }
}

enum RealElasticsearch {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static var isConfigured: Bool {
        guard let url = environment["ELASTICSEARCH_TEST_URL"] else { return false }
        return !url.isEmpty
    }

    /// The test variables mapped onto the product's, then resolved like the product does.
    static func configuration(namespace: String) throws -> ElasticsearchConfiguration {
        var mapped: [String: String] = [:]
        for name in ["URL", "API_KEY", "USERNAME", "PASSWORD", "CA_CERT"] {
            if let value = environment["ELASTICSEARCH_TEST_\(name)"] { mapped["ELASTICSEARCH_\(name)"] = value }
        }
        return try ElasticsearchConfiguration.resolve(
            environment: SecretEnvironment(mapped), overrides: ElasticsearchOverrides(namespace: namespace))
    }

    static func run(_ body: (SinkTarget) async throws -> Void) async throws {
        let namespace = "shippertest\(UInt32.random(in: 0..<UInt32.max))"
        let target = SinkTarget(configuration: try configuration(namespace: namespace))
        do {
            try await body(target)
        } catch {
            await cleanUp(target)
            throw error
        }
        await cleanUp(target)
    }

    private static func cleanUp(_ target: SinkTarget) async {
        _ = try? await target.client().send(.delete, "/_data_stream/\(target.configuration.dataStream)")
    }
}
