import Foundation
import ShipperCore

/// Everything the fake Kibana knows; mutated only under the server's lock.
struct FakeKibanaState {
    var version: String
    var spaces: Set<String> = ["default"]
    var expectedAPIKey: String?
    var expectedBasic: (username: String, password: String)?
    /// Answer 403 to the detection-engine (rules) endpoints.
    var forbidRules = false
    /// Answer 403 to rule imports only (a user with Security 'read' but not 'all').
    var forbidRuleImports = false
    /// Answer 403 to the saved-objects endpoints.
    var forbidSavedObjects = false
    /// Every imported rule fails with this message (inside a 200), as for a rule Kibana refuses.
    var injectedRuleError: String?
    /// Saved objects of this type fail as if a reference were missing (inside a 200).
    var injectedMissingReferenceType: String?
    let validator: RuleSchemaValidator?
    let validatorError: String?

    // Stored per space: rules by rule_id, saved objects by "type/id".
    var rules: [String: [String: JSONValue]] = [:]
    var savedObjects: [String: [String: JSONValue]] = [:]

    // Observations.
    var requestLog: [String] = []
    var ruleImports = 0
    var savedObjectImports = 0
    var xsrfRefusals = 0

    init(version: String) {
        self.version = version
        do {
            validator = try RuleSchemaValidator()
            validatorError = nil
        } catch {
            validator = nil
            validatorError = "the fake cannot load the vendored rule schemas: \(error)"
        }
    }

    mutating func handle(_ request: FakeKibanaRequest) -> FakeKibanaResponse {
        requestLog.append("\(request.method) \(request.path)")
        if let refusal = authenticate(request) { return refusal }
        var segments = request.path.split(separator: "/").map(String.init)
        var space = "default"
        if segments.first == "s", segments.count >= 2 {
            space = segments[1]
            segments.removeFirst(2)
            guard spaces.contains(space) else {
                return .kibanaError(404, "Not Found", "Saved object [space/\(space)] not found")
            }
        }
        guard segments.first == "api" else { return .kibanaError(404, "Not Found", "Not Found") }
        if request.method != "GET", request.headers["kbn-xsrf"] == nil {
            xsrfRefusals += 1
            return .kibanaError(400, "Bad Request", "Request must contain a kbn-xsrf header.")
        }
        let route = segments.dropFirst().joined(separator: "/")
        switch (request.method, route) {
        case ("GET", "status"):
            return .json(.object([
                "name": .string("fake-kibana"),
                "version": .object(["number": .string(version), "build_flavor": .string("traditional")]),
                "status": .object(["overall": .object(["level": .string("available")])]),
            ]))
        case ("GET", "detection_engine/rules"):
            if forbidRules { return forbidden("read rules") }
            guard let ruleID = request.query["rule_id"] else {
                return .kibanaError(400, "Bad Request", "either \"id\" or \"rule_id\" must be set")
            }
            guard let rule = rules[space]?[ruleID] else {
                return .kibanaError(404, "Not Found", "rule_id: \"\(ruleID)\" not found")
            }
            return .json(rule)
        case ("POST", "detection_engine/rules/_import"):
            if forbidRules || forbidRuleImports { return forbidden("import rules") }
            return importRules(request, space: space)
        case ("POST", "saved_objects/_bulk_get"):
            if forbidSavedObjects { return forbidden("read saved objects") }
            return bulkGet(request, space: space)
        case ("POST", "saved_objects/_import"):
            if forbidSavedObjects { return forbidden("import saved objects") }
            return importSavedObjects(request, space: space)
        default:
            return .kibanaError(404, "Not Found", "Not Found")
        }
    }

    private func forbidden(_ action: String) -> FakeKibanaResponse {
        .kibanaError(403, "Forbidden", "API [\(action)] is unauthorized for user, this action is granted by the Kibana privileges [all]")
    }

    private func authenticate(_ request: FakeKibanaRequest) -> FakeKibanaResponse? {
        guard expectedAPIKey != nil || expectedBasic != nil else { return nil }
        let header = request.headers["authorization"]
        if let key = expectedAPIKey, header == "ApiKey \(key)" { return nil }
        if let basic = expectedBasic, header == "Basic " + Data("\(basic.username):\(basic.password)".utf8).base64EncodedString() { return nil }
        return .kibanaError(401, "Unauthorized", "[security_exception\n\tRoot causes:\n\t\tsecurity_exception: unable to authenticate user]: unable to authenticate user")
    }

    /// The NDJSON lines of the multipart `file` field, or the 400 Kibana answers.
    private func uploadedLines(_ request: FakeKibanaRequest) -> Result<[[UInt8]], FakeKibanaResponse> {
        let parts: [FakeMultipart.Part]
        do {
            parts = try FakeMultipart.parse(contentType: request.headers["content-type"], body: request.body)
        } catch {
            return .failure(.kibanaError(400, "Bad Request", "[request body]: \(error)"))
        }
        guard parts.count == 1, let file = parts.first, file.name == "file" else {
            return .failure(.kibanaError(400, "Bad Request", "[request body.file]: expected exactly one part named file"))
        }
        guard let fileName = file.fileName, fileName.hasSuffix(".ndjson") else {
            return .failure(.kibanaError(400, "Bad Request", "Invalid file extension \(file.fileName.map { ($0 as NSString).pathExtension } ?? "(none)")"))
        }
        return .success(file.body.split(separator: UInt8(ascii: "\n")).map(Array.init)
            .filter { !$0.allSatisfy { $0 == 32 || $0 == 13 || $0 == 9 } })
    }

    private mutating func importRules(_ request: FakeKibanaRequest, space: String) -> FakeKibanaResponse {
        let lines: [[UInt8]]
        switch uploadedLines(request) {
        case .success(let value): lines = value
        case .failure(let refusal): return refusal
        }
        guard let validator else { return .kibanaError(500, "Internal Server Error", validatorError ?? "no validator") }
        ruleImports += 1
        let overwrite = request.query["overwrite"] == "true"
        var errors: [JSONValue] = []
        var succeeded = 0
        for (number, line) in lines.enumerated() {
            func fail(_ id: String, _ status: Int, _ message: String) {
                errors.append(.object(["rule_id": .string(id), "error": .object(["status_code": .number(Double(status)), "message": .string(message)])]))
            }
            guard let rule = try? JSONValue.parse(line), rule.objectValue != nil else {
                fail("(line \(number + 1))", 400, "Unexpected token in JSON at line \(number + 1)")
                continue
            }
            let ruleID = rule["rule_id"]?.stringValue ?? "(unknown)"
            if let injectedRuleError {
                fail(ruleID, 400, injectedRuleError)
                continue
            }
            let problems = validator.problems(rule)
            if !problems.isEmpty {
                fail(ruleID, 400, problems.joined(separator: ", "))
                continue
            }
            if rules[space]?[ruleID] != nil, !overwrite {
                fail(ruleID, 409, "rule_id: \"\(ruleID)\" already exists")
                continue
            }
            var stored = rule.objectValue ?? [:]
            let revision = (rules[space]?[ruleID]?["revision"]?.intValue ?? -1) + 1
            stored["id"] = .string("fake-\(ruleID)")
            stored["revision"] = .number(Double(revision))
            stored["created_by"] = .string("fake-user")
            rules[space, default: [:]][ruleID] = .object(stored)
            succeeded += 1
        }
        return .json(.object([
            "success": .bool(errors.isEmpty),
            "success_count": .number(Double(succeeded)),
            "rules_count": .number(Double(lines.count)),
            "errors": .array(errors),
            "exceptions_success": .bool(true),
            "exceptions_success_count": .number(0),
            "exceptions_errors": .array([]),
            "action_connectors_success": .bool(true),
            "action_connectors_success_count": .number(0),
            "action_connectors_errors": .array([]),
            "action_connectors_warnings": .array([]),
        ]))
    }

    private func bulkGet(_ request: FakeKibanaRequest, space: String) -> FakeKibanaResponse {
        guard let wanted = (try? JSONValue.parse(request.body))?.arrayValue else {
            return .kibanaError(400, "Bad Request", "[request body]: expected value of type [array]")
        }
        let found: [JSONValue] = wanted.map { entry in
            let type = entry["type"]?.stringValue ?? "", id = entry["id"]?.stringValue ?? ""
            if let object = savedObjects[space]?["\(type)/\(id)"] { return object }
            return .object(["id": .string(id), "type": .string(type), "error": .object([
                "statusCode": .number(404), "error": .string("Not Found"), "message": .string("Saved object [\(type)/\(id)] not found"),
            ])])
        }
        return .json(.object(["saved_objects": .array(found)]))
    }

    private mutating func importSavedObjects(_ request: FakeKibanaRequest, space: String) -> FakeKibanaResponse {
        let lines: [[UInt8]]
        switch uploadedLines(request) {
        case .success(let value): lines = value
        case .failure(let refusal): return refusal
        }
        if request.query["overwrite"] == "true", request.query["createNewCopies"] == "true" {
            return .kibanaError(400, "Bad Request", "cannot use [overwrite] with [createNewCopies]")
        }
        savedObjectImports += 1
        let overwrite = request.query["overwrite"] == "true"
        var objects: [JSONValue] = []
        for (number, line) in lines.enumerated() {
            guard let object = try? JSONValue.parse(line), object.objectValue != nil else {
                return .kibanaError(400, "Bad Request", "Unexpected token in JSON at line \(number + 1)")
            }
            objects.append(object)
        }
        let inFile = Set(objects.map { "\($0["type"]?.stringValue ?? "")/\($0["id"]?.stringValue ?? "")" })
        var errors: [JSONValue] = []
        var results: [JSONValue] = []
        for object in objects {
            let type = object["type"]?.stringValue ?? "", id = object["id"]?.stringValue ?? ""
            let key = "\(type)/\(id)"
            func fail(_ error: JSONValue) {
                errors.append(.object(["id": .string(id), "type": .string(type), "meta": .object(["title": object["attributes"]?["title"] ?? .null]), "error": error]))
            }
            if let problem = FakeSavedObjectChecks.problem(object, kibanaVersion: version) {
                fail(.object(["type": .string("unknown"), "message": .string(problem), "statusCode": .number(400)]))
                continue
            }
            let missing = (object["references"]?.arrayValue ?? []).filter { reference in
                let target = "\(reference["type"]?.stringValue ?? "")/\(reference["id"]?.stringValue ?? "")"
                return (!inFile.contains(target) && savedObjects[space]?[target] == nil) || type == injectedMissingReferenceType
            }
            if !missing.isEmpty {
                fail(.object(["type": .string("missing_references"), "references": .array(missing.map { reference in
                    .object(["type": reference["type"] ?? .null, "id": reference["id"] ?? .null])
                })]))
                continue
            }
            if savedObjects[space]?[key] != nil, !overwrite {
                fail(.object(["type": .string("conflict")]))
                continue
            }
            savedObjects[space, default: [:]][key] = object
            results.append(.object(["type": .string(type), "id": .string(id), "meta": .object(["title": object["attributes"]?["title"] ?? .null])]))
        }
        return .json(.object([
            "success": .bool(errors.isEmpty),
            "successCount": .number(Double(results.count)),
            "successResults": .array(results),
            "errors": .array(errors),
            "warnings": .array([]),
        ]))
    }
}

/// A request as the fake Kibana sees it.
struct FakeKibanaRequest {
    var method: String
    var path: String
    var query: [String: String]
    /// Lower-cased names.
    var headers: [String: String]
    var body: [UInt8]
}

struct FakeKibanaResponse: Error {
    var status: Int
    var body: [UInt8]

    static func json(_ value: JSONValue, status: Int = 200) -> FakeKibanaResponse {
        FakeKibanaResponse(status: status, body: value.serialized(sortedKeys: true))
    }

    /// Kibana's error shape.
    static func kibanaError(_ status: Int, _ error: String, _ message: String) -> FakeKibanaResponse {
        json(.object(["statusCode": .number(Double(status)), "error": .string(error), "message": .string(message)]), status: status)
    }
}
