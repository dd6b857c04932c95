import Foundation
import Logging
import ShipperPipeline

/// Writes `--summary-json` lines (appending, so `--every` leaves one line per pass).
enum SummaryOutput {
    static func outcome(_ status: ExitStatus) -> String {
        status.label
    }

    static func write(_ json: [UInt8], to path: String, logger: Logger) {
        let line = Data(json + [UInt8(ascii: "\n")])
        if path == "-" {
            FileHandle.standardOutput.write(line)
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            logger.error("cannot write the summary to \(path); check the path and its permissions")
            return
        }
        handle.seekToEndOfFile()
        handle.write(line)
        try? handle.close()
    }
}
