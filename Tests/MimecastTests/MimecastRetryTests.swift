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

    @Test func rateLimitWithoutHeadersBacksOffExponentially() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.rateLimitNext(FakeRateLimit(), FakeRateLimit(), FakeRateLimit())
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), sleeper: sleeper)
            _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            let backoff = ExponentialBackoff(base: .seconds(1), cap: .seconds(60))
            let waits = sleeper.recorded
            #expect(waits.count == 3)
            for (attempt, wait) in waits.enumerated() {
                #expect(wait >= .zero && wait <= backoff.ceiling(attempt: attempt))
            }
        }
    }

    @Test func serverErrorsAreRetriedWithBackoff() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.failEveryNthCall(2)
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), pageSize: 10, sleeper: sleeper)
            let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
            #expect(pages.flatMap(\.events).compactMap(Support.id(of:)).count == 25)
            #expect(fake.auditCalls.map(\.status) == [200, 503, 200, 503, 200])
            #expect(reader.statistics.retries == 2)
            #expect(sleeper.recorded.count == 2)
            #expect(sleeper.recorded.allSatisfy { $0 <= .seconds(1) })
        }
    }

    @Test func persistentServerErrorsExhaustTheRetries() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.failNextWithServerError(10, status: 502)
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), maxRetries: 3, sleeper: sleeper)
            await #expect(throws: MimecastError.retriesExhausted(path: "/api/audit/get-audit-events", attempts: 4, lastProblem: "HTTP 502")) {
                _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            }
            #expect(fake.auditCallCount == 4)
            #expect(sleeper.recorded.count == 3)
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

    @Test func lateEventsAppearInLaterReads() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            let late = FakeAuditEvent.generate(count: 4, in: Support.day, idPrefix: "late")
            fake.addLateEvents(late, afterAuditCalls: 1)
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options))
            let first = try await Support.collect(reader.pages(in: Support.day, categories: []))
            let second = try await Support.collect(reader.pages(in: Support.day, categories: []))
            #expect(first.flatMap(\.events).count == 25)
            #expect(second.flatMap(\.events).count == 29)
        }
    }
}
