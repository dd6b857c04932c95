import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperElasticsearch

/// Flags mirroring the ELASTICSEARCH_* variables. Secrets are taken only from files: a value on
/// the command line is visible to every local user through `ps`.
struct ElasticsearchOptions: ParsableArguments {
    @Option(name: .customLong("elasticsearch-url"), help: ArgumentHelp("Elasticsearch URL (env ELASTICSEARCH_URL, default http://localhost:9200).", valueName: "url"))
    var url: String?

    @Option(name: .customLong("elasticsearch-cloud-id"), help: ArgumentHelp("Elastic Cloud ID instead of a URL (env ELASTICSEARCH_CLOUD_ID).", valueName: "id"))
    var cloudID: String?

    @Option(name: .customLong("elasticsearch-api-key-file"), help: ArgumentHelp("File holding the API key, encoded or id:key (env ELASTICSEARCH_API_KEY[_FILE]).", valueName: "file"))
    var apiKeyFile: String?

    @Option(name: .customLong("elasticsearch-username"), help: ArgumentHelp("User for basic authentication (env ELASTICSEARCH_USERNAME).", valueName: "name"))
    var username: String?

    @Option(name: .customLong("elasticsearch-password-file"), help: ArgumentHelp("File holding the password (env ELASTICSEARCH_PASSWORD[_FILE]).", valueName: "file"))
    var passwordFile: String?

    @Option(name: .customLong("elasticsearch-ca-cert"), help: ArgumentHelp("PEM file of the CA that signed the cluster's certificate (env ELASTICSEARCH_CA_CERT).", valueName: "file"))
    var caCert: String?

    func overrides() throws -> ElasticsearchOverrides {
        ElasticsearchOverrides(
            url: url,
            cloudID: cloudID,
            apiKey: try apiKeyFile.map { try SecretEnvironment.readSecretFile($0, namedBy: "--elasticsearch-api-key-file") },
            username: username,
            password: try passwordFile.map { try SecretEnvironment.readSecretFile($0, namedBy: "--elasticsearch-password-file") },
            caCertPath: caCert
        )
    }
}
