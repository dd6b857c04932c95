import ShipperCore
import ShipperHTTP
@testable import ShipperElasticsearch
import Testing

/// The pure parts of the bulk protocol: body encoding, batching, response reading, classification
/// and the retry budget.
@Suite struct BulkProtocolTests {
    @Test func bodyIsCreateLinesAndVerbatimDocumentsEndingInNewline() {
        let documents = [
            MappedDocument(id: "a1", source: Array(#"{"@timestamp":"2024-05-02T09:14:07Z","x":1}"#.utf8)),
            MappedDocument(id: #"we"ird\id"#, source: Array(#"{"@timestamp":"2024-05-02T09:14:08Z"}"#.utf8)),
        ]
        let body = String(decoding: BulkRequestBody.encode(documents, indices: [0, 1]), as: UTF8.self)
        #expect(body == """
            {"create":{"_id":"a1"}}
            {"@timestamp":"2024-05-02T09:14:07Z","x":1}
            {"create":{"_id":"we\\"ird\\\\id"}}
            {"@timestamp":"2024-05-02T09:14:08Z"}

            """)
        #expect(BulkRequestBody.sizes(of: documents) == [0, 1].map { BulkRequestBody.encode(documents, indices: [$0]).count })
        #expect(BulkRequestBody.sizes(of: documents)[0] == Array(#"{"create":{"_id":"a1"}}"#.utf8).count + 1 + documents[0].source.count + 1)
    }

    /// The size used for batching is counted without writing the action line: it must be the
    /// written line's length for any id, escapes and non-ASCII included.
    @Test func countedActionLengthIsTheWrittenOne() {
        let pieces = ["a", "Z9", "-", "_", "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{1}", "\u{1F}", "\u{7F}", "é", "€", "🙂", "/"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let id = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let document = MappedDocument(id: id, source: Array("{}".utf8))
            #expect(BulkRequestBody.actionLength(id: id) == BulkRequestBody.actionLine(id: id).count, "\(id.debugDescription)")
            #expect(BulkRequestBody.sizes(of: [document]) == [BulkRequestBody.encode([document], indices: [0]).count], "\(id.debugDescription)")
            #expect(BulkRequestBody.encode([document, document], indices: [1, 0])
                == (BulkRequestBody.actionLine(id: id) + document.source + [0x0A]) + (BulkRequestBody.actionLine(id: id) + document.source + [0x0A]))
        }
    }

    /// An id that lies in the document's arena (base64url, copied without an escape check) writes
    /// the body and counts the size its string does.
    @Test func anIDInTheArenaWritesWhatItsStringWrites() {
        let id = Array("AbC-_09xYz-abcdefghijklmnopqrstuvwxyz012345".utf8), source = Array(#"{"x":"é"}"#.utf8)
        let arena = DocumentArena()
        let both = arena.append(atMost: id.count + source.count) { out in
            out.initialize(from: id + source, count: id.count + source.count)
            return id.count + source.count
        }!
        let inArena = MappedDocument(idRange: both.lowerBound..<(both.lowerBound + id.count), arena: arena,
                                     range: (both.lowerBound + id.count)..<both.upperBound)
        let asString = MappedDocument(id: String(decoding: id, as: UTF8.self), source: source)
        #expect(inArena.idIsPlain && !asString.idIsPlain)
        let escaped = MappedDocument(id: #"q"uote"#, source: source)
        #expect(BulkRequestBody.encode([inArena, escaped, inArena], indices: [2, 1, 0])
            == BulkRequestBody.encode([asString, escaped, asString], indices: [2, 1, 0]))
        #expect(BulkRequestBody.sizes(of: [inArena, escaped]) == BulkRequestBody.sizes(of: [asString, escaped]))
        #expect(BulkRequestBody.sizes(of: [inArena]) == [BulkRequestBody.encode([inArena], indices: [0]).count])
    }

    @Test func batchesRespectCountAndBytes() {
        #expect(BulkBatcher.batches(sizes: Array(repeating: 10, count: 7), maxBytes: 1_000, maxDocuments: 3) == [0..<3, 3..<6, 6..<7])
        #expect(BulkBatcher.batches(sizes: [40, 40, 40, 40], maxBytes: 100, maxDocuments: 1_000) == [0..<2, 2..<4])
        // An oversized document goes alone; nothing is ever left out.
        #expect(BulkBatcher.batches(sizes: [10, 500, 10], maxBytes: 100, maxDocuments: 1_000) == [0..<1, 1..<2, 2..<3])
        #expect(BulkBatcher.batches(sizes: [], maxBytes: 100, maxDocuments: 10).isEmpty)
        #expect(BulkBatcher.batches(sizes: [50, 50], maxBytes: 100, maxDocuments: 10) == [0..<2])
    }

    @Test func responseItemsAreReadInOrderWithErrors() throws {
        let body = Array("""
            {"errors":true,"items":[{"create":{"status":201}},{"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"[b]: version conflict"}}},{"create":{"status":400,"error":{"type":"document_parsing_exception","reason":"failed to parse","caused_by":{"type":"illegal_argument_exception","reason":"bad value"}}}}]}
            """.utf8)
        let items = try BulkResponseParser.items(body, expected: 3)
        #expect(items[0] == BulkItemResult(status: 201))
        #expect(items[1].status == 409 && items[1].errorType == "version_conflict_engine_exception")
        #expect(items[2].errorReason == "failed to parse (caused by illegal_argument_exception: bad value)")
    }

    @Test func responsesThatDoNotMatchTheRequestAreMalformed() {
        #expect(throws: BulkResponseParser.Malformed.self) {
            _ = try BulkResponseParser.items(Array(#"{"errors":false,"items":[{"create":{"status":201}}]}"#.utf8), expected: 2)
        }
        #expect(throws: BulkResponseParser.Malformed.self) {
            _ = try BulkResponseParser.items(Array("<html>".utf8), expected: 1)
        }
        #expect(throws: BulkResponseParser.Malformed.self) {
            _ = try BulkResponseParser.items(Array(#"{"errors":true}"#.utf8), expected: 1)
        }
    }

    @Test(arguments: [
        (200, BulkClassification.Item.stored), (201, .stored), (409, .duplicate), (429, .retry), (503, .retry),
        (500, .retry), (400, .permanent), (403, .refused), (404, .refused), (413, .refused), (401, .refused), (418, .refused),
    ])
    func itemClassification(status: Int, expected: BulkClassification.Item) {
        #expect(BulkClassification.item(status: status) == expected)
    }

    @Test(arguments: [
        (200, BulkClassification.Request.readItems), (413, .split), (429, .retry), (502, .retry), (503, .retry),
        (504, .retry), (401, .authentication), (403, .authentication), (400, .fail), (404, .fail), (500, .fail),
    ])
    func requestClassification(status: Int, expected: BulkClassification.Request) {
        #expect(BulkClassification.request(status: status) == expected)
    }

    @Test func transientTransportFailuresAreRetried() {
        #expect(BulkClassification.isRetryable(HTTPClientError.timeout("t")))
        #expect(BulkClassification.isRetryable(HTTPClientError.connectionLost("reset")))
        #expect(BulkClassification.isRetryable(HTTPClientError.connect("refused")))
        #expect(!BulkClassification.isRetryable(HTTPClientError.tls("bad cert")))
        #expect(!BulkClassification.isRetryable(HTTPClientError.cancelled))
    }

    @Test func floodStageBlocksAreRecognised() {
        #expect(BulkClassification.looksLikeWriteBlock(BulkItemResult(status: 429, errorType: "cluster_block_exception",
            errorReason: "index [x] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];")))
        #expect(!BulkClassification.looksLikeWriteBlock(BulkItemResult(status: 429, errorType: "es_rejected_execution_exception", errorReason: "queue full")))
    }

    @Test func retryBudgetGrantsWaitsUntilSpent() {
        var budget = RetryBudget(total: .seconds(10))
        #expect(budget.grant(.seconds(4)) == .seconds(4))
        #expect(budget.grant(.seconds(4)) == .seconds(4))
        // The last wait is cut to what is left, then nothing more is granted.
        #expect(budget.grant(.seconds(4)) == .seconds(2))
        #expect(budget.isExhausted)
        #expect(budget.grant(.seconds(1)) == nil)
        #expect(budget.spent == .seconds(10))
    }
}

@Suite struct DeadLetterLineTests {
    @Test func lineCarriesDocumentIdStatusTypeAndReason() throws {
        let letter = DeadLetter(id: "abc", status: 400, errorType: "mapper_parsing_exception", reason: "bad \"field\"",
                                dataStream: "logs-mimecast.audit-default", document: Array(#"{"@timestamp":"t","a":[1,2]}"#.utf8))
        let line = letter.ndjsonLine(failedAt: "2024-05-02T09:00:00.000Z")
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        let parsed = try JSONValue.parse(line.dropLast())
        #expect(parsed["_id"] == .string("abc"))
        #expect(parsed["status"]?.intValue == 400)
        #expect(parsed["error_type"] == .string("mapper_parsing_exception"))
        #expect(parsed["reason"] == .string("bad \"field\""))
        #expect(parsed["data_stream"] == .string("logs-mimecast.audit-default"))
        #expect(parsed["failed_at"] == .string("2024-05-02T09:00:00.000Z"))
        #expect(parsed["document"]?["a"] == .array([.number(1), .number(2)]))
        // The document is embedded byte for byte.
        #expect(String(decoding: line, as: UTF8.self).contains(#""document":{"@timestamp":"t","a":[1,2]}"#))
    }

    @Test func invalidOrMultiLineDocumentsStayOneValidLine() throws {
        let broken = DeadLetter(id: "x", status: 400, errorType: nil, reason: nil, dataStream: "d", document: Array("{not json\n".utf8))
        let brokenLine = broken.ndjsonLine(failedAt: "t")
        #expect(brokenLine.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        let parsed = try JSONValue.parse(brokenLine.dropLast())
        #expect(parsed["document_text"] == .string("{not json\n"))
        #expect(parsed["error_type"] == .null)

        let pretty = DeadLetter(id: "y", status: 400, errorType: "t", reason: "r", dataStream: "d", document: Array("{\n  \"a\": 1\n}".utf8))
        let prettyLine = pretty.ndjsonLine(failedAt: "t")
        #expect(prettyLine.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        #expect(try JSONValue.parse(prettyLine.dropLast())["document"]?["a"] == .number(1))
    }
}

@Suite struct BulkIndexerConfigurationTests {
    @Test func defaultsFollowTheIssue() {
        let configuration = BulkIndexerConfiguration(elasticsearch: ElasticsearchConfiguration(namespace: "prod"))
        #expect(configuration.dataStream == "logs-mimecast.audit-prod")
        #expect(configuration.maxBatchBytes == 5 * 1024 * 1024)
        #expect(configuration.maxBatchDocuments == 1_000)
        #expect(configuration.gzipLevel == 1)
        #expect(configuration.retryBudget == .seconds(600))
        #expect(configuration.backoff == ExponentialBackoff(base: .seconds(1), cap: .seconds(60)))
    }
}
