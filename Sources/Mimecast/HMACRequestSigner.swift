import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// API 1.0 request signing, as Mimecast's authorization guide describes it:
/// `Authorization: MC <access key>:base64(HMAC-SHA1(base64decode(secret key), "<date>:<req id>:<uri path>:<app key>"))`.
///
/// Pure: the date and request id are inputs, so a known vector pins the algorithm in tests and the
/// reader supplies a fresh date and UUID for every attempt.
public struct HMACRequestSigner: Sendable {
    private let appID: String
    private let appKey: String
    private let accessKey: String
    private let secretKey: SymmetricKey

    /// Fails only when `secretKeyBase64` is not base64.
    public init?(appID: String, appKey: String, accessKey: String, secretKeyBase64: String) {
        guard let keyBytes = Data(base64Encoded: secretKeyBase64) else { return nil }
        self.appID = appID
        self.appKey = appKey
        self.accessKey = accessKey
        self.secretKey = SymmetricKey(data: keyBytes)
    }

    /// The string that is signed.
    public func dataToSign(date: String, requestID: String, path: String) -> String {
        [date, requestID, path, appKey].joined(separator: ":")
    }

    /// The base64 signature for one request.
    public func signature(date: String, requestID: String, path: String) -> String {
        let message = Data(dataToSign(date: date, requestID: requestID, path: path).utf8)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: message, using: secretKey)
        return Data(mac).base64EncodedString()
    }

    /// The four headers that authorize one request to `path` at `date` with id `requestID`.
    public func headers(date: Date, requestID: String, path: String) -> [(name: String, value: String)] {
        let headerDate = MimecastDateFormat.headerDate(date)
        let signed = signature(date: headerDate, requestID: requestID, path: path)
        return [
            ("Authorization", "MC \(accessKey):\(signed)"),
            ("x-mc-app-id", appID),
            ("x-mc-date", headerDate),
            ("x-mc-req-id", requestID),
        ]
    }
}
