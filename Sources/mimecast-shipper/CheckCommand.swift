import ArgumentParser
import Foundation
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
    @Option(help: ArgumentHelp("State directory to check (env MIMECAST_SHIPPER_STATE_DIR).", valueName: "dir"))
    var stateDir: String?

    func run() async throws {
        let environment = try global.environment()
        let logger = try global.bootstrapLogging(environment: environment, label: "mimecast-shipper.check")
        let checklist = Checklist(
            environment: environment,
            overrides: try elasticsearch.overrides(),
            namespace: RunSettings.namespace(flag: namespace, environment: environment) ?? "default",
            stateDirectory: StateDirectory.resolve(flag: stateDir, environment: environment),
            logger: logger
        )
        var items = await checklist.run { item in print(item.line) }
        let kibanaOverrides = kibana.overrides(elasticsearch: try elasticsearch.overrides())
        if let item = await KibanaCheck.item(environment: environment, overrides: kibanaOverrides, logger: logger) {
            print(item.line)
            items.append(item)
        }
        let failed = items.filter { !$0.passed }.count
        print(failed == 0 ? "all \(items.count) checks passed" : "\(failed) of \(items.count) checks failed")
        throw ExitCode(Checklist.exitStatus(items).rawValue)
    }
}
