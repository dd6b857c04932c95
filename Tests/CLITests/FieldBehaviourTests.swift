import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperCore
import ShipperPipeline
import Testing

/// The binary in a less kind field: Elasticsearch or Mimecast down, stalled or unresolvable,
/// signals during every kind of wait, Mimecast's history limit, and honest output. Every host
/// is on loopback or ends in `.invalid`; every time bound is generous.
@Suite(.serialized) struct FieldBehaviourTests {
    static let mimecastCredentials = [
        "MIMECAST_CLIENT_ID": "fake-client-id",
        "MIMECAST_CLIENT_SECRET": "fake-client-secret",
    ]

    func stateDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "shipper-field-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func environment(_ extra: [String: String]) -> [String: String] {
        Self.mimecastCredentials.merging(extra) { _, new in new }
    }

    /// Lines of `text` that contain every one of `parts`.
    func lines(_ text: String, containing parts: String...) -> [Substring] {
        text.split(separator: "\n").filter { line in parts.allSatisfy { line.contains($0) } }
    }

    /// Waits (up to 60 s) until `ready`, sends `signal`, and returns the result once the process
    /// has ended, failing the test when that takes more than 5 s.
    func stop(_ shipper: ShipperProcess, with signal: Int32 = SIGTERM, during wait: String, when ready: () -> Bool) async throws -> ShipperProcess.Result {
        let deadline = ContinuousClock.now + .seconds(60)
        while !ready() && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(ready(), "never reached \(wait): \(shipper.stderrSoFar)")
        shipper.signal(signal)
        return try #require(await shipper.wait(atMost: .seconds(5)), "the signal did not stop \(wait) within 5 s")
    }

    // MARK: Elasticsearch down

    @Test(arguments: [
        ("http://127.0.0.1:1", "refused"),
        ("http://elasticsearch.invalid:9200", "DNS"),
    ])
    func anUnreachableClusterEndsThePassWithinThirtySecondsNamingURLAndCause(_ url: String, _ cause: String) async throws {
        let shipper = try ShipperProcess(["run", "--sample", "--state-dir", try stateDirectory()], environment: ["ELASTICSEARCH_URL": url])
        let result = try #require(await shipper.wait(atMost: .seconds(30)), "still running after 30 s")
        #expect(result.status == 1, "\(result.stderr)")
        let errors = lines(result.stderr, containing: "error", url, cause)
        #expect(errors.count == 1, "\(result.stderr)")
    }

    @Test func aClusterSpeakingPlainHTTPOnAnHTTPSURLIsATLSFailure() async throws {
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await elasticsearch.stop() } }
        let url = elasticsearch.baseURL.replacingOccurrences(of: "http://", with: "https://")
        let shipper = try ShipperProcess(["run", "--sample", "--state-dir", try stateDirectory()], environment: ["ELASTICSEARCH_URL": url])
        let result = try #require(await shipper.wait(atMost: .seconds(30)), "still running after 30 s")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(lines(result.stderr, containing: "error", url, "TLS").count == 1, "\(result.stderr)")
    }

    @Test func aClusterThatNeverAnswersTimesOutWithinThirtySeconds() async throws {
        let stalling = try await StallingServer.start(answeredAuditCalls: 0, stallEverything: true)
        defer { Task { await stalling.stop() } }
        let shipper = try ShipperProcess(["run", "--sample", "--state-dir", try stateDirectory()], environment: ["ELASTICSEARCH_URL": stalling.baseURL])
        let result = try #require(await shipper.wait(atMost: .seconds(30)), "still running after 30 s")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(lines(result.stderr, containing: "error", stalling.baseURL, "no answer").count == 1, "\(result.stderr)")
    }

    @Test func theRetryBudgetIsASettingAndAFailedPassCountsItsRetries() async throws {
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await elasticsearch.stop() } }
        elasticsearch.failNextBulkRequests(status: 503, count: 10_000)
        let shipper = try ShipperProcess(["run", "--sample", "--retry-budget", "3s", "--state-dir", try stateDirectory()],
                                         environment: ["ELASTICSEARCH_URL": elasticsearch.baseURL])
        let result = try #require(await shipper.wait(atMost: .seconds(60)), "still running after 60 s")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("retry budget of 3s"), "\(result.stderr)")
        let logged = lines(result.stderr, containing: "retrying").count
        #expect(logged > 0)
        let summary = try #require(lines(result.stderr, containing: "pass summary").first, "\(result.stderr)")
        #expect(!summary.contains("retries 0,"), "\(summary)")

        let viaEnvironment = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--every", "1m"],
                                                          environment: ["MIMECAST_SHIPPER_RETRY_BUDGET": "5m"])
        #expect(viaEnvironment.status == 2)
        #expect(viaEnvironment.stderr.contains("longer than"), "\(viaEnvironment.stderr)")
    }

    // MARK: Signals interrupt every wait

    @Test func sigtermDuringABackoffSleepStopsWithinFiveSeconds() async throws {
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await elasticsearch.stop() } }
        elasticsearch.failNextBulkRequests(status: 503, count: 10_000)
        let shipper = try ShipperProcess(["run", "--sample", "--state-dir", try stateDirectory()],
                                         environment: ["ELASTICSEARCH_URL": elasticsearch.baseURL])
        let result = try await stop(shipper, during: "a backoff sleep") { shipper.stderrSoFar.contains("retrying") }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("stopped early on request"), "\(result.stderr)")
    }

    @Test func sigintDuringAMimecastRateLimitWaitStopsWithinFiveSeconds() async throws {
        let mimecast = try await FakeMimecast.start()
        defer { Task { await mimecast.stop() } }
        // 100 s: within the default 2-minute cap on 429 waits per pass, so the shipper waits.
        mimecast.rateLimitNext(FakeRateLimit(resetMilliseconds: 100_000))
        let shipper = try ShipperProcess(["run", "--dry-run", "--since", "1h"], environment: environment(["MIMECAST_BASE_URL": mimecast.baseURL]))
        let result = try await stop(shipper, with: SIGINT, during: "a 429 wait") { shipper.stderrSoFar.contains("rate limit") }
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func sigtermDuringAStalledTransferStopsWithinFiveSecondsKeepingOnlyWhatWasSettled() async throws {
        let mimecast = try await StallingServer.start(answeredAuditCalls: 1)
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await mimecast.stop(); await elasticsearch.stop() } }
        let directory = try stateDirectory()
        let shipper = try ShipperProcess(["run", "--since", "3d", "--slice", "1d", "--state-dir", directory], environment: environment([
            "MIMECAST_BASE_URL": mimecast.baseURL,
            "ELASTICSEARCH_URL": elasticsearch.baseURL,
        ]))
        // Signal once the first slice is checkpointed and the second one's transfer hangs.
        func checkpointFiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("checkpoint-") && $0.hasSuffix(".json") }
        }
        let result = try await stop(shipper, during: "a stalled transfer") {
            mimecast.stalledRequests > 0 && !checkpointFiles().isEmpty
        }
        #expect(result.status == 0, "\(result.stderr)")
        // The first slice was settled and checkpointed; the stalled second one was not.
        #expect(elasticsearch.documents(in: "logs-mimecast.audit-default").count == 1)
        let files = checkpointFiles()
        #expect(files.count == 1)
        let data = try #require(FileManager.default.contents(atPath: directory + "/" + (files.first ?? "")))
        let position = try #require(try JSONValue.parse(Array(data))["position"]?.stringValue)
        let saved = try #require(try? Date(position, strategy: .iso8601))
        // One day of three read: the checkpoint sits about two days back, not at the window's end.
        #expect(saved < Date().addingTimeInterval(-1.5 * 86_400) && saved > Date().addingTimeInterval(-2.5 * 86_400), "\(position)")
    }

    @Test func sigtermDuringAStalledTokenRequestStopsWithinFiveSeconds() async throws {
        let mimecast = try await StallingServer.start(answeredAuditCalls: 0, stallEverything: true)
        defer { Task { await mimecast.stop() } }
        let shipper = try ShipperProcess(["run", "--dry-run", "--since", "1h"], environment: environment(["MIMECAST_BASE_URL": mimecast.baseURL]))
        let result = try await stop(shipper, during: "a stalled token request") { mimecast.stalledRequests > 0 }
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func sigtermDuringAStalledBulkRequestStopsWithinFiveSeconds() async throws {
        let elasticsearch = try await StallingServer.startElasticsearch()
        defer { Task { await elasticsearch.stop() } }
        let shipper = try ShipperProcess(["run", "--sample", "--state-dir", try stateDirectory()], environment: ["ELASTICSEARCH_URL": elasticsearch.baseURL])
        let result = try await stop(shipper, during: "a stalled bulk request") { elasticsearch.stalledRequests > 0 }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("stopped early on request"), "\(result.stderr)")
    }

    // MARK: Mimecast's limits

    @Test func aSinceOlderThanSixtyDaysIsClampedWithOneWarning() async throws {
        let mimecast = try await FakeMimecast.start()
        defer { Task { await mimecast.stop() } }
        let result = try await ShipperProcess.run(["run", "--dry-run", "--since", "90d"], environment: environment(["MIMECAST_BASE_URL": mimecast.baseURL]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(mimecast.auditCallCount <= 61, "\(mimecast.auditCallCount) calls")
        #expect(lines(result.stderr, containing: "60 days").count == 1, "\(result.stderr)")
    }

    @Test(arguments: [
        ("https://mimecast.invalid", "cannot reach mimecast.invalid: check MIMECAST_BASE_URL"),
        ("http://127.0.0.1:1", "cannot reach 127.0.0.1: check MIMECAST_BASE_URL"),
    ])
    func anUnreachableMimecastNamesTheHostQuickly(_ baseURL: String, _ expected: String) async throws {
        let shipper = try ShipperProcess(["run", "--dry-run", "--since", "1h"], environment: environment(["MIMECAST_BASE_URL": baseURL]))
        // Two attempts, each bounded by the 10 s connect timeout even with a resolver that never answers.
        let result = try #require(await shipper.wait(atMost: .seconds(30)), "still running after 30 s")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(lines(result.stderr, containing: expected).count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("try again later"), "\(result.stderr)")
    }

    @Test func maxCallsPerHourPacesTheCallsAndSaysSoOnce() async throws {
        let now = Date()
        let window = TimeWindow(start: now.addingTimeInterval(-3000), end: now.addingTimeInterval(-120))
        let mimecast = try await FakeMimecast.start(FakeMimecastOptions(events: FakeAuditEvent.generate(count: 3, in: window)))
        defer { Task { await mimecast.stop() } }
        let result = try await ShipperProcess.run(["run", "--dry-run", "--since", "1h", "--page-size", "1", "--max-calls-per-hour", "7200"],
                                                  environment: environment(["MIMECAST_BASE_URL": mimecast.baseURL]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 3)
        #expect(lines(result.stderr, containing: "pace").count == 1, "\(result.stderr)")
        #expect(lines(result.stderr, containing: "pace", "7200 calls per hour").count == 1, "\(result.stderr)")
    }

    // MARK: Input that must be refused

    @Test(arguments: [
        (["run", "--dry-run", "--since", "2024-05-02", "--until", "2024-05-01"], "--since"),
        (["run", "--dry-run", "--sample", "--slice", "0"], "--slice '0' must be greater than zero"),
        (["run", "--dry-run", "--sample", "--every", "0s"], "--every '0s' must be greater than zero"),
        (["run", "--dry-run", "--since", "0d"], "--since '0d' must be greater than zero"),
        (["run", "--dry-run", "--sample", "--retry-budget", "0"], "--retry-budget '0' must be greater than zero"),
        (["run", "--dry-run", "--sample", "--max-calls-per-hour", "0"], "--max-calls-per-hour"),
        (["run", "--dry-run", "--sample", "--categories", "mimecast_access_logs"], "--categories"),
        (["run", "--dry-run", "--sample", "--since", "2024-05-01", "--until", "2024-05-02"], "--sample"),
    ])
    func badInputIsRefusedInOneLineWithExitTwo(_ arguments: [String], _ expected: String) async throws {
        let result = try await ShipperProcess.run(arguments, environment: Self.mimecastCredentials)
        #expect(result.status == 2, "\(result.stderr)")
        let stderrLines = result.stderr.split(separator: "\n")
        #expect(stderrLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func anUnknownNameInTheConfigFileIsRefusedNamingTheLine() async throws {
        let config = try stateDirectory() + "/shipper.env"
        try "# settings\nMIMECAST_SHIPPER_NAMESPACE=prod\nMIMECAST_CLIENT_IDD=typo\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--config", config])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("line 3") && result.stderr.contains("MIMECAST_CLIENT_IDD"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func anUnknownCategoryIsAWarningNamingTheDocumentedOnes() async throws {
        let mimecast = try await FakeMimecast.start()
        defer { Task { await mimecast.stop() } }
        let result = try await ShipperProcess.run(["run", "--dry-run", "--since", "1h", "--categories", "mimecast_acess_logs"],
                                                  environment: environment(["MIMECAST_BASE_URL": mimecast.baseURL]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(lines(result.stderr, containing: "mimecast_acess_logs", "mimecast_access_logs", "authentication_logs").count == 1, "\(result.stderr)")
    }

    @Test func anUncreatableStateDirectoryIsOneLineNamingThePathWithExitTwo() async throws {
        let file = try stateDirectory() + "/not-a-directory"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let state = file + "/state"
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await elasticsearch.stop() } }
        let result = try await ShipperProcess.run(["run", "--sample", "--state-dir", state], environment: ["ELASTICSEARCH_URL": elasticsearch.baseURL])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(lines(result.stderr, containing: "error", state).count == 1, "\(result.stderr)")
        for raw in ["NSCocoaErrorDomain", "Error Domain", "Code=", "UserInfo"] {
            #expect(!result.stderr.contains(raw), "\(result.stderr)")
        }
    }

    // MARK: Honest output

    @Test func aDryRunReportsPrintedInTheLineAndTheJSON() async throws {
        let path = try stateDirectory() + "/summary.json"
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--summary-json", path])
        #expect(result.status == 0, "\(result.stderr)")
        let line = try #require(lines(result.stderr, containing: "pass finished").first)
        #expect(line.contains("printed 20") && !line.contains("indexed"), "\(line)")
        let summary = try JSONValue.parse(try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(summary["printed"]?.intValue == 20)
        #expect(summary["indexed"] == nil)
    }

    @Test func retriesCountsTheMimecastRetriesThatWereLogged() async throws {
        let mimecast = try await FakeMimecast.start()
        defer { Task { await mimecast.stop() } }
        mimecast.failNextWithServerError(2)
        let result = try await ShipperProcess.run(["run", "--dry-run", "--since", "1h"], environment: environment(["MIMECAST_BASE_URL": mimecast.baseURL]))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(lines(result.stderr, containing: "retrying").count == 2, "\(result.stderr)")
        #expect(lines(result.stderr, containing: "pass finished", "retries 2,").count == 1, "\(result.stderr)")
    }

    @Test func checkTakesRunsConnectionFlags() async throws {
        let mimecast = try await FakeMimecast.start()
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await mimecast.stop(); await elasticsearch.stop() } }
        let result = try await ShipperProcess.run(["check", "--mimecast-base-url", mimecast.baseURL, "--elasticsearch-url", elasticsearch.baseURL,
                                                   "--state-dir", try stateDirectory()], environment: Self.mimecastCredentials)
        #expect(result.stdout.contains("[ok]   Mimecast credentials"), "\(result.stdout)\(result.stderr)")
    }

    @Test func checkReportsACorruptCheckpoint() async throws {
        let mimecast = try await FakeMimecast.start()
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await mimecast.stop(); await elasticsearch.stop() } }
        let directory = try stateDirectory()
        let corrupt = directory + "/checkpoint-logs-mimecast.audit-default-0123456789abcdef.json"
        try "{\"version\": 1, \"position\": ".write(toFile: corrupt, atomically: true, encoding: .utf8)
        let result = try await ShipperProcess.run(["check", "--state-dir", directory], environment: environment([
            "MIMECAST_BASE_URL": mimecast.baseURL, "ELASTICSEARCH_URL": elasticsearch.baseURL,
        ]))
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(lines(result.stdout, containing: "[FAIL]", corrupt, "corrupt").count == 1, "\(result.stdout)")
    }

    @Test func checkFinishesQuicklyWhenHostsDoNotResolve() async throws {
        let shipper = try ShipperProcess(["check", "--state-dir", try stateDirectory()], environment: environment([
            "MIMECAST_BASE_URL": "https://mimecast.invalid", "ELASTICSEARCH_URL": "http://elasticsearch.invalid:9200",
        ]))
        let result = try #require(await shipper.wait(atMost: .seconds(25)), "check still running after 25 s")
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(lines(result.stdout, containing: "[FAIL]", "cannot reach mimecast.invalid").count == 1, "\(result.stdout)")
        #expect(lines(result.stdout, containing: "[FAIL]", "elasticsearch.invalid").count == 1, "\(result.stdout)")
    }

    @Test func installTemplateDryRunWorksWithoutACluster() async throws {
        let result = try await ShipperProcess.run(["install-template", "--dry-run"], environment: ["ELASTICSEARCH_URL": "http://127.0.0.1:1"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for path in ["PUT /_ilm/policy/", "PUT /_component_template/", "PUT /_index_template/logs-mimecast.audit"] {
            #expect(result.stdout.contains(path), "\(result.stdout)")
        }
        #expect(lines(result.stdout, containing: "comparison", "needs a reachable cluster").count == 1, "\(result.stdout)")
    }
}
