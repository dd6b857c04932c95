#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Writing to stdout, stderr and output files with `write(2)`, so a full disk, `/dev/full` or a
/// closed descriptor is an error the caller reports instead of a crash. (Foundation's
/// `FileHandle.write(_:)` traps on any write error.)
public enum StandardStreams {
    /// Writes every byte of `bytes` to `descriptor`, retrying short writes and EINTR.
    public static func write(_ bytes: [UInt8], to descriptor: Int32, naming what: String) throws {
        let failure: Int32? = bytes.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if written == 0 { return EIO }
                offset += written
            }
            return nil
        }
        if let failure { throw OutputError(target: what, code: failure) }
    }

    /// Standard output, for documents and command results.
    public static func writeStandardOutput(_ bytes: [UInt8]) throws {
        try write(bytes, to: STDOUT_FILENO, naming: "standard output")
    }

    /// Best effort, scrubbed: a line on stderr must never crash the process or carry a secret.
    public static func writeStandardError(_ text: String, redactor: SecretRedactor = .shared) {
        try? write(Array(redactor.scrub(text).utf8), to: STDERR_FILENO, naming: "standard error")
    }

    /// Appends `bytes` to the file at `path` (created 0644 if missing; symbolic links such as
    /// `/dev/stdout` are followed, since the user named the path).
    public static func append(_ bytes: [UInt8], toFileAt path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputError(target: path, code: errno) }
        defer { close(descriptor) }
        try write(bytes, to: descriptor, naming: path)
    }

    /// A closed stdin, stdout or stderr would be handed out as the next opened file, and the
    /// documents or log lines would land in a checkpoint or a socket. Each closed one is opened
    /// read-only on /dev/null instead, so writing to it fails (EBADF) and is reported.
    public static func reserveClosedDescriptors() {
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) < 0 && errno == EBADF {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0, opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }
}

/// Output that could not be written: says where, and why in the system's words.
public struct OutputError: Error, CustomStringConvertible, Sendable, Equatable {
    public let target: String
    public let code: Int32

    public init(target: String, code: Int32) {
        self.target = target
        self.code = code
    }

    public var description: String {
        "cannot write to \(target): \(String(cString: strerror(code))); check that it is open, writable and not full"
    }
}
