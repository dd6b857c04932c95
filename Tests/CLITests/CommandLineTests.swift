import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperCore
import ShipperPipeline
import Testing

/// The binary as users run it: exit codes, stdout/stderr discipline, no secrets in output.
@Suite(.serialized) struct CommandLineTests {
    func stateDirectory() -> String {
        let path = NSTemporaryDirectory() + "shipper-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
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
        #expect(summary["indexed"]?.intValue == 20)
    }

    @Test(arguments: [
        (["run", "--page-size", "0"], "page size 0 is out of range"),
        (["run", "--no-such-flag"], "Unknown option '--no-such-flag'"),
        (["run", "--since", "yesterday-ish", "--dry-run", "--sample"], "--since 'yesterday-ish'"),
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
        defer { Task { await mimecast.stop() } }
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

    @Test func aRunningShipperHoldsTheLock() async throws {
        let directory = stateDirectory()
        let lock = try StateLock.acquire(directory: directory)
        let result = try await ShipperProcess.run(["run", "--sample", "--state-dir", directory])
        #expect(result.status == 1)
        #expect(result.stderr.contains("process \(getpid())"), "\(result.stderr)")
        withExtendedLifetime(lock) {}
    }

    @Test func sigtermDuringEveryFinishesTheBatchSavesTheCheckpointAndExitsZero() async throws {
        let now = Date()
        let window = TimeWindow(start: now.addingTimeInterval(-2 * 86_400), end: now.addingTimeInterval(-120))
        let mimecast = try await FakeMimecast.start(FakeMimecastOptions(events: FakeAuditEvent.generate(count: 250, in: window)))
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await mimecast.stop(); await elasticsearch.stop() } }
        let directory = stateDirectory()
        let shipper = try ShipperProcess(["run", "--every", "1h", "--since", "3d"], environment: [
            "MIMECAST_BASE_URL": mimecast.baseURL,
            "MIMECAST_CLIENT_ID": "fake-client-id",
            "MIMECAST_CLIENT_SECRET": "fake-client-secret",
            "ELASTICSEARCH_URL": elasticsearch.baseURL,
            "MIMECAST_SHIPPER_STATE_DIR": directory,
        ])
        #expect(await shipper.waitForStderr(containing: "pass finished"), "\(shipper.stderrSoFar)")
        shipper.signal(SIGTERM)
        let result = await shipper.wait()
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.contains { $0.hasPrefix("checkpoint-") })
        #expect(elasticsearch.documents(in: "logs-mimecast.audit-default").count == 250)
    }

    @Test func installTemplateThenCheckPassesAndASecondInstallWritesNothing() async throws {
        let mimecast = try await FakeMimecast.start()
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await mimecast.stop(); await elasticsearch.stop() } }
        let environment = [
            "MIMECAST_BASE_URL": mimecast.baseURL,
            "MIMECAST_CLIENT_ID": "fake-client-id",
            "MIMECAST_CLIENT_SECRET": "fake-client-secret",
            "ELASTICSEARCH_URL": elasticsearch.baseURL,
            "MIMECAST_SHIPPER_STATE_DIR": stateDirectory(),
        ]
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
