import Foundation

/// Elasticsearch's own REST API specification (the vendored files in `Fixtures/rest-api-spec`),
/// read with Foundation's JSONSerialization, so the fake and the conformance tests judge requests
/// by what Elasticsearch publishes rather than by what this project believes.
public struct RESTSpec: Sendable {
    /// One URL pattern of one endpoint, e.g. `/{index}/_bulk` for `POST`/`PUT`.
    public struct Route: Sendable {
        public let endpoint: String
        public let pattern: String
        public let segments: [String]
        public let methods: Set<String>
        public let parameters: Set<String>
        public let requiredParameters: Set<String>

        /// How many segments are literal (`_bulk`) rather than placeholders (`{index}`); a
        /// literal match wins over a placeholder, as in Elasticsearch's router.
        var literalCount: Int { segments.filter { !$0.hasPrefix("{") }.count }

        func matches(_ pathSegments: [String]) -> Bool {
            guard pathSegments.count == segments.count else { return false }
            return zip(segments, pathSegments).allSatisfy { pattern, segment in
                pattern.hasPrefix("{") ? !segment.isEmpty : pattern == segment
            }
        }
    }

    /// What Elasticsearch would do with a request, before looking at its body.
    public enum Verdict: Equatable, Sendable {
        case accepted(endpoint: String)
        /// No endpoint has this path: 400 "no handler found".
        case noHandler
        /// The path exists for other methods only: 405.
        case wrongMethod(allowed: [String])
        /// 400 illegal_argument_exception "contains unrecognized parameter(s)".
        case unrecognizedParameters([String], endpoint: String)
        case missingParameters([String], endpoint: String)
    }

    public let routes: [Route]
    /// Parameters every endpoint takes (`_common.json`).
    public let commonParameters: Set<String>
    /// The files read, by endpoint name.
    public let endpoints: [String]

    /// The vendored specification; a missing or unreadable file is a broken checkout, so it traps.
    public static let vendored: RESTSpec = {
        do {
            return try RESTSpec(directory: directory)
        } catch {
            fatalError("cannot read the vendored REST API spec in \(directory.path): \(error)")
        }
    }()

    public static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/rest-api-spec")
    }

    public init(directory: URL) throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        var routes: [Route] = []
        var common: Set<String> = []
        var endpoints: [String] = []
        for file in files {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
            if file == "_common.json" {
                common = Set((root["params"] as? [String: Any] ?? [:]).keys)
                continue
            }
            for (endpoint, value) in root {
                guard let definition = value as? [String: Any], let url = definition["url"] as? [String: Any],
                      let paths = url["paths"] as? [[String: Any]] else { continue }
                endpoints.append(endpoint)
                let params = definition["params"] as? [String: Any] ?? [:]
                let required = Set(params.compactMap { name, spec in ((spec as? [String: Any])?["required"] as? Bool) == true ? name : nil })
                for path in paths {
                    guard let pattern = path["path"] as? String, let methods = path["methods"] as? [String] else { continue }
                    routes.append(Route(
                        endpoint: endpoint, pattern: pattern, segments: Self.segments(of: pattern),
                        methods: Set(methods), parameters: Set(params.keys), requiredParameters: required
                    ))
                }
            }
        }
        self.routes = routes
        self.commonParameters = common
        self.endpoints = endpoints.sorted()
    }

    static func segments(of path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
    }

    /// Judges `method path?query` the way Elasticsearch's REST layer does: the most literal
    /// matching path, then the method, then every query parameter against the endpoint's list
    /// plus the common ones.
    public func verdict(method: String, path: String, queryParameters: some Collection<String>) -> Verdict {
        let pathSegments = Self.segments(of: path)
        let candidates = routes.filter { $0.matches(pathSegments) }
        guard let best = candidates.map(\.literalCount).max() else { return .noHandler }
        let strongest = candidates.filter { $0.literalCount == best }
        guard let route = strongest.first(where: { $0.methods.contains(method.uppercased()) }) else {
            return .wrongMethod(allowed: Set(strongest.flatMap(\.methods)).sorted())
        }
        let unknown = queryParameters.filter { !route.parameters.contains($0) && !commonParameters.contains($0) }.sorted()
        if !unknown.isEmpty { return .unrecognizedParameters(unknown, endpoint: route.endpoint) }
        let missing = route.requiredParameters.subtracting(queryParameters).sorted()
        if !missing.isEmpty { return .missingParameters(missing, endpoint: route.endpoint) }
        return .accepted(endpoint: route.endpoint)
    }
}
