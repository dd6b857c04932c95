import Foundation

/// What the fake accepts and serves. Every credential has a harmless default so tests only set
/// what they are about.
public struct FakeMimecastOptions: Sendable {
    public var clientID = "fake-client-id"
    public var clientSecret = "fake-client-secret"
    public var appID = "fake-app-id"
    public var appKey = "fake-app-key"
    public var accessKey = "fake-access-key"
    public var secretKeyBase64 = Data("fake-secret-key-material-0123456789".utf8).base64EncodedString()
    /// `expires_in` of issued tokens, in seconds.
    public var tokenLifetime = 1800
    public var maxClockSkew: TimeInterval = 900
    /// Page size used when a request names none, and the largest honoured.
    public var defaultPageSize = 100
    public var maxPageSize = 500
    public var now: @Sendable () -> Date = { Date() }
    public var events: [FakeAuditEvent] = []

    public init(events: [FakeAuditEvent] = []) {
        self.events = events
    }

    public var signatureVerifier: FakeSignatureVerifier {
        FakeSignatureVerifier(
            appID: appID, appKey: appKey, accessKey: accessKey, secretKeyBase64: secretKeyBase64, maxClockSkew: maxClockSkew
        )
    }
}

/// One request the fake received, for assertions.
public struct FakeMimecastCall: Sendable {
    public let path: String
    /// Header names lower-cased.
    public let headers: [String: String]
    public let body: [UInt8]
    /// The status the fake answered.
    public let status: Int
    /// Decoded from an audit request body (nil when absent or unreadable).
    public let pageToken: String?
    public let pageSize: Int?
    public let categories: [String]?
    public let startDateTime: String?
    public let endDateTime: String?
    /// Ids of the events in the answer.
    public let servedEventIDs: [String]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A 429 the fake answers instead of serving a page.
public struct FakeRateLimit: Sendable, Equatable {
    public var resetMilliseconds: Int?
    public var retryAfterSeconds: Int?

    public init(resetMilliseconds: Int? = nil, retryAfterSeconds: Int? = nil) {
        self.resetMilliseconds = resetMilliseconds
        self.retryAfterSeconds = retryAfterSeconds
    }
}
