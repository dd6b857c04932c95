import FakeMimecast
import Foundation
import ShipperCore
import ShipperMimecast
import Testing

/// Answers that stop the run: the user has to change credentials, permissions or the request.
@Suite struct MimecastAccessErrorTests {
    typealias Support = MimecastTestSupport

    @Test func forbiddenIsAConfigurationErrorAboutPermissions() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 5, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            fake.failNextWithStatus(403, code: "err_forbidden", message: "Application lacks audit permission")
            let reader = try Support.reader(for: fake, credentials: Support.hmacCredentials(options))
            let error = try #require(await Support.mimecastError {
                _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            })
            #expect(error.isConfigurationProblem)
            #expect(error.description.contains("HTTP 403"))
            #expect(error.description.contains("permission to read audit events"))
            #expect(error.description.contains("MIMECAST_APP_ID"))
            #expect(fake.auditCallCount == 1)
        }
    }

    @Test func badRequestCarriesMimecastsCodesAndIsNotRetried() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 5, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            fake.failNextWithStatus(400, code: "err_validation_failed", message: "endDateTime is before startDateTime")
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options))
            await #expect(throws: MimecastError.apiFailure(
                path: "/api/audit/get-audit-events", status: 400,
                failures: [MimecastFailure(code: "err_validation_failed", message: "endDateTime is before startDateTime")]
            )) {
                _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            }
            #expect(fake.auditCallCount == 1)
        }
    }

    @Test func aTokenRefusedAgainAfterRenewalStopsTheRun() async throws {
        let options = FakeMimecastOptions(events: FakeAuditEvent.generate(count: 5, in: Support.day))
        try await FakeMimecast.run(options) { fake in
            fake.rejectBearerTokens()
            let reader = try Support.reader(for: fake, credentials: Support.oauthCredentials(options))
            let error = try #require(await Support.mimecastError {
                _ = try await Support.collect(reader.pages(in: Support.day, categories: []))
            })
            #expect(error.isConfigurationProblem)
            #expect(error.description.contains("MIMECAST_CLIENT_ID"))
            #expect(error.description.contains("access token is not valid"))
            #expect(fake.auditCalls.map(\.status) == [401, 401])
            #expect(fake.tokenCallCount == 2)
        }
    }

    @Test func unusableSecretKeyFailsWithoutCallingTheAPI() async throws {
        let options = FakeMimecastOptions()
        try await FakeMimecast.run(options) { fake in
            let credentials = MimecastCredentials.hmac(appID: "a", appKey: "b", accessKey: "c", secretKey: "%% not base64")
            let reader = try Support.reader(for: fake, credentials: credentials)
            await #expect(throws: MimecastError.self) {
                _ = try await reader.verifyCredentials()
            }
            #expect(fake.calls.isEmpty)
        }
    }
}
