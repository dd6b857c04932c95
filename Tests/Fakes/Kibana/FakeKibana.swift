import Foundation
import HTTPTypes
import Hummingbird
import ShipperCore
import ShipperTestSupport
import Synchronization
import FakeElasticsearch

/// A loopback Kibana for tests: `/api/status`, rule import and lookup, saved-object import and
/// `_bulk_get`, in the default space or `/s/<space>`. It validates what real Kibana validates:
/// `kbn-xsrf` on writes, the multipart shape and `.ndjson` file name, each rule against Elastic's
/// published rule schemas (vendored in Tests/KibanaSchemas), saved-object references, and it
/// reports per-object errors inside a 200 as Kibana does.
public final class FakeKibana: Sendable {
    public let server: LoopbackServer
    private let box: FakeKibanaBox

    public var baseURL: String { server.baseURL }

    private init(server: LoopbackServer, box: FakeKibanaBox) {
        self.server = server
        self.box = box
    }

    public static func start(version: String = "8.14.0", tls: Bool = false) async throws -> FakeKibana {
        let box = FakeKibanaBox(FakeKibanaState(version: version))
        let router = Router(context: LoopbackRequestContext.self)
        for method in [HTTPTypes.HTTPRequest.Method.get, .post, .put, .delete] {
            router.on(RouterPath("**"), method: method) { request, context -> Response in
                let body = try await request.bodyBytes(limit: context.maxUploadSize)
                var headers: [String: String] = [:]
                for field in request.headers {
                    headers[field.name.canonicalName.lowercased()] = field.value
                }
                let fake = FakeKibanaRequest(method: request.method.rawValue, path: request.uri.path,
                                             query: FakeRequest.parseQuery(request.uri.query), headers: headers, body: body)
                let answer = box.state.withLock { $0.handle(fake) }
                return Response.bytes(answer.body, status: answer.status, headers: ["Content-Type": "application/json; charset=utf-8"])
            }
        }
        let server = try await LoopbackServer.start(router: router, tls: tls)
        return FakeKibana(server: server, box: box)
    }

    public func stop() async {
        await server.stop()
    }

    private func withState<T: Sendable>(_ body: (inout FakeKibanaState) -> T) -> T {
        box.state.withLock { body(&$0) }
    }

    // MARK: Controls

    public func requireAPIKey(_ encoded: String) { withState { $0.expectedAPIKey = encoded } }
    public func requireBasic(username: String, password: String) { withState { $0.expectedBasic = (username, password) } }
    public func addSpace(_ id: String) { withState { _ = $0.spaces.insert(id) } }
    public func forbidRules(_ forbidden: Bool = true) { withState { $0.forbidRules = forbidden } }
    public func forbidRuleImports(_ forbidden: Bool = true) { withState { $0.forbidRuleImports = forbidden } }
    public func forbidSavedObjects(_ forbidden: Bool = true) { withState { $0.forbidSavedObjects = forbidden } }
    public func failSavedObjects(ofType type: String?) { withState { $0.injectedMissingReferenceType = type } }
    public func failEveryImportedRule(with message: String?) { withState { $0.injectedRuleError = message } }

    /// Replaces a stored rule's field, as a user editing the rule in Kibana would.
    public func editRule(_ ruleID: String, space: String = "default", set key: String, to value: JSONValue) {
        withState { state in
            guard var rule = state.rules[space]?[ruleID]?.objectValue else { return }
            rule[key] = value
            state.rules[space]?[ruleID] = .object(rule)
        }
    }

    // MARK: Observations

    public var requestLog: [String] { withState { $0.requestLog } }
    public var ruleImportCount: Int { withState { $0.ruleImports } }
    public var savedObjectImportCount: Int { withState { $0.savedObjectImports } }
    public func rules(space: String = "default") -> [String: JSONValue] { withState { $0.rules[space] ?? [:] } }
    public func savedObjects(space: String = "default") -> [String: JSONValue] { withState { $0.savedObjects[space] ?? [:] } }

    /// Problems the fake finds in `rule` in Kibana's import form (for tests of the fake itself).
    public static func ruleProblems(_ rule: JSONValue) throws -> [String] {
        try RuleSchemaValidator().problems(rule)
    }

    /// Problems the fake finds in one saved object.
    public static func savedObjectProblem(_ object: JSONValue, kibanaVersion: String = "8.14.0") -> String? {
        FakeSavedObjectChecks.problem(object, kibanaVersion: kibanaVersion)
    }

    /// Parts of a multipart body as the fake reads them: (name, file name, body), or the refusal.
    public static func multipartParts(contentType: String?, body: [UInt8]) -> Result<[(name: String?, fileName: String?, body: [UInt8])], any Error> {
        do {
            return .success(try FakeMultipart.parse(contentType: contentType, body: body).map { ($0.name, $0.fileName, $0.body) })
        } catch {
            return .failure(error)
        }
    }
}

final class FakeKibanaBox: Sendable {
    let state: Mutex<FakeKibanaState>
    init(_ initial: FakeKibanaState) { state = Mutex(initial) }
}
