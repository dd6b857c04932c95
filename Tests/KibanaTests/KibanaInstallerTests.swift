import FakeKibana
import Foundation
import Logging
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP
import ShipperKibana
import ShipperPipeline
import Testing

/// `install-kibana`'s logic against the loopback fake Kibana.
@Suite struct KibanaInstallerTests {
    func installer(_ kibana: FakeKibana, space: String? = nil, auth: ElasticsearchAuth = .none) throws -> KibanaInstaller {
        let configuration = KibanaConfiguration(url: kibana.baseURL, space: space, auth: auth)
        return KibanaInstaller(client: try KibanaClient(configuration: configuration))
    }

    func withKibana<T>(version: String = "8.14.0", _ body: (FakeKibana) async throws -> T) async throws -> T {
        let kibana = try await FakeKibana.start(version: version)
        do {
            let result = try await body(kibana)
            await kibana.stop()
            return result
        } catch {
            await kibana.stop()
            throw error
        }
    }

    @Test func aFirstRunImportsEverythingAndASecondChangesNothing() async throws {
        try await withKibana { kibana in
            let first = try await installer(kibana).install()
            #expect(first.count == 6)
            #expect(first.filter { $0.status == .created }.count == 6, "\(first.map(\.summaryLine))")
            #expect(kibana.rules().count == 5)
            #expect(kibana.savedObjects().count == 10)
            #expect(kibana.ruleImportCount == 1 && kibana.savedObjectImportCount == 1)

            let second = try await installer(kibana).install()
            #expect(second.allSatisfy { $0.status == .unchanged }, "\(second.map(\.summaryLine))")
            #expect(kibana.ruleImportCount == 1 && kibana.savedObjectImportCount == 1, "a second run imported again")
        }
    }

    @Test func aRuleEditedInKibanaIsReplacedAndOnlyIt() async throws {
        try await withKibana { kibana in
            _ = try await installer(kibana).install()
            let edited = "c33210bd-bc5e-4c9c-81b8-c7cb95610729"
            kibana.editRule(edited, set: "meta", to: .object([:]))
            let again = try await installer(kibana).install()
            let updated = again.filter { $0.status == .updated }
            #expect(updated.count == 1 && updated.first?.name.contains(edited) == true, "\(again.map(\.summaryLine))")
            #expect(kibana.ruleImportCount == 2 && kibana.savedObjectImportCount == 1)
            #expect(kibana.rules()[edited]?["meta"]?["mimecast_shipper_content"] != nil)
        }
    }

    @Test func aDryRunReportsAndWritesNothing() async throws {
        try await withKibana { kibana in
            let planned = try await installer(kibana).install(dryRun: true)
            #expect(planned.allSatisfy { $0.status == .wouldCreate })
            #expect(kibana.ruleImportCount == 0 && kibana.savedObjectImportCount == 0)
            #expect(kibana.rules().isEmpty)
        }
    }

    @Test func theSpaceIsUsedInEveryPath() async throws {
        try await withKibana { kibana in
            kibana.addSpace("security")
            _ = try await installer(kibana, space: "security").install()
            #expect(kibana.rules(space: "security").count == 5)
            #expect(kibana.rules().isEmpty)
            #expect(kibana.requestLog.filter { !$0.contains("/s/security/") }.isEmpty, "\(kibana.requestLog)")
        }
    }

    @Test func everyWriteCarriesKbnXsrfAndTheImportsAreMultipart() async throws {
        // The fake refuses writes without kbn-xsrf and non-multipart imports; a clean install proves both.
        try await withKibana { kibana in
            _ = try await installer(kibana).install()
            #expect(kibana.savedObjects().keys.contains("dashboard/mimecast-shipper-provider-accountability"))
        }
    }

    @Test func aTooOldKibanaIsRefusedNamingTheVersion() async throws {
        try await withKibana(version: "8.12.2") { kibana in
            do {
                _ = try await installer(kibana).install()
                Issue.record("Kibana 8.12.2 was accepted")
            } catch let error as KibanaError {
                #expect(error == .versionTooOld(found: "8.12.2", minimum: "8.14.0"))
                #expect(error.description.contains("8.12.2") && error.description.contains("8.14.0"))
            }
            #expect(kibana.ruleImportCount == 0)
        }
    }

    @Test func refusedCredentialsAndMissingPrivilegesAreNamed() async throws {
        try await withKibana { kibana in
            kibana.requireAPIKey("right-key")
            await #expect(throws: KibanaError.self) { _ = try await installer(kibana, auth: .apiKey(encoded: "wrong-key")).install() }
            do {
                _ = try await installer(kibana, auth: .apiKey(encoded: "wrong-key")).install()
            } catch {
                #expect("\(error)".contains("401") && !"\(error)".contains("wrong-key"))
            }
            kibana.forbidRules()
            do {
                _ = try await installer(kibana, auth: .apiKey(encoded: "right-key")).install()
                Issue.record("a 403 was not reported")
            } catch let error as KibanaError {
                #expect(error.description.contains("403") && error.description.contains("Security 'read'"), "\(error)")
            }
            kibana.forbidRules(false)
            kibana.forbidRuleImports()
            do {
                _ = try await installer(kibana, auth: .apiKey(encoded: "right-key")).install()
                Issue.record("a 403 was not reported")
            } catch let error as KibanaError {
                #expect(error.description.contains("Security 'all'"), "\(error)")
            }
            kibana.forbidRuleImports(false)
            kibana.forbidSavedObjects()
            do {
                _ = try await installer(kibana, auth: .apiKey(encoded: "right-key")).install()
                Issue.record("a 403 was not reported")
            } catch let error as KibanaError {
                #expect(error.description.contains("Saved Objects Management 'all'"), "\(error)")
            }
        }
    }

    @Test func perObjectErrorsInsideA200AreReported() async throws {
        try await withKibana { kibana in
            kibana.failEveryImportedRule(with: "simulated refusal")
            do {
                _ = try await installer(kibana).install()
                Issue.record("errors inside a 200 were ignored")
            } catch let error as KibanaError {
                guard case .importRejected(_, let errors) = error else { throw error }
                #expect(errors.count == 5)
                #expect(errors.allSatisfy { $0.contains("simulated refusal") })
            }
        }
    }

    @Test func savedObjectErrorsInsideA200NameTheObjectAndWhatIsMissing() async throws {
        try await withKibana { kibana in
            kibana.failSavedObjects(ofType: "dashboard")
            do {
                _ = try await installer(kibana).install()
                Issue.record("saved-object errors inside a 200 were ignored")
            } catch let error as KibanaError {
                guard case .importRejected(_, let errors) = error else { throw error }
                #expect(errors.count == 1)
                #expect(errors.first?.hasPrefix("dashboard mimecast-shipper-provider-accountability: missing_references (missing lens ") == true, "\(errors)")
            }
            // The rules went in; a repaired Kibana then completes the dashboard alone.
            kibana.failSavedObjects(ofType: nil)
            let again = try await installer(kibana).install()
            #expect(again.filter(\.writes).map(\.kind) == ["saved objects"])
        }
    }

    @Test func checkReportsWhetherTheRulesAreInstalled() async throws {
        try await withKibana { kibana in
            let environment = ["KIBANA_URL": kibana.baseURL, "ELASTICSEARCH_URL": "http://127.0.0.1:9"]
            let logger = Logger(label: "test")
            let before = try #require(await KibanaCheck.item(environment: environment, overrides: KibanaOverrides(), logger: logger))
            #expect(!before.passed && before.detail.contains("5 of 5 not installed"), "\(before.line)")
            _ = try await installer(kibana).install()
            let after = try #require(await KibanaCheck.item(environment: environment, overrides: KibanaOverrides(), logger: logger))
            #expect(after.passed, "\(after.line)")
            #expect(await KibanaCheck.item(environment: [:], overrides: KibanaOverrides(), logger: logger) == nil)
        }
    }
}

@Suite struct KibanaConfigurationTests {
    @Test func theKibanaURLComesFromTheFlagTheEnvironmentOrTheCloudID() throws {
        let flag = try KibanaConfiguration.resolve(environment: SecretEnvironment(["KIBANA_URL": "https://env.example:5601"]),
                                                   overrides: KibanaOverrides(url: "https://flag.example/"))
        #expect(flag?.url == "https://flag.example")
        let env = try KibanaConfiguration.resolve(environment: SecretEnvironment(["KIBANA_URL": "https://env.example:5601"]), overrides: KibanaOverrides())
        #expect(env?.url == "https://env.example:5601")
        // label:base64("eu-west-1.aws.found.io$es123$kb456")
        let cloudID = "prod:" + Data("eu-west-1.aws.found.io$es123$kb456".utf8).base64EncodedString()
        let cloud = try KibanaConfiguration.resolve(environment: SecretEnvironment(["ELASTICSEARCH_CLOUD_ID": cloudID]), overrides: KibanaOverrides())
        #expect(cloud?.url == "https://kb456.eu-west-1.aws.found.io")
        let withPort = "x:" + Data("example.io:9243$es$kb".utf8).base64EncodedString()
        #expect(try CloudID.kibanaURL(from: withPort) == "https://kb.example.io:9243")
        #expect(try KibanaConfiguration.resolve(environment: SecretEnvironment([:]), overrides: KibanaOverrides()) == nil)
    }

    @Test func authenticationIsTheElasticsearchOneWithSecretsFromFiles() throws {
        let path = NSTemporaryDirectory() + "kibana-key-\(UUID().uuidString)"
        try "id:secret-value\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try #require(try KibanaConfiguration.resolve(
            environment: SecretEnvironment(["KIBANA_URL": "http://127.0.0.1:5601", "ELASTICSEARCH_API_KEY_FILE": path]),
            overrides: KibanaOverrides()))
        #expect(configuration.auth == .apiKey(userInput: "id:secret-value"))
        #expect(!configuration.description.contains("secret-value"))
    }

    @Test func aBadSpaceOrURLIsOneClearError() {
        #expect(throws: ConfigurationError.self) {
            try KibanaConfiguration.resolve(environment: SecretEnvironment(["KIBANA_URL": "http://127.0.0.1:5601"]), overrides: KibanaOverrides(space: "My Space"))
        }
        #expect(throws: ConfigurationError.self) {
            try KibanaConfiguration.resolve(environment: SecretEnvironment(["KIBANA_URL": "kibana:5601"]), overrides: KibanaOverrides())
        }
        #expect(KibanaConfiguration(url: "http://k", space: "ops").path("/api/status") == "/s/ops/api/status")
        #expect(KibanaConfiguration(url: "http://k").path("/api/status") == "/api/status")
    }
}
