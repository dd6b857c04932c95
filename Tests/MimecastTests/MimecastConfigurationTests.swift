import Foundation
import ShipperCore
import ShipperMimecast
import Testing

@Suite struct MimecastConfigurationTests {
    static let hmacEnvironment = [
        "MIMECAST_APP_ID": "app-id", "MIMECAST_APP_KEY": "app-key-secret",
        "MIMECAST_ACCESS_KEY": "access-key-secret", "MIMECAST_SECRET_KEY": "c2VjcmV0LWtleS1mb3ItdGVzdHM=",
    ]

    @Test func oauthCredentialsWithDefaultBaseURL() throws {
        let configuration = try MimecastConfiguration.fromEnvironment(SecretEnvironment([
            "MIMECAST_CLIENT_ID": "client-id", "MIMECAST_CLIENT_SECRET": "client-secret-value",
        ]))
        #expect(configuration.credentials == .oauth(clientID: "client-id", clientSecret: "client-secret-value"))
        #expect(configuration.baseURL == "https://api.services.mimecast.com")
        #expect(configuration.pageSize == 500)
        #expect(configuration.sliceLength == 86400)
    }

    @Test func hmacCredentialsWithRegionalBaseURL() throws {
        var environment = Self.hmacEnvironment
        environment["MIMECAST_BASE_URL"] = "https://eu-api.mimecast.com/"
        let configuration = try MimecastConfiguration.fromEnvironment(SecretEnvironment(environment))
        #expect(configuration.credentials == .hmac(appID: "app-id", appKey: "app-key-secret", accessKey: "access-key-secret", secretKey: "c2VjcmV0LWtleS1mb3ItdGVzdHM="))
        #expect(configuration.baseURL == "https://eu-api.mimecast.com")
    }

    @Test func secretsMayComeFromFiles() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mimecast-secret-\(UUID().uuidString)").path
        try Data("file-secret\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try MimecastConfiguration.fromEnvironment(SecretEnvironment([
            "MIMECAST_CLIENT_ID": "client-id", "MIMECAST_CLIENT_SECRET_FILE": path,
        ]))
        #expect(configuration.credentials == .oauth(clientID: "client-id", clientSecret: "file-secret"))
    }

    @Test func bothSetsAreAnError() {
        var environment = Self.hmacEnvironment
        environment["MIMECAST_CLIENT_ID"] = "client-id"
        #expect {
            try MimecastConfiguration.fromEnvironment(SecretEnvironment(environment))
        } throws: { error in
            let message = (error as? ConfigurationError)?.message ?? ""
            return message.contains("MIMECAST_CLIENT_ID") && message.contains("MIMECAST_APP_ID") && !message.contains("access-key-secret")
        }
    }

    @Test func incompleteSetNamesTheMissingVariable() {
        var environment = Self.hmacEnvironment
        environment["MIMECAST_ACCESS_KEY"] = nil
        #expect(throws: ConfigurationError.self) { try MimecastConfiguration.fromEnvironment(SecretEnvironment(environment)) }
        do {
            _ = try MimecastConfiguration.fromEnvironment(SecretEnvironment(environment))
        } catch let error as ConfigurationError {
            #expect(error.message.contains("MIMECAST_ACCESS_KEY is not set"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try MimecastConfiguration.fromEnvironment(SecretEnvironment(["MIMECAST_CLIENT_SECRET": "s"]))
        } catch let error as ConfigurationError {
            #expect(error.message.contains("MIMECAST_CLIENT_ID is not set"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func noCredentialsNamesBothSchemes() {
        do {
            _ = try MimecastConfiguration.fromEnvironment(SecretEnvironment([:]))
            Issue.record("expected an error")
        } catch let error as ConfigurationError {
            #expect(error.message.contains("MIMECAST_CLIENT_ID"))
            #expect(error.message.contains("MIMECAST_SECRET_KEY"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func secretKeyMustBeBase64() {
        var environment = Self.hmacEnvironment
        environment["MIMECAST_SECRET_KEY"] = "%%% not base64"
        #expect(throws: ConfigurationError.self) { try MimecastConfiguration.fromEnvironment(SecretEnvironment(environment)) }
    }

    @Test func descriptionsNeverShowSecrets() {
        let oauth = MimecastCredentials.oauth(clientID: "client-id", clientSecret: "TOPSECRET-1")
        let hmac = MimecastCredentials.hmac(appID: "app-id", appKey: "TOPSECRET-2", accessKey: "TOPSECRET-3", secretKey: "VE9QU0VDUkVULTQ=")
        for text in [oauth.description, hmac.description, "\(oauth)", String(reflecting: hmac)] {
            #expect(!text.contains("TOPSECRET"))
            #expect(!text.contains("VE9QU0VDUkVULTQ="))
        }
        #expect(oauth.description.contains("API 2.0"))
        #expect(hmac.description.contains("API 1.0"))
    }
}
