import Foundation
import Synchronization

/// Appends dead letters to an NDJSON file in the state directory and syncs it to disk before the
/// indexer reports the documents as settled, so a crash cannot lose a refused document after the
/// checkpoint moved past it. Each call is one write of whole lines; a torn last line left by a
/// failed earlier append is cut off first, so the file stays one valid entry per line.
public final class DeadLetterWriter: Sendable {
    public let path: String
    private let now: @Sendable () -> Date
    /// Serialises appends from concurrent `ship` calls.
    private let lock = Mutex(())

    public init(path: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.path = path
        self.now = now
    }

    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String

        public var description: String {
            "cannot write the dead-letter file '\(path)': \(reason); check the state directory's permissions and free space"
        }
    }

    /// Appends one line per letter and syncs the file; does nothing for an empty list.
    public func append(_ letters: [DeadLetter]) throws {
        guard !letters.isEmpty else { return }
        let timestamp = now().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        var bytes: [UInt8] = []
        for letter in letters {
            bytes.append(contentsOf: letter.ndjsonLine(failedAt: timestamp))
        }
        try lock.withLock { _ in
            try write(Data(bytes))
        }
    }

    /// An append cut short (disk full, a crash) leaves a last line without its newline. Its
    /// documents were never reported as settled, so the checkpoint did not move past them and they
    /// will come again; the fragment is cut off so the next entry starts on a line of its own.
    static func dropTornTail(_ handle: FileHandle) throws {
        var end = try handle.seekToEnd()
        guard end > 0 else { return }
        try handle.seek(toOffset: end - 1)
        guard handle.readData(ofLength: 1).first != UInt8(ascii: "\n") else { return }
        let size = end
        while end > 0 {
            let chunk = min(end, 65_536)
            try handle.seek(toOffset: end - chunk)
            let bytes = Array(handle.readData(ofLength: Int(chunk)))
            if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) {
                try handle.truncate(atOffset: end - chunk + UInt64(newline) + 1)
                return
            }
            end -= chunk
        }
        if size > 0 { try handle.truncate(atOffset: 0) }
    }

    private func write(_ data: Data) throws {
        let manager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            if !manager.fileExists(atPath: path) {
                guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw Failure(path: path, reason: "the file cannot be created")
                }
            }
            guard let handle = FileHandle(forUpdatingAtPath: path) else {
                throw Failure(path: path, reason: "the file cannot be opened for writing")
            }
            defer { try? handle.close() }
            try Self.dropTornTail(handle)
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(path: path, reason: error.localizedDescription)
        }
    }
}
