import Foundation
import ShipperCore
@testable import ShipperPipeline
import Testing

/// Checkpoint files against planted links and files of other users (tests run as root: other
/// users' files are made with chown).
@Suite struct StateFileSafetyTests {
    let key = CheckpointKey(mimecastBaseURL: "https://api.services.mimecast.com", categories: [], dataStream: "logs-mimecast.audit-default")

    func checkpoint(at position: TimeInterval = 1_700_000_000) -> Checkpoint {
        Checkpoint(key: key, position: Date(timeIntervalSince1970: position), updatedAt: Date(timeIntervalSince1970: position))
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    @Test func aPlantedTemporaryCheckpointLinkNeitherOverwritesItsTargetNorBecomesTheCheckpoint() throws {
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        let target = temporaryDirectory() + "/precious.txt"
        try "precious content\n".write(toFile: target, atomically: false, encoding: .utf8)
        let path = store.path(for: key)
        try FileManager.default.createSymbolicLink(atPath: path + ".tmp-\(getpid())", withDestinationPath: target)
        #expect(throws: (any Error).self) { try store.save(checkpoint()) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious content\n")
        #expect(!Self.isSymbolicLink(path))
    }

    @Test func aStaleTemporaryFileOfACrashedRunIsReplaced() throws {
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        try "half written".write(toFile: store.path(for: key) + ".tmp-\(getpid())", atomically: false, encoding: .utf8)
        try store.save(checkpoint())
        #expect(try store.load(key) == checkpoint())
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [key.fileName])
    }

    @Test func aCheckpointThatIsASymbolicLinkIsRefused() throws {
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        let elsewhere = temporaryDirectory()
        try CheckpointStore(directory: elsewhere).save(checkpoint())
        try FileManager.default.createSymbolicLink(atPath: store.path(for: key), withDestinationPath: elsewhere + "/" + key.fileName)
        let error = #expect(throws: (any Error).self) { try store.load(key) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("symbolic link"))
    }

    @Test func aCheckpointOwnedByAnotherUserIsRefused() throws {
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        try store.save(checkpoint())
        #expect(chown(store.path(for: key), 4242, 4242) == 0)
        let error = #expect(throws: (any Error).self) { try store.load(key) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("owned by uid 4242"))
        #expect(ErrorClassification.exitStatus(for: try #require(error)) == .configuration)
    }

    @Test func aCheckpointWritableByOthersIsRefused() throws {
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        try store.save(checkpoint())
        #expect(chmod(store.path(for: key), 0o666) == 0)
        let error = #expect(throws: (any Error).self) { try store.load(key) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("writable by group or others"))
    }

    @Test func savingCreatesAPrivateDirectoryAndAPrivateFile() throws {
        let directory = temporaryDirectory() + "/new/state"
        let store = CheckpointStore(directory: directory)
        try store.save(checkpoint())
        var status = stat()
        #expect(stat(directory, &status) == 0 && status.st_mode & 0o777 == 0o700)
        #expect(stat(store.path(for: key), &status) == 0 && status.st_mode & 0o777 == 0o600)
    }
}
