import FakeElasticsearch
import Foundation
import ShipperPipeline
import Testing

/// Messages that point at the real cause.
@Suite(.serialized) struct ErrorMessageTests {
    /// Run as `nobody` (tests run as root, and root reads any file): a checkpoint its owner may not
    /// read is a permission problem, not a corrupt file to delete.
    @Test func anUnreadableCheckpointIsReportedAsAPermissionProblem() async throws {
        let nobody: uid_t = 65534
        let directory = NSTemporaryDirectory() + "shipper-eacces-" + UUID().uuidString
        #expect(mkdir(directory, 0o700) == 0)
        #expect(chown(directory, nobody, nobody) == 0)
        let baseURL = "http://127.0.0.1:9"
        let key = CheckpointKey(mimecastBaseURL: baseURL, categories: [], dataStream: "logs-mimecast.audit-default")
        let checkpoint = directory + "/" + key.fileName
        try "{\"version\": 1}\n".write(toFile: checkpoint, atomically: false, encoding: .utf8)
        #expect(chown(checkpoint, nobody, nobody) == 0)
        #expect(chmod(checkpoint, 0) == 0)
        let result = try await ShipperProcess.run(
            ["run", "--dry-run", "--state-dir", directory],
            environment: ["MIMECAST_BASE_URL": baseURL, "MIMECAST_CLIENT_ID": "id", "MIMECAST_CLIENT_SECRET": "secret-value"],
            launcher: ["/usr/bin/setpriv", "--reuid=\(nobody)", "--regid=\(nobody)", "--clear-groups"]
        )
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("permission denied"), "\(result.stderr)")
        #expect(result.stderr.contains(key.fileName), "\(result.stderr)")
        #expect(!result.stderr.contains("corrupt"), "\(result.stderr)")
        #expect(!result.stderr.contains("delete it"), "\(result.stderr)")
    }

    @Test func aRejectedPasswordInsideTheElasticsearchURLIsNotCalledNoCredentials() async throws {
        try await FakeElasticsearch.with { elasticsearch in
            elasticsearch.requireBasic(username: "elastic", password: "the-right-one")
            let url = elasticsearch.baseURL.replacingOccurrences(of: "http://", with: "http://elastic:wrong-Url-Pw@")
            let result = try await ShipperProcess.run(["check"], environment: [
                "ELASTICSEARCH_URL": url,
                "MIMECAST_SHIPPER_STATE_DIR": NSTemporaryDirectory() + "shipper-msg-" + UUID().uuidString,
            ])
            let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("Elasticsearch reachable") }, "\(result.stdout)")
            #expect(line.contains("(401)"), "\(line)")
            #expect(!line.contains("no credentials were sent"), "\(line)")
            #expect(line.contains("inside ELASTICSEARCH_URL"), "\(line)")
            #expect(!result.stdout.contains("wrong-Url-Pw") && !result.stderr.contains("wrong-Url-Pw"))
        }
    }
}
