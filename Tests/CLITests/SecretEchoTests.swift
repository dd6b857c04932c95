import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperCore
import ShipperPipeline
import Testing

/// Servers that echo what they were sent (an OAuth 401 quoting the form with `client_secret`,
/// errors quoting the `Authorization` header) against every subcommand: no secret, in any form
/// it travels in, may reach stdout, stderr, the summary or any file in the state directory.
@Suite(.serialized) struct SecretEchoTests {
    // Every secret contains the marker, so its plain and percent-encoded forms are found by it;
    // '/', '+' and '=' make the encoded forms differ from the plain one.
    static let marker = "Echo-Secret"
    static let clientSecret = "mcCS_9f/Q+z=Echo-Secret-7731"
    static let esUser = "shipper-user"
    static let esPassword = "esPW_4k/R+y=Echo-Secret-5520"
    static let urlPassword = "mcURL_pw=Echo-Secret-1199"

    /// What must never appear: the marker, and the base64 forms (which do not contain it).
    static var forbidden: [String] {
        let plain = [clientSecret, esPassword, urlPassword, "\(esUser):\(esPassword)"]
        return [marker] + plain.map { Data($0.utf8).base64EncodedString() }
    }

    struct Scene {
        let mimecast: FakeMimecast
        let elasticsearch: FakeElasticsearch
        let stateDirectory: String
        let summary: String

        var environment: [String: String] {
            let port = mimecast.baseURL.split(separator: ":").last.map(String.init) ?? ""
            return [
                "MIMECAST_BASE_URL": "http://url-user:\(SecretEchoTests.urlPassword)@127.0.0.1:\(port)",
                "MIMECAST_CLIENT_ID": "fake-client-id",
                "MIMECAST_CLIENT_SECRET": SecretEchoTests.clientSecret,
                "ELASTICSEARCH_URL": elasticsearch.baseURL,
                "ELASTICSEARCH_USERNAME": SecretEchoTests.esUser,
                "ELASTICSEARCH_PASSWORD": SecretEchoTests.esPassword,
                "MIMECAST_SHIPPER_STATE_DIR": stateDirectory,
            ]
        }

        static func start(acceptedSecret: String = SecretEchoTests.clientSecret, events: Int = 30) async throws -> Scene {
            let now = Date()
            var options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: events, in: TimeWindow(start: now.addingTimeInterval(-3 * 3600), end: now.addingTimeInterval(-300))))
            options.clientSecret = acceptedSecret
            let mimecast = try await FakeMimecast.start(options)
            mimecast.echoRequests()
            let elasticsearch = try await FakeElasticsearch.start()
            elasticsearch.requireBasic(username: SecretEchoTests.esUser, password: SecretEchoTests.esPassword)
            elasticsearch.echoAuthorization()
            let directory = NSTemporaryDirectory() + "shipper-echo-" + UUID().uuidString
            return Scene(mimecast: mimecast, elasticsearch: elasticsearch, stateDirectory: directory + "/state", summary: directory + "-summary.json")
        }

        func close() async {
            await mimecast.stop()
            await elasticsearch.stop()
        }

        func run(_ arguments: [String]) async throws -> ShipperProcess.Result {
            try await ShipperProcess.run(arguments, environment: environment)
        }

        /// stdout, stderr, the summary file and every file under the state directory.
        func everything(_ results: [ShipperProcess.Result]) -> [(String, String)] {
            var texts = results.enumerated().flatMap { index, result in [("stdout \(index)", result.stdout), ("stderr \(index)", result.stderr)] }
            if let summary = try? String(contentsOfFile: summary, encoding: .utf8) { texts.append(("summary", summary)) }
            for relative in (FileManager.default.subpaths(atPath: stateDirectory) ?? []) {
                let data = FileManager.default.contents(atPath: stateDirectory + "/" + relative) ?? Data()
                texts.append((relative, String(decoding: data, as: UTF8.self)))
            }
            return texts
        }

        /// The access tokens the fake issued and saw (they are credentials too).
        var tokens: [String] {
            mimecast.auditCalls.compactMap { $0.headers["authorization"] }.filter { $0.hasPrefix("Bearer ") }.map { String($0.dropFirst(7)) }
        }
    }

    static func expectClean(_ texts: [(String, String)], extra: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, text) in texts {
            for secret in forbidden + extra where text.contains(secret) {
                Issue.record("\(name) contains '\(secret)': \(text.prefix(2000))", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func anOAuth401EchoingTheClientSecretLeaksNowhere() async throws {
        let scene = try await Scene.start(acceptedSecret: "another-secret")
        defer { Task { await scene.close() } }
        let dryRun = try await scene.run(["run", "--dry-run", "--summary-json", scene.summary])
        let run = try await scene.run(["run", "--summary-json", scene.summary])
        let check = try await scene.run(["check"])
        #expect(dryRun.status == 2 && run.status == 2, "\(dryRun.stderr)\n\(run.stderr)")
        #expect(check.status == 2, "\(check.stdout)")
        // The fake did echo: the scrubbed form body is in the messages.
        #expect(run.stderr.contains("client_secret=[REDACTED]"), "\(run.stderr)")
        #expect(check.stdout.contains("client_secret=[REDACTED]"), "\(check.stdout)")
        Self.expectClean(scene.everything([dryRun, run, check]))
    }

    @Test func itemErrorsEchoingAuthorizationLeakNeitherIntoLogsNorDeadLetters() async throws {
        let scene = try await Scene.start()
        defer { Task { await scene.close() } }
        scene.elasticsearch.failEveryItem()
        let run = try await scene.run(["run", "--since", "1d", "--summary-json", scene.summary])
        #expect(run.status == 3, "\(run.stderr)")
        let deadLetters = StateDirectory.deadLetterPath(directory: scene.stateDirectory, dataStream: "logs-mimecast.audit-default")
        let letters = try String(contentsOfFile: deadLetters, encoding: .utf8)
        #expect(letters.split(separator: "\n").count == 30)
        #expect(letters.contains("[Authorization: Basic [REDACTED]]"), "\(letters.prefix(1000))")
        #expect(run.stderr.contains("url-user:") == false, "\(run.stderr)")
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: scene.stateDirectory).filter { $0.hasPrefix("checkpoint-") }
        #expect(checkpoints.count == 1)
        Self.expectClean(scene.everything([run]), extra: ["url-user"])
    }

    @Test func mimecastErrorsEchoingTheBearerTokenLeakNowhere() async throws {
        let scene = try await Scene.start()
        defer { Task { await scene.close() } }
        scene.mimecast.failNextWithStatus(400, code: "err_validation_failed", message: "request refused")
        let dryRun = try await scene.run(["run", "--dry-run", "--since", "1d"])
        #expect(dryRun.status != 0, "\(dryRun.stderr)")
        #expect(dryRun.stderr.contains("(Authorization: Bearer [REDACTED])"), "\(dryRun.stderr)")
        let tokens = scene.tokens
        #expect(!tokens.isEmpty)
        Self.expectClean(scene.everything([dryRun]), extra: tokens)
    }

    @Test func elasticsearchErrorsEchoingAuthorizationLeakFromNeitherCheckNorInstallTemplate() async throws {
        let scene = try await Scene.start()
        defer { Task { await scene.close() } }
        scene.elasticsearch.setDown(true)
        let check = try await scene.run(["check"])
        let install = try await scene.run(["install-template"])
        let dryInstall = try await scene.run(["install-template", "--dry-run"])
        #expect(check.status != 0 && install.status != 0)
        #expect(check.stdout.contains("[Authorization: Basic [REDACTED]]"), "\(check.stdout)")
        #expect(install.stderr.contains("[Authorization: Basic [REDACTED]]"), "\(install.stderr)")
        // The URL's user-info is neither printed by check nor kept anywhere.
        #expect(check.stdout.contains("http://***@127.0.0.1"), "\(check.stdout)")
        Self.expectClean(scene.everything([check, install, dryInstall]), extra: ["url-user"])
    }

    @Test func aMalformedElasticsearchURLIsNotEchoedWithItsPassword() async throws {
        let result = try await ShipperProcess.run(["run", "--sample"], environment: [
            "ELASTICSEARCH_URL": "http//shipper:\(Self.esPassword)@es.example:9200",
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("ELASTICSEARCH_URL"), "\(result.stderr)")
        Self.expectClean([("stderr", result.stderr), ("stdout", result.stdout)])
    }
}
