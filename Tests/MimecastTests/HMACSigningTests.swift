import FakeMimecast
import Foundation
import ShipperMimecast
import Testing

@Suite struct HMACSigningTests {
    // Vector computed independently (Python hmac/hashlib) from the documented algorithm.
    static let secretKey = "c2VjcmV0LWtleS1mb3ItdGVzdHM=" // base64("secret-key-for-tests")
    static let appKey = "4b0a5b0c-app-key"
    static let requestID = "8578FCFC-A305-4D9A-99CB-F4D5ECEFE297"
    static let date = Date(timeIntervalSince1970: 1_714_641_247) // 2024-05-02T09:14:07Z

    static var signer: HMACRequestSigner {
        HMACRequestSigner(appID: "app-id-1", appKey: appKey, accessKey: "access-key-1", secretKeyBase64: secretKey)!
    }

    @Test func knownVectorProducesTheExpectedSignature() {
        let signature = Self.signer.signature(date: "Thu, 02 May 2024 09:14:07 UTC", requestID: Self.requestID, path: "/api/audit/get-audit-events")
        #expect(signature == "8KcUaPrcq2f08JEYrXUa0XPf8bA=")
    }

    @Test func dataToSignJoinsDateRequestIDPathAndAppKey() {
        let text = Self.signer.dataToSign(date: "Thu, 02 May 2024 09:14:07 UTC", requestID: Self.requestID, path: "/api/audit/get-audit-events")
        #expect(text == "Thu, 02 May 2024 09:14:07 UTC:8578FCFC-A305-4D9A-99CB-F4D5ECEFE297:/api/audit/get-audit-events:4b0a5b0c-app-key")
    }

    @Test func headersCarryTheSignedDateAndIDs() {
        let headers = Dictionary(uniqueKeysWithValues: Self.signer.headers(date: Self.date, requestID: Self.requestID, path: "/api/audit/get-audit-events").map { ($0.name, $0.value) })
        #expect(headers["x-mc-date"] == "Thu, 02 May 2024 09:14:07 UTC")
        #expect(headers["x-mc-req-id"] == Self.requestID)
        #expect(headers["x-mc-app-id"] == "app-id-1")
        #expect(headers["Authorization"] == "MC access-key-1:8KcUaPrcq2f08JEYrXUa0XPf8bA=")
    }

    @Test func invalidBase64SecretIsRejected() {
        #expect(HMACRequestSigner(appID: "a", appKey: "b", accessKey: "c", secretKeyBase64: "not base64!!") == nil)
    }

    @Test func fakeVerifierAcceptsTheSignerAndRejectsTampering() {
        let verifier = FakeSignatureVerifier(appID: "app-id-1", appKey: Self.appKey, accessKey: "access-key-1", secretKeyBase64: Self.secretKey)
        var headers: [String: String] = [:]
        for field in Self.signer.headers(date: Self.date, requestID: Self.requestID, path: "/api/audit/get-audit-events") {
            headers[field.name.lowercased()] = field.value
        }
        #expect(verifier.problem(headers: headers, path: "/api/audit/get-audit-events", now: Self.date) == nil)
        #expect(verifier.problem(headers: headers, path: "/api/audit/get-audit-events", now: Self.date.addingTimeInterval(901)) != nil)
        #expect(verifier.problem(headers: headers, path: "/api/other", now: Self.date) == "signature does not match")
        var tampered = headers
        tampered["x-mc-req-id"] = UUID().uuidString
        #expect(verifier.problem(headers: tampered, path: "/api/audit/get-audit-events", now: Self.date) == "signature does not match")
    }
}

@Suite struct MimecastDateFormatTests {
    @Test func headerDateIsRFC1123WithUTC() {
        #expect(MimecastDateFormat.headerDate(HMACSigningTests.date) == "Thu, 02 May 2024 09:14:07 UTC")
        #expect(MimecastDateFormat.headerDate(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 UTC")
    }

    @Test func bodyDateUsesPlusZeroOffset() {
        #expect(MimecastDateFormat.bodyDate(HMACSigningTests.date) == "2024-05-02T09:14:07+0000")
        #expect(MimecastDateFormat.bodyDate(Date(timeIntervalSince1970: 1_704_067_199)) == "2023-12-31T23:59:59+0000")
    }

    @Test func productionAndFakeDateCodecsAgree() {
        let date = Date(timeIntervalSince1970: 1_735_689_600 + 12_345)
        #expect(FakeDates.parseHeader(MimecastDateFormat.headerDate(date)) == date)
        #expect(FakeDates.parseBody(MimecastDateFormat.bodyDate(date)) == date)
    }
}
