#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads settings from the process environment, where every secret may instead come from a file
/// named by `<NAME>_FILE` (the Docker and Kubernetes secrets convention), or from a systemd
/// credential named `<NAME>` (`LoadCredential=`), which keeps secrets readable by a `DynamicUser`
/// service without putting them in its environment.
///
/// Kept as a value over a plain dictionary so tests and the job can inject an environment without
/// touching the real one.
public struct SecretEnvironment: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The real process environment.
    public static var process: SecretEnvironment {
        SecretEnvironment(ProcessInfo.processInfo.environment)
    }

    /// A plain setting: the variable's value, or nil when unset or empty.
    public func setting(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// A secret: `NAME` or the contents of the file named by `NAME_FILE` (trailing newlines removed);
    /// when neither is set, the credential `NAME` in `$CREDENTIALS_DIRECTORY`, if there is one.
    /// Both variables set is an error, since silently preferring one hides a stale secret.
    public func secret(_ name: String) throws -> String? {
        let direct = setting(name)
        let fileVariable = name + "_FILE"
        guard let path = setting(fileVariable) else {
            if direct == nil, let credential = credentialPath(name) {
                return try Self.readSecretFile(credential, namedBy: "the systemd credential \(name)")
            }
            return direct
        }
        if direct != nil {
            throw ConfigurationError("both \(name) and \(fileVariable) are set; unset one of them")
        }
        return try Self.readSecretFile(path, namedBy: fileVariable)
    }

    /// The contents of a secret file (trailing newlines removed); `source` names what pointed at
    /// it (a `_FILE` variable or a flag) in the error.
    public static func readSecretFile(_ path: String, namedBy source: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("\(source) names '\(path)', which cannot be read; check the path and its permissions")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("\(source) names '\(path)', which is not UTF-8 text")
        }
        while let last = text.last, last == "\n" || last == "\r" {
            text.removeLast()
        }
        if text.isEmpty {
            throw ConfigurationError("\(source) names '\(path)', which is empty")
        }
        return text
    }

    /// True when `NAME`, `NAME_FILE` or the credential `NAME` is there, without reading a file.
    public func isSet(_ name: String) -> Bool {
        setting(name) != nil || setting(name + "_FILE") != nil || credentialPath(name) != nil
    }

    /// The variable systemd sets to the directory holding a service's `LoadCredential=` files.
    public static let credentialsDirectoryVariable = "CREDENTIALS_DIRECTORY"

    /// `$CREDENTIALS_DIRECTORY/NAME` when that file exists. Names with a `/` or starting with `.`
    /// are never looked up, so a name cannot reach outside the directory.
    private func credentialPath(_ name: String) -> String? {
        guard let directory = setting(Self.credentialsDirectoryVariable),
              !name.isEmpty, !name.contains("/"), !name.hasPrefix(".")
        else { return nil }
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }
}
