import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ShipperCore
import ShipperPipeline

/// Options every subcommand takes: configuration file and logging.
struct GlobalOptions: ParsableArguments {
    // Long names are spelled out: otherwise ArgumentParser derives each one from the property name
    // (camel case to kebab case, character by character) at every start, before the first request.
    @Option(name: .customLong("config"), help: ArgumentHelp("A file of NAME=value lines (the environment variable names); the environment wins over it.", valueName: "file"))
    var config: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical (env MIMECAST_SHIPPER_LOG_LEVEL).", valueName: "level"))
    var logLevel: String?

    @Flag(name: .customLong("log-json"), help: "Write logs as JSON lines on stderr.")
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
