import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import ShipperCore
import ShipperPipeline

/// The root command. Each subcommand lives in its own file; all work happens in the library.
@main
struct MimecastShipperCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mimecast-shipper",
        abstract: "Ship Mimecast audit events to Elasticsearch as ECS documents.",
        discussion: """
            Pulls Mimecast audit events (including mimecast_access_logs: every time Mimecast \
            support logs into your console) from the Mimecast API, maps them to the Elastic \
            Common Schema and bulk-indexes them into the data stream \
            logs-mimecast.audit-<namespace>.

            Start with `mimecast-shipper run --dry-run --sample` (no credentials needed), then \
            `install-template` once, `check`, and `run` on a schedule.

            \(HelpText.environment)

            \(ExitStatus.helpText)
            """,
        version: ProductInfo.version,
        subcommands: [RunCommand.self, InstallTemplateCommand.self, InstallKibanaCommand.self, CheckCommand.self, ReportCommand.self]
    )

    /// Usage errors exit 2 (the product's contract), not ArgumentParser's 64.
    static func main() async {
        StandardStreams.reserveClosedDescriptors()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(status: CommandFailure.exitCode(for: error))
        }
    }

    private static func exit(status code: Int32) -> Never {
        // Qualified: inside a command, a bare `exit` is ArgumentParser's `exit(withError:)`.
        #if canImport(Glibc)
        Glibc.exit(code)
        #else
        Darwin.exit(code)
        #endif
    }
}
