import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP
import ShipperPipeline

/// `mimecast-shipper install-template`: installs the lifecycle policy, component template and
/// index template embedded in the binary, writing only what differs, then verifies them.
struct InstallTemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-template",
        abstract: "Install the ILM policy, component template and index template (idempotent).",
        discussion: """
            Reads each resource first and writes only what differs, so a second run reports \
            "unchanged" for all. Needs a user allowed to manage templates and ILM (not the \
            shipper's least-privilege user). Then checks with _index_template/_simulate_index \
            that a new backing index would use them.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Elasticsearch") var elasticsearch: ElasticsearchOptions

    @Option(help: ArgumentHelp("Data stream namespace to verify against (env MIMECAST_SHIPPER_NAMESPACE, default default).", valueName: "name"))
    var namespace: String?

    @Flag(help: "Print the requests that would be sent, write nothing. Without a reachable cluster, prints every request a first install sends.")
    var dryRun = false

    func run() async throws {
        let environment = try global.environment()
        let logger = try global.bootstrapLogging(environment: environment, label: "mimecast-shipper.templates")
        var overrides = try elasticsearch.overrides()
        ConfiguredSecrets.register(environment: environment, overrides: overrides)
        overrides.namespace = RunSettings.namespace(flag: namespace, environment: environment)
        let configuration = try ElasticsearchConfiguration.resolve(environment: SecretEnvironment(environment), overrides: overrides)
        let client = try ElasticsearchClient(configuration: configuration, logger: logger)
        let installer = TemplateInstaller(client: client, namespace: configuration.namespace, logger: logger)

        let results: [TemplateStepResult]
        do {
            results = try await installer.install(dryRun: dryRun)
        } catch let error as HTTPClientError where dryRun {
            if case .cancelled = error { throw error }
            for result in try TemplateInstaller.offlinePlan() {
                print(result.summaryLine)
                print(result.dryRunText)
            }
            let reason = ElasticsearchPreflight.problem(error)
            print("dry run: Elasticsearch at \(configuration.redactedURL) cannot be reached (\(reason)); these are the requests a first install sends, and the comparison with what is installed needs a reachable cluster")
            return
        }
        for result in results {
            try ConsoleOutput.line(result.summaryLine)
            if dryRun && result.writes {
                try ConsoleOutput.line(result.dryRunText)
            }
        }
        if dryRun {
            let pending = results.filter(\.writes).count
            try ConsoleOutput.line(pending == 0 ? "nothing to write" : "dry run: \(pending) resource(s) would be written")
        } else {
            try ConsoleOutput.line(try await installer.verify())
        }
    }
}
