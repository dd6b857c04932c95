import Dispatch
import ShipperCore
import ShipperTestSupport
import Synchronization

/// What the fake Elasticsearch does with each `_bulk` body: inflate it (zlib directly), cut it
/// into NDJSON lines, judged by Foundation's JSONSerialization rather than the product's parser;
/// parse every action line (op type, `_index`, `_id`) before answering, and parse every document
/// line as JSON on a background queue.
///
/// The document parse is off the response path so that the fake's own JSON work does not add to
/// the measured tool's wall time; `drain()` waits for it, and its verdict (valid documents, ones
/// without `@timestamp`, duplicate `_id`s) is part of every result, so nothing goes unchecked.
final class BulkIntake: Sendable {
    struct Counters: Sendable, Codable {
        var bulkRequests = 0
        var wireBytes = 0
        var inflatedBytes = 0
        var gzipRequests = 0
        var actions = 0
        var wrongIndex = 0
        var unsupportedActions = 0
        var malformedLines = 0
        var documentsParsed = 0
        var documentsInvalid = 0
        var documentsWithoutTimestamp = 0
        var duplicateIDs = 0
        /// `_search` requests (the shipper's existence check).
        var searchRequests = 0
    }

    struct Accepted {
        var operations: [String]
    }

    private let counters = Mutex(Counters())
    private let ids = Mutex(Set<String>())
    private let validation = DispatchQueue(label: "bench.es.validate")
    let dataStream: String

    init(dataStream: String) {
        self.dataStream = dataStream
    }

    func reset() {
        validation.sync {}
        counters.withLock { $0 = Counters() }
        ids.withLock { $0.removeAll(keepingCapacity: false) }
    }

    /// Waits for the background parse to finish, then returns the totals.
    func countSearch() {
        counters.withLock { $0.searchRequests += 1 }
    }

    func drain() -> Counters {
        validation.sync {}
        return counters.withLock { $0 }
    }

    /// Reads one body; returns one op type per action, in order, for the answer.
    func accept(body wire: [UInt8], gzip: Bool, target: String?) throws -> Accepted {
        let body = gzip ? try Zlib.gunzip(wire) : wire
        var operations: [String] = []
        var documentRanges: [Range<Int>] = []
        var documentIDs: [String] = []
        var wrongIndex = 0
        var unsupported = 0
        var malformed = 0
        var lineStart = 0
        var expectDocument = false
        // The shipper's per-pass heartbeat goes to its own data stream; it is not a measured event.
        var skipDocument = false
        var heartbeats = 0
        body.withUnsafeBufferPointer { buffer in
            var index = 0
            while index <= buffer.count {
                guard index == buffer.count || buffer[index] == UInt8(ascii: "\n") else {
                    index += 1
                    continue
                }
                let line = lineStart..<index
                lineStart = index + 1
                index += 1
                if line.isEmpty { continue }
                if expectDocument {
                    if !skipDocument { documentRanges.append(line) }
                    expectDocument = false
                    skipDocument = false
                    continue
                }
                guard let members = try? FoundationJSON.parseObject(UnsafeBufferPointer(rebasing: buffer[line])),
                      members.count == 1, let only = members.first else {
                    malformed += 1
                    continue
                }
                let (operation, metadata) = (only.key, only.value)
                operations.append(operation)
                switch operation {
                case "create", "index":
                    expectDocument = true
                    let index = metadata["_index"]?.stringValue ?? target
                    if index?.hasPrefix("logs-mimecast.shipper-") == true {
                        skipDocument = true
                        heartbeats += 1
                        continue
                    }
                    if index != dataStream { wrongIndex += 1 }
                    if let id = metadata["_id"]?.stringValue { documentIDs.append(id) }
                default:
                    unsupported += 1
                }
            }
        }
        counters.withLock {
            $0.bulkRequests += 1
            $0.wireBytes += wire.count
            $0.inflatedBytes += body.count
            $0.gzipRequests += gzip ? 1 : 0
            // Answered like any action, but not one of the measured events.
            $0.actions += operations.count - heartbeats
            $0.wrongIndex += wrongIndex
            $0.unsupportedActions += unsupported
            $0.malformedLines += malformed
        }
        validation.async { [self, documentRanges, documentIDs] in
            validate(body: body, documents: documentRanges, ids: documentIDs)
        }
        return Accepted(operations: operations)
    }

    private func validate(body: [UInt8], documents: [Range<Int>], ids newIDs: [String]) {
        var invalid = 0
        var withoutTimestamp = 0
        body.withUnsafeBufferPointer { buffer in
            for range in documents {
                guard let document = try? FoundationJSON.parseObject(UnsafeBufferPointer(rebasing: buffer[range])) else {
                    invalid += 1
                    continue
                }
                if document["@timestamp"]?.stringValue == nil { withoutTimestamp += 1 }
            }
        }
        let duplicates = ids.withLock { set in
            newIDs.reduce(0) { $0 + (set.insert($1).inserted ? 0 : 1) }
        }
        counters.withLock {
            $0.documentsParsed += documents.count
            $0.documentsInvalid += invalid
            $0.documentsWithoutTimestamp += withoutTimestamp
            $0.duplicateIDs += duplicates
        }
    }
}
