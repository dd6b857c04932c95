import ShipperCore
import ShipperTestSupport

/// A request as the fake received it, with what Elasticsearch's published REST spec says of it,
/// so tests can prove every request the product sends is one a real cluster accepts.
public struct FakeRecordedRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var queryParameters: [String]
    public var verdict: RESTSpec.Verdict

    public var line: String {
        queryParameters.isEmpty ? "\(method) \(path)" : "\(method) \(path)?\(queryParameters.joined(separator: "&"))"
    }
}

/// Refusals driven by the vendored spec files (Tests/Support/Fixtures/rest-api-spec), not by a
/// per-endpoint list: an endpoint the fake serves but no spec file describes is refused too.
extension FakeElasticsearchState {
    /// 400 "no handler found" or 405 with the allowed methods, as Elasticsearch's router answers
    /// before authentication; nil when the path and method exist.
    func routeRefusal(_ request: FakeRequest, verdict: RESTSpec.Verdict) -> FakeResponse? {
        switch verdict {
        case .noHandler:
            return .error(status: 400, type: "illegal_argument_exception",
                          reason: "no handler found for uri [\(request.path)] and method [\(request.method)]")
        case .wrongMethod(let allowed):
            return .json(.object([
                "error": .string("Incorrect HTTP method for uri [\(request.path)] and method [\(request.method)], allowed: [\(allowed.joined(separator: ", "))]"),
                "status": .number(405),
            ]), status: 405)
        default:
            return nil
        }
    }

    /// 400 for query parameters the endpoint does not take (or lacks), as the REST handler
    /// answers after authentication.
    func parameterRefusal(_ request: FakeRequest, verdict: RESTSpec.Verdict) -> FakeResponse? {
        switch verdict {
        case .unrecognizedParameters(let names, _):
            let list = names.map { "[\($0)]" }.joined(separator: ", ")
            let noun = names.count == 1 ? "parameter" : "parameters"
            return .error(status: 400, type: "illegal_argument_exception",
                          reason: "request [\(request.path)] contains unrecognized \(noun): \(list)")
        case .missingParameters(let names, _):
            return .error(status: 400, type: "action_request_validation_exception",
                          reason: "Validation Failed: 1: [\(names.joined(separator: ", "))] is required;")
        default:
            return nil
        }
    }

    /// What the product and version answer for an endpoint that exists in the spec but not on
    /// this cluster: OpenSearch has no ILM (its router knows no such path) and serverless projects
    /// refuse the ILM API with 410.
    func distributionRefusal(_ request: FakeRequest, verdict: RESTSpec.Verdict) -> FakeResponse? {
        guard case .accepted(let endpoint) = verdict, endpoint.hasPrefix("ilm.") else { return nil }
        switch distribution {
        case .elasticsearch:
            return nil
        case .opensearch:
            return .error(status: 400, type: "illegal_argument_exception",
                          reason: "no handler found for uri [\(request.path)] and method [\(request.method)]")
        case .serverless:
            return .error(status: 410, type: "api_not_available_exception",
                          reason: "Request for uri [\(request.path)] with method [\(request.method)] exists but is not available when running in serverless mode")
        }
    }

    /// `8.12.2` as numbers, for choosing which built-in templates a fake cluster of that version has.
    static func versionAtLeast(_ version: String, _ minimum: [Int]) -> Bool {
        let core = version.split(separator: "-").first.map(String.init) ?? version
        let parts = core.split(separator: ".").map { Int($0) ?? 0 }
        let padded = (parts + [0, 0, 0]).prefix(3)
        return !Array(padded).lexicographicallyPrecedes(minimum)
    }
}
