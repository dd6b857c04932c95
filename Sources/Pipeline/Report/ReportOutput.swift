#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Writes a rendered report: a file is replaced atomically (a reader never sees half a report),
/// stdout is written with `write(2)`, errors reported instead of a crash (e.g. a full disk or closed pipe).
public enum ReportOutput {
    public static func write(_ text: String, to path: String?) throws {
        let data = Data(text.utf8)
        if let path {
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw ConfigurationError("cannot write the report to \(path): \(ErrorText.systemReason(error) ?? String(describing: error)); choose a writable --output path")
            }
        } else {
            // An OutputError (exit 1) naming standard output, e.g. a closed pipe or a full disk.
            try StandardStreams.writeStandardOutput(Array(data))
        }
    }
}
