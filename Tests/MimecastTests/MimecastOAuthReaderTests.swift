import FakeMimecast
import Foundation
import ShipperCore
import ShipperMimecast
import ShipperTestSupport
import Testing

/// API 2.0 end to end against the loopback fake, over the real libcurl client.
@Suite struct MimecastOAuthReaderTests {
    typealias Support = MimecastTestSupport

    @Test func everyEventArrivesExactlyOnceInFiveCallsWithOneToken() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 2345, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options))
            let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
            let ids = pages.flatMap(\.events).compactMap(Support.id(of:))
            #expect(ids.count == 2345)
            #expect(Set(ids).count == 2345)
            #expect(Set(ids) == Set(options.events.map(\.id)))
            #expect(pages.map(\.events.count) == [500, 500, 500, 500, 345])
            #expect(pages.map(\.endsSlice) == [false, false, false, false, true])
            #expect(fake.auditCallCount == 5)
            #expect(fake.tokenCallCount == 1)
            let calls = fake.auditCalls
            #expect(calls.allSatisfy { $0.status == 200 && $0.pageSize == 500 })
            #expect(calls.first?.pageToken == nil)
            #expect(calls.dropFirst().allSatisfy { $0.pageToken != nil })
            #expect(calls.allSatisfy { $0.startDateTime == "2024-05-02T00:00:00+0000" && $0.endDateTime == "2024-05-03T00:00:00+0000" })
            #expect(calls.allSatisfy { $0.headers["authorization"]?.hasPrefix("Bearer fake-token-1-") == true })
            let statistics = reader.statistics
            #expect(statistics.auditCalls == 5)
            #expect(statistics.tokenCalls == 1)
            #expect(statistics.events == 2345)
            #expect(statistics.pages == 5)
        }
    }

    @Test func eventsKeepTheBytesTheAPISent() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 7, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), pageSize: 3)
            let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
            let received = pages.flatMap(\.events).map { String(decoding: $0.bytes, as: UTF8.self) }
            #expect(received == options.events.map(\.json))
        }
    }

    /// The filter is Mimecast's to apply; what the reader owns is the request body, judged here
    /// by JSONSerialization against the documented shape (`data[0].categories`, absent when all
    /// categories are wanted).
    @Test func categoryFilterIsSentInTheDocumentedRequestBody() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 30, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options))
            _ = try await Support.collect(reader.pages(in: Support.day, categories: ["mimecast_access_logs", "account_logs"]))
            _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            let bodies = try fake.auditCalls.map { try FoundationJSON.parse($0.body) }
            #expect(bodies.count == 2)
            let filtered = try #require(bodies.first?["data"]?.arrayValue)
            #expect(filtered.count == 1)
            #expect(filtered.first?["categories"] == .array([.string("mimecast_access_logs"), .string("account_logs")]))
            #expect(filtered.first?["startDateTime"]?.stringValue?.isEmpty == false)
            #expect(bodies.last?["data"]?.arrayValue?.first?.objectValue?.keys.contains("categories") == false)
        }
    }

    @Test func tokenIsRenewedWhenCloseToExpiry() async throws {
        let clock = FakeClock(Date())
        var options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 30, in: Support.day))
        options.tokenLifetime = 300
        options.now = clock.closure
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), pageSize: 10, now: clock.closure)
            var iterator = reader.pages(in: Support.day, categories: []).makeAsyncIterator()
            _ = try await iterator.next()
            clock.advance(by: 200) // 100 s left: still reused
            _ = try await iterator.next()
            #expect(fake.tokenCallCount == 1)
            clock.advance(by: 50) // 50 s left: inside the 60 s margin, renewed before use
            let last = try await iterator.next()
            #expect(last?.endsSlice == true)
            #expect(try await iterator.next() == nil)
            #expect(fake.tokenCallCount == 2)
            #expect(fake.auditCalls.allSatisfy { $0.status == 200 })
            let tokens = fake.auditCalls.compactMap { $0.headers["authorization"] }
            #expect(tokens[0] == tokens[1])
            #expect(tokens[1] != tokens[2])
        }
    }

    @Test func tokenIsRenewedOnceAfterA401() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 20, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), pageSize: 10)
            var iterator = reader.pages(in: Support.day, categories: []).makeAsyncIterator()
            let first = try await iterator.next()
            fake.revokeTokens()
            let second = try await iterator.next()
            #expect(first?.events.count == 10)
            #expect(second?.events.count == 10)
            #expect(second?.endsSlice == true)
            #expect(fake.tokenCallCount == 2)
            #expect(fake.auditCalls.map(\.status) == [200, 401, 200])
            #expect(fake.auditCalls[1].pageToken == fake.auditCalls[2].pageToken)
            #expect(reader.statistics.tokenRenewalsAfter401 == 1)
        }
    }

    @Test func wrongClientSecretIsAConfigurationError() async throws {
        let options = FakeMimecastOptions()
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: .oauth(clientID: options.clientID, clientSecret: "wrong-secret-value"))
            let error = try #require(await Support.mimecastError {
                _ = try await reader.verifyCredentials()
            })
            #expect(error.isConfigurationProblem)
            #expect(error.description.contains("MIMECAST_CLIENT_SECRET"))
            #expect(error.description.contains("invalid_client"))
            #expect(!error.description.contains("wrong-secret-value"))
            #expect(fake.tokenCallCount == 1)
        }
    }

    @Test func verifyCredentialsFetchesAToken() async throws {
        let options = FakeMimecastOptions()
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options))
            let line = try await reader.verifyCredentials()
            #expect(line.contains("API 2.0"))
            #expect(!line.contains(options.clientSecret))
            #expect(fake.tokenCallCount == 1)
            #expect(fake.auditCallCount == 0)
        }
    }

    @Test func longWindowsAreReadSliceBySlice() async throws {
        let threeDays = TimeWindow(start: Support.dayStart, end: Support.dayStart.addingTimeInterval(3 * 86400))
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 90, in: threeDays))
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), pageSize: 20)
            let pages = try await Support.collect(reader.pages(in: threeDays, categories: []))
            #expect(pages.flatMap(\.events).count == 90)
            let slices = pages.filter(\.endsSlice).map(\.slice)
            #expect(slices == threeDays.slices(of: 86400))
            for page in pages {
                for event in page.events {
                    let time = (try? JSONValue.parse(event.bytes))?["eventTime"]?.stringValue.flatMap(FakeDates.parseBody)
                    #expect(time.map(page.slice.contains) == true)
                }
            }
            #expect(fake.auditCalls.filter { $0.pageToken == nil }.count == 3)
            #expect(Set(fake.auditCalls.compactMap(\.startDateTime)).count == 3)
        }
    }
}
