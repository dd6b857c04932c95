import ShipperCore
import Synchronization

/// Result lines of `check` and `install-template` on stdout: scrubbed of every registered secret
/// (they quote server answers), and written with write(2) so a full disk or closed stdout is an
/// error with an exit status rather than lost output or a crash.
enum ConsoleOutput {
    static func line(_ text: String) throws {
        try StandardStreams.writeStandardOutput(Array((SecretRedactor.shared.scrub(text) + "\n").utf8))
    }
}

/// The first output that could not be written, kept until the exit status is decided (an
/// `--every` loop keeps running meanwhile).
final class OutputFailures: Sendable {
    private let first = Mutex<OutputError?>(nil)

    func record(_ error: OutputError) {
        first.withLock { if $0 == nil { $0 = error } }
    }

    var firstFailure: OutputError? { first.withLock { $0 } }
}
