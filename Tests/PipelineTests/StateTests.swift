import Foundation
import ShipperCore
@testable import ShipperPipeline
import Testing

@Suite struct StateTests {
    let key = CheckpointKey(mimecastBaseURL: "https://API.services.mimecast.com/", categories: ["b", "a", "a"], dataStream: "logs-mimecast.audit-default")

    @Test func keyIsNormalisedSoEquivalentSettingsShareACheckpoint() {
        let same = CheckpointKey(mimecastBaseURL: "https://api.services.mimecast.com", categories: ["a", "b"], dataStream: "logs-mimecast.audit-default")
        #expect(key == same)
        #expect(key.fileName == same.fileName)
        let other = CheckpointKey(mimecastBaseURL: "https://api.services.mimecast.com", categories: ["a"], dataStream: "logs-mimecast.audit-default")
        #expect(other.fileName != key.fileName)
    }

    @Test func checkpointRoundTripsAndLeavesNoTemporaryFiles() throws {
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        #expect(try store.load(key) == nil)
        let checkpoint = Checkpoint(key: key, position: date("2024-05-02T10:00:00Z"), updatedAt: date("2024-05-02T10:01:00Z"))
        try store.save(checkpoint)
        try store.save(checkpoint)
        #expect(try store.load(key) == checkpoint)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [key.fileName])
    }

    @Test(arguments: ["", "{", "{\"version\": 1}", "[1,2]", "\u{00}\u{01}garbage"])
    func aCorruptCheckpointIsAClearErrorNotAReset(_ content: String) throws {
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        try Data(content.utf8).write(to: URL(fileURLWithPath: store.path(for: key)))
        let error = #expect(throws: CorruptCheckpointError.self) { try store.load(key) }
        #expect(error?.description.contains(store.path(for: key)) == true)
        #expect(error?.description.contains("--since") == true)
    }

    @Test func aCheckpointOfAnotherTargetIsRefused() throws {
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        let other = CheckpointKey(mimecastBaseURL: "https://eu-api.mimecast.com", categories: [], dataStream: "logs-mimecast.audit-default")
        try store.save(Checkpoint(key: other, position: Date(), updatedAt: Date()))
        try FileManager.default.moveItem(atPath: store.path(for: other), toPath: store.path(for: key))
        #expect(throws: CorruptCheckpointError.self) { try store.load(key) }
    }

    @Test func theLockRefusesASecondHolderAndNamesThePid() throws {
        let directory = temporaryDirectory()
        var first: StateLock? = try StateLock.acquire(directory: directory)
        let error = #expect(throws: StateError.self) { try StateLock.acquire(directory: directory) }
        #expect(error?.description.contains("process \(getpid())") == true)
        first = nil
        _ = first
        let again = try StateLock.acquire(directory: directory)
        _ = again
    }

    @Test func stateDirectoryFollowsTheXDGConventions() {
        #expect(StateDirectory.resolve(flag: "/x", environment: ["MIMECAST_SHIPPER_STATE_DIR": "/y"]) == "/x")
        #expect(StateDirectory.resolve(flag: nil, environment: ["MIMECAST_SHIPPER_STATE_DIR": "/y", "XDG_STATE_HOME": "/z"]) == "/y")
        #expect(StateDirectory.resolve(flag: nil, environment: ["XDG_STATE_HOME": "/z", "HOME": "/h"]) == "/z/mimecast-shipper")
        #expect(StateDirectory.resolve(flag: nil, environment: ["HOME": "/h"]) == "/h/.local/state/mimecast-shipper")
    }
}
