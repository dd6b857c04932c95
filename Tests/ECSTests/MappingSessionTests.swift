import Foundation
import ShipperCore
@testable import ShipperECS
import ShipperTestSupport
import Testing

/// A mapping session keeps its memory between events without locks (the page's read time, the
/// last document's buffers, the classification of each pair); what it maps must be what the
/// shared mapper maps, document for document, whatever came before.
@Suite struct MappingSessionTests {
    @Test func aSessionMapsEveryEventAsTheSharedMapperDoes() throws {
        var rng = SplitMix64(seed: 0x5E55_0018)
        var events = try ECSTestSupport.sampleEvents()
        events += FastPathParityTests.handWritten.map { RawAuditEvent(bytes: Array($0.utf8)) }
        // Mutations, so pipeline errors and escaped or non-ASCII texts come between plain events.
        for event in try ECSTestSupport.sampleEvents() {
            for _ in 0..<40 {
                var bytes = event.bytes
                let position = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[position] = [0x22, 0x5C, 0xC3, 0x41, 0x7B][Int.random(in: 0..<5, using: &rng)]
                events.append(RawAuditEvent(bytes: bytes))
            }
        }
        let mapper = ECSMapper(options: ECSMappingOptions(namespace: "prod"))
        let session = mapper.session()
        let reads = [Date(timeIntervalSince1970: 1_714_641_247), Date(timeIntervalSince1970: 1_714_641_248.5)]
        for (index, event) in events.shuffled(using: &rng).enumerated() {
            // A new read time every few events, as pages come, and sometimes back to an earlier one.
            let readAt = reads[(index / 7) % reads.count]
            let expected = ECSMapper(options: ECSMappingOptions(namespace: "prod")).map(event, readAt: readAt)
            let mapped = session.map(event, readAt: readAt)
            #expect(mapped.id == expected.id)
            #expect(mapped.source == expected.source, "\(String(decoding: event.bytes.prefix(80), as: UTF8.self))")
            #expect(mapped.isPipelineError == expected.isPipelineError)
            #expect(mapped.eventTime == expected.eventTime)
        }
    }

    /// Past `ClassificationPairTable.capacity` pairs a session renders new pairs for each event
    /// instead of keeping them, and still maps them as the shared mapper does.
    @Test func aSessionPastItsClassificationCapacityStillMapsAlike() {
        let mapper = ECSMapper()
        let session = mapper.session()
        let readAt = Date(timeIntervalSince1970: 1_714_641_247)
        for index in 0..<(ClassificationPairTable.capacity + 20) {
            let event = RawAuditEvent(bytes: Array(
                #"{"id":"e\#(index)","auditType":"Type \#(index)","category":"cat","eventTime":"2024-05-02T09:14:07+0000"}"#.utf8))
            #expect(session.map(event, readAt: readAt).source == mapper.map(event, readAt: readAt).source)
        }
    }

    /// A session writes its documents into arenas it lets go of as they fill: every document
    /// keeps its bytes after its arena is replaced and after the session is gone, an event larger
    /// than an arena gets one of its own, and the documents match the shared mapper's.
    @Test func documentsOutliveTheArenasTheirSessionLetGo() {
        let mapper = ECSMapper()
        let readAt = Date(timeIntervalSince1970: 1_714_641_247)
        let large = String(repeating: "x", count: DocumentArena.standardCapacity)
        let events = (0..<600).map { index in
            let info = index == 300 ? large : "Logon from IP: 192.0.2.\(index % 250) by user\(index)@example.org"
            return RawAuditEvent(bytes: Array(
                #"{"id":"e\#(index)","auditType":"Logon Authentication Failed","user":"user\#(index)@example.org","eventTime":"2024-05-02T09:14:07+0000","eventInfo":"\#(info)","category":"authentication_logs"}"#.utf8))
        }
        var mapped: [MappedDocument] = []
        do {
            let session = mapper.session()
            mapped = events.map { session.map($0, readAt: readAt) }
        }
        // Some 600 kilobyte-sized documents and one larger than an arena: several arenas filled.
        #expect(mapped.map(\.sourceCount).reduce(0, +) > 2 * DocumentArena.standardCapacity)
        #expect(mapped[300].sourceCount > DocumentArena.standardCapacity)
        for (event, document) in zip(events, mapped) {
            #expect(document == mapper.map(event, readAt: readAt))
        }
    }
}
