#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ShipperCore
import ShipperPipeline

/// Writes `--summary-json` lines (appending, so `--every` leaves one line per pass).
enum SummaryOutput {
    static func outcome(_ status: ExitStatus) -> String {
        status.label
    }

    /// Appends one line; a failure (full disk, unwritable path, closed stdout) is logged and
    /// returned so the exit status can say so. It never ends the process or the loop.
    static func write(_ json: [UInt8], to path: String, logger: Logger) -> OutputError? {
        let line = SecretRedactor.shared.scrub(json) + [UInt8(ascii: "\n")]
        do {
            if path == "-" {
                try StandardStreams.writeStandardOutput(line)
            } else {
                try StandardStreams.append(line, toFileAt: path)
            }
            return nil
        } catch let error as OutputError {
            logger.error("cannot write the pass summary (--summary-json): \(error)")
            return error
        } catch {
            return OutputError(target: path, code: EIO)
        }
    }
}

