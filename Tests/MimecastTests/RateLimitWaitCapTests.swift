import FakeMimecast
import Foundation
import ShipperCore
import ShipperHTTP
@testable import ShipperMimecast
import Testing

/// The total time a read waits on 429s is capped, and hitting the cap says so.
@Suite struct RateLimitWaitCapTests {
    typealias Support = MimecastTestSupport

    static var options: FakeMimecastOptions {
        FakeMimecastOptions(events: FakeAuditEvent.generate(count: 25, in: MimecastTestSupport.day))
    }

    @Test func aResetYearsAwayIsNotWaitedThirtyTimes() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            let huge = FakeRateLimit(resetMilliseconds: 99_999_999_999)
            fake.rateLimitNext(huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge,
                               huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge, huge)
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), sleeper: sleeper)
            let error = await Support.mimecastError { _ = try await Support.collect(reader.pages(in: Support.day, categories: [])) }
            #expect(sleeper.recorded.reduce(.zero, +) <= .seconds(120), "\(sleeper.recorded)")
            #expect(error?.description.contains("--max-rate-limit-wait") == true, "\(String(describing: error))")
            #expect(error?.isConfigurationProblem == false)
        }
    }

    @Test func theCapCountsEveryWaitOfAReadAndANewReadStartsAfresh() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            let minute = FakeRateLimit(retryAfterSeconds: 50)
            fake.rateLimitNext(minute, minute, minute)
            let sleeper = RecordingSleeper()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options), sleeper: sleeper)
            let error = await Support.mimecastError { _ = try await Support.collect(reader.pages(in: Support.day, categories: [])) }
            guard case .rateLimitWaitCapReached(_, let waited, let requested, let cap) = error else {
                Issue.record("unexpected \(String(describing: error))")
                return
            }
            #expect(sleeper.recorded == [.seconds(50), .seconds(50)])
            #expect(waited == .seconds(100) && requested == .seconds(50) && cap == .seconds(120))
            // The next read (the next pass) has the whole allowance again.
            fake.rateLimitNext(minute, minute)
            let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
            #expect(pages.flatMap(\.events).count == 25)
            #expect(sleeper.recorded.count == 4)
        }
    }

    @Test func aZeroCapStopsAtTheFirstRateLimitWithoutWaiting() async throws {
        let options = Self.options
        try await FakeMimecast.run(options) { fake in
            fake.rateLimitNext(FakeRateLimit(retryAfterSeconds: 1))
            let sleeper = RecordingSleeper()
            var configuration = MimecastConfiguration(baseURL: fake.baseURL, credentials: Support.oauthCredentials(options))
            configuration.maxRateLimitWaitPerPass = .zero
            let reader = MimecastAuditReader(configuration: configuration, transport: try CurlHTTPClient(), sleeper: sleeper.sleeper, logger: Support.quietLogger)
            let error = await Support.mimecastError { _ = try await Support.collect(reader.pages(in: Support.day, categories: [])) }
            #expect(error?.description.contains("cap of 0 s") == true, "\(String(describing: error))")
            #expect(sleeper.recorded.isEmpty)
        }
    }
}
