import FakeMimecast
import Foundation
import ShipperCore
@testable import ShipperMimecast
import Testing

/// Paging that would lose events or never end (issue 11, cases 1 and 2), against the fake
/// Mimecast serving the exact pages a hostile or surprising server sends.
@Suite struct HostilePagingTests {
    static let events = FakeAuditEvent.generate(count: 6, in: TimeWindow(
        start: MimecastTestSupport.dayStart.addingTimeInterval(3600), end: MimecastTestSupport.dayStart.addingTimeInterval(7200)))

    static func page(_ slice: ArraySlice<FakeAuditEvent>, next: JSONValue?, total: Int?) -> String {
        FakeMimecast.pageBody(events: Array(slice), next: next, totalCount: total, pageSize: 3)
    }

    /// Reads the whole day and returns the ids of every event received.
    static func readDay(_ fake: FakeMimecast) async throws -> [String] {
        let reader = try MimecastTestSupport.reader(for: fake, credentials: MimecastTestSupport.oauthCredentials(FakeMimecastOptions()), pageSize: 3)
        let pages = try await MimecastTestSupport.collect(reader.pages(in: MimecastTestSupport.day, categories: []))
        return pages.flatMap(\.events).compactMap { try? JSONValue.parse($0.bytes)["id"]?.stringValue }
    }

    @Test(arguments: [6, nil] as [Int?])
    func anEmptyPageWithANextTokenDoesNotEndTheSlice(totalCount: Int?) async throws {
        try await FakeMimecast.run { fake in
            fake.serveScriptedPages([
                Self.page(Self.events[0..<3], next: .string("p2"), total: totalCount),
                Self.page([], next: .string("p3"), total: totalCount),
                Self.page(Self.events[3..<6], next: nil, total: totalCount),
            ])
            let ids = try await Self.readDay(fake)
            #expect(ids == Self.events.map(\.id))
            #expect(fake.auditCallCount == 3)
        }
    }

    @Test func withoutTotalCountThreeEmptyPagesInARowEndTheSlice() async throws {
        try await FakeMimecast.run { fake in
            fake.serveScriptedPages([
                Self.page(Self.events[0..<3], next: .string("p2"), total: nil),
                Self.page([], next: .string("p3"), total: nil),
                Self.page([], next: .string("p4"), total: nil),
                Self.page([], next: .string("p5"), total: nil),
                Self.page(Self.events[3..<6], next: nil, total: nil),
            ])
            let ids = try await Self.readDay(fake)
            #expect(ids == Array(Self.events.prefix(3).map(\.id)))
            #expect(fake.auditCallCount == 4)
        }
    }

    @Test func withTotalCountReachedTheSliceEndsEvenWithANextToken() async throws {
        try await FakeMimecast.run { fake in
            fake.serveScriptedPages([
                Self.page(Self.events[0..<3], next: .string("p2"), total: 6),
                Self.page(Self.events[3..<6], next: .string("p3"), total: 6),
            ])
            let ids = try await Self.readDay(fake)
            #expect(ids == Self.events.map(\.id))
            #expect(fake.auditCallCount == 2)
        }
    }

    @Test(arguments: [JSONValue.number(42), .bool(true), .object([:])])
    func aNextThatIsNotAStringIsAMalformedResponse(next: JSONValue) async throws {
        try await FakeMimecast.run { fake in
            fake.serveScriptedPages([Self.page(Self.events[0..<3], next: next, total: 6)])
            let error = await #expect(throws: MimecastError.self) { try await Self.readDay(fake) }
            #expect(error?.description.contains("next") == true, "\(String(describing: error))")
        }
    }

    @Test func aCyclingNextTokenIsDetected() async throws {
        try await FakeMimecast.run { fake in
            // A -> B -> A: the third page names a token this slice already followed.
            fake.serveScriptedPages((0..<40).map { index in
                Self.page(Self.events[index % 6..<(index % 6 + 1)], next: .string(index % 2 == 0 ? "B" : "A"), total: nil)
            })
            let error = await #expect(throws: MimecastError.self) { try await Self.readDay(fake) }
            #expect(error?.description.contains("repeats") == true, "\(String(describing: error))")
            #expect(fake.auditCallCount == 3)
        }
    }

    @Test func endlessEmptyPagesUnderATotalCountAreBounded() async throws {
        try await FakeMimecast.run { fake in
            fake.serveEndlessPages(eventsPerPage: 0, totalCount: 5)
            let error = await #expect(throws: MimecastError.self) { try await Self.readDay(fake) }
            #expect(error?.description.contains("pages") == true, "\(String(describing: error))")
            #expect(fake.auditCallCount < 20)
        }
    }

    @Test func endlessFreshTokensHitTheGenerousCap() throws {
        var pager = SlicePager(window: MimecastTestSupport.day, sliceLength: 86_400, pageSize: 100, maxPagesPerSlice: 50)
        var error: MimecastError?
        for page in 1...60 {
            do {
                _ = try pager.record(next: "fresh-\(page)", eventCount: 1, totalCount: nil)
            } catch let caught {
                error = caught
                #expect(page == 50)
                break
            }
        }
        #expect(error?.description.contains("50 pages") == true, "\(String(describing: error))")
    }

    @Test func duplicateDataMembersAreAMalformedResponse() {
        let body = Array(#"{"meta":{"status":200},"data":[{"id":"a"}],"data":[{"id":"b"}],"fail":[]}"#.utf8)
        #expect(throws: MimecastError.self) { try AuditResponsePage.parse(body) }
    }

    @Test func slicesArePlannedLazily() {
        // 30 days in 1-minute slices: planned one at a time, never all up front.
        let start = Date(timeIntervalSince1970: 0)
        var pager = SlicePager(window: TimeWindow(start: start, end: start.addingTimeInterval(30 * 86_400)), sliceLength: 60, pageSize: 100)
        #expect(pager.currentSlice == TimeWindow(start: start, end: start.addingTimeInterval(60)))
        #expect((try? pager.record(next: nil, eventCount: 0, totalCount: nil)) == true)
        #expect(pager.currentSlice == TimeWindow(start: start.addingTimeInterval(60), end: start.addingTimeInterval(120)))
        #expect(MemoryLayout<SlicePager>.size < 256)
    }
}
