import FakeMimecast
import Foundation
import ShipperCore
import ShipperMimecast
import Testing

/// API 1.0 end to end: the fake verifies every signature independently.
@Suite struct MimecastHMACReaderTests {
    typealias Support = MimecastTestSupport

    @Test func signedReadPagesThroughTheDataSet() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 1200, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.hmacCredentials(options))
            let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
            let ids = pages.flatMap(\.events).compactMap(Support.id(of:))
            #expect(ids.count == 1200)
            #expect(Set(ids).count == 1200)
            #expect(fake.auditCalls.map(\.status) == [200, 200, 200])
            #expect(fake.tokenCallCount == 0)
            let requestIDs = fake.auditCalls.compactMap { $0.headers["x-mc-req-id"] }
            #expect(Set(requestIDs).count == 3)
            #expect(fake.auditCalls.allSatisfy { $0.headers["x-mc-app-id"] == options.appID })
            #expect(fake.auditCalls.allSatisfy { $0.headers["authorization"]?.hasPrefix("MC \(options.accessKey):") == true })
            #expect(fake.auditCalls.allSatisfy { $0.headers["x-mc-date"]?.hasSuffix(" UTC") == true })
        }
    }

    @Test func wrongSecretKeyGetsA401AndAConfigurationError() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 5, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            let wrongKey = Data("another-secret".utf8).base64EncodedString()
            let credentials = MimecastCredentials.hmac(appID: options.appID, appKey: options.appKey, accessKey: options.accessKey, secretKey: wrongKey)
            let reader = try Support.reader(for: fake, credentials: credentials)
            let error = try #require(await Support.mimecastError {
                _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            })
            #expect(error.isConfigurationProblem)
            #expect(error.description.contains("MIMECAST_SECRET_KEY"))
            #expect(error.description.contains("signature does not match"))
            #expect(!error.description.contains(wrongKey))
            #expect(fake.auditCalls.map(\.status) == [401])
        }
    }

    @Test func staleDateIsRejected() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 5, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            let skewed: @Sendable () -> Date = { Date().addingTimeInterval(-16 * 60) }
            let reader = try Support.reader(for: fake, credentials: Support.hmacCredentials(options), now: skewed)
            let error = try #require(await Support.mimecastError {
                _ = try await reader.verifyCredentials()
            })
            #expect(error.isConfigurationProblem)
            #expect(error.description.contains("clock"))
            #expect(error.description.contains("too far from server time"))
        }
    }

    @Test func verifyCredentialsMakesOneSignedCall() async throws {
        let options = FakeMimecastOptions()
        try await FakeMimecast.run(options) { fake in
            let reader = try Support.reader(for: fake, credentials: Support.hmacCredentials(options))
            let line = try await reader.verifyCredentials()
            #expect(line.contains("API 1.0"))
            #expect(fake.auditCalls.map(\.status) == [200])
            #expect(fake.auditCalls.first?.pageSize == 1)
        }
    }

    @Test func retriedRequestsAreSignedAfresh() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 5, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            fake.failNextWithServerError(2)
            let reader = try Support.reader(for: fake, credentials: Support.hmacCredentials(options))
            let pages = try await Support.collect(reader.pages(in: Support.day, categories: []))
            #expect(pages.flatMap(\.events).count == 5)
            #expect(fake.auditCalls.map(\.status) == [503, 503, 200])
            #expect(Set(fake.auditCalls.compactMap { $0.headers["x-mc-req-id"] }).count == 3)
        }
    }
}
