import ShipperCore
import ShipperTestSupport
import Synchronization

/// What the fake Elasticsearch does with each `_bulk` body: inflate it (zlib directly) and cut it
/// into NDJSON lines, reading each action line's op type with a byte scan to answer one item per
/// action; then, once the measured tool has exited (`drain()`), judge every line with Foundation's
/// JSONSerialization rather than the product's parser: every action line (op type, `_index`,
/// `_id`) and every document line (valid JSON, `@timestamp`, duplicate `_id`s).
///
/// The JSON checks wait until the run is over because the harness has one core (the tool has the
/// other): parsing every line during the run made the fake, not the tool, the bottleneck (the
/// harness at 100% of its core, the tools idle half the time, every tool's wall time and
/// events/s measuring the fake). Nothing goes unchecked: the verdict is part of every result.
/// The bodies wait in a `BodyArena` whose pages were touched before the tool started.
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
        /// Bodies that did not fit the arena prepared for the run (kept as arrays of their own,
        /// whose fresh pages the kernel zeroes during the run): 0 in a run measured as intended.
        var bodiesOutsideArena = 0
    }

    struct Accepted {
        var operations: [String]
    }

    /// A body taken during the run, judged by `drain()`: where it lies in the arena, or its own
    /// copy when the arena was full.
    private struct Received: Sendable {
        var stored: Range<Int>?
        var overflow: [UInt8]
        var target: String?
    }

    /// Room per expected event in the arena: the largest body per document of any tool is about
    /// 1,270 bytes (`python-peer`); a run that needs more keeps the rest as arrays and counts them.
    static let arenaBytesPerEvent = 1_600

    private let arena = BodyArena()

    private let counters = Mutex(Counters())
    private let received = Mutex([Received]())
    private let ids = Mutex(Set<String>())
    let dataStream: String

    init(dataStream: String) {
        self.dataStream = dataStream
    }

    /// Forgets the last run and prepares the arena for a run of `events` (touching its pages now,
    /// before the tool starts).
    func reset(expectingEvents events: Int) {
        arena.prepare(capacity: events * Self.arenaBytesPerEvent + 16 << 20)
        counters.withLock { $0 = Counters() }
        received.withLock { $0.removeAll(keepingCapacity: false) }
        ids.withLock { $0.removeAll(keepingCapacity: false) }
    }

    func countSearch() {
        counters.withLock { $0.searchRequests += 1 }
    }

    /// Judges every body taken since the last drain, then returns the totals.
    func drain() -> Counters {
        let bodies = received.withLock { taken in
            defer { taken.removeAll(keepingCapacity: false) }
            return taken
        }
        for body in bodies {
            if let stored = body.stored {
                arena.withBytes(stored) { judge($0, target: body.target) }
            } else {
                body.overflow.withUnsafeBufferPointer { judge($0, target: body.target) }
            }
        }
        return counters.withLock { $0 }
    }

    /// Reads one body; returns one op type per action, in order, for the answer.
    func accept(body wire: [UInt8], gzip: Bool, target: String?) throws -> Accepted {
        let body = gzip ? try Zlib.gunzip(wire) : wire
        var operations: [String] = []
        body.withUnsafeBufferPointer { buffer in
            var expectDocument = false
            Self.forEachLine(in: buffer) { line in
                if expectDocument {
                    expectDocument = false
                    return
                }
                // `{"create":{…}}`: the op type is the first member's name. A line that does not
                // start that way gets no item (and counts as malformed in `drain()`).
                guard let operation = Self.firstMemberName(UnsafeBufferPointer(rebasing: buffer[line])) else { return }
                operations.append(operation)
                expectDocument = operation == "create" || operation == "index"
            }
        }
        counters.withLock {
            $0.bulkRequests += 1
            $0.wireBytes += wire.count
            $0.inflatedBytes += body.count
            $0.gzipRequests += gzip ? 1 : 0
        }
        let stored = body.withUnsafeBytes { arena.store($0) }
        if stored == nil { counters.withLock { $0.bodiesOutsideArena += 1 } }
        received.withLock { $0.append(Received(stored: stored, overflow: stored == nil ? body : [], target: target)) }
        return Accepted(operations: operations)
    }

    /// Calls `body` with the range of each non-empty line of `buffer` (split at `\n`), in order.
    private static func forEachLine(in buffer: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        var lineStart = 0
        while lineStart < buffer.count {
            var lineEnd = lineStart
            while lineEnd < buffer.count, buffer[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd > lineStart { body(lineStart..<lineEnd) }
            lineStart = lineEnd + 1
        }
    }

    /// `create` of `{"create":…`; nil unless the line starts with `{"name"` (no escapes).
    private static func firstMemberName(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        guard line.count > 3, line[0] == UInt8(ascii: "{"), line[1] == UInt8(ascii: "\"") else { return nil }
        var end = 2
        while end < line.count, line[end] != UInt8(ascii: "\""), line[end] != UInt8(ascii: "\\") { end += 1 }
        guard end < line.count, line[end] == UInt8(ascii: "\""), end > 2 else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: line[2..<end]), as: UTF8.self)
    }

    /// The checks of one body: each action line parsed as JSON, then each document line.
    private func judge(_ buffer: UnsafeBufferPointer<UInt8>, target: String?) {
        var documentRanges: [Range<Int>] = []
        var documentIDs: [String] = []
        var actions = 0
        var wrongIndex = 0
        var unsupported = 0
        var malformed = 0
        var expectDocument = false
        // The shipper's per-pass heartbeat goes to its own data stream; it is not a measured event.
        var skipDocument = false
        Self.forEachLine(in: buffer) { line in
            if expectDocument {
                if !skipDocument { documentRanges.append(line) }
                expectDocument = false
                skipDocument = false
                return
            }
            guard let members = try? FoundationJSON.parseObject(UnsafeBufferPointer(rebasing: buffer[line])),
                  members.count == 1, let only = members.first else {
                malformed += 1
                return
            }
            let (operation, metadata) = (only.key, only.value)
            switch operation {
            case "create", "index":
                expectDocument = true
                let index = metadata["_index"]?.stringValue ?? target
                if index?.hasPrefix("logs-mimecast.shipper-") == true {
                    skipDocument = true
                    return
                }
                actions += 1
                if index != dataStream { wrongIndex += 1 }
                if let id = metadata["_id"]?.stringValue { documentIDs.append(id) }
            default:
                actions += 1
                unsupported += 1
            }
        }
        counters.withLock {
            // Answered like any action, but the heartbeat is not one of the measured events.
            $0.actions += actions
            $0.wrongIndex += wrongIndex
            $0.unsupportedActions += unsupported
            $0.malformedLines += malformed
        }
        validate(buffer, documents: documentRanges, ids: documentIDs)
    }

    private func validate(_ buffer: UnsafeBufferPointer<UInt8>, documents: [Range<Int>], ids newIDs: [String]) {
        var invalid = 0
        var withoutTimestamp = 0
        for range in documents {
            guard let document = try? FoundationJSON.parseObject(UnsafeBufferPointer(rebasing: buffer[range])) else {
                invalid += 1
                continue
            }
            if document["@timestamp"]?.stringValue == nil { withoutTimestamp += 1 }
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
