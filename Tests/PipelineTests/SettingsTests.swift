import Foundation
import ShipperCore
@testable import ShipperPipeline
import ShipperTestSupport
import Testing

@Suite struct SettingsTests {
    @Test func configFileReadsEnvironmentStyleLines() throws {
        let text = """
            # comment
            export MIMECAST_BASE_URL=https://eu-api.mimecast.com
            MIMECAST_CATEGORIES = "mimecast_access_logs,account_logs"
            ELASTICSEARCH_URL='https://es.example:9200'

            EMPTY=
            """
        let values = try ConfigFile.parse(text, name: "shipper.env")
        #expect(values["MIMECAST_BASE_URL"] == "https://eu-api.mimecast.com")
        #expect(values["MIMECAST_CATEGORIES"] == "mimecast_access_logs,account_logs")
        #expect(values["ELASTICSEARCH_URL"] == "https://es.example:9200")
        #expect(values["EMPTY"] == "")
        let merged = ConfigFile.effectiveEnvironment(process: ["ELASTICSEARCH_URL": "http://override:9200"], file: values)
        #expect(merged["ELASTICSEARCH_URL"] == "http://override:9200")
        #expect(merged["MIMECAST_BASE_URL"] == "https://eu-api.mimecast.com")
    }

    @Test func configFileErrorsNameTheFileAndLine() {
        let error = #expect(throws: ConfigurationError.self) { try ConfigFile.parse("A=1\nnot a setting\n", name: "shipper.env") }
        #expect(error?.message == "config file shipper.env line 2: expected NAME=value")
        #expect(throws: ConfigurationError.self) { try ConfigFile.load(path: "/nonexistent/shipper.env") }
    }

    @Test func flagsWinOverTheEnvironment() throws {
        var flags = RunFlags()
        flags.categories = "mimecast_access_logs"
        flags.lag = "5m"
        let environment = [
            "MIMECAST_CATEGORIES": "account_logs,policy_logs",
            "MIMECAST_SHIPPER_OVERLAP": "30m",
            "MIMECAST_SHIPPER_LAG": "2m",
            "MIMECAST_PAGE_SIZE": "200",
            "MIMECAST_SHIPPER_STATE_DIR": "/var/lib/shipper",
            "MIMECAST_SHIPPER_EVENT_ORIGINAL": "false",
        ]
        let settings = try RunSettings.resolve(flags, environment: environment)
        #expect(settings.categories == ["mimecast_access_logs"])
        #expect(settings.planner.lag == 300)
        #expect(settings.planner.overlap == 1800)
        #expect(settings.pageSize == 200)
        #expect(settings.stateDirectory == "/var/lib/shipper")
        #expect(!settings.includeOriginal)
        #expect(settings.usesCheckpoint)
    }

    @Test func sinceAcceptsDatesDateTimesAndDurations() throws {
        #expect(try DateArgument.parseStart("30d", option: "--since") == .ago(30 * 86_400))
        #expect(try DateArgument.parseStart("2024-05-01", option: "--since") == .date(date("2024-05-01T00:00:00Z")))
        #expect(try DateArgument.parseStart("2024-05-01T10:00:00+02:00", option: "--since") == .date(date("2024-05-01T08:00:00Z")))
        #expect(try DateArgument.parseStart("2024-05-01T10:00:00+0000", option: "--since") == .date(date("2024-05-01T10:00:00Z")))
        let error = #expect(throws: ConfigurationError.self) { try DateArgument.parseStart("last tuesday", option: "--since") }
        #expect(error?.message.contains("--since 'last tuesday'") == true)
    }

    @Test func anExplicitWindowIsAOneOffBackfillWithoutCheckpoint() throws {
        var flags = RunFlags()
        flags.since = "2024-05-01"
        flags.until = "2024-05-02"
        let settings = try RunSettings.resolve(flags, environment: [:])
        #expect(settings.isExplicitWindow)
        #expect(!settings.usesCheckpoint)
        let window = try #require(settings.planner.window(checkpoint: nil, now: Date()))
        #expect(window == TimeWindow(start: date("2024-05-01T00:00:00Z"), end: date("2024-05-02T00:00:00Z")))
    }

    @Test(arguments: [
        ({ var f = RunFlags(); f.pageSize = 0; return f }(), "page size 0 is out of range"),
        ({ var f = RunFlags(); f.pageSize = 501; return f }(), "page size 501 is out of range"),
        ({ var f = RunFlags(); f.overlap = "ten minutes"; return f }(), "--overlap 'ten minutes' is not a duration"),
        ({ var f = RunFlags(); f.until = "2024-05-02"; return f }(), "--until needs --since"),
        ({ var f = RunFlags(); f.every = "0s"; return f }(), "--every '0s' must be greater than zero"),
        ({ var f = RunFlags(); f.sample = true; f.replayPath = "x"; return f }(), "--sample and --replay"),
        ({ var f = RunFlags(); f.slice = "0s"; return f }(), "--slice '0s' must be greater than zero"),
    ] as [(RunFlags, String)])
    func badFlagsAreClearConfigurationErrors(_ flags: RunFlags, _ expected: String) {
        let error = #expect(throws: ConfigurationError.self) { try RunSettings.resolve(flags, environment: [:]) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
    }

    @Test func badEnvironmentValuesNameTheVariable() {
        let error = #expect(throws: ConfigurationError.self) {
            try RunSettings.resolve(RunFlags(), environment: ["MIMECAST_SHIPPER_LAG": "soon"])
        }
        #expect(error?.message.hasPrefix("MIMECAST_SHIPPER_LAG 'soon'") == true)
        #expect(throws: ConfigurationError.self) { try RunSettings.resolve(RunFlags(), environment: ["MIMECAST_PAGE_SIZE": "lots"]) }
        #expect(throws: ConfigurationError.self) { try RunSettings.resolve(RunFlags(), environment: ["MIMECAST_SHIPPER_EVENT_ORIGINAL": "maybe"]) }
    }

    @Test func gzipLevelDefaultsToOneAndZeroTurnsCompressionOff() throws {
        #expect(try RunSettings.resolve(RunFlags(), environment: [:]).gzipLevel == 1)
        #expect(try RunSettings.resolve(RunFlags(), environment: ["MIMECAST_SHIPPER_GZIP_LEVEL": "0"]).gzipLevel == 0)
        #expect(try RunSettings.resolve(RunFlags(), environment: ["MIMECAST_SHIPPER_GZIP_LEVEL": "9"]).gzipLevel == 9)
        for bad in ["10", "-1", "fast"] {
            let error = #expect(throws: ConfigurationError.self) {
                try RunSettings.resolve(RunFlags(), environment: ["MIMECAST_SHIPPER_GZIP_LEVEL": bad])
            }
            #expect(error?.message.hasPrefix("MIMECAST_SHIPPER_GZIP_LEVEL '\(bad)'") == true)
        }
    }

    @Test func exitStatusesFollowTheContract() {
        var summary = PassSummary()
        #expect(ExitStatus.forCompleted(summary) == .success)
        summary.report.deadLettered = 1
        #expect(ExitStatus.forCompleted(summary) == .deadLettered)
        #expect(ErrorClassification.exitStatus(for: ConfigurationError("x")) == .configuration)
        #expect(ErrorClassification.exitStatus(for: CorruptCheckpointError(path: "p", reason: "r")) == .configuration)
        #expect(ErrorClassification.exitStatus(for: PassFailure(underlying: ConfigurationError("x"), summary: summary)) == .configuration)
        #expect(ErrorClassification.exitStatus(for: TestFailure("network")) == .failure)
        #expect(ErrorClassification.exitStatus(for: StateError("lock held")) == .failure)
    }

    @Test func theEmbeddedSampleMatchesTheFileInTheRepository() throws {
        let file = try String(contentsOf: RepositoryRoot.file("samples/mimecast-audit-sample.ndjson"), encoding: .utf8)
        #expect(EmbeddedSample.contents == file.trimmingCharacters(in: .newlines), "run scripts/embed-sample.sh after editing the sample")
    }
}
