import FakeElasticsearch
import Foundation
import ShipperCore
import Testing

/// `run --replay-dead-letters FILE` through the binary (issue 11): documented in `--help`, sends
/// each entry once however often it is replayed, and names a bad line.
@Suite(.serialized) struct DeadLetterReplayCommandTests {
    static let dataStream = "logs-mimecast.audit-default"

    static func letter(id: String, message: String) -> String {
        #"{"failed_at":"2024-05-02T09:00:00.000Z","data_stream":"\#(dataStream)","_id":"\#(id)","status":400,"error_type":"mapper_parsing_exception","reason":"injected","document":{"@timestamp":"2024-05-02T09:14:07Z","message":"\#(message)"}}"#
    }

    /// A fresh state directory and the path of a dead-letter file in it holding `contents`.
    static func letters(_ contents: String) throws -> (state: String, file: String) {
        let state = NSTemporaryDirectory() + "shipper-replay-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let file = state + "/letters.ndjson"
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file))
        return (state, file)
    }

    @Test func helpNamesTheOption() async throws {
        let result = try await ShipperProcess.run(["run", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--replay-dead-letters"))
    }

    @Test func aReplayStoresEachLetterOnceEvenAfterARollover() async throws {
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await elasticsearch.stop() } }
        // The third entry's append was cut short by a full disk: it is skipped, not an error.
        let (state, file) = try Self.letters(
            Self.letter(id: "dl-1", message: "one") + "\n" + Self.letter(id: "dl-2", message: "two") + "\n" + #"{"failed_at":"2024"#)
        let environment = ["ELASTICSEARCH_URL": elasticsearch.baseURL, "MIMECAST_SHIPPER_STATE_DIR": state]
        let first = try await ShipperProcess.run(["run", "--replay-dead-letters", file], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Set(elasticsearch.documents(in: Self.dataStream).keys) == ["dl-1", "dl-2"])
        elasticsearch.rollover(dataStream: Self.dataStream)
        let second = try await ShipperProcess.run(["run", "--replay-dead-letters", file], environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(elasticsearch.storedCopies(in: Self.dataStream).count == 2)
        #expect(elasticsearch.document(id: "dl-2", in: Self.dataStream)?["message"]?.stringValue == "two")
    }

    @Test func aBadLineIsNamedAndNothingIsSent() async throws {
        let elasticsearch = try await FakeElasticsearch.start()
        defer { Task { await elasticsearch.stop() } }
        let (state, file) = try Self.letters(Self.letter(id: "dl-1", message: "one") + "\n{\"_id\":\"x\"}\n")
        let result = try await ShipperProcess.run(["run", "--replay-dead-letters", file],
                                                  environment: ["ELASTICSEARCH_URL": elasticsearch.baseURL, "MIMECAST_SHIPPER_STATE_DIR": state])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):2"), "\(result.stderr)")
        #expect(elasticsearch.bulkRequestCount == 0)
    }
}
