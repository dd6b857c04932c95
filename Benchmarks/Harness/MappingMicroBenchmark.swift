import Foundation
@_spi(Fuzzing) import ShipperMimecast
import ShipperCore
import ShipperECS
import ShipperHTTP
@_spi(Benchmarks) import ShipperElasticsearch

/// Parse + map + encode + compress on one core, in process, with no network: the ceiling the
/// pipeline's CPU work allows. Each stage calls the code the shipper runs (the reader's page
/// decoder, a mapping session's `map` as the job runs it, the sink's `BulkRequestBody.encode`, `Gzip.compress` as the
/// Elasticsearch client calls it) and is timed on the thread's CPU clock, so the split says where
/// the time goes.
struct MicroBenchmarkResult: Sendable, Codable {
    var events: Int
    var rounds: Int
    /// Page decoding (`MimecastResponseDecoding.decodePage`, the reader's own decoder).
    var parseMicrosecondsPerEvent: Double
    /// `ECSMappingSession.map`, as the job maps (JSON parse of the event, eventInfo parsing, ECS
    /// document and `_id`, written into the session's arenas).
    var mapMicrosecondsPerEvent: Double
    /// Bulk NDJSON bodies of 1000 documents (`BulkRequestBody.encode` through `BenchmarkAccess`, as the sink batches them).
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
        // The job's mapping: a session, whose documents lie in its arenas (`ECSMapper.map` alone
        // gives each document an array).
        let mapper = ECSMapper().session()
        let readAt = Date()
        var parse: Int64 = 0, map: Int64 = 0, encode: Int64 = 0, gzip: Int64 = 0
        var documentBytes = 0
        var events = 0
        let batch = BulkIndexerConfiguration.defaultMaxBatchDocuments
        for _ in 0..<rounds {
            var pending: [MappedDocument] = []
            pending.reserveCapacity(batch)
            func flush() throws {
                var start = Clocks.threadCPUNanoseconds()
                let body = BenchmarkAccess.bulkBody(pending)
                var now = Clocks.threadCPUNanoseconds()
                encode += now - start
                start = now
                _ = try Gzip.compress(body, level: 1)
                now = Clocks.threadCPUNanoseconds()
                gzip += now - start
                pending.removeAll(keepingCapacity: true)
            }
            for page in pages {
                var start = Clocks.threadCPUNanoseconds()
                let decoded = try MimecastResponseDecoding.decodePage(page)
                var now = Clocks.threadCPUNanoseconds()
                parse += now - start
                start = now
                let documents = decoded.events.map { mapper.map($0, readAt: readAt) }
                now = Clocks.threadCPUNanoseconds()
                map += now - start
                for document in documents {
                    documentBytes += document.sourceCount
                    pending.append(document)
                    if pending.count == batch { try flush() }
                }
                events += documents.count
            }
            if !pending.isEmpty { try flush() }
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
