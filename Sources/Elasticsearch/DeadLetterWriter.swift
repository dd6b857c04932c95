import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShipperCore
import Synchronization

/// Appends dead letters to an NDJSON file in the state directory and syncs it to disk before the
/// indexer reports the documents as settled, so a crash cannot lose a refused document after the
/// checkpoint moved past it.
public final class DeadLetterWriter: Sendable {
    public let path: String
    private let now: @Sendable () -> Date
    /// Serialises appends from concurrent `ship` calls.
    private let lock = Mutex(())
    private let redactor: SecretRedactor

    public init(path: String, now: @escaping @Sendable () -> Date = { Date() }, redactor: SecretRedactor = .shared) {
        self.path = path
        self.now = now
        self.redactor = redactor
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
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try StateFiles.prepareDirectory(directory)
            }
            // Customer data: 0600, never through a planted link, and scrubbed of any credential a
            // server echoed into an error reason.
            let descriptor = try StateFiles.openForWriting(path, flags: O_WRONLY | O_APPEND, describing: "dead-letter file")
            defer { close(descriptor) }
            try StateFiles.writeAllAndSync(redactor.scrub(Array(data)), to: descriptor, path: path, describing: "dead-letter file")
        } catch let failure as StateFileError {
            throw Failure(path: path, reason: failure.message)
        }
    }
}
