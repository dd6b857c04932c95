import Foundation
import ShipperCore
import Testing

/// systemd's `LoadCredential=` hands a service its secrets as files in `$CREDENTIALS_DIRECTORY`;
/// the shipper reads the one named like the variable when the variable and its `_FILE` are unset.
@Suite struct CredentialsDirectoryTests {
    /// A fresh credentials directory holding `files`; the caller removes it.
    private func makeCredentials(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        return directory
    }

    @Test func readsTheCredentialNamedLikeTheVariable() throws {
        let directory = try makeCredentials(["MIMECAST_CLIENT_SECRET": "from-systemd\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = SecretEnvironment(["CREDENTIALS_DIRECTORY": directory])
        #expect(environment.isSet("MIMECAST_CLIENT_SECRET"))
        #expect(try environment.secret("MIMECAST_CLIENT_SECRET") == "from-systemd")
        #expect(!environment.isSet("MIMECAST_CLIENT_ID"))
        #expect(try environment.secret("MIMECAST_CLIENT_ID") == nil)
    }

    @Test func theVariableAndItsFileWinOverTheCredential() throws {
        let directory = try makeCredentials(["TOKEN": "credential", "TOKEN_SOURCE": "file-form"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let direct = SecretEnvironment(["CREDENTIALS_DIRECTORY": directory, "TOKEN": "variable"])
        #expect(try direct.secret("TOKEN") == "variable")
        let viaFile = SecretEnvironment(["CREDENTIALS_DIRECTORY": directory, "TOKEN_FILE": directory + "/TOKEN_SOURCE"])
        #expect(try viaFile.secret("TOKEN") == "file-form")
    }

    @Test func withoutTheDirectoryVariableNothingIsLookedUp() throws {
        let directory = try makeCredentials(["TOKEN": "credential"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = SecretEnvironment([:])
        #expect(!environment.isSet("TOKEN"))
        #expect(try environment.secret("TOKEN") == nil)
    }

    @Test func anEmptyCredentialIsAClearErrorNamingIt() throws {
        let directory = try makeCredentials(["TOKEN": "\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = SecretEnvironment(["CREDENTIALS_DIRECTORY": directory])
        #expect {
            try environment.secret("TOKEN")
        } throws: { error in
            let message = (error as? ConfigurationError)?.message ?? ""
            return message.contains("systemd credential TOKEN") && message.contains("empty")
        }
    }

    @Test func namesCannotLeaveTheDirectory() throws {
        let directory = try makeCredentials(["TOKEN": "inside"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = SecretEnvironment(["CREDENTIALS_DIRECTORY": directory + "/sub"])
        #expect(try environment.secret("../TOKEN") == nil)
        #expect(!environment.isSet("../TOKEN"))
    }
}
