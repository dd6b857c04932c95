import FakeElasticsearch
import Foundation
import ShipperCore
@testable import ShipperElasticsearch
import Testing

/// The sink's side of "no silent loss, no duplicates" (issue 11): per-item refusals that are not
/// about the document fail the call instead of being dead-lettered; documents that may already
/// exist are looked up in the data stream (all backing indices) before they are written, so a
/// rollover cannot turn a resend into a second copy; the dead-letter file survives a torn append.
@Suite struct DeliveryGuaranteeSinkTests {
    let dataStream = "logs-mimecast.audit-default"

    func withIndexer(_ body: (FakeElasticsearch, BulkIndexer, String) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let deadLetterPath = directory.file("state/dead-letter.ndjson")
        try await FakeElasticsearch.with { fake in
            let indexer = try makeIndexer(baseURL: fake.baseURL, deadLetterPath: deadLetterPath, sleeps: SleepRecorder(), retryBudget: .seconds(30))
            try await body(fake, indexer, deadLetterPath)
        }
    }

    static let refusals: [(status: Int, type: String, reason: String, advice: String)] = [
        (403, "security_exception",
         "action [indices:data/write/bulk[s]] is unauthorized for API key id [k1] of user [shipper] on indices [.ds-logs-mimecast.audit-default-2024.05.02-000001]",
         "create_doc"),
        (403, "cluster_block_exception", "index [.ds-logs-mimecast.audit-default-2024.05.02-000001] blocked by: [FORBIDDEN/8/index write (api)];",
         "write block"),
        (404, "index_not_found_exception", "no such index [logs-mimecast.audit-default]", "install-template"),
        (418, "teapot_exception", "unexpected", "418"),
    ]

    @Test(arguments: 0..<4)
    func itemRefusalsThatAreNotAboutTheDocumentFailTheCall(_ case: Int) async throws {
        let refusal = Self.refusals[`case`]
        try await withIndexer { fake, indexer, deadLetterPath in
            let documents = TestDocuments.make(6)
            fake.failItems(ids: documents.dropFirst(2).map(\.id), status: refusal.status, type: refusal.type, reason: refusal.reason)
            let error = await #expect(throws: ElasticsearchError.self) { try await indexer.ship(documents) }
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains(refusal.advice), "\(text)")
            #expect(text.contains("\(refusal.status)"), "\(text)")
            #expect(!text.contains("\n"))
            #expect(!FileManager.default.fileExists(atPath: deadLetterPath))
        }
    }

    @Test func documentRejectionsAreStillDeadLettered() async throws {
        try await withIndexer { fake, indexer, deadLetterPath in
            let documents = TestDocuments.make(3)
            fake.failItems(ids: [documents[1].id])
            let report = try await indexer.ship(documents)
            #expect(report.indexed == 2 && report.deadLettered == 1)
            #expect(try readNDJSON(deadLetterPath).count == 1)
        }
    }

    static func mayExist(_ documents: [MappedDocument]) -> [MappedDocument] {
        documents.map { var copy = $0; copy.mayExist = true; return copy }
    }

    @Test func documentsThatMayExistAreLookedUpAcrossARollover() async throws {
        try await withIndexer { fake, indexer, _ in
            let documents = TestDocuments.make(10)
            _ = try await indexer.ship(documents)
            fake.rollover(dataStream: dataStream)
            let again = Self.mayExist(documents + TestDocuments.make(2, prefix: "new"))
            let report = try await indexer.ship(again)
            #expect(report.duplicates == 10 && report.indexed == 2)
            #expect(fake.storedCopies(in: dataStream).count == 12)
            let search = try #require(fake.searchRequests.last)
            #expect(fake.searchRequests.count == 1)
            #expect(search.status == 200)
            #expect(Set(search.ids) == Set(again.map(\.id)))
            // Only the two new documents were sent.
            #expect(fake.bulkRequests.last?.ids == ["new-0", "new-1"])
        }
    }

    @Test func withoutTheReadPrivilegeTheLookupStopsNamingIt() async throws {
        try await withIndexer { fake, indexer, _ in
            fake.forbidSearch()
            let error = await #expect(throws: ElasticsearchError.self) { try await indexer.ship(Self.mayExist(TestDocuments.make(2))) }
            guard case .authentication(403, _, let hint)? = error else {
                Issue.record("expected a 403 authentication error, got \(String(describing: error))")
                return
            }
            #expect(hint.contains("'read'"))
            #expect(fake.bulkRequestCount == 0)
        }
    }

    @Test func documentsOnTheCleanPathPayNothing() async throws {
        try await withIndexer { fake, indexer, _ in
            _ = try await indexer.ship(TestDocuments.make(20))
            #expect(fake.searchRequests.isEmpty)
        }
    }

    @Test func aMissingDataStreamMeansNothingExistsYet() async throws {
        try await withIndexer { fake, indexer, _ in
            let report = try await indexer.ship(Self.mayExist(TestDocuments.make(3)))
            #expect(report.indexed == 3)
            #expect(fake.searchRequests.map(\.status) == [404])
        }
    }

    @Test func aResendAfterAnUncertainAnswerIsLookedUpFirst() async throws {
        try await withIndexer { fake, indexer, _ in
            // The cluster stores all ten, the answer is lost (504), and the write index rolls over.
            fake.rolloverEvery(10)
            fake.storeThenFailNextBulkRequest(status: 504)
            let report = try await indexer.ship(TestDocuments.make(10))
            #expect(report.settled == 10)
            #expect(fake.storedCopies(in: dataStream).count == 10)
            #expect(fake.backingIndexNames(of: dataStream).count == 2)
        }
    }

    @Test func anUncertainAnswerIsLookedUpOnlyAfterARefreshInterval() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try await FakeElasticsearch.with { fake in
            // Zero jitter: the backoff alone would resend at once.
            let sleeps = SleepRecorder()
            let indexer = try makeIndexer(baseURL: fake.baseURL, deadLetterPath: directory.file("dl"), sleeps: sleeps, jitter: 0)
            fake.storeThenFailNextBulkRequest(status: 504)
            _ = try await indexer.ship(TestDocuments.make(3))
            #expect(sleeps.recorded == [.seconds(1)])
            // A 429 stores nothing: no lookup, no floor.
            fake.failNextBulkRequests(status: 429)
            _ = try await indexer.ship(TestDocuments.make(3, prefix: "other"))
            #expect(sleeps.recorded == [.seconds(1), .zero])
            #expect(fake.searchRequests.count == 1)
        }
    }

    @Test func aTornLastLineIsRepairedBeforeTheNextAppend() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let path = directory.file("dead-letter.ndjson")
        let writer = DeadLetterWriter(path: path)
        let letter = DeadLetter(id: "a", status: 400, errorType: "mapper_parsing_exception", reason: "bad", dataStream: dataStream,
                                document: Array(#"{"@timestamp":"2024-05-02T00:00:00Z"}"#.utf8))
        try writer.append([letter])
        // The disk filled up halfway through the next entry.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"failed_at":"2024-05-02T00:00:01Z","data_str"#.utf8))
        try handle.close()
        var second = letter
        second.id = "b"
        try writer.append([second])
        let lines = try readNDJSON(path)
        #expect(lines.map { $0["_id"]?.stringValue } == ["a", "b"])
    }
}

/// The shapes of the existence check, read back with Foundation's parser (not ours).
@Suite struct ExistingIDQueryTests {
    @Test func theBodyIsAnIdsQueryWithoutSourceSizedForEveryID() throws {
        let body = ExistingIDQuery.body(ids: ["a", "b\"c"], size: 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(object["_source"] as? Bool == false)
        #expect(object["size"] as? Int == 2)
        #expect(object["track_total_hits"] as? Bool == true)
        let values = ((object["query"] as? [String: Any])?["ids"] as? [String: Any])?["values"] as? [String]
        #expect(values == ["a", "b\"c"])
        #expect(ExistingIDQuery.body(ids: ["a"], size: 20_000).count > 0)
        let capped = try #require(try JSONSerialization.jsonObject(with: Data(ExistingIDQuery.body(ids: ["a"], size: 20_000))) as? [String: Any])
        #expect(capped["size"] as? Int == 10_000)
        #expect(ExistingIDQuery.path(dataStream: "logs-mimecast.audit-default") == "/logs-mimecast.audit-default/_search?filter_path=hits.total.value,hits.hits._id")
    }

    /// The ids of documents, wherever each holds its id (its arena or a string), make the body
    /// their strings make, for any subset in any order.
    @Test func theBodyOfDocumentsIsTheBodyOfTheirIDs() {
        let arena = DocumentArena()
        let arenaID = arena.append(atMost: 11) { out in
            Array("arena-Id_09".utf8).withUnsafeBufferPointer { out.initialize(from: $0.baseAddress!, count: $0.count) }
            return 11
        }!
        let source = arena.append(atMost: 2) { out in
            out.initialize(from: Array("{}".utf8), count: 2)
            return 2
        }!
        let documents = [
            MappedDocument(id: "a", source: Array("{}".utf8)),
            MappedDocument(idRange: arenaID, arena: arena, range: source),
            MappedDocument(id: "b\"c", source: Array("{}".utf8)),
        ]
        #expect(documents[1].id == "arena-Id_09")
        for indices in [[0, 1, 2], [2, 1], [1], []] {
            #expect(ExistingIDQuery.body(idsOf: documents, indices: indices[...], size: 7)
                == ExistingIDQuery.body(ids: indices.map { documents[$0].id }, size: 7), "\(indices)")
        }
    }

    @Test func answersAreRead() throws {
        let answer = try ExistingIDQuery.parse(Array(#"{"hits":{"total":{"value":3},"hits":[{"_id":"a"},{"_id":"a"},{"_id":"c"}]}}"#.utf8))
        #expect(answer == ExistingIDQuery.Answer(found: ["a", "c"], totalHits: 3, returnedHits: 3))
        // filter_path drops hits.hits when nothing matched.
        #expect(try ExistingIDQuery.parse(Array(#"{"hits":{"total":{"value":0}}}"#.utf8)).found.isEmpty)
        #expect(throws: ExistingIDQuery.Malformed.self) { try ExistingIDQuery.parse(Array(#"{"hits":{"hits":[{"_index":"x"}]}}"#.utf8)) }
        #expect(throws: ExistingIDQuery.Malformed.self) { try ExistingIDQuery.parse(Array("not json".utf8)) }
    }

    @Test(arguments: ["index_closed_exception", "cluster_block_exception", "index_not_found_exception"])
    func indexLevel400sAreRefusedNotDeadLettered(type: String) {
        #expect(BulkClassification.item(status: 400, errorType: type) == .refused)
        #expect(BulkClassification.item(status: 400, errorType: "mapper_parsing_exception") == .permanent)
        #expect(BulkClassification.item(status: 400, errorType: "document_parsing_exception") == .permanent)
    }
}
