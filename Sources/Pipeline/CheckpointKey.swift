import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// What a checkpoint belongs to: one Mimecast account (base URL and credentials' identity are
/// not mixed), one category selection and one target data stream. Changing any of them starts a
/// new checkpoint instead of silently reusing a position that means something else.
public struct CheckpointKey: Sendable, Equatable, Codable {
    public let mimecastBaseURL: String
    public let categories: [String]
    public let dataStream: String

    /// The key stores and hashes the base URL without user-info (`https://***@host`): the file
    /// must not hold a password. A URL without user-info gives the same key as it always did.
    public init(mimecastBaseURL: String, categories: [String], dataStream: String) {
        self.init(storedBaseURL: Redaction.stripURLCredentials(mimecastBaseURL), categories: categories, dataStream: dataStream)
    }

    private init(storedBaseURL: String, categories: [String], dataStream: String) {
        var base = storedBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.mimecastBaseURL = base.lowercased()
        self.categories = Array(Set(categories)).sorted()
        self.dataStream = dataStream
    }

    /// The key earlier versions derived from a URL with user-info (credentials included), so
    /// its checkpoint can be carried over; nil when the URL has none (the key never changed).
    public static func legacy(mimecastBaseURL: String, categories: [String], dataStream: String) -> CheckpointKey? {
        guard Redaction.stripURLCredentials(mimecastBaseURL) != mimecastBaseURL else { return nil }
        return CheckpointKey(storedBaseURL: mimecastBaseURL, categories: categories, dataStream: dataStream)
    }

    /// A file name safe on every file system, stable for the same key.
    public var fileName: String {
        let text = "\(mimecastBaseURL)\n\(categories.joined(separator: ","))\n\(dataStream)"
        let digest = SHA256.hash(data: Data(text.utf8))
        let hex = digest.prefix(8).map { CFormat.string("%02x", $0) }.joined()
        return "checkpoint-\(dataStream)-\(hex).json"
    }
}
