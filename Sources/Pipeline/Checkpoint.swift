#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The position a scheduled job resumes from: every event before `position` is settled in
/// Elasticsearch (stored, already present, or dead-lettered).
public struct Checkpoint: Sendable, Equatable, Codable {
    public static let formatVersion = 1

    public var version: Int
    public var key: CheckpointKey
    public var position: Date
    public var updatedAt: Date

    public init(key: CheckpointKey, position: Date, updatedAt: Date) {
        self.version = Self.formatVersion
        self.key = key
        self.position = position
        self.updatedAt = updatedAt
    }
}

/// The checkpoint file cannot be trusted. Never answered by starting over silently: that would
/// either re-read months of events or skip some.
public struct CorruptCheckpointError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String

    public var description: String {
        "checkpoint file \(path) is corrupt (\(reason)); fix or delete it, and when deleting pass --since to choose where to resume"
    }
}
