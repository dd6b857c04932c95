import Foundation
import ShipperCore
import ShipperMimecast
import Testing

/// The systemd unit's shape: non-secret ids in the environment, secrets as `LoadCredential=` files.
@Suite struct MimecastCredentialsDirectoryTests {
    @Test func apiTwoSecretComesFromTheCredentialsDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "loaded-secret\n".write(toFile: directory + "/MIMECAST_CLIENT_SECRET", atomically: true, encoding: .utf8)

        let configuration = try MimecastConfiguration.fromEnvironment(SecretEnvironment([
            "CREDENTIALS_DIRECTORY": directory, "MIMECAST_CLIENT_ID": "client-id",
        ]))
        #expect(configuration.credentials == .oauth(clientID: "client-id", clientSecret: "loaded-secret"))

        // A credential for the other scheme counts as set, so a mix is refused as with variables.
        try "appkey".write(toFile: directory + "/MIMECAST_APP_KEY", atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) {
            try MimecastConfiguration.fromEnvironment(SecretEnvironment([
                "CREDENTIALS_DIRECTORY": directory, "MIMECAST_CLIENT_ID": "client-id",
            ]))
        }
    }
}
