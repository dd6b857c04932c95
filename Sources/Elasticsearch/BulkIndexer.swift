import Logging
import ShipperCore
import ShipperHTTP
import Synchronization

/// What became of one document handed to the indexer.
public enum DocumentOutcome: Sendable, Equatable {
    case indexed
    /// Elasticsearch already had this `_id` (409 on `create`): stored by an earlier attempt.
    case duplicate
    /// Refused for good and written to the dead-letter file.
    case deadLettered
}

/// The result of one `ship` call: counters, and each document's outcome in input order.
public struct BulkShipResult: Sendable, Equatable {
    public var report: ShipReport
    public var outcomes: [DocumentOutcome]
}

/// Writes documents to a data stream with `_bulk` and `create`, and returns only when every one is
/// settled: stored, already present, or dead-lettered.
///
/// Retries resend only the items that need it (429/5xx items, or the whole batch after 429, 502,
/// 503, 504 and transport failures), with full-jitter backoff, until the run's retry budget is
/// spent. A 413 splits the batch in halves. 401/403 stop at once with what to check; so do items
/// refused for reasons outside the document (403, 404, blocks, unknown statuses). Only 400-class
/// document rejections are dead-lettered.
///
/// Exactly once across rollovers: documents marked `mayExist`, and every resend after an answer
/// that leaves it unknown what was stored (transport failure, 502/503/504), are first looked up
/// in the data stream (`ExistingIDQuery`) and those found are settled as duplicates, unsent.
public final class BulkIndexer: DocumentSink {
    public let configuration: BulkIndexerConfiguration
    private let client: ElasticsearchClient
    private let deadLetters: DeadLetterWriter
    private let sleeper: Sleeper
    private let jitter: @Sendable () -> Double
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var totals = ShipReport()
        var budget: RetryBudget
    }

    /// `jitter` draws the full-jitter factor in `[0, 1)`; tests pin it to get exact delays.
    public init(
        client: ElasticsearchClient,
        configuration: BulkIndexerConfiguration,
        deadLetters: DeadLetterWriter,
        sleeper: Sleeper = .continuous,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger = Logger(label: "mimecast-shipper.elasticsearch")
    ) {
        self.client = client
        self.configuration = configuration
        self.deadLetters = deadLetters
        self.sleeper = sleeper
        self.jitter = jitter
        self.logger = logger
        self.state = Mutex(State(budget: RetryBudget(total: configuration.retryBudget)))
    }

    /// Everything shipped by this indexer so far (settled batches, plus the requests and retries
    /// of failed ones).
    public var totals: ShipReport { state.withLock { $0.totals } }

    /// Retry budget already spent waiting.
    public var retryBudgetSpent: Duration { state.withLock { $0.budget.spent } }

    public func ship(_ documents: [MappedDocument]) async throws -> ShipReport {
        try await shipReportingOutcomes(documents).report
    }

    /// Like `ship`, with each document's outcome. On a thrown `retryBudgetExhausted`, its
    /// `settledDocuments` leading documents were settled (whole batches); nothing after them was.
    public func shipReportingOutcomes(_ documents: [MappedDocument]) async throws -> BulkShipResult {
        var outcomes = [DocumentOutcome?](repeating: nil, count: documents.count)
        var report = ShipReport()
        let sizes = BulkRequestBody.sizes(of: documents)
        let batches = BulkBatcher.batches(
            sizes: sizes,
            maxBytes: configuration.maxBatchBytes,
            maxDocuments: configuration.maxBatchDocuments
        )
        var settledPrefix = 0
        for batch in batches {
            var run = BatchRun()
            do {
                let pending = Array(batch)
                try await settle(pending, documents: documents, run: &run, lookUpFirst: pending.filter { documents[$0].mayExist })
                try deadLetters.append(run.deadLetters)
            } catch {
                var spent = ShipReport()
                spent.retries = run.report.retries
                spent.bulkRequests = run.report.bulkRequests
                spent.bytesSent = run.report.bytesSent
                spent.bytesUncompressed = run.report.bytesUncompressed
                state.withLock { $0.totals += spent }
                throw Self.withProgress(error, settled: settledPrefix, total: documents.count)
            }
            for (index, outcome) in run.outcomes {
                outcomes[index] = outcome
            }
            report += run.report
            state.withLock { $0.totals += run.report }
            settledPrefix = batch.upperBound
            if !run.deadLetters.isEmpty {
                logger.warning("\(run.deadLetters.count) document(s) refused by Elasticsearch were written to \(deadLetters.path)")
            }
        }
        return BulkShipResult(report: report, outcomes: outcomes.map { $0! })
    }

    /// What one batch (and its split halves) did before it settled.
    private struct BatchRun {
        var outcomes: [(Int, DocumentOutcome)] = []
        var deadLetters: [DeadLetter] = []
        var report = ShipReport()
        /// The last item failure that asked for a retry, for logs and the budget error.
        var lastRetryProblem = ""

        mutating func settle(_ index: Int, _ outcome: DocumentOutcome) {
            outcomes.append((index, outcome))
            switch outcome {
            case .indexed: report.indexed += 1
            case .duplicate: report.duplicates += 1
            case .deadLettered: report.deadLettered += 1
            }
        }
    }

    private var bulkPath: String {
        "/\(configuration.dataStream)/_bulk?filter_path=errors,items.*.status,items.*.error"
    }

    private static let privilegeHint =
        "the API key or user needs the 'create_doc' and 'auto_configure' index privileges on logs-mimecast.*"

    /// Sends `indices` until each is settled; throws when the budget runs out or the cluster
    /// refuses in a way retrying cannot fix.
    /// `lookUpFirst` are documents that may already be stored: they are looked up before the
    /// first send. After an answer that leaves it unknown what was stored, all of `pending` are.
    /// A lookup that fails transiently counts as a failed attempt of the batch (same backoff).
    private func settle(_ indices: [Int], documents: [MappedDocument], run: inout BatchRun, lookUpFirst: [Int] = []) async throws {
        var pending = indices
        var attempt = 0
        var toLookUp = lookUpFirst
        while !pending.isEmpty {
            if !toLookUp.isEmpty {
                do {
                    pending = try await skipStored(pending, checking: toLookUp, documents: documents)
                        { index in run.settle(index, .duplicate) }
                } catch let failure as TransientLookupFailure {
                    run.report.retries += 1
                    try await waitBeforeRetry(attempt: attempt, pending: pending.count, problem: failure.problem)
                    attempt += 1
                    continue
                }
                toLookUp = []
                if pending.isEmpty { return }
            }
            let body = BulkRequestBody.encode(documents, indices: pending)
            let response: ElasticsearchResponse
            do {
                response = try await client.send(
                    .post, bulkPath, body: body,
                    contentType: "application/x-ndjson",
                    gzipLevel: configuration.gzipLevel
                )
            } catch let error where BulkClassification.isRetryable(error) {
                run.report.retries += 1
                if BulkClassification.mayHaveReachedTheCluster(error) { toLookUp = pending }
                try await waitBeforeRetry(attempt: attempt, pending: pending.count, problem: "\(error)",
                                          atLeast: toLookUp.isEmpty ? .zero : configuration.refreshAllowance)
                attempt += 1
                continue
            }
            run.report.bulkRequests += 1
            run.report.bytesUncompressed += body.count
            run.report.bytesSent += response.bytesSent

            switch BulkClassification.request(status: response.status) {
            case .readItems:
                pending = try settleItems(pending, response: response, documents: documents, run: &run)
                if !pending.isEmpty {
                    run.report.retries += pending.count
                    try await waitBeforeRetry(attempt: attempt, pending: pending.count, problem: run.lastRetryProblem)
                    attempt += 1
                }
            case .split:
                guard pending.count > 1 else {
                    let index = pending[0]
                    run.deadLetters.append(deadLetter(documents[index], status: 413, errorType: "request_entity_too_large",
                        reason: "the document alone is larger than the cluster's http.max_content_length"))
                    run.settle(index, .deadLettered)
                    return
                }
                logger.info("Elasticsearch refused a bulk body of \(body.count) bytes as too large (413); splitting \(pending.count) documents in two")
                run.report.retries += 1
                let half = pending.count / 2
                try await settle(Array(pending[..<half]), documents: documents, run: &run)
                try await settle(Array(pending[half...]), documents: documents, run: &run)
                return
            case .retry:
                run.report.retries += 1
                // A 429 is refused before any item runs; a gateway's 502/504 or a 503 may follow work done.
                if response.status != 429 { toLookUp = pending }
                let problem = "HTTP \(response.status) from \(response.requestLine): \(ElasticsearchErrorBody.summary(response.body))"
                try await waitBeforeRetry(attempt: attempt, pending: pending.count, problem: problem,
                                          atLeast: toLookUp.isEmpty ? .zero : configuration.refreshAllowance)
                attempt += 1
            case .authentication:
                try client.checkAuthorized(response, privilegeHint: Self.privilegeHint)
                fallthrough
            case .fail:
                throw ElasticsearchError.unexpectedStatus(
                    status: response.status,
                    request: response.requestLine,
                    detail: ElasticsearchErrorBody.summary(response.body)
                )
            }
        }
    }

    /// Records the outcome of every item and returns the indices to send again.
    private func settleItems(_ pending: [Int], response: ElasticsearchResponse, documents: [MappedDocument], run: inout BatchRun) throws -> [Int] {
        let items: [BulkItemResult]
        do throws(BulkResponseParser.Malformed) {
            items = try BulkResponseParser.items(response.body, expected: pending.count)
        } catch {
            throw ElasticsearchError.malformedResponse(request: response.requestLine, detail: error.detail)
        }
        var retry: [Int] = []
        var blocked = false
        var refused: [BulkItemResult] = []
        for (index, item) in zip(pending, items) {
            switch BulkClassification.item(status: item.status, errorType: item.errorType) {
            case .stored:
                run.settle(index, .indexed)
            case .duplicate:
                run.settle(index, .duplicate)
            case .retry:
                retry.append(index)
                run.lastRetryProblem = "item \(item.summary)"
                blocked = blocked || (item.status == 429 && BulkClassification.looksLikeWriteBlock(item))
            case .permanent:
                run.deadLetters.append(deadLetter(documents[index], status: item.status, errorType: item.errorType, reason: item.errorReason))
                run.settle(index, .deadLettered)
            case .refused:
                refused.append(item)
            }
        }
        if let first = refused.first {
            throw ElasticsearchError.itemsRefused(
                status: first.status, count: refused.count, detail: first.summary,
                advice: BulkClassification.advice(status: first.status, errorType: first.errorType, dataStream: configuration.dataStream))
        }
        if blocked {
            logger.warning("Elasticsearch blocks writes (\(run.lastRetryProblem)); this is usually the disk flood-stage watermark, which an operator must lift by freeing disk space; retrying with growing delays")
        }
        return retry
    }

    private static let readPrivilegeHint =
        "the API key or user needs the 'read' index privilege on logs-mimecast.* to check which events are already stored (exactly once across rollovers)"

    /// A lookup that failed in a way another attempt may fix.
    private struct TransientLookupFailure: Error {
        let problem: String
    }

    /// Looks `checking` up in the data stream; hands those found to `stored` and returns the rest
    /// of `pending`, in order.
    private func skipStored(_ pending: [Int], checking: [Int], documents: [MappedDocument], stored: (Int) -> Void) async throws -> [Int] {
        let found = try await storedIDs(of: documents, checking)
        guard !found.isEmpty else { return pending }
        var remaining: [Int] = []
        for index in pending {
            if found.contains(documents[index].id) {
                stored(index)
            } else {
                remaining.append(index)
            }
        }
        return remaining
    }

    /// The ids of `documents[indices]` the data stream holds (none when it does not exist yet).
    private func storedIDs(of documents: [MappedDocument], _ indices: [Int]) async throws -> Set<String> {
        var found = Set<String>()
        var start = 0
        while start < indices.count {
            let chunk = indices[start..<min(start + ExistingIDQuery.maxResultWindow, indices.count)]
            start += chunk.count
            var size = chunk.count
            while true {
                let path = ExistingIDQuery.path(dataStream: configuration.dataStream)
                let response: ElasticsearchResponse
                do {
                    response = try await client.send(.post, path, body: ExistingIDQuery.body(idsOf: documents, indices: chunk, size: size))
                } catch let error where BulkClassification.isRetryable(error) {
                    throw TransientLookupFailure(problem: "existence check: \(error)")
                }
                switch response.status {
                case 200..<300:
                    let answer: ExistingIDQuery.Answer
                    do throws(ExistingIDQuery.Malformed) {
                        answer = try ExistingIDQuery.parse(response.body)
                    } catch {
                        throw ElasticsearchError.malformedResponse(request: response.requestLine, detail: error.detail)
                    }
                    if answer.totalHits > answer.returnedHits, size < min(answer.totalHits, ExistingIDQuery.maxResultWindow) {
                        // Some _id is stored more than once already: ask again with room for every hit.
                        size = min(answer.totalHits, ExistingIDQuery.maxResultWindow)
                        continue
                    }
                    found.formUnion(answer.found)
                case 404:
                    // No such data stream yet: nothing is stored.
                    break
                case 429, 502, 503, 504:
                    throw TransientLookupFailure(
                        problem: "existence check: HTTP \(response.status) from \(response.requestLine): \(ElasticsearchErrorBody.summary(response.body))")
                case 401, 403:
                    try client.checkAuthorized(response, privilegeHint: Self.readPrivilegeHint)
                    fallthrough
                default:
                    throw ElasticsearchError.unexpectedStatus(
                        status: response.status, request: response.requestLine, detail: ElasticsearchErrorBody.summary(response.body))
                }
                break
            }
        }
        if !found.isEmpty {
            logger.debug("existence check: \(found.count) of \(indices.count) document(s) already stored; not sending them")
        }
        return found
    }

    private func deadLetter(_ document: MappedDocument, status: Int, errorType: String?, reason: String?) -> DeadLetter {
        DeadLetter(id: document.id, status: status, errorType: errorType, reason: reason,
                   dataStream: configuration.dataStream, document: document.source)
    }

    /// Waits the backoff delay for `attempt` (and at least `atLeast`), charged to the run's budget;
    /// throws when it is spent.
    private func waitBeforeRetry(attempt: Int, pending: Int, problem: String, atLeast: Duration = .zero) async throws {
        let proposed = max(configuration.backoff.delay(attempt: attempt, unit: jitter()), atLeast)
        let granted = state.withLock { $0.budget.grant(proposed) }
        guard let delay = granted else {
            throw ElasticsearchError.retryBudgetExhausted(
                budget: configuration.retryBudget, pendingDocuments: pending, lastProblem: problem, settledDocuments: 0)
        }
        logger.warning("retrying \(pending) document(s) in \(delay) (attempt \(attempt + 1)): \(problem)")
        try await sleeper.sleep(for: delay)
    }

    /// Fills in how far the failed call got.
    private static func withProgress(_ error: any Error, settled: Int, total: Int) -> any Error {
        guard case .retryBudgetExhausted(let budget, _, let problem, _)? = error as? ElasticsearchError else { return error }
        return ElasticsearchError.retryBudgetExhausted(
            budget: budget, pendingDocuments: total - settled, lastProblem: problem, settledDocuments: settled)
    }
}
