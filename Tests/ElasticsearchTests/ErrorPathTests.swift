import FakeElasticsearch
import Foundation
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP
import ShipperTestSupport
import Testing

/// Answers every request with one canned response, to reach paths a well-behaved server never takes.
struct CannedTransport: HTTPTransport {
    let status: Int
    let body: String

    func send(_ request: ShipperHTTP.HTTPRequest) async throws -> ShipperHTTP.HTTPResponse {
        ShipperHTTP.HTTPResponse(status: status, body: Array(body.utf8))
    }
}

@Suite struct ErrorPathTests {
    func indexer(_ transport: some HTTPTransport, directory: TemporaryDirectory) -> BulkIndexer {
        BulkIndexer(
            client: ElasticsearchClient(baseURL: "http://127.0.0.1:9", auth: .none, transport: transport),
            configuration: BulkIndexerConfiguration(dataStream: "logs-mimecast.audit-default"),
            deadLetters: DeadLetterWriter(path: directory.file("dl")),
            sleeper: SleepRecorder().sleeper,
            logger: .quiet
        )
    }

    @Test func anUnreadableSuccessIsAMalformedResponse() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        await #expect {
            _ = try await indexer(CannedTransport(status: 200, body: "<html>proxy</html>"), directory: directory).ship(TestDocuments.make(1))
        } throws: { error in
            guard case .malformedResponse? = error as? ElasticsearchError else { return false }
            return !"\(error)".contains("\n")
        }
    }

    @Test func anItemCountMismatchIsAMalformedResponse() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let canned = CannedTransport(status: 200, body: #"{"errors":false,"items":[{"create":{"status":201}}]}"#)
        await #expect {
            _ = try await indexer(canned, directory: directory).ship(TestDocuments.make(2))
        } throws: { error in
            "\(error)".contains("1 items for 2 documents")
        }
    }

    @Test func otherRequestStatusesStopWithTheClustersReason() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let canned = CannedTransport(status: 400, body: #"{"error":{"type":"illegal_argument_exception","reason":"bad\nrequest"},"status":400}"#)
        await #expect {
            _ = try await indexer(canned, directory: directory).ship(TestDocuments.make(1))
        } throws: { error in
            guard case .unexpectedStatus(400, _, _)? = error as? ElasticsearchError else { return false }
            let text = "\(error)"
            return text.contains("illegal_argument_exception: bad request") && text.contains("POST /logs-mimecast.audit-default/_bulk")
                && !text.contains("filter_path")
        }
    }

    @Test func tlsWithTheConfiguredCAFile() async throws {
        try await FakeElasticsearch.with(tls: true) { fake in
            let configuration = try ElasticsearchConfiguration.resolve(
                environment: SecretEnvironment(["ELASTICSEARCH_URL": fake.baseURL, "ELASTICSEARCH_CA_CERT": TestCertificates.serverCertificatePath]))
            let client = try ElasticsearchClient(configuration: configuration, logger: .quiet)
            #expect(try await client.info().version == "8.17.0")
            // Without the CA the connection is refused, never silently trusted.
            let untrusting = ElasticsearchClient(baseURL: fake.baseURL, auth: .none, transport: try CurlHTTPClient(logger: .quiet))
            await #expect {
                _ = try await untrusting.info()
            } throws: { error in
                guard case .tls? = error as? HTTPClientError else { return false }
                return true
            }
        }
    }
}

@Suite struct DeadLetterWriterTests {
    @Test func appendsLinesCreatingDirectoriesWithPrivatePermissions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("a/b/dead-letter.ndjson")
        let writer = DeadLetterWriter(path: path, now: { Date(timeIntervalSince1970: 1_714_641_247) })
        let letter = DeadLetter(id: "1", status: 400, errorType: "t", reason: "r", dataStream: "d", document: Array(#"{"a":1}"#.utf8))
        try writer.append([letter])
        try writer.append([letter, letter])
        try writer.append([])
        let lines = try readNDJSON(path)
        #expect(lines.count == 3)
        #expect(lines[0]["failed_at"] == .string("2024-05-02T09:14:07.000Z"))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func anUnwritablePathIsAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let blocker = directory.file("file")
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let writer = DeadLetterWriter(path: blocker + "/dead-letter.ndjson")
        let letter = DeadLetter(id: "1", status: 400, errorType: nil, reason: nil, dataStream: "d", document: [])
        #expect {
            try writer.append([letter])
        } throws: { error in
            "\(error)".contains("cannot write the dead-letter file") && "\(error)".contains("state directory")
        }
    }
}
