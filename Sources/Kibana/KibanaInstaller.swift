import Logging
import ShipperCore

/// What `install-kibana` did (or would do) with one rule or with the set of saved objects.
public struct KibanaInstallStep: Sendable, Equatable {
    public enum Status: String, Sendable, Equatable {
        case created, updated, unchanged, wouldCreate, wouldUpdate
    }

    /// `rule` or `saved objects`.
    public let kind: String
    public let name: String
    public let status: Status

    public var summaryLine: String {
        let text = switch status {
        case .created: "imported (new)"
        case .updated: "imported (replaced an older or edited copy)"
        case .unchanged: "unchanged"
        case .wouldCreate: "would import (not installed yet)"
        case .wouldUpdate: "would import (the installed copy is older or was edited)"
        }
        return "\(kind) \(name): \(text)"
    }

    public var writes: Bool { status != .unchanged }
}

/// Imports the detection rules and the dashboard into Kibana, only what is missing or differs,
/// so a second run changes nothing and says so. Reads Kibana's per-object errors inside a 200.
public struct KibanaInstaller: Sendable {
    public static let rulesPrivilege = "importing detection rules needs the Kibana feature privilege Security 'all' (Security > Rules and Exceptions) in the space, and read access to logs-mimecast.* for the rules to run"
    public static let rulesReadPrivilege = "reading detection rules needs the Kibana feature privilege Security 'read' (Security > Rules and Exceptions) in the space"
    public static let savedObjectsPrivilege = "importing the dashboard needs the Kibana feature privilege Saved Objects Management 'all' in the space (or Dashboard, Visualize, Maps and Data View Management 'all')"

    private let client: KibanaClient
    private let logger: Logger

    public init(client: KibanaClient, logger: Logger = Logger(label: "mimecast-shipper.kibana")) {
        self.client = client
        self.logger = logger
    }

    /// `GET /api/status`: Kibana's version; throws `versionTooOld` below the content's minimum.
    public func checkVersion() async throws -> String {
        let request = "GET /api/status"
        let response = try await client.send(.get, "/api/status", privilege: "reading /api/status needs any Kibana login")
        let status = try KibanaClient.parse(response.body, request: request)
        guard let version = status["version"]?["number"]?.stringValue else {
            throw KibanaError.malformedResponse(request: request, detail: "no version.number; is this Kibana?")
        }
        if Self.isOlder(version, than: KibanaContent.minimumKibanaVersion) {
            throw KibanaError.versionTooOld(found: version, minimum: KibanaContent.minimumKibanaVersion)
        }
        return version
    }

    /// Each rule and whether Kibana holds it in the current version (`check` reports this).
    public func ruleStates() async throws -> [(rule: KibanaRule, installed: Bool, current: Bool)] {
        var states: [(rule: KibanaRule, installed: Bool, current: Bool)] = []
        for rule in try KibanaContent.rules() {
            let installed = try await client.getJSON("/api/detection_engine/rules?rule_id=\(rule.ruleID)", privilege: Self.rulesReadPrivilege)
            let digest = installed?["meta"]?[KibanaContent.digestKey]?.stringValue
            states.append((rule, installed != nil, digest == rule.contentDigest))
        }
        return states
    }

    /// Imports what is missing or differs (nothing in a dry run) and returns one step per rule
    /// plus one for the saved objects.
    public func install(dryRun: Bool = false) async throws -> [KibanaInstallStep] {
        let version = try await checkVersion()
        logger.info("Kibana \(version) at \(Redaction.stripURLCredentials(client.configuration.url))")
        var steps: [KibanaInstallStep] = []

        let states = try await ruleStates()
        let pending = states.filter { !$0.current }
        for state in states {
            let status: KibanaInstallStep.Status = state.current ? .unchanged
                : dryRun ? (state.installed ? .wouldUpdate : .wouldCreate)
                : (state.installed ? .updated : .created)
            steps.append(KibanaInstallStep(kind: "rule", name: "\"\(state.rule.name)\" (\(state.rule.ruleID))", status: status))
        }
        if !pending.isEmpty, !dryRun {
            try await importRules(pending.map { $0.rule })
        }

        let (objects, digest) = try KibanaContent.savedObjectsForImport()
        let existing = try await installedSavedObjects(objects)
        let dashboardCurrent = existing.dashboardDescription?.hasSuffix("[mimecast-shipper content \(digest)]") == true
        let objectsCurrent = dashboardCurrent && existing.missing.isEmpty
        let anyInstalled = existing.missing.count < objects.count
        let status: KibanaInstallStep.Status = objectsCurrent ? .unchanged
            : dryRun ? (anyInstalled ? .wouldUpdate : .wouldCreate)
            : (anyInstalled ? .updated : .created)
        steps.append(KibanaInstallStep(kind: "saved objects", name: "(dashboard \"Mimecast provider accountability\", \(objects.count) objects)", status: status))
        if !objectsCurrent, !dryRun {
            try await importSavedObjects(objects)
        }
        return steps
    }

    private func importRules(_ rules: [KibanaRule]) async throws {
        let form = MultipartFormData(field: "file", fileName: "mimecast-shipper-rules.ndjson",
                                     contents: KibanaContent.ndjson(rules.map(\.importBody)))
        let path = "/api/detection_engine/rules/_import?overwrite=true"
        let response = try await client.send(.post, path, body: form.body, contentType: form.contentType, privilege: Self.rulesPrivilege)
        let answer = try KibanaClient.parse(response.body, request: "POST /api/detection_engine/rules/_import")
        let errors = (answer["errors"]?.arrayValue ?? []).map { error in
            let id = error["rule_id"]?.stringValue ?? error["id"]?.stringValue ?? "?"
            let message = error["error"]?["message"]?.stringValue ?? "no message"
            return "rule \(id): \(message)"
        }
        let succeeded = answer["success_count"]?.intValue ?? 0
        guard errors.isEmpty, answer["success"]?.boolValue == true, succeeded == rules.count else {
            throw KibanaError.importRejected(what: "of \(rules.count) rule(s)",
                                             errors: errors.isEmpty ? ["only \(succeeded) of \(rules.count) imported"] : errors)
        }
    }

    private func importSavedObjects(_ objects: [JSONValue]) async throws {
        let form = MultipartFormData(field: "file", fileName: "mimecast-shipper.ndjson", contents: KibanaContent.ndjson(objects))
        let path = "/api/saved_objects/_import?overwrite=true"
        let response = try await client.send(.post, path, body: form.body, contentType: form.contentType, privilege: Self.savedObjectsPrivilege)
        let answer = try KibanaClient.parse(response.body, request: "POST /api/saved_objects/_import")
        let errors = (answer["errors"]?.arrayValue ?? []).map { error in
            let what = "\(error["type"]?.stringValue ?? "?") \(error["id"]?.stringValue ?? "?")"
            let type = error["error"]?["type"]?.stringValue ?? "unknown"
            let missing = (error["error"]?["references"]?.arrayValue ?? []).compactMap { ref in
                ref["id"]?.stringValue.map { "\(ref["type"]?.stringValue ?? "?") \($0)" }
            }
            let detail = error["error"]?["message"]?.stringValue ?? (missing.isEmpty ? "" : "missing \(missing.joined(separator: ", "))")
            return "\(what): \(type)\(detail.isEmpty ? "" : " (\(detail))")"
        }
        let succeeded = answer["successCount"]?.intValue ?? 0
        guard errors.isEmpty, answer["success"]?.boolValue == true, succeeded == objects.count else {
            throw KibanaError.importRejected(what: "of \(objects.count) saved object(s)",
                                             errors: errors.isEmpty ? ["only \(succeeded) of \(objects.count) imported"] : errors)
        }
    }

    /// `_bulk_get` of every object: which are missing, and the installed dashboard's description.
    private func installedSavedObjects(_ objects: [JSONValue]) async throws -> (missing: [String], dashboardDescription: String?) {
        let request: JSONValue = .array(objects.map { object in
            .object(["type": object["type"] ?? .null, "id": object["id"] ?? .null])
        })
        let response = try await client.send(.post, "/api/saved_objects/_bulk_get", body: request.serialized(),
                                             privilege: Self.savedObjectsPrivilege)
        let answer = try KibanaClient.parse(response.body, request: "POST /api/saved_objects/_bulk_get")
        guard let found = answer["saved_objects"]?.arrayValue else {
            throw KibanaError.malformedResponse(request: "POST /api/saved_objects/_bulk_get", detail: "no saved_objects array")
        }
        var missing: [String] = []
        var description: String?
        for object in found {
            let id = object["id"]?.stringValue ?? "?"
            if object["error"] != nil {
                missing.append(id)
            } else if object["type"]?.stringValue == "dashboard", id == KibanaContent.dashboardID {
                description = object["attributes"]?["description"]?.stringValue
            }
        }
        return (missing, description)
    }

    /// Compares dotted versions numerically; a suffix such as `-SNAPSHOT` is ignored.
    static func isOlder(_ version: String, than minimum: String) -> Bool {
        func parts(_ text: String) -> [Int] {
            let core = text.split(separator: "-").first.map(String.init) ?? text
            return core.split(separator: ".").map { Int($0) ?? 0 }
        }
        let found = parts(version), floor = parts(minimum)
        for index in 0..<max(found.count, floor.count) {
            let left = index < found.count ? found[index] : 0
            let right = index < floor.count ? floor[index] : 0
            if left != right { return left < right }
        }
        return false
    }
}
