import Foundation
import ShipperCore
import Testing

@Suite struct SecretEnvironmentTests {
    @Test func readsPlainValuesAndIgnoresEmptyOnes() throws {
        let environment = SecretEnvironment(["A": "1", "EMPTY": ""])
        #expect(environment.setting("A") == "1")
        #expect(environment.setting("EMPTY") == nil)
        #expect(try environment.secret("A") == "1")
        #expect(try environment.secret("MISSING") == nil)
        #expect(!environment.isSet("MISSING"))
    }

    @Test func readsSecretsFromFilesWithoutTrailingNewline() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString)").path
        try "s3cr3t\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = SecretEnvironment(["TOKEN_FILE": path])
        #expect(environment.isSet("TOKEN"))
        #expect(try environment.secret("TOKEN") == "s3cr3t")
    }

    @Test func bothFormsOrAnUnreadableFileAreClearErrors() {
        let both = SecretEnvironment(["TOKEN": "x", "TOKEN_FILE": "/nonexistent"])
        #expect(throws: ConfigurationError("both TOKEN and TOKEN_FILE are set; unset one of them")) {
            try both.secret("TOKEN")
        }
        let missing = SecretEnvironment(["TOKEN_FILE": "/nonexistent/secret"])
        #expect {
            try missing.secret("TOKEN")
        } throws: { error in
            let message = (error as? ConfigurationError)?.message ?? ""
            return message.contains("TOKEN_FILE") && message.contains("/nonexistent/secret")
        }
    }
}
