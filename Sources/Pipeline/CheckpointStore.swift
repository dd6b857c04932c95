#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads and writes checkpoint files crash-safely: the new content goes to a temporary file that
/// is fsynced and renamed over the old one, then the directory is fsynced, so a crash leaves
/// either the old or the new checkpoint, never a torn one.
public struct CheckpointStore: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func path(for key: CheckpointKey) -> String {
        PathText.joining(directory, key.fileName)
    }

    /// The stored checkpoint, nil when none exists yet. A file that cannot be opened (permission,
    /// a symbolic link, another owner) is a `StateFileError` saying so, never "corrupt".
    public func load(_ key: CheckpointKey) throws -> Checkpoint? {
        let path = path(for: key)
        guard try StateFiles.checkDirectoryIfPresent(directory), let checkpoint = try Self.read(path: path) else { return nil }
        guard checkpoint.key == key else {
            throw CorruptCheckpointError(path: path, reason: "it belongs to a different source or target")
        }
        return checkpoint
    }

    /// Decodes the checkpoint file at `path`, whatever its key: nil when there is none, a
    /// `StateFileError` when it cannot be opened safely, `CorruptCheckpointError` when it cannot
    /// be trusted.
    static func read(path: String) throws -> Checkpoint? {
        guard let descriptor = try StateFiles.openForReading(path, describing: "checkpoint file") else { return nil }
        defer { close(descriptor) }
        let data = Data(try StateFiles.readAll(descriptor, path: path, describing: "checkpoint file"))
        let checkpoint: Checkpoint
        do {
            checkpoint = try decoder.decode(Checkpoint.self, from: data)
        } catch {
            throw CorruptCheckpointError(path: path, reason: "not a checkpoint document")
        }
        guard checkpoint.version == Checkpoint.formatVersion else {
            throw CorruptCheckpointError(path: path, reason: "unknown format version \(checkpoint.version)")
        }
        return checkpoint
    }

    public func save(_ checkpoint: Checkpoint) throws {
        try StateFiles.prepareDirectory(directory)
        let data = try Self.encoder.encode(checkpoint) + Data("\n".utf8)
        try AtomicFile.write(data, to: path(for: checkpoint.key))
    }

    /// Carries a checkpoint stored under `legacy` (a key that held URL credentials) over to `key`
    /// and deletes the old file, which held the password. Does nothing when `key` already has a
    /// checkpoint or there is nothing to carry over.
    public func migrate(from legacy: CheckpointKey, to key: CheckpointKey, now: Date) throws {
        guard legacy.fileName != key.fileName, try load(key) == nil, let old = try load(legacy) else { return }
        try save(Checkpoint(key: key, position: old.position, updatedAt: now))
        unlink(path(for: legacy))
        StateFiles.syncDirectory(directory)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Write-to-temp (created with `O_EXCL`, never through a link), fsync, rename, fsync-directory.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = try StateFiles.createTemporary(temporary, describing: "temporary checkpoint file")
        do {
            try StateFiles.writeAllAndSync(Array(data), to: descriptor, path: temporary, describing: "temporary checkpoint file")
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let failure = posixError("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw failure
        }
        StateFiles.syncDirectory(PathText.parent(of: path))
    }

    static func posixError(_ what: String) -> StateError {
        StateError("\(what): \(String(cString: strerror(errno))); check the state directory's permissions and free space")
    }
}

/// A problem with the state directory (permissions, disk full, lock held).
public struct StateError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
