import Crypto
import Foundation

/// What a checkpoint belongs to: one Mimecast account (base URL and credentials' identity are
/// not mixed), one category selection and one target data stream. Changing any of them starts a
/// new checkpoint instead of silently reusing a position that means something else.
public struct CheckpointKey: Sendable, Equatable, Codable {
    public let mimecastBaseURL: String
    public let categories: [String]
    public let dataStream: String

    public init(mimecastBaseURL: String, categories: [String], dataStream: String) {
        var base = mimecastBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.mimecastBaseURL = base.lowercased()
        self.categories = Array(Set(categories)).sorted()
        self.dataStream = dataStream
    }

    /// A file name safe on every file system, stable for the same key.
    public var fileName: String {
        let text = "\(mimecastBaseURL)\n\(categories.joined(separator: ","))\n\(dataStream)"
        let digest = SHA256.hash(data: Data(text.utf8))
        let hex = digest.prefix(8).map { String(format: "%02x", $0) }.joined()
        return "checkpoint-\(dataStream)-\(hex).json"
    }
}
