import Foundation
import ShipperCore
@testable import ShipperPipeline
import Testing

/// The checkpoint key never holds URL credentials, and existing checkpoints keep working.
@Suite struct CheckpointKeyRedactionTests {
    @Test func aURLWithoutCredentialsKeepsItsKeyAndFileNameExactly() {
        // Expected names computed outside Swift: sha256("<url>\n<categories>\n<data stream>"), first 8 bytes.
        let key = CheckpointKey(mimecastBaseURL: "https://api.services.mimecast.com/", categories: ["mimecast_access_logs"], dataStream: "logs-mimecast.audit-default")
        #expect(key.mimecastBaseURL == "https://api.services.mimecast.com")
        #expect(key.fileName == "checkpoint-logs-mimecast.audit-default-238ae6296df31afd.json")
        let all = CheckpointKey(mimecastBaseURL: "https://api.services.mimecast.com", categories: [], dataStream: "logs-mimecast.audit-default")
        #expect(all.fileName == "checkpoint-logs-mimecast.audit-default-363debd84b9cc35c.json")
        #expect(CheckpointKey.legacy(mimecastBaseURL: "https://api.services.mimecast.com", categories: [], dataStream: "logs-mimecast.audit-default") == nil)
    }

    @Test func credentialsInTheURLNeverReachTheCheckpoint() throws {
        let url = "https://user:Key-Pa55word@api.services.mimecast.com"
        let key = CheckpointKey(mimecastBaseURL: url, categories: [], dataStream: "logs-mimecast.audit-default")
        #expect(!key.mimecastBaseURL.contains("Pa55word".lowercased()))
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        try store.save(Checkpoint(key: key, position: Date(timeIntervalSince1970: 1_700_000_000), updatedAt: Date()))
        let text = try String(contentsOfFile: store.path(for: key), encoding: .utf8)
        #expect(!text.lowercased().contains("pa55word"))
        #expect(!text.contains("user:"))
    }

    @Test func aCheckpointStoredUnderTheOldKeyIsCarriedOverAndTheOldFileRemoved() throws {
        let url = "https://user:Key-Pa55word@api.services.mimecast.com"
        let key = CheckpointKey(mimecastBaseURL: url, categories: [], dataStream: "logs-mimecast.audit-default")
        let legacy = try #require(CheckpointKey.legacy(mimecastBaseURL: url, categories: [], dataStream: "logs-mimecast.audit-default"))
        #expect(legacy.mimecastBaseURL == url.lowercased())
        let directory = temporaryDirectory()
        let store = CheckpointStore(directory: directory)
        let position = Date(timeIntervalSince1970: 1_700_000_000)
        try store.save(Checkpoint(key: legacy, position: position, updatedAt: position))
        try store.migrate(from: legacy, to: key, now: Date())
        #expect(try store.load(key)?.position == position)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [key.fileName])
        // Nothing left to carry over: a second migration changes nothing.
        try store.migrate(from: legacy, to: key, now: Date())
        #expect(try store.load(key)?.position == position)
    }
}
