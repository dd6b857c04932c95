#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Opens files in the state directory so that nobody else can steer them.
///
/// The state directory holds where a run resumes (checkpoints), the lock and the dead letters
/// (customer data). Whoever can plant a file or a symbolic link there could make the shipper
/// truncate, overwrite or leak another file. So: the directory is created 0700; a directory or
/// file owned by another user, or writable by group or others, is refused; every file is opened
/// with `O_NOFOLLOW` (a symbolic link is refused, never followed) and temporary files with
/// `O_EXCL`; files are created 0600.
public enum StateFiles {
    /// Creates `directory` 0700 (parents as needed), or checks the existing one. The directory
    /// itself may be reached through a symbolic link (systemd's `DynamicUser=` makes
    /// `/var/lib/<name>` one); its owner and mode are what count.
    public static func prepareDirectory(_ directory: String) throws {
        if try checkDirectoryIfPresent(directory) { return }
        let parent = PathText.parent(of: directory)
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw StateFileError.system("cannot create the parent of state directory \(directory)", code: errno == 0 ? EACCES : errno)
            }
        }
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw StateFileError.system("cannot create state directory \(directory)", code: errno)
        }
        _ = try checkDirectoryIfPresent(directory)
    }

    /// Checks an existing state directory; false when there is none (nothing to check).
    @discardableResult
    public static func checkDirectoryIfPresent(_ directory: String) throws -> Bool {
        var status = stat()
        guard stat(directory, &status) == 0 else {
            if errno == ENOENT { return false }
            throw StateFileError.system("cannot inspect state directory \(directory)", code: errno)
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw StateFileError(message: "state directory \(directory) is not a directory; point MIMECAST_SHIPPER_STATE_DIR (--state-dir) at a directory", isConfigurationProblem: true)
        }
        try checkOwnerAndMode(status, describing: "state directory \(directory)", chmodHint: "chmod 700 \(directory)")
        return true
    }

    /// Opens `path` for reading; nil when it does not exist.
    public static func openForReading(_ path: String, describing what: String) throws -> Int32? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw openFailure(what, path: path, code: errno)
        }
        try verify(descriptor, path: path, describing: what)
        return descriptor
    }

    /// Opens (creating 0600) `path` for `flags` (`O_RDWR`, `O_WRONLY | O_APPEND`, …). A file from
    /// before this check with looser permissions is tightened to 0600.
    public static func openForWriting(_ path: String, flags: Int32, describing what: String) throws -> Int32 {
        let descriptor = open(path, flags | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw openFailure(what, path: path, code: errno) }
        try verify(descriptor, path: path, describing: what)
        var status = stat()
        if fstat(descriptor, &status) == 0, status.st_mode & 0o077 != 0 {
            fchmod(descriptor, 0o600)
        }
        return descriptor
    }

    /// Creates a new temporary file 0600 with `O_EXCL`. A regular file of ours left there by a
    /// crashed run is removed first; anything else (a planted symbolic link) is refused.
    public static func createTemporary(_ path: String, describing what: String) throws -> Int32 {
        for attempt in 0..<2 {
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return descriptor }
            let code = errno
            guard code == EEXIST, attempt == 0 else { throw openFailure(what, path: path, code: code) }
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            guard status.st_mode & S_IFMT == S_IFREG, status.st_uid == geteuid() else {
                throw openFailure(what, path: path, code: status.st_mode & S_IFMT == S_IFLNK ? ELOOP : EEXIST)
            }
            unlink(path)
        }
        throw openFailure(what, path: path, code: EEXIST)
    }

    /// Reads the whole file behind `descriptor`.
    public static func readAll(_ descriptor: Int32, path: String, describing what: String) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StateFileError.system("cannot read \(what) \(path)", code: errno)
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes all of `bytes`, then fsyncs.
    public static func writeAllAndSync(_ bytes: [UInt8], to descriptor: Int32, path: String, describing what: String) throws {
        do {
            try StandardStreams.write(bytes, to: descriptor, naming: path)
        } catch let error as OutputError {
            throw StateFileError.system("cannot write \(what) \(path)", code: error.code)
        }
        guard fsync(descriptor) == 0 else { throw StateFileError.system("cannot sync \(what) \(path)", code: errno) }
    }

    /// fsyncs a directory so a rename in it survives a crash.
    public static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }

    private static func verify(_ descriptor: Int32, path: String, describing what: String) throws {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw StateFileError.system("cannot inspect \(what) \(path)", code: code)
        }
        do {
            guard status.st_mode & S_IFMT == S_IFREG else {
                throw StateFileError(message: "\(what) \(path) is not a regular file; remove it", isConfigurationProblem: true)
            }
            try checkOwnerAndMode(status, describing: "\(what) \(path)", chmodHint: "chmod 600 \(path)")
        } catch {
            close(descriptor)
            throw error
        }
    }

    private static func checkOwnerAndMode(_ status: stat, describing subject: String, chmodHint: String) throws {
        let user = geteuid()
        if status.st_uid != user {
            throw StateFileError(
                message: "\(subject) is owned by uid \(status.st_uid), not by the user running mimecast-shipper (uid \(user)); refusing to use it: chown it to uid \(user) or choose another state directory",
                isConfigurationProblem: true
            )
        }
        if status.st_mode & 0o022 != 0 {
            throw StateFileError(
                message: "\(subject) is writable by group or others (mode \(String(status.st_mode & 0o7777, radix: 8))); refusing to use it: run \(chmodHint)",
                isConfigurationProblem: true
            )
        }
    }

    private static func openFailure(_ what: String, path: String, code: Int32) -> StateFileError {
        switch code {
        case ELOOP:
            StateFileError(
                message: "\(what) \(path) is a symbolic link; mimecast-shipper never follows links in its state directory (one planted there could make it overwrite another file): remove the link",
                isConfigurationProblem: true
            )
        case EACCES, EPERM:
            StateFileError(
                message: "\(what) \(path) cannot be opened: permission denied; it must belong to the user running mimecast-shipper (uid \(geteuid())) with mode 0600: fix its owner or permissions, or run as its owner",
                isConfigurationProblem: true
            )
        case EEXIST:
            StateFileError(message: "\(what) \(path) already exists and is not a file of this user; remove it", isConfigurationProblem: true)
        default:
            StateFileError.system("cannot open \(what) \(path)", code: code)
        }
    }
}

/// The state directory or one of its files cannot be used safely (wrong owner, loose mode, a
/// symbolic link) or at all (permission, disk full).
public struct StateFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    /// Owner, permission and link problems need a human; a full disk may pass.
    public let isConfigurationProblem: Bool

    public init(message: String, isConfigurationProblem: Bool) {
        self.message = message
        self.isConfigurationProblem = isConfigurationProblem
    }

    public static func system(_ what: String, code: Int32) -> StateFileError {
        let permission = code == EACCES || code == EPERM || code == EROFS
        // A path through a file, or one too long: the setting is wrong, not the disk.
        let badPath = code == ENOTDIR || code == ENAMETOOLONG || code == ELOOP
        let hint = if permission {
            "; give the user running mimecast-shipper (uid \(geteuid())) access to the state directory, or choose another one"
        } else if badPath {
            "; set MIMECAST_SHIPPER_STATE_DIR (--state-dir) to a directory path"
        } else {
            "; check the state directory's free space"
        }
        return StateFileError(message: "\(what): \(String(cString: strerror(code)))" + hint, isConfigurationProblem: permission || badPath)
    }

    public var description: String { message }
}
