import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperPipeline

/// Turns whatever ended a command into a printed line and an exit status.
enum CommandFailure {
    static func exitCode(for error: any Error) -> Int32 {
        if let exit = error as? ExitCode { return exit.rawValue }
        if isProductError(error) {
            printError(ErrorText.describe(error))
            return ErrorClassification.exitStatus(for: error).rawValue
        }
        let code = MimecastShipperCommand.exitCode(for: error)
        let message = MimecastShipperCommand.fullMessage(for: error)
        if code == .success {
            // --help and --version.
            print(message)
            return 0
        }
        printError(message)
        return code == .validationFailure ? ExitStatus.configuration.rawValue : code.rawValue
    }

    /// Errors the library raises (as opposed to ArgumentParser's own).
    private static func isProductError(_ error: any Error) -> Bool {
        error is ConfigurationError || error is ClassifiedError || error is StateError
            || error is CorruptCheckpointError || error is PassFailure
            || !(String(reflecting: type(of: error)).hasPrefix("ArgumentParser."))
    }

    static func printError(_ message: String) {
        StandardStreams.writeStandardError("mimecast-shipper: error: \(message)\n")
    }
}
