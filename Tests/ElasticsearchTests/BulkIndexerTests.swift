import FakeElasticsearch
import Foundation
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP
import Testing

/// The bulk indexer against the loopback fake: every classification path, retries, splitting,
/// authentication, the retry budget and the dead-letter file.
@Suite struct BulkIndexerTests {
    let dataStream = "logs-mimecast.audit-default"

    func withIndexer(
        maxBatchDocuments: Int = 1_000,
        retryBudget: Duration = .seconds(600),
        auth: ElasticsearchAuth = .none,
        _ body: (FakeElasticsearch, BulkIndexer, SleepRecorder, String) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let deadLetterPath = directory.file("state/dead-letter.ndjson")
        try await FakeElasticsearch.with { fake in
            let sleeps = SleepRecorder()
            let indexer = try makeIndexer(
                baseURL: fake.baseURL, auth: auth, deadLetterPath: deadLetterPath, sleeps: sleeps,
                maxBatchDocuments: maxBatchDocuments, retryBudget: retryBudget
            )
            try await body(fake, indexer, sleeps, deadLetterPath)
        }
    }

    @Test func storesEveryDocumentWithCreateAndItsID() async throws {
        try await withIndexer { fake, indexer, sleeps, deadLetterPath in
            let documents = TestDocuments.make(10)
            let report = try await indexer.ship(documents)
            #expect(report.indexed == 10 && report.duplicates == 0 && report.deadLettered == 0 && report.retries == 0)
            #expect(report.settled == 10)
            #expect(report.bulkRequests == 1)
            let stored = fake.documents(in: dataStream)
            #expect(Set(stored.keys) == Set(documents.map(\.id)))
            #expect(stored["doc-3"] == documents[3].source)
            let request = try #require(fake.bulkRequests.first)
            #expect(request.actions == Array(repeating: "create", count: 10))
            #expect(request.gzip)
            #expect(request.contentType == "application/x-ndjson")
            #expect(request.filterPath == "errors,items.*.status,items.*.error")
            #expect(report.bytesSent == request.receivedBytes)
            #expect(report.bytesUncompressed > report.bytesSent)
            #expect(sleeps.recorded.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: deadLetterPath))
        }
    }

    @Test func emptyInputSendsNothing() async throws {
        try await withIndexer { fake, indexer, _, _ in
            let report = try await indexer.ship([])
            #expect(report == ShipReport())
            #expect(fake.bulkRequestCount == 0)
        }
    }

    @Test func batchesAreBoundedByCount() async throws {
        try await withIndexer(maxBatchDocuments: 4) { fake, indexer, _, _ in
            let report = try await indexer.ship(TestDocuments.make(10))
            #expect(report.indexed == 10)
            #expect(report.bulkRequests == 3)
            #expect(fake.bulkRequests.map(\.ids.count) == [4, 4, 2])
        }
    }

    @Test func existingIDsAreDuplicatesNotErrors() async throws {
        try await withIndexer { fake, indexer, _, deadLetterPath in
            let documents = TestDocuments.make(5)
            _ = try await indexer.ship(documents)
            let again = try await indexer.ship(documents)
            #expect(again.duplicates == 5 && again.indexed == 0 && again.deadLettered == 0)
            #expect(fake.documents(in: dataStream).count == 5)
            #expect(!FileManager.default.fileExists(atPath: deadLetterPath))
            #expect(indexer.totals.indexed == 5 && indexer.totals.duplicates == 5)
        }
    }

    @Test func mixedBatchSettlesExactly() async throws {
        try await withIndexer { fake, indexer, sleeps, deadLetterPath in
            var documents = TestDocuments.make(6)
            documents.append(TestDocuments.withoutTimestamp(id: "no-ts"))
            fake.seedDocument(id: "doc-1", source: documents[1].source, in: dataStream)
            fake.rejectItems(ids: ["doc-2", "doc-4"], times: 2)
            fake.failItems(ids: ["doc-5"])
            let result = try await indexer.shipReportingOutcomes(documents)
            #expect(result.outcomes == [.indexed, .duplicate, .indexed, .indexed, .indexed, .deadLettered, .deadLettered])
            #expect(result.report.indexed == 4)
            #expect(result.report.duplicates == 1)
            #expect(result.report.deadLettered == 2)
            #expect(result.report.retries == 4)
            #expect(result.report.bulkRequests == 3)
            #expect(sleeps.recorded == [.seconds(1), .seconds(2)])
            // Retries sent only the rejected items.
            #expect(fake.bulkRequests.map(\.ids) == [documents.map(\.id), ["doc-2", "doc-4"], ["doc-2", "doc-4"]])
            let letters = try readNDJSON(deadLetterPath)
            #expect(letters.compactMap { $0["_id"]?.stringValue } == ["doc-5", "no-ts"])
            #expect(letters[0]["status"]?.intValue == 400)
            #expect(letters[0]["error_type"] == .string("mapper_parsing_exception"))
            #expect(letters[1]["error_type"] == .string("document_parsing_exception"))
            #expect(letters[1]["reason"]?.stringValue?.contains("@timestamp") == true)
            #expect(letters[1]["document"]?["message"] == .string("no timestamp"))
        }
    }

    @Test func retriesNeverResendAStoredItem() async throws {
        try await withIndexer { fake, indexer, _, _ in
            fake.rejectItems(rate: 0.3, seed: 7)
            let documents = TestDocuments.make(200)
            let report = try await indexer.ship(documents)
            #expect(report.indexed == 200)
            #expect(report.retries > 0)
            var settled = Set<String>()
            for request in fake.bulkRequests {
                #expect(settled.isDisjoint(with: request.ids))
                for (id, status) in zip(request.ids, request.itemStatuses) where status < 300 || status == 409 {
                    settled.insert(id)
                }
            }
            #expect(settled.count == 200)
            #expect(fake.bulkItemCount == 200 + report.retries)
        }
    }

    @Test(arguments: [429, 502, 503, 504])
    func wholeRequestFailuresRetryTheWholeBatch(status: Int) async throws {
        try await withIndexer { fake, indexer, sleeps, _ in
            fake.failNextBulkRequests(status: status, count: 2)
            let report = try await indexer.ship(TestDocuments.make(3))
            #expect(report.indexed == 3)
            #expect(report.retries == 2)
            #expect(report.bulkRequests == 3)
            #expect(sleeps.recorded == [.seconds(1), .seconds(2)])
            #expect(fake.bulkRequests.map(\.ids.count) == [3, 3, 3])
        }
    }

    @Test func tooLargeSplitsTheBatchInHalves() async throws {
        try await withIndexer { fake, indexer, sleeps, _ in
            let documents = TestDocuments.make(8)
            let eachSize = Array(#"{"create":{"_id":"doc-0"}}"#.utf8).count + documents[0].source.count + 2
            fake.setMaxContentLength(eachSize * 2 + 10)
            let report = try await indexer.ship(documents)
            #expect(report.indexed == 8)
            #expect(fake.documents(in: dataStream).count == 8)
            // 8 -> 413; 4 -> 413; 2 + 2 stored; 4 -> 413; 2 + 2 stored.
            #expect(fake.bulkRequests.map(\.ids.count) == [8, 4, 2, 2, 4, 2, 2])
            #expect(fake.bulkRequests.map(\.status) == [413, 413, 200, 200, 413, 200, 200])
            #expect(sleeps.recorded.isEmpty)
        }
    }

    @Test func aSingleDocumentTooLargeIsDeadLettered() async throws {
        try await withIndexer { fake, indexer, _, deadLetterPath in
            fake.setMaxContentLength(10)
            let report = try await indexer.ship(TestDocuments.make(1))
            #expect(report.deadLettered == 1)
            let letters = try readNDJSON(deadLetterPath)
            #expect(letters.first?["status"]?.intValue == 413)
            #expect(letters.first?["_id"] == .string("doc-0"))
        }
    }

    @Test func retryBudgetEndsTheRunAndReportsTheSettledPrefix() async throws {
        try await withIndexer(maxBatchDocuments: 2) { fake, indexer, sleeps, _ in
            let documents = TestDocuments.make(6)
            // The first batch stores; then the cluster goes down for good.
            _ = try await indexer.ship(Array(documents[0..<2]))
            fake.setDown(true)
            await #expect {
                _ = try await indexer.ship(documents)
            } throws: { error in
                guard case .retryBudgetExhausted(let budget, let pending, let problem, let settled)? = error as? ElasticsearchError else {
                    return false
                }
                return budget == .seconds(600) && pending == 6 && settled == 0 && problem.contains("503")
            }
            #expect(sleeps.total == .seconds(600))
            // 1 + 2 + 4 + 8 + 16 + 32 + 60 * n, the last wait cut to what was left.
            #expect(Array(sleeps.recorded.prefix(7)) == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(60)])
            #expect(indexer.retryBudgetSpent == .seconds(600))
        }
    }

    @Test func budgetFailureAfterSomeBatchesCountsOnlyThoseAsSettled() async throws {
        try await withIndexer(maxBatchDocuments: 2, retryBudget: .seconds(5)) { fake, indexer, _, _ in
            let documents = TestDocuments.make(6)
            fake.rejectItems(ids: ["doc-2"], times: 1_000)
            await #expect {
                _ = try await indexer.ship(documents)
            } throws: { error in
                guard case .retryBudgetExhausted(_, let pending, let problem, let settled)? = error as? ElasticsearchError else { return false }
                return settled == 2 && pending == 4 && problem.contains("429")
            }
            #expect(indexer.totals.indexed == 2)
            // Nothing after the failed batch was sent.
            #expect(fake.documents(in: dataStream)["doc-4"] == nil)
        }
    }

    @Test func unauthorizedStopsWithWhatToCheck() async throws {
        try await withIndexer(auth: .apiKey(encoded: "d3Jvbmc=")) { fake, indexer, sleeps, _ in
            fake.requireAPIKey("cmlnaHQ=")
            await #expect {
                _ = try await indexer.ship(TestDocuments.make(2))
            } throws: { error in
                guard case .authentication(401, _, _)? = error as? ElasticsearchError else { return false }
                let text = "\(error)"
                return text.contains("ELASTICSEARCH_API_KEY") && !text.contains("d3Jvbmc=")
            }
            #expect(sleeps.recorded.isEmpty)
            #expect(fake.requestLog == ["POST /logs-mimecast.audit-default/_bulk"])
        }
    }

    @Test func forbiddenStopsNamingThePrivileges() async throws {
        try await withIndexer { fake, indexer, _, _ in
            fake.forbidBulk()
            await #expect {
                _ = try await indexer.ship(TestDocuments.make(2))
            } throws: { error in
                guard case .authentication(403, _, _)? = error as? ElasticsearchError else { return false }
                return "\(error)".contains("create_doc")
            }
        }
    }

    @Test func connectionFailuresAreRetriedWithinTheBudget() async throws {
        // A port with nothing listening: every attempt is refused.
        let server = try await FakeElasticsearch.start()
        let url = server.baseURL
        await server.stop()
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let sleeps = SleepRecorder()
        let indexer = try makeIndexer(baseURL: url, deadLetterPath: directory.file("dl.ndjson"), sleeps: sleeps, retryBudget: .seconds(3))
        await #expect {
            _ = try await indexer.ship(TestDocuments.make(1))
        } throws: { error in
            guard case .retryBudgetExhausted(_, _, let problem, _)? = error as? ElasticsearchError else { return false }
            return problem.contains("connection")
        }
        #expect(sleeps.recorded == [.seconds(1), .seconds(2)])
        #expect(indexer.totals.retries == 3)
    }

    @Test func uncompressedBodiesWhenGzipIsOff() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        try await FakeElasticsearch.with { fake in
            let indexer = try makeIndexer(baseURL: fake.baseURL, deadLetterPath: directory.file("dl"), sleeps: SleepRecorder(), gzipLevel: 0)
            let report = try await indexer.ship(TestDocuments.make(3))
            #expect(report.indexed == 3)
            #expect(fake.bulkRequests.first?.gzip == false)
            #expect(report.bytesSent == report.bytesUncompressed)
        }
    }
}
