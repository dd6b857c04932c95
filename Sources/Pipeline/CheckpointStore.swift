import Foundation
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
        (directory as NSString).appendingPathComponent(key.fileName)
    }

    /// The stored checkpoint, nil when none exists yet.
    public func load(_ key: CheckpointKey) throws -> Checkpoint? {
        let path = path(for: key)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let checkpoint = try Self.read(path: path)
        guard checkpoint.key == key else {
            throw CorruptCheckpointError(path: path, reason: "it belongs to a different source or target")
        }
        return checkpoint
    }

    /// Decodes the checkpoint file at `path`, whatever its key; throws `CorruptCheckpointError`
    /// when it cannot be trusted.
    static func read(path: String) throws -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorruptCheckpointError(path: path, reason: "it cannot be read")
        }
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
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let data = try Self.encoder.encode(checkpoint) + Data("\n".utf8)
        try AtomicFile.write(data, to: path(for: checkpoint.key))
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

/// Write-to-temp, fsync, rename, fsync-directory.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw posixError("cannot create \(temporary)") }
        var ok = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
        ok = ok && fsync(descriptor) == 0
        close(descriptor)
        guard ok else {
            unlink(temporary)
            throw posixError("cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw posixError("cannot rename \(temporary) to \(path)")
        }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
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
