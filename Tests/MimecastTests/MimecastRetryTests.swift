import FakeMimecast
import Foundation
import ShipperCore
import ShipperHTTP
import ShipperMimecast
import Testing

/// Rate limits, server errors, network errors and `fail` answers, with an instant recording sleeper.
@Suite struct MimecastRetryTests {
    typealias Support = MimecastTestSupport

    static var options: FakeMimecastOptions {
        FakeMimecastOptions(events: FakeAuditEvent.generate(count: 25, in: MimecastTestSupport.day))
    }

    @Test func rateLimitWithResetHeaderIsWaitedOutAndTheSamePageRepeated() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), pageSize: 10, sleeper: sleeper)
            var iterator = reader.pages(in: Support.day, categories: []).makeAsyncIterator()
            _ = try await iterator.next()
            fake.rateLimitNext(FakeRateLimit(resetMilliseconds: 1500))
            _ = try await iterator.next()
            _ = try await iterator.next()
            #expect(try await iterator.next() == nil)
            let calls = fake.auditCalls
            #expect(calls.map(\.status) == [200, 429, 200, 200])
            #expect(calls[1].pageToken != nil)
            #expect(calls[1].pageToken == calls[2].pageToken)
            #expect(calls[1].body == calls[2].body)
            #expect(sleeper.recorded == [.milliseconds(1500)])
            #expect(reader.statistics.rateLimitWaits == 1)
            #expect(calls.flatMap(\.servedEventIDs).count == 25)
        }
    }

    @Test func retryAfterSecondsIsHonoured() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.rateLimitNext(FakeRateLimit(retryAfterSeconds: 4), FakeRateLimit(retryAfterSeconds: 2))
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.hmacCredentials(options), sleeper: sleeper)
            let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
            #expect(pages.flatMap(\.events).count == 25)
            #expect(sleeper.recorded == [.seconds(4), .seconds(2)])
            #expect(fake.auditCalls.map(\.status) == [429, 429, 200])
        }
    }

    /// The jitter draw is injected, so the schedule is exact: base 1 s doubling, times the draw.
    /// A zero (or constant) backoff fails here.
    @Test func rateLimitWithoutHeadersBacksOffExponentially() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.rateLimitNext(FakeRateLimit(), FakeRateLimit(), FakeRateLimit(), FakeRateLimit())
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), sleeper: sleeper, jitter: { 0.5 })
            _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            #expect(sleeper.recorded == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
            #expect(fake.auditCalls.map(\.status) == [429, 429, 429, 429, 200])
        }
    }

    @Test func serverErrorsAreRetriedWithBackoff() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.failEveryNthCall(2)
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(
                for: fake, credentials: Support.oauthCredentials(options), pageSize: 10, sleeper: sleeper, jitter: { 0.75 }
            )
            let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
            #expect(pages.flatMap(\.events).compactMap(Support.id(of:)).count == 25)
            #expect(fake.auditCalls.map(\.status) == [200, 503, 200, 503, 200])
            #expect(reader.statistics.retries == 2)
            // Each failure is the first of its page's request: attempt 0, 1 s ceiling, draw 0.75.
            #expect(sleeper.recorded == [.milliseconds(750), .milliseconds(750)])
        }
    }

    @Test func persistentServerErrorsExhaustTheRetries() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.failNextWithServerError(10, status: 502)
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), maxRetries: 3, sleeper: sleeper, jitter: { 1 })
            await #expect(throws: MimecastError.retriesExhausted(path: "/api/audit/get-audit-events", attempts: 4, lastProblem: "HTTP 502")) {
                _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            }
            #expect(fake.auditCallCount == 4)
            #expect(sleeper.recorded == [.seconds(1), .seconds(2), .seconds(4)])
        }
    }

    @Test func failInsideA200SurfacesMimecastsCodes() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.failNextWithAPIError(code: "err_audit_query_invalid", message: "The query window is invalid")
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options))
            let error = try #require(await Support.mimecastError {
                _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            })
            #expect(error == .apiFailure(
                path: "/api/audit/get-audit-events", status: 200,
                failures: [MimecastFailure(code: "err_audit_query_invalid", message: "The query window is invalid")]
            ))
            #expect(error.description.contains("err_audit_query_invalid"))
            #expect(fake.auditCallCount == 1)
        }
    }

    @Test func lostConnectionsAreRetriedThenReported() async throws {
        let transport = FailingTransport(.connectionLost("Connection reset by peer"))
        let sleeper = RecordingSleeper()
        let configuration = MimecastConfiguration(baseURL: "https://mimecast.invalid", credentials: Support.hmacCredentials(Self.options), maxRetries: 2)
        let reader = MimecastAuditReader(configuration: configuration, transport: transport, sleeper: sleeper.sleeper, logger: Support.quietLogger)
        let error = try #require(await Support.mimecastError {
            _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
        })
        guard case .retriesExhausted(_, let attempts, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(attempts == 3)
        #expect(sleeper.recorded.count == 2)
        #expect(reader.statistics.retries == 2)
    }

    @Test func aRefusedConnectionIsRetriedOnceThenNamesTheHost() async throws {
        let options = Self.options
        let fake = try await FakeMimecast.start(options)
        let baseURL = fake.baseURL
        await fake.stop()
        let sleeper = RecordingSleeper()
        let configuration = MimecastConfiguration(baseURL: baseURL, credentials: Support.hmacCredentials(options), maxRetries: 5)
        let reader = MimecastAuditReader(configuration: configuration, transport: try CurlHTTPClient(), sleeper: sleeper.sleeper, logger: Support.quietLogger)
        let error = await #expect(throws: MimecastUnreachable.self) {
            _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
        }
        #expect(error?.description.hasPrefix("cannot reach 127.0.0.1: check MIMECAST_BASE_URL (connection refused") == true, "\(String(describing: error))")
        #expect(sleeper.recorded == [.seconds(1)])
        #expect(reader.statistics.retries == 1)
    }

    @Test func permanentTransportErrorsAreNotRetried() async throws {
        let transport = FailingTransport(.tls("certificate verify failed"))
        let sleeper = RecordingSleeper()
        let configuration = MimecastConfiguration(baseURL: "https://mimecast.invalid", credentials: Support.hmacCredentials(Self.options))
        let reader = MimecastAuditReader(configuration: configuration, transport: transport, sleeper: sleeper.sleeper, logger: Support.quietLogger)
        await #expect(throws: HTTPClientError.tls("certificate verify failed")) {
            _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
        }
        #expect(transport.attemptCount == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    /// A second read of the same window is a fresh paging session (no page token carried over
    /// from the first), sends the same window, and passes on every event once, late ones included.
    @Test func aSecondReadOfTheSameWindowStartsFreshAndPassesOnLateEventsOnce() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            let late = FakeAuditEvent.generate(count: 4, in: Support.day, idPrefix: "late")
            fake.addLateEvents(late, afterAuditCalls: 1)
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options))
            let first = try await Support.collect(reader.pages(in: Support.day, categories: []))
            let callsAfterFirst = fake.auditCalls.count
            let second = try await Support.collect(reader.pages(in: Support.day, categories: []))
            #expect(first.flatMap(\.events).count == 25)
            let secondIDs = second.flatMap(\.events).compactMap(Support.id(of:))
            #expect(secondIDs.count == 29)
            #expect(Set(secondIDs).count == 29)
            #expect(Set(late.map(\.id)).isSubset(of: Set(secondIDs)))
            let secondCalls = Array(fake.auditCalls.dropFirst(callsAfterFirst))
            #expect(secondCalls.first?.pageToken == nil)
            #expect(secondCalls.first?.startDateTime == fake.auditCalls.first?.startDateTime)
            #expect(secondCalls.first?.endDateTime == fake.auditCalls.first?.endDateTime)
            #expect(reader.statistics.events == 54)
        }
    }
}
