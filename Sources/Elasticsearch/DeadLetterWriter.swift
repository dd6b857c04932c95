#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ShipperCore
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

    /// An append cut short (disk full, a crash) leaves a last line without its newline. Its
    /// documents were never reported as settled, so the checkpoint did not move past them and they
    /// will come again; the fragment is cut off so the next entry starts on a line of its own.
    static func dropTornTail(_ descriptor: Int32, path: String) throws {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw StateFileError.system("cannot read the size of the dead-letter file '\(path)'", code: errno) }
        var end = Int(status.st_size)
        guard end > 0 else { return }
        var last: UInt8 = 0
        guard pread(descriptor, &last, 1, off_t(end - 1)) == 1 else { throw StateFileError.system("cannot read the dead-letter file '\(path)'", code: errno) }
        guard last != UInt8(ascii: "\n") else { return }
        var keep = 0
        while end > 0 {
            let chunk = min(end, 65_536)
            var bytes = [UInt8](repeating: 0, count: chunk)
            guard pread(descriptor, &bytes, chunk, off_t(end - chunk)) == chunk else {
                throw StateFileError.system("cannot read the dead-letter file '\(path)'", code: errno)
            }
            if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) {
                keep = end - chunk + newline + 1
                break
            }
            end -= chunk
        }
        guard ftruncate(descriptor, off_t(keep)) == 0 else { throw StateFileError.system("cannot cut the torn last line of the dead-letter file '\(path)'", code: errno) }
    }

    private func write(_ data: Data) throws {
        let directory = PathText.parent(of: path)
        do {
            if !directory.isEmpty {
                try StateFiles.prepareDirectory(directory)
            }
            // Customer data: 0600, never through a planted link, and scrubbed of any credential a
            // server echoed into an error reason.
            let descriptor = try StateFiles.openForWriting(path, flags: O_RDWR | O_APPEND, describing: "dead-letter file")
            defer { close(descriptor) }
            try Self.dropTornTail(descriptor, path: path)
            try StateFiles.writeAllAndSync(redactor.scrub(Array(data)), to: descriptor, path: path, describing: "dead-letter file")
        } catch let failure as StateFileError {
            throw Failure(path: path, reason: failure.message)
        }
    }
}
