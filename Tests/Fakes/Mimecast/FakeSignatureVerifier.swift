import Crypto
import Foundation

/// Checks API 1.0 request headers the way Mimecast documents it, implemented independently of the
/// production signer. Returns nil when the request is authentic, else why not.
public struct FakeSignatureVerifier: Sendable {
    public let appID: String
    public let appKey: String
    public let accessKey: String
    public let secretKeyBase64: String
    /// Signatures are time-bound: a date further than this from the server's clock is refused.
    public let maxClockSkew: TimeInterval

    public init(appID: String, appKey: String, accessKey: String, secretKeyBase64: String, maxClockSkew: TimeInterval = 900) {
        self.appID = appID
        self.appKey = appKey
        self.accessKey = accessKey
        self.secretKeyBase64 = secretKeyBase64
        self.maxClockSkew = maxClockSkew
    }

    /// The expected base64 signature for the given header values.
    public func expectedSignature(date: String, requestID: String, path: String) -> String {
        let key = SymmetricKey(data: Data(base64Encoded: secretKeyBase64) ?? Data())
        let message = Data("\(date):\(requestID):\(path):\(appKey)".utf8)
        var hmac = HMAC<Insecure.SHA1>(key: key)
        hmac.update(data: message)
        return Data(hmac.finalize()).base64EncodedString()
    }

    /// Why `headers` (lower-cased names) do not authorize a request to `path` at `now`, or nil.
    public func problem(headers: [String: String], path: String, now: Date) -> String? {
        guard let authorization = headers["authorization"], authorization.hasPrefix("MC ") else {
            return "missing MC authorization"
        }
        guard headers["x-mc-app-id"] == appID else { return "unknown application id" }
        guard let dateText = headers["x-mc-date"], let date = FakeDates.parseHeader(dateText) else {
            return "missing or unreadable x-mc-date"
        }
        guard abs(date.timeIntervalSince(now)) <= maxClockSkew else { return "x-mc-date too far from server time" }
        guard let requestID = headers["x-mc-req-id"], !requestID.isEmpty else { return "missing x-mc-req-id" }
        let credential = authorization.dropFirst(3)
        guard let colon = credential.lastIndex(of: ":") else { return "malformed authorization" }
        guard credential[..<colon] == accessKey[...] else { return "unknown access key" }
        let signature = String(credential[credential.index(after: colon)...])
        guard signature == expectedSignature(date: dateText, requestID: requestID, path: path) else {
            return "signature does not match"
        }
        return nil
    }
}
