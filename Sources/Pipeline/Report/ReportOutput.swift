import Foundation
import ShipperCore

/// Writes a rendered report: a file is replaced atomically (a reader never sees half a report),
/// stdout is written with errors reported instead of a crash (e.g. a full disk or closed pipe).
public enum ReportOutput {
    public static func write(_ text: String, to path: String?) throws {
        let data = Data(text.utf8)
        if let path {
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw ConfigurationError("cannot write the report to \(path): \((error as NSError).localizedDescription); choose a writable --output path")
            }
        } else {
            do {
                try FileHandle.standardOutput.write(contentsOf: data)
            } catch {
                throw ConfigurationError("cannot write the report to standard output: \((error as NSError).localizedDescription); use --output FILE")
            }
        }
    }
}
