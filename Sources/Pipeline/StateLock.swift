#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on the state directory, so two runs (a cron job overlapping a slow
/// backfill, say) never interleave checkpoint writes. The holder's pid is written into the lock
/// file so the refusal can name it. The kernel drops the lock when the process dies, so a crash
/// never leaves a stale lock behind.
public final class StateLock: Sendable {
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Takes the lock or throws a `StateError` naming the process that holds it (a
    /// `StateFileError` when the directory or the lock file is not safe to use).
    public static func acquire(directory: String) throws -> StateLock {
        try StateFiles.prepareDirectory(directory)
        let path = PathText.joining(directory, "lock")
        // Never follows a planted link: the pid is written into this file after truncating it.
        let descriptor = try StateFiles.openForWriting(path, flags: O_RDWR, describing: "lock file")
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = readHolder(descriptor)
            close(descriptor)
            let who = holder.map { "process \($0)" } ?? "another process"
            throw StateError("another mimecast-shipper run (\(who)) holds \(path); wait for it to finish or stop it")
        }
        let pid = Array("\(getpid())\n".utf8)
        ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return StateLock(path: path, descriptor: descriptor)
    }

    private static func readHolder(_ descriptor: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int(String(decoding: buffer[0..<count], as: UTF8.self).trimmingWhitespaceAndNewlines())
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
