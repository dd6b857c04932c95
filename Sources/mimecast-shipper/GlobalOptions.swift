import ArgumentParser
import Foundation
import Logging
import ShipperCore
import ShipperPipeline

/// Options every subcommand takes: configuration file and logging.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A file of NAME=value lines (the environment variable names); the environment wins over it.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (env MIMECAST_SHIPPER_LOG_LEVEL).", valueName: "level"))
    var logLevel: String?

    @Flag(name: .long, help: "Write logs as JSON lines on stderr.")
    var logJSON = false

    /// The process environment over the config file.
    func environment() throws -> [String: String] {
        let process = ProcessInfo.processInfo.environment
        guard let config else { return process }
        return ConfigFile.effectiveEnvironment(process: process, file: try ConfigFile.load(path: config))
    }

    /// Sets up logging and returns the command's logger.
    func bootstrapLogging(environment: [String: String], label: String) throws -> Logger {
        let level = try LoggingSetup.level(logLevel ?? environment["MIMECAST_SHIPPER_LOG_LEVEL"])
        LoggingSetup.bootstrap(level: level, json: logJSON)
        return Logger(label: label)
    }
}
