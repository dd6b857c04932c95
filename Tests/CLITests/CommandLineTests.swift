import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperCore
import ShipperPipeline
import ShipperTestSupport
import Testing

/// The binary as users run it: exit codes, stdout/stderr discipline, no secrets in output.
@Suite(.serialized) struct CommandLineTests {
    func stateDirectory() -> String {
        let path = NSTemporaryDirectory() + "shipper-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// What a run against the two fakes needs in its environment.
    static func environment(mimecast: FakeMimecast, elasticsearch: FakeElasticsearch, stateDirectory: String) -> [String: String] {
        [
            "MIMECAST_BASE_URL": mimecast.baseURL,
            "MIMECAST_CLIENT_ID": "fake-client-id",
            "MIMECAST_CLIENT_SECRET": "fake-client-secret",
            "ELASTICSEARCH_URL": elasticsearch.baseURL,
            "MIMECAST_SHIPPER_STATE_DIR": stateDirectory,
        ]
    }

    @Test func theReadmeDefaultPrintsOneECSDocumentPerLine() async throws {
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 20)
        for line in lines {
            let document = try JSONValue.parse(String(line))
            #expect(document["@timestamp"]?.stringValue?.hasSuffix("Z") == true)
            #expect(document["event"]?["module"]?.stringValue == "mimecast")
        }
        #expect(result.stderr.contains("pass finished"))
        #expect(result.stderr.contains("events 20"))
    }

    @Test func theConfigFileIsReadAndTheEnvironmentWinsOverIt() async throws {
        let directory = stateDirectory()
        let config = directory + "/shipper.env"
        try "# settings\nMIMECAST_SHIPPER_EVENT_ORIGINAL=false\nMIMECAST_SHIPPER_NAMESPACE=fromfile\n".write(toFile: config, atomically: true, encoding: .utf8)
        let fromFile = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--config", config])
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let first = try JSONValue.parse(String(fromFile.stdout.split(separator: "\n")[0]))
        #expect(first["event"]?["original"] == nil)
        #expect(first["data_stream"]?["namespace"]?.stringValue == "fromfile")

        let overridden = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--config", config],
                                                      environment: ["MIMECAST_SHIPPER_EVENT_ORIGINAL": "true"])
        let document = try JSONValue.parse(String(overridden.stdout.split(separator: "\n")[0]))
        #expect(document["event"]?["original"]?.stringValue != nil)
    }

    @Test func summaryJSONIsOneMachineReadableLinePerPass() async throws {
        let path = stateDirectory() + "/summary.json"
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--summary-json", path])
        #expect(result.status == 0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let summary = try JSONValue.parse(String(lines[0]))
        #expect(summary["outcome"]?.stringValue == "success")
        #expect(summary["events"]?.intValue == 20)
        #expect(summary["printed"]?.intValue == 20)
    }

    @Test(arguments: [
        (["run", "--page-size", "0"], "page size 0 is out of range"),
        (["run", "--no-such-flag"], "Unknown option '--no-such-flag'"),
        (["run", "--since", "yesterday-ish", "--dry-run"], "--since 'yesterday-ish'"),
        (["run", "--dry-run"], "no Mimecast credentials"),
        (["run", "--sample", "--replay", "x.ndjson"], "--sample and --replay"),
        (["run", "--dry-run", "--replay", "/nonexistent/events.ndjson"], "/nonexistent/events.ndjson"),
    ])
    func badInputIsOneClearLineAndExitTwo(_ arguments: [String], _ expected: String) async throws {
        let result = try await ShipperProcess.run(arguments)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func helpDocumentsExitCodesAndVariables() async throws {
        let result = try await ShipperProcess.run(["--help"])
        #expect(result.status == 0)
        for text in ["Exit codes: 0 success", "3 finished", "MIMECAST_CLIENT_ID", "ELASTICSEARCH_API_KEY", "MIMECAST_SHIPPER_STATE_DIR"] {
            #expect(result.stdout.contains(text), "help lacks \(text)")
        }
        let version = try await ShipperProcess.run(["--version"])
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ProductInfo.version)
    }

    @Test func rejectedCredentialsNeverAppearInOutput() async throws {
        let mimecast = try await FakeMimecast.start()
        try await withTeardown({ await mimecast.stop() }) {
            let secret = "s3cr3t-value-that-must-not-leak"
            let result = try await ShipperProcess.run(["run", "--dry-run", "--log-level", "trace"], environment: [
                "MIMECAST_BASE_URL": mimecast.baseURL,
                "MIMECAST_CLIENT_ID": "fake-client-id",
                "MIMECAST_CLIENT_SECRET": secret,
            ])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("MIMECAST_CLIENT_SECRET") || result.stderr.contains("MIMECAST_CLIENT_ID"), "\(result.stderr)")
            #expect(!result.stderr.contains(secret))
            #expect(!result.stdout.contains(secret))
        }
    }

    @Test func aRunningShipperHoldsTheLock() async throws {
        let directory = stateDirectory()
        let lock = try StateLock.acquire(directory: directory)
        let result = try await ShipperProcess.run(["run", "--sample", "--state-dir", directory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("process \(getpid())"), "\(result.stderr)")
        withExtendedLifetime(lock) {}
    }

    /// The signal arrives while `--every` waits for the next pass (the pass has finished): named
    /// for what it tests. The mid-pass case is the next test.
    @Test func sigtermWhileWaitingForTheNextPassExitsZeroWithEverythingCheckpointed() async throws {
        let now = Date()
        let window = TimeWindow(start: now.addingTimeInterval(-2 * 86_400), end: now.addingTimeInterval(-120))
        let mimecast = try await FakeMimecast.start(FakeMimecastOptions(events: FakeAuditEvent.generate(count: 250, in: window)))
        let elasticsearch = try await FakeElasticsearch.start()
        try await withTeardown({ await mimecast.stop(); await elasticsearch.stop() }) {
            let directory = stateDirectory()
            let shipper = try ShipperProcess(["run", "--every", "1h", "--since", "3d"], environment: Self.environment(mimecast: mimecast, elasticsearch: elasticsearch, stateDirectory: directory))
            #expect(await shipper.waitForStderr(containing: "pass finished"), "\(shipper.stderrSoFar)")
            shipper.signal(SIGTERM)
            let result = await shipper.wait()
            #expect(result.status == 0, "\(result.stderr)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(files.contains { $0.hasPrefix("checkpoint-") })
            #expect(elasticsearch.documents(in: "logs-mimecast.audit-default").count == 250)
        }
    }

    /// SIGTERM while the pass is still reading (held up by a rate limit on its second page): the
    /// process exits 0 without having read the whole window, and the next run, from the saved
    /// checkpoint, stores the rest: nothing lost.
    @Test func sigtermInTheMiddleOfAPassStopsItAndTheNextRunCompletesTheWindow() async throws {
        let now = Date()
        let window = TimeWindow(start: now.addingTimeInterval(-2 * 86_400), end: now.addingTimeInterval(-120))
        let mimecast = try await FakeMimecast.start(FakeMimecastOptions(events: FakeAuditEvent.generate(count: 250, in: window)))
        let elasticsearch = try await FakeElasticsearch.start()
        try await withTeardown({ await mimecast.stop(); await elasticsearch.stop() }) {
            mimecast.rateLimit(FakeRateLimit(retryAfterSeconds: 2), afterAuditCalls: 1)
            let directory = stateDirectory()
            let environment = Self.environment(mimecast: mimecast, elasticsearch: elasticsearch, stateDirectory: directory)
            let shipper = try ShipperProcess(["run", "--every", "1h", "--since", "3d"], environment: environment)
            #expect(await shipper.waitForStderr(containing: "rate limit"), "\(shipper.stderrSoFar)")
            shipper.signal(SIGTERM)
            let result = await shipper.wait()
            #expect(result.status == 0, "\(result.stderr)")
            let stored = elasticsearch.documents(in: "logs-mimecast.audit-default").count
            #expect(stored < 250)
            let next = try await ShipperProcess.run(["run"], environment: environment)
            #expect(next.status == 0, "\(next.stderr)")
            #expect(elasticsearch.documents(in: "logs-mimecast.audit-default").count == 250)
        }
    }

    /// Every request the binary sends in `install-template`, `check` and `run` is one
    /// Elasticsearch's published REST spec accepts (path, method, query parameters), and together
    /// they reach every endpoint the product relies on.
    @Test func everyRequestTheProductSendsIsValidByTheRESTSpec() async throws {
        let now = Date()
        let window = TimeWindow(start: now.addingTimeInterval(-86_400), end: now.addingTimeInterval(-120))
        let mimecast = try await FakeMimecast.start(FakeMimecastOptions(events: FakeAuditEvent.generate(count: 40, in: window)))
        let elasticsearch = try await FakeElasticsearch.start()
        try await withTeardown({ await mimecast.stop(); await elasticsearch.stop() }) {
            let environment = Self.environment(mimecast: mimecast, elasticsearch: elasticsearch, stateDirectory: stateDirectory())
            for arguments in [["install-template"], ["check"], ["run", "--since", "2d"], ["install-template", "--dry-run"]] {
                let result = try await ShipperProcess.run(arguments, environment: environment)
                #expect(result.status == 0, "\(arguments): \(result.stdout)\(result.stderr)")
            }
            let requests = elasticsearch.recordedRequests
            let invalid = requests.filter { if case .accepted = $0.verdict { false } else { true } }
            #expect(invalid.isEmpty, "\(invalid.map { "\($0.line): \($0.verdict)" })")
            let endpoints = Set(requests.compactMap { request -> String? in
                if case .accepted(let endpoint) = request.verdict { endpoint } else { nil }
            })
            #expect(endpoints.isSuperset(of: [
                "info", "bulk", "security.has_privileges", "indices.get_index_template", "indices.put_index_template",
                "cluster.get_component_template", "cluster.put_component_template", "ilm.get_lifecycle", "ilm.put_lifecycle",
                "indices.simulate_index_template",
            ]), "\(endpoints.sorted())")
            #expect(requests.contains { $0.path.hasSuffix("/_bulk") && $0.queryParameters == ["filter_path"] })
            #expect(elasticsearch.documents(in: "logs-mimecast.audit-default").count == 40)
        }
    }

    /// `check` refuses a cluster older than the floor in one line naming both versions.
    @Test func checkRefusesAnElasticsearchOlderThanTheFloor() async throws {
        let elasticsearch = try await FakeElasticsearch.start(version: "8.12.2")
        try await withTeardown({ await elasticsearch.stop() }) {
            let environment = [
                "ELASTICSEARCH_URL": elasticsearch.baseURL,
                "MIMECAST_SHIPPER_STATE_DIR": stateDirectory(),
            ]
            let check = try await ShipperProcess.run(["check"], environment: environment)
            #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
            let line = try #require(check.stdout.split(separator: "\n").first { $0.contains("Elasticsearch reachable") })
            #expect(line.hasPrefix("[FAIL]"))
            #expect(line.contains("8.12.2") && line.contains("8.13.0"), "\(line)")
            let install = try await ShipperProcess.run(["install-template"], environment: environment)
            #expect(install.status == 2, "\(install.stdout)\(install.stderr)")
            #expect(install.stderr.contains("8.12.2") && install.stderr.contains("8.13.0"), "\(install.stderr)")
            #expect(elasticsearch.templateWrites.isEmpty)
        }
    }

    /// A role without the heartbeat data stream ships events but makes the feed-stopped rule fire:
    /// `check` names the missing privileges on it.
    @Test func checkNamesMissingPrivilegesOnTheHeartbeatDataStream() async throws {
        let mimecast = try await FakeMimecast.start()
        let elasticsearch = try await FakeElasticsearch.start()
        try await withTeardown({ await mimecast.stop(); await elasticsearch.stop() }) {
            let environment = Self.environment(mimecast: mimecast, elasticsearch: elasticsearch, stateDirectory: stateDirectory())
            #expect(try await ShipperProcess.run(["install-template"], environment: environment).status == 0)
            elasticsearch.grantIndexPrivileges([], onIndicesStartingWith: "logs-mimecast.shipper-")
            let check = try await ShipperProcess.run(["check"], environment: environment)
            #expect(check.status == 2, "\(check.stdout)\(check.stderr)")
            let line = try #require(check.stdout.split(separator: "\n").first { $0.contains("privileges on logs-mimecast.shipper-default") })
            #expect(line.hasPrefix("[FAIL]") && line.contains("missing create_doc, auto_configure"), "\(line)")
            #expect(check.stdout.contains("[ok]   privileges on logs-mimecast.audit-default: create_doc, auto_configure, read"), "\(check.stdout)")
        }
    }

    @Test func installTemplateThenCheckPassesAndASecondInstallWritesNothing() async throws {
        let mimecast = try await FakeMimecast.start()
        let elasticsearch = try await FakeElasticsearch.start()
        try await withTeardown({ await mimecast.stop(); await elasticsearch.stop() }) {
            let environment = Self.environment(mimecast: mimecast, elasticsearch: elasticsearch, stateDirectory: stateDirectory())
            let before = try await ShipperProcess.run(["check"], environment: environment)
            #expect(before.status == 2, "\(before.stdout)\(before.stderr)")
            #expect(before.stdout.contains("[FAIL] index template logs-mimecast.audit: not installed"))

            let install = try await ShipperProcess.run(["install-template"], environment: environment)
            #expect(install.status == 0, "\(install.stderr)")
            #expect(install.stdout.components(separatedBy: ": created").count - 1 == 5, "\(install.stdout)")
            let again = try await ShipperProcess.run(["install-template"], environment: environment)
            #expect(again.stdout.components(separatedBy: ": unchanged").count - 1 == 5, "\(again.stdout)")

            let after = try await ShipperProcess.run(["check"], environment: environment)
            #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
            #expect(after.stdout.contains("checks passed"))
        }
    }
}
