import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperPipeline

/// `mimecast-shipper check`: a checklist of everything a run needs, non-zero exit when any fails.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check Mimecast credentials, Elasticsearch access, privileges and the template.",
        discussion: "Exit 0 when every item passes, 2 when a failure needs a configuration change, 1 otherwise."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Elasticsearch") var elasticsearch: ElasticsearchOptions
    @OptionGroup(title: "Kibana (checked when configured)") var kibana: KibanaOptions

    @Option(help: ArgumentHelp("Data stream namespace (env MIMECAST_SHIPPER_NAMESPACE, default default).", valueName: "name"))
    var namespace: String?
    @Option(help: ArgumentHelp("State directory to check, with its checkpoints (env MIMECAST_SHIPPER_STATE_DIR).", valueName: "dir"))
    var stateDir: String?
    @Option(help: ArgumentHelp("Mimecast API base URL (env MIMECAST_BASE_URL, default https://api.services.mimecast.com).", valueName: "url"))
    var mimecastBaseURL: String?

    func run() async throws {
        var environment = try global.environment()
        if let mimecastBaseURL { environment["MIMECAST_BASE_URL"] = mimecastBaseURL }
        let logger = try global.bootstrapLogging(environment: environment, label: "mimecast-shipper.check")
        let overrides = try elasticsearch.overrides()
        ConfiguredSecrets.register(environment: environment, overrides: overrides)
        let checklist = Checklist(
            environment: environment,
            overrides: overrides,
            namespace: RunSettings.namespace(flag: namespace, environment: environment) ?? "default",
            stateDirectory: StateDirectory.resolve(flag: stateDir, environment: environment),
            logger: logger
        )
        let output = OutputFailures()
        @Sendable func show(_ item: Checklist.Item) {
            do { try ConsoleOutput.line(item.line) } catch let error as OutputError { output.record(error) } catch {}
        }
        var items = await checklist.run { item in show(item) }
        let kibanaOverrides = kibana.overrides(elasticsearch: overrides)
        if let item = await KibanaCheck.item(environment: environment, overrides: kibanaOverrides, logger: logger) {
            show(item)
            items.append(item)
        }
        let failed = items.filter { !$0.passed }.count
        try ConsoleOutput.line(failed == 0 ? "all \(items.count) checks passed" : "\(failed) of \(items.count) checks failed")
        if let failure = output.firstFailure { throw failure }
        throw ExitCode(Checklist.exitStatus(items).rawValue)
    }
}
