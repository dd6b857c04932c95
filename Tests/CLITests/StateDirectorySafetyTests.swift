import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperCore
import ShipperPipeline
import Testing

/// The state directory as another local user would attack it. Tests run as root, so files of
/// "another user" are made with chown.
@Suite(.serialized) struct StateDirectorySafetyTests {
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "shipper-state-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func mode(_ path: String) -> mode_t {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
    }

    /// `run --sample` into the fake cluster: takes the lock in the state directory.
    func runSample(stateDirectory: String, elasticsearch: FakeElasticsearch) async throws -> ShipperProcess.Result {
        try await ShipperProcess.run(["run", "--sample", "--state-dir", stateDirectory], environment: ["ELASTICSEARCH_URL": elasticsearch.baseURL])
    }

    static func errorLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { $0.contains("error") }
    }

    @Test func aNewStateDirectoryIsCreatedPrivateAndTheLockFile0600() async throws {
        try await FakeElasticsearch.with { elasticsearch in
            let directory = try Self.scratch() + "/nested/state"
            let result = try await runSample(stateDirectory: directory, elasticsearch: elasticsearch)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.mode(directory) == 0o700)
            #expect(Self.mode(directory + "/lock") == 0o600)
        }
    }

    @Test func aStateDirectoryOwnedByAnotherUserIsRefusedInOneLine() async throws {
        try await FakeElasticsearch.with { elasticsearch in
            let directory = try Self.scratch() + "/state"
            #expect(mkdir(directory, 0o700) == 0)
            #expect(chown(directory, 4242, 4242) == 0)
            let result = try await runSample(stateDirectory: directory, elasticsearch: elasticsearch)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(Self.errorLines(result.stderr).count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("owned by uid 4242"), "\(result.stderr)")
            #expect(elasticsearch.bulkRequestCount == 0)
            #expect(!FileManager.default.fileExists(atPath: directory + "/lock"))
        }
    }

    @Test func aStateDirectoryWritableByGroupOrOthersIsRefused() async throws {
        try await FakeElasticsearch.with { elasticsearch in
            let directory = try Self.scratch() + "/state"
            #expect(mkdir(directory, 0o700) == 0)
            #expect(chmod(directory, 0o777) == 0)
            let result = try await runSample(stateDirectory: directory, elasticsearch: elasticsearch)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(Self.errorLines(result.stderr).count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("writable by group or others (mode 777)"), "\(result.stderr)")
            #expect(elasticsearch.bulkRequestCount == 0)
        }
    }

    @Test func aPlantedLockSymlinkIsRefusedAndItsTargetLeftAlone() async throws {
        try await FakeElasticsearch.with { elasticsearch in
            let scratch = try Self.scratch()
            let directory = scratch + "/state"
            #expect(mkdir(directory, 0o700) == 0)
            let target = scratch + "/precious.txt"
            try "precious content\n".write(toFile: target, atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: directory + "/lock", withDestinationPath: target)
            let result = try await runSample(stateDirectory: directory, elasticsearch: elasticsearch)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("is a symbolic link"), "\(result.stderr)")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious content\n")
            #expect(elasticsearch.bulkRequestCount == 0)
        }
    }

    @Test func deadLettersAreNeverAppendedToAFileBehindALinkAndTheCheckpointStaysPut() async throws {
        let now = Date()
        let events = FakeAuditEvent.generate(count: 12, in: TimeWindow(start: now.addingTimeInterval(-7200), end: now.addingTimeInterval(-300)))
        let mimecast = try await FakeMimecast.start(FakeMimecastOptions(events: events))
        defer { Task { await mimecast.stop() } }
        try await FakeElasticsearch.with { elasticsearch in
            elasticsearch.failEveryItem()
            let scratch = try Self.scratch()
            let directory = scratch + "/state"
            #expect(mkdir(directory, 0o700) == 0)
            let target = scratch + "/world-readable.txt"
            try "precious content\n".write(toFile: target, atomically: false, encoding: .utf8)
            #expect(chmod(target, 0o644) == 0)
            try FileManager.default.createSymbolicLink(
                atPath: StateDirectory.deadLetterPath(directory: directory, dataStream: "logs-mimecast.audit-default"), withDestinationPath: target
            )
            let result = try await ShipperProcess.run(["run", "--since", "1d", "--state-dir", directory], environment: [
                "MIMECAST_BASE_URL": mimecast.baseURL, "MIMECAST_CLIENT_ID": "fake-client-id", "MIMECAST_CLIENT_SECRET": "fake-client-secret",
                "ELASTICSEARCH_URL": elasticsearch.baseURL,
            ])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("is a symbolic link"), "\(result.stderr)")
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious content\n")
            // The refused documents are not settled, so no checkpoint moved past them.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("checkpoint-") }.isEmpty)
        }
    }
}
