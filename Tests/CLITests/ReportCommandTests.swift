import FakeElasticsearch
import Foundation
import ShipperCore
import Testing

/// `mimecast-shipper report` as users run it: formats on stdout or in a file, the empty report,
/// the dry-run output as a source, and usage errors.
@Suite(.serialized) struct ReportCommandTests {
    static let period = ["--since", "2024-05-01", "--until", "2024-05-03"]

    func directory() throws -> String {
        let path = NSTemporaryDirectory() + "shipper-report-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func theSampleReportIsMarkdownOnStdoutByDefault() async throws {
        let result = try await ShipperProcess.run(["report", "--sample"] + Self.period)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# Mimecast provider access review\n"))
        #expect(result.stdout.contains("| support.agent@mimecast.example | 2024-05-02 09:14:07 | 2024-05-02 09:21:40 | 7m | 203.0.113.9 | Administration Console | 2 | Mimecast Support Action ×1, Mimecast Support Login ×1 |  | 1 |"))
        #expect(result.stdout.contains("| support.two@mimecast.example | 2024-05-02 11:02:00 | 2024-05-02 11:02:00 | 0s | 203.0.113.44 |"))
        #expect(result.stderr.contains("report: 2 session(s)"))
        #expect(!result.stderr.contains("# Mimecast"))
    }

    @Test func noProviderAccessIsAnExplicitReportAndExitZero() async throws {
        let result = try await ShipperProcess.run(["report", "--sample", "--since", "2024-06-01", "--until", "2024-06-02"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("**No provider access in the period.**"))
        let json = try await ShipperProcess.run(["report", "--sample", "--since", "2024-06-01", "--until", "2024-06-02", "--format", "json"])
        #expect(json.status == 0)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["sessions"] as? [Any])?.isEmpty == true)
        #expect((object["period"] as? [String: String])?["start"] == "2024-06-01T00:00:00Z")
    }

    @Test func everyFormatGoesToTheOutputFile() async throws {
        let folder = try directory()
        for format in ["markdown", "csv", "json", "html"] {
            let path = "\(folder)/report.\(format)"
            let result = try await ShipperProcess.run(["report", "--sample", "--format", format, "--output", path] + Self.period)
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(format)")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("support.two@mimecast.example"), "\(format)")
        }
        let csv = try String(contentsOfFile: "\(folder)/report.csv", encoding: .utf8)
        #expect(csv.split(separator: "\r\n").count == 3)
        #expect(try String(contentsOfFile: "\(folder)/report.html", encoding: .utf8).contains("<svg id=\"timeline\""))
    }

    @Test func dryRunOutputIsASource() async throws {
        let folder = try directory()
        let dryRun = try await ShipperProcess.run(["run", "--dry-run", "--sample"])
        #expect(dryRun.status == 0)
        let path = folder + "/documents.ndjson"
        try dryRun.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await ShipperProcess.run(["report", "--from", path, "--format", "json"] + Self.period)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sessions = try #require(object["sessions"] as? [[String: Any]])
        #expect(sessions.map { $0["account"] as? String } == ["support.agent@mimecast.example", "support.two@mimecast.example"])
        #expect(object["source"] as? String == "file \(path)")
    }

    @Test func elasticsearchIsTheDefaultSourceWhenConfigured() async throws {
        try await FakeElasticsearch.with { fake in
            let folder = try directory()
            let dryRun = try await ShipperProcess.run(["run", "--dry-run", "--sample"])
            for (index, line) in dryRun.stdout.split(separator: "\n").enumerated() {
                fake.seedDocument(id: "doc-\(index)", source: Array(line.utf8), in: "logs-mimecast.audit-default")
            }
            let result = try await ShipperProcess.run(["report", "--format", "csv", "--output", folder + "/r.csv"] + Self.period,
                                                      environment: ["ELASTICSEARCH_URL": fake.baseURL])
            #expect(result.status == 0, "\(result.stderr)")
            let csv = try String(contentsOfFile: folder + "/r.csv", encoding: .utf8)
            #expect(csv.contains("support.agent@mimecast.example,2024-05-02T09:14:07Z,2024-05-02T09:21:40Z,yes,453,203.0.113.9"))
            #expect(fake.pointInTimeCounts.opened == 1)
            #expect(fake.pointInTimeCounts.open == 0)
        }
    }

    @Test func rejectedCredentialsExitTwoWithoutShowingTheKey() async throws {
        try await FakeElasticsearch.with { fake in
            fake.requireAPIKey("cmlnaHQ6a2V5")
            let result = try await ShipperProcess.run(["report"] + Self.period,
                                                      environment: ["ELASTICSEARCH_URL": fake.baseURL, "ELASTICSEARCH_API_KEY": "d3Jvbmc6c2VjcmV0LWtleQ=="])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("(401)"))
            #expect(!result.stderr.contains("d3Jvbmc6c2VjcmV0LWtleQ=="))
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func usageErrorsExitTwoWithOneLine() async throws {
        for (arguments, text) in [
            (["report", "--sample", "--format", "pdf"], "--format 'pdf'"),
            (["report"], "report needs a source"),
            (["report", "--from", "/nonexistent/x.ndjson"], "cannot read /nonexistent/x.ndjson"),
            (["report", "--sample", "--output", "/nonexistent/dir/r.md"] + Self.period, "cannot write the report to /nonexistent/dir/r.md"),
        ] {
            let result = try await ShipperProcess.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
    }
}
