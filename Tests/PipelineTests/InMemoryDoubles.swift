import Foundation
import ShipperCore
import Synchronization

/// A source over a fixed list of (event time, raw event) pairs, sliced like the real reader, with
/// optional late arrivals and failures, for job tests that need no network.
final class InMemorySource: AuditEventSource, Sendable {
    struct Event: Sendable {
        let time: Date
        let raw: RawAuditEvent
    }

    private let state: Mutex<(events: [Event], failAfterPages: Int?, pagesServed: Int)>
    private let pulled = Atomic<Int>(0)

    /// Pages handed out so far (by the stream, to the job's prefetching producer).
    var pagesPulled: Int { pulled.load(ordering: .relaxed) }
    let sliceLength: TimeInterval
    let pageSize: Int

    init(events: [Event], sliceLength: TimeInterval = 86_400, pageSize: Int = 3, failAfterPages: Int? = nil) {
        self.state = Mutex((events, failAfterPages, 0))
        self.sliceLength = sliceLength
        self.pageSize = pageSize
    }

    func add(_ event: Event) { state.withLock { $0.events.append(event) } }

    func failAfter(pages: Int?) { state.withLock { $0.failAfterPages = pages; $0.pagesServed = 0 } }

    func pages(in window: TimeWindow, categories: [String]) -> AsyncThrowingStream<AuditEventPage, any Error> {
        var pending: [AuditEventPage] = []
        let events = state.withLock { $0.events }
        for slice in window.slices(of: sliceLength) {
            let inSlice = events.filter { slice.contains($0.time) }.map(\.raw)
            var chunks = stride(from: 0, to: inSlice.count, by: pageSize).map { Array(inSlice[$0..<min($0 + pageSize, inSlice.count)]) }
            if chunks.isEmpty { chunks = [[]] }
            for (index, chunk) in chunks.enumerated() {
                pending.append(AuditEventPage(events: chunk, slice: slice, endsSlice: index == chunks.count - 1))
            }
        }
        let queue = Mutex(pending)
        return AsyncThrowingStream {
            try self.state.withLock { state in
                if let limit = state.failAfterPages, state.pagesServed >= limit {
                    throw TestFailure("source failed after \(limit) pages")
                }
                state.pagesServed += 1
            }
            let page = queue.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            if page != nil { self.pulled.add(1, ordering: .relaxed) }
            return page
        }
    }
}

/// A sink that stores by `_id` like Elasticsearch with `create` (second copy = duplicate) and can
/// be told to fail.
final class InMemorySink: DocumentSink, Sendable {
    private let state = Mutex<(stored: [String: [UInt8]], failing: Bool, calls: Int, crashAfterShipping: Bool)>(([:], false, 0, false))
    private let onShip: @Sendable ([MappedDocument]) -> Void

    init(onShip: @escaping @Sendable ([MappedDocument]) -> Void = { _ in }) {
        self.onShip = onShip
    }

    var stored: [String: [UInt8]] { state.withLock { $0.stored } }
    var calls: Int { state.withLock { $0.calls } }

    func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    /// Store the batch, then throw: Elasticsearch accepted it but the process "dies" before the
    /// checkpoint is written.
    func setCrashAfterShipping(_ crash: Bool) { state.withLock { $0.crashAfterShipping = crash } }

    func ship(_ documents: [MappedDocument]) async throws -> ShipReport {
        onShip(documents)
        return try state.withLock { state in
            state.calls += 1
            if state.failing { throw TestFailure("elasticsearch is down") }
            var report = ShipReport()
            for document in documents {
                if state.stored[document.id] == nil {
                    state.stored[document.id] = document.source
                    report.indexed += 1
                } else {
                    report.duplicates += 1
                }
            }
            if state.crashAfterShipping { throw TestFailure("crashed after the bulk was accepted") }
            return report
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A trivial mapper for job tests: the raw event is the document, its text the id.
let passThroughMap: @Sendable (RawAuditEvent, Date) -> MappedDocument = { event, _ in
    MappedDocument(id: String(decoding: event.bytes, as: UTF8.self), source: event.bytes)
}

func date(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}

func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "shipper-test-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
