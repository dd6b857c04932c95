import FakeElasticsearch
import Foundation
import Testing

/// Output that cannot be written (a full disk, `/dev/full`, a closed stdout, an unwritable path)
/// is an error with an exit status, never a crash and never a silent success.
@Suite(.serialized) struct OutputPathTests {
    static let closedStdout = ["/bin/sh", "-c", "exec \"$0\" \"$@\" >&-"]

    static func devFull() throws -> FileHandle {
        try #require(FileHandle(forWritingAtPath: "/dev/full"))
    }

    @Test func aDryRunToAFullDeviceFails() async throws {
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample"], stdout: try Self.devFull())
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
        #expect(!result.stderr.contains("pass finished"), "\(result.stderr)")
    }

    @Test func aDryRunWithStdoutClosedFails() async throws {
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample"], launcher: Self.closedStdout)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("standard output"), "\(result.stderr)")
    }

    @Test func aSummaryToAFullDeviceIsLoggedAndExitsOne() async throws {
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--summary-json", "/dev/full"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write the pass summary"), "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 20)
    }

    @Test func aSummaryToAnUnwritablePathIsLoggedAndExitsOne() async throws {
        let path = NSTemporaryDirectory() + "no-such-dir-" + UUID().uuidString + "/summary.json"
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--summary-json", path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write the pass summary"), "\(result.stderr)")
    }

    @Test func aSummaryToAClosedStdoutIsLoggedAndExitsOne() async throws {
        try await FakeElasticsearch.with { elasticsearch in
            let state = NSTemporaryDirectory() + "shipper-out-" + UUID().uuidString
            let result = try await ShipperProcess.run(
                ["run", "--sample", "--summary-json", "-", "--state-dir", state],
                environment: ["ELASTICSEARCH_URL": elasticsearch.baseURL], launcher: Self.closedStdout
            )
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("cannot write the pass summary"), "\(result.stderr)")
            #expect(elasticsearch.documents(in: "logs-mimecast.audit-default").count == 20)
        }
    }

    @Test func failedSummaryWritesNeverEndAnEveryLoop() async throws {
        let shipper = try ShipperProcess(["run", "--dry-run", "--sample", "--every", "1s", "--summary-json", "/dev/full"], environment: [:])
        let deadline = ContinuousClock.now + .seconds(60)
        while shipper.stderrSoFar.components(separatedBy: "cannot write the pass summary").count - 1 < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        shipper.signal(SIGTERM)
        let result = await shipper.wait()
        #expect(result.stderr.components(separatedBy: "cannot write the pass summary").count - 1 >= 3, "\(result.stderr)")
        #expect(result.status == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func logLinesToAFullStderrNeverCrashTheRun() async throws {
        let result = try await ShipperProcess.run(["run", "--dry-run", "--sample", "--log-json"], stderr: try Self.devFull())
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 20)
    }

    /// Foundation's `FileHandle.write(_:)` and friends trap on a write error, like `try!`.
    @Test func noSourceFileUsesTryBangOrTrappingFileHandleCalls() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let forbidden = ["try!", "FileHandle.standardOutput.write(", "FileHandle.standardError.write(", "seekToEndOfFile()", "readDataToEndOfFile()", "handle.write(line)"]
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        var checked = 0
        for case let relative as String in enumerator where relative.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            checked += 1
            for pattern in forbidden {
                #expect(!text.contains(pattern), "\(relative) uses \(pattern)")
            }
        }
        #expect(checked > 50)
    }
}
