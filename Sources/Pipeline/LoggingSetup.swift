#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ShipperCore

/// Sends every log line to stderr (stdout belongs to dry-run documents), as text or as JSON
/// lines, at the chosen level, with every registered secret scrubbed.
public enum LoggingSetup {
    public static func bootstrap(level: Logger.Level, json: Bool) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            // Log lines quote server answers; whatever a server echoed back is scrubbed here.
            return ScrubbingLogHandler(handler)
        }
    }

    /// Parses `--log-level` / `MIMECAST_SHIPPER_LOG_LEVEL`.
    public static func level(_ text: String?) throws -> Logger.Level {
        guard let text, !text.isEmpty else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError("log level '\(text)' is not one of \(names)")
        }
        return level
    }
}
