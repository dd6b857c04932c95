import Foundation
@_spi(Fuzzing) import ShipperMimecast
import ShipperCore
import ShipperECS
import ShipperHTTP

/// Parse + map + encode on one core, in process, with no network: the ceiling the pipeline's CPU
/// work allows. Each phase is timed on the thread's CPU clock, so the split says where the time
/// goes.
struct MicroBenchmarkResult: Sendable, Codable {
    var events: Int
    var rounds: Int
    /// Page decoding (`MimecastResponseDecoding.decodePage`, the reader's own decoder).
    var parseMicrosecondsPerEvent: Double
    /// `ECSMapper.map` (JSON parse of the event, eventInfo parsing, ECS document, `_id`).
    var mapMicrosecondsPerEvent: Double
    /// Bulk NDJSON lines (`create` action + document).
    var encodeMicrosecondsPerEvent: Double
    /// gzip level 1 of the bulk bodies, per 1000 documents as the sink batches them.
    var gzipMicrosecondsPerEvent: Double
    var eventsPerSecondParseMapEncode: Double
    var eventsPerSecondWithGzip: Double
    var documentBytesPerEvent: Double
}

enum MappingMicroBenchmark {
    static func run(catalog: PageCatalog, rounds: Int) throws -> MicroBenchmarkResult {
        let pages = catalog.pages.map { Array($0.readableBytesView) }
        let mapper = ECSMapper()
        let readAt = Date()
        var parse: Int64 = 0, map: Int64 = 0, encode: Int64 = 0, gzip: Int64 = 0
        var documentBytes = 0
        var events = 0
        for _ in 0..<rounds {
            var body: [UInt8] = []
            body.reserveCapacity(2 << 20)
            var inBody = 0
            for page in pages {
                var start = Clocks.threadCPUNanoseconds()
                let decoded = try MimecastResponseDecoding.decodePage(page)
                var now = Clocks.threadCPUNanoseconds()
                parse += now - start
                start = now
                let documents = decoded.events.map { mapper.map($0, readAt: readAt) }
                now = Clocks.threadCPUNanoseconds()
                map += now - start
                start = now
                var gzipInPage: Int64 = 0
                for document in documents {
                    body.append(contentsOf: #"{"create":{"_id":""#.utf8)
                    body.append(contentsOf: document.id.utf8)
                    body.append(contentsOf: "\"}}\n".utf8)
                    body.append(contentsOf: document.source)
                    body.append(UInt8(ascii: "\n"))
                    documentBytes += document.source.count
                    inBody += 1
                    if inBody == 1000 {
                        let gzipStart = Clocks.threadCPUNanoseconds()
                        _ = try Gzip.compress(body, level: 1)
                        gzipInPage += Clocks.threadCPUNanoseconds() - gzipStart
                        body.removeAll(keepingCapacity: true)
                        inBody = 0
                    }
                }
                encode += Clocks.threadCPUNanoseconds() - start - gzipInPage
                gzip += gzipInPage
                events += documents.count
            }
            if inBody > 0 {
                let start = Clocks.threadCPUNanoseconds()
                _ = try Gzip.compress(body, level: 1)
                gzip += Clocks.threadCPUNanoseconds() - start
            }
        }
        let perEvent = { (nanoseconds: Int64) in Double(nanoseconds) / 1000 / Double(max(events, 1)) }
        let core = perEvent(parse) + perEvent(map) + perEvent(encode)
        return MicroBenchmarkResult(
            events: catalog.eventCount, rounds: rounds,
            parseMicrosecondsPerEvent: perEvent(parse),
            mapMicrosecondsPerEvent: perEvent(map),
            encodeMicrosecondsPerEvent: perEvent(encode),
            gzipMicrosecondsPerEvent: perEvent(gzip),
            eventsPerSecondParseMapEncode: 1e6 / core,
            eventsPerSecondWithGzip: 1e6 / (core + perEvent(gzip)),
            documentBytesPerEvent: Double(documentBytes) / Double(max(events, 1))
        )
    }
}
