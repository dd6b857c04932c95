import Foundation
import ShipperCore
import ShipperElasticsearch
import Testing

@Suite struct ConfigurationTests {
    func resolve(_ environment: [String: String], _ overrides: ElasticsearchOverrides = .init()) throws -> ElasticsearchConfiguration {
        try ElasticsearchConfiguration.resolve(environment: SecretEnvironment(environment), overrides: overrides)
    }

    func message(_ environment: [String: String], _ overrides: ElasticsearchOverrides = .init()) -> String? {
        do {
            _ = try resolve(environment, overrides)
            return nil
        } catch let error as ConfigurationError {
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func defaultsToLocalhostWithoutAuth() throws {
        let configuration = try resolve([:])
        #expect(configuration.url == "http://localhost:9200")
        #expect(configuration.auth == .none)
        #expect(configuration.namespace == "default")
        #expect(configuration.dataStream == "logs-mimecast.audit-default")
        #expect(configuration.caCertPath == nil)
    }

    @Test func readsTheEnvironmentAndStripsTrailingSlashes() throws {
        let configuration = try resolve(["ELASTICSEARCH_URL": "https://es.example:9243/", "ELASTICSEARCH_API_KEY": "ZW5jb2RlZA=="])
        #expect(configuration.url == "https://es.example:9243")
        #expect(configuration.auth == .apiKey(encoded: "ZW5jb2RlZA=="))
    }

    @Test func apiKeyInIdColonKeyFormIsEncoded() throws {
        let configuration = try resolve(["ELASTICSEARCH_API_KEY": "my-id:my-secret"])
        #expect(configuration.auth == .apiKey(encoded: Data("my-id:my-secret".utf8).base64EncodedString()))
    }

    @Test func flagsOverrideTheEnvironment() throws {
        let configuration = try resolve(
            ["ELASTICSEARCH_URL": "http://env:9200", "ELASTICSEARCH_USERNAME": "env-user", "ELASTICSEARCH_PASSWORD": "env-pass"],
            ElasticsearchOverrides(url: "http://flag:9200", username: "flag-user", namespace: "prod")
        )
        #expect(configuration.url == "http://flag:9200")
        #expect(configuration.auth == .basic(username: "flag-user", password: "env-pass"))
        #expect(configuration.dataStream == "logs-mimecast.audit-prod")
    }

    @Test func aFlagCloudIDBeatsAnEnvironmentURL() throws {
        let cloudID = "label:" + Data("eu-west-1.aws.found.io$abc123$def456".utf8).base64EncodedString()
        let configuration = try resolve(["ELASTICSEARCH_URL": "http://env:9200"], ElasticsearchOverrides(cloudID: cloudID))
        #expect(configuration.url == "https://abc123.eu-west-1.aws.found.io")
    }

    @Test func urlAndCloudIDTogetherAreAConflictNamingBoth() throws {
        let cloudID = "x:" + Data("host$es$kb".utf8).base64EncodedString()
        let text = try #require(message(["ELASTICSEARCH_URL": "http://a:9200", "ELASTICSEARCH_CLOUD_ID": cloudID]))
        #expect(text.contains("ELASTICSEARCH_URL") && text.contains("ELASTICSEARCH_CLOUD_ID"))
        let flags = try #require(message([:], ElasticsearchOverrides(url: "http://a:9200", cloudID: cloudID)))
        #expect(flags.contains("command-line"))
    }

    @Test func incompleteBasicAuthNamesTheMissingVariable() throws {
        let missingPassword = try #require(message(["ELASTICSEARCH_USERNAME": "elastic"]))
        #expect(missingPassword.contains("ELASTICSEARCH_PASSWORD is not"))
        let missingUser = try #require(message(["ELASTICSEARCH_PASSWORD": "s3cret-value"]))
        #expect(missingUser.contains("ELASTICSEARCH_USERNAME is not"))
        #expect(!missingUser.contains("s3cret-value"))
    }

    @Test func apiKeyAndBasicAuthTogetherAreAConflict() throws {
        let text = try #require(message(["ELASTICSEARCH_API_KEY": "k", "ELASTICSEARCH_USERNAME": "u", "ELASTICSEARCH_PASSWORD": "p"]))
        #expect(text.contains("ELASTICSEARCH_API_KEY") && text.contains("one authentication method"))
        // A flag picks one of them.
        let configuration = try resolve(["ELASTICSEARCH_USERNAME": "u", "ELASTICSEARCH_PASSWORD": "p"], ElasticsearchOverrides(apiKey: "flag-key"))
        #expect(configuration.auth == .apiKey(encoded: "flag-key"))
    }

    @Test func secretsComeFromFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("es-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("password")
        try Data("from-file\n".utf8).write(to: file)
        let configuration = try resolve(["ELASTICSEARCH_USERNAME": "elastic", "ELASTICSEARCH_PASSWORD_FILE": file.path])
        #expect(configuration.auth == .basic(username: "elastic", password: "from-file"))
    }

    @Test func unreadableCACertIsAConfigurationError() throws {
        let text = try #require(message(["ELASTICSEARCH_CA_CERT": "/nonexistent/ca.pem"]))
        #expect(text.contains("ELASTICSEARCH_CA_CERT") && text.contains("/nonexistent/ca.pem"))
    }

    @Test func invalidURLIsRefusedWithoutItsCredentials() throws {
        let text = try #require(message(["ELASTICSEARCH_URL": "ftp://user:hunter2@host"]))
        #expect(text.contains("ELASTICSEARCH_URL"))
        #expect(!text.contains("hunter2"))
    }

    @Test(arguments: ["Default", "my-space", "", "a b", "a*b", "_x"])
    func invalidNamespacesAreRefused(namespace: String) throws {
        let text = try #require(message([:], ElasticsearchOverrides(namespace: namespace)))
        #expect(text.contains("namespace"))
    }

    @Test(arguments: ["default", "prod_eu", "team.a", "x1"])
    func validNamespacesAreAccepted(namespace: String) throws {
        #expect(try resolve([:], ElasticsearchOverrides(namespace: namespace)).namespace == namespace)
    }

    @Test func authDescriptionsNeverShowSecrets() {
        #expect(!ElasticsearchAuth.apiKey(encoded: "c2VjcmV0").description.contains("c2VjcmV0"))
        let basic = ElasticsearchAuth.basic(username: "elastic", password: "hunter2")
        #expect(!basic.description.contains("hunter2"))
        #expect(basic.description.contains("elastic"))
        #expect(!"\(ElasticsearchConfiguration(auth: basic))".contains("hunter2"))
    }

    @Test func authorizationHeaderForEachScheme() {
        #expect(ElasticsearchAuth.none.authorizationHeader == nil)
        #expect(ElasticsearchAuth.apiKey(encoded: "abc==").authorizationHeader == "ApiKey abc==")
        #expect(ElasticsearchAuth.basic(username: "elastic", password: "changeme").authorizationHeader
            == "Basic " + Data("elastic:changeme".utf8).base64EncodedString())
    }
}

@Suite struct CloudIDTests {
    @Test func decodesHostAndElasticsearchID() throws {
        let encoded = Data("us-central1.gcp.cloud.es.io$0123abcd$kibana99".utf8).base64EncodedString()
        #expect(try CloudID.elasticsearchURL(from: "my-deployment:\(encoded)") == "https://0123abcd.us-central1.gcp.cloud.es.io")
    }

    @Test func keepsAPortOtherThan443() throws {
        let withPort = Data("example.com:9243$esid$kbid".utf8).base64EncodedString()
        #expect(try CloudID.elasticsearchURL(from: "x:\(withPort)") == "https://esid.example.com:9243")
        let defaultPort = Data("example.com:443$esid$kbid".utf8).base64EncodedString()
        #expect(try CloudID.elasticsearchURL(from: "x:\(defaultPort)") == "https://esid.example.com")
        let portOnID = Data("example.com$esid:9200$kbid".utf8).base64EncodedString()
        #expect(try CloudID.elasticsearchURL(from: "x:\(portOnID)") == "https://esid.example.com:9200")
    }

    @Test func acceptsMissingPaddingAndLabelsWithColons() throws {
        var encoded = Data("host.io$abc$def".utf8).base64EncodedString()
        while encoded.hasSuffix("=") { encoded.removeLast() }
        #expect(try CloudID.elasticsearchURL(from: "a:b:\(encoded)") == "https://abc.host.io")
    }

    @Test(arguments: ["label:!!!not-base64", "label:" + Data("no-dollar".utf8).base64EncodedString(), "", "x:" + Data("$id$kb".utf8).base64EncodedString()])
    func invalidIDsAreConfigurationErrors(cloudID: String) {
        #expect {
            _ = try CloudID.elasticsearchURL(from: cloudID)
        } throws: { error in
            (error as? ConfigurationError)?.message.contains("ELASTICSEARCH_CLOUD_ID") == true
        }
    }
}
