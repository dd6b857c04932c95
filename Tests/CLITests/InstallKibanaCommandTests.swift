import FakeKibana
import Foundation
import Testing

/// `mimecast-shipper install-kibana` as users (and the compose setup step) run it.
@Suite(.serialized) struct InstallKibanaCommandTests {
    @Test func installsOnceThenSaysNothingChanged() async throws {
        let kibana = try await FakeKibana.start()
        defer { Task { await kibana.stop() } }
        let key = NSTemporaryDirectory() + "kibana-cli-key-\(UUID().uuidString)"
        try "key-id:key-secret\n".write(toFile: key, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: key) }
        kibana.requireAPIKey(Data("key-id:key-secret".utf8).base64EncodedString())
        let environment = ["KIBANA_URL": kibana.baseURL, "ELASTICSEARCH_API_KEY_FILE": key]

        let dryRun = try await ShipperProcess.run(["install-kibana", "--dry-run"], environment: environment)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.components(separatedBy: "would import (not installed yet)").count - 1 == 6, "\(dryRun.stdout)")
        #expect(kibana.ruleImportCount == 0)

        let first = try await ShipperProcess.run(["install-kibana"], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.components(separatedBy: "imported (new)").count - 1 == 6, "\(first.stdout)")
        let second = try await ShipperProcess.run(["install-kibana"], environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("nothing changed"), "\(second.stdout)")
        #expect(kibana.ruleImportCount == 1 && kibana.savedObjectImportCount == 1)
        #expect(!(first.stdout + first.stderr + second.stdout + second.stderr).contains("key-secret"))
    }

    @Test func withoutAKibanaURLItExitsTwoNamingWhatToSet() async throws {
        let result = try await ShipperProcess.run(["install-kibana"], environment: [:])
        #expect(result.status == 2)
        #expect(result.stderr.contains("KIBANA_URL"), "\(result.stderr)")
    }

    @Test func aTooOldKibanaIsRefusedWithItsVersion() async throws {
        let kibana = try await FakeKibana.start(version: "8.11.4")
        defer { Task { await kibana.stop() } }
        let result = try await ShipperProcess.run(["install-kibana", "--kibana-url", kibana.baseURL], environment: [:])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("8.11.4") && result.stderr.contains("8.14.0"), "\(result.stderr)")
    }

    @Test func checkReportsTheRulesWhenKibanaIsConfigured() async throws {
        let kibana = try await FakeKibana.start()
        defer { Task { await kibana.stop() } }
        let state = NSTemporaryDirectory() + "kibana-check-\(UUID().uuidString)"
        let environment = ["KIBANA_URL": kibana.baseURL, "MIMECAST_SHIPPER_STATE_DIR": state, "ELASTICSEARCH_URL": "http://127.0.0.1:1"]
        let before = try await ShipperProcess.run(["check"], environment: environment)
        #expect(before.stdout.contains("[FAIL] Kibana detection rules: 5 of 5 not installed"), "\(before.stdout)")
        _ = try await ShipperProcess.run(["install-kibana"], environment: environment)
        let after = try await ShipperProcess.run(["check"], environment: environment)
        #expect(after.stdout.contains("[ok]   Kibana detection rules: all 5 installed and current"), "\(after.stdout)")
    }
}
