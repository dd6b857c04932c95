import Foundation
import Synchronization

/// Appends dead letters to an NDJSON file in the state directory and syncs it to disk before the
/// indexer reports the documents as settled, so a crash cannot lose a refused document after the
/// checkpoint moved past it.
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
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw Failure(path: path, reason: "the file cannot be opened for writing")
            }
            defer { try? handle.close() }
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
