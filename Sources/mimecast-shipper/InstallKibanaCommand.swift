import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperElasticsearch
import ShipperKibana
import ShipperPipeline

/// `mimecast-shipper install-kibana`: imports the detection rules and the dashboard embedded in
/// the binary into Kibana, only what is missing or differs.
struct InstallKibanaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-kibana",
        abstract: "Import the detection rules and the dashboard into Kibana (idempotent).",
        discussion: """
            Needs Kibana \(KibanaContent.minimumKibanaVersion) or later and a user with the Security \
            feature privilege 'all' and Saved Objects Management 'all' in the space (a human \
            administrator, not the shipper's runtime user). Authenticates with the Elasticsearch \
            credentials (ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD, secrets from \
            files). A second run reports "nothing changed".
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup(title: "Kibana") var kibana: KibanaOptions
    @OptionGroup(title: "Elasticsearch") var elasticsearch: ElasticsearchOptions

    @Flag(help: "Print what would be imported, change nothing.")
    var dryRun = false

    func run() async throws {
        let environment = try global.environment()
        let logger = try global.bootstrapLogging(environment: environment, label: "mimecast-shipper.kibana")
        let elasticsearchOverrides = try elasticsearch.overrides()
        // Kibana is reached with the Elasticsearch credentials: keep them out of every line.
        ConfiguredSecrets.register(environment: environment, overrides: elasticsearchOverrides)
        guard let configuration = try KibanaConfiguration.resolve(environment: SecretEnvironment(environment),
                                                                  overrides: kibana.overrides(elasticsearch: elasticsearchOverrides)) else {
            throw ConfigurationError("no Kibana is configured; set KIBANA_URL (or --kibana-url), or ELASTICSEARCH_CLOUD_ID on Elastic Cloud")
        }
        let installer = KibanaInstaller(client: try KibanaClient(configuration: configuration, logger: logger), logger: logger)
        let steps = try await installer.install(dryRun: dryRun)
        for step in steps { try ConsoleOutput.line(step.summaryLine) }
        let pending = steps.filter(\.writes).count
        if pending == 0 {
            try ConsoleOutput.line("nothing changed: every rule and the dashboard are already installed in \(configuration.space ?? "the default space")")
        } else if dryRun {
            try ConsoleOutput.line("dry run: \(pending) import(s) would be sent (POST /api/detection_engine/rules/_import?overwrite=true, POST /api/saved_objects/_import?overwrite=true)")
        } else {
            try ConsoleOutput.line("imported \(pending) item(s) into \(configuration.space ?? "the default space")")
        }
    }
}

/// Flags mirroring the KIBANA_* variables (shared with `check`).
struct KibanaOptions: ParsableArguments {
    @Option(name: .customLong("kibana-url"), help: ArgumentHelp("Kibana URL (env KIBANA_URL; default derived from ELASTICSEARCH_CLOUD_ID).", valueName: "url"))
    var url: String?

    @Option(name: .customLong("space"), help: ArgumentHelp("Kibana space id (env KIBANA_SPACE, default the default space).", valueName: "id"))
    var space: String?

    @Option(name: .customLong("kibana-ca-cert"), help: ArgumentHelp("PEM file of the CA that signed Kibana's certificate (env KIBANA_CA_CERT, default ELASTICSEARCH_CA_CERT).", valueName: "file"))
    var caCert: String?

    func overrides(elasticsearch: ElasticsearchOverrides) -> KibanaOverrides {
        KibanaOverrides(url: url, space: space, caCertPath: caCert, elasticsearch: elasticsearch)
    }
}
