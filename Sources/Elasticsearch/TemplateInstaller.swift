import Logging
import ShipperCore

/// Installs the lifecycle policy, component template and index template from `mappings/`, writing
/// only what differs so a second run changes nothing, then checks with `_simulate_index` that a
/// new backing index of the data stream would really get them.
public struct TemplateInstaller: Sendable {
    private let client: ElasticsearchClient
    public let namespace: String
    private let productVersion: String
    private let logger: Logger

    public init(
        client: ElasticsearchClient,
        namespace: String = "default",
        productVersion: String = ProductInfo.version,
        logger: Logger = Logger(label: "mimecast-shipper.templates")
    ) {
        self.client = client
        self.namespace = namespace
        self.productVersion = productVersion
        self.logger = logger
    }

    public var dataStream: String { DataStreamNaming.dataStream(namespace: namespace) }

    /// What `install` would do, writing nothing.
    public func plan() async throws -> [TemplateStepResult] {
        try await install(dryRun: true)
    }

    /// Reads each resource, compares it with the embedded body and PUTs it when missing or
    /// different (never in a dry run). Throws `openSearchUnsupported` against OpenSearch and
    /// `unsupportedCluster` against Elasticsearch older than `ClusterCompatibility.minimumVersion`;
    /// on serverless (no ILM API) it installs no policy and uses the data stream lifecycle.
    public func install(dryRun: Bool = false) async throws -> [TemplateStepResult] {
        let lifecycle = try await checkCluster()
        var results: [TemplateStepResult] = []
        for resource in try TemplateResources.all(version: productVersion, lifecycle: lifecycle) {
            results.append(try await step(resource, dryRun: dryRun))
        }
        return results
    }

    private func step(_ resource: TemplateResource, dryRun: Bool) async throws -> TemplateStepResult {
        let installed = try await client.getJSON(resource.path).flatMap(resource.installedBody(from:))
        let differences = installed.map { TemplateComparison.differences(installed: $0, desired: resource.body) } ?? []
        let status: TemplateStepStatus
        if installed != nil, differences.isEmpty {
            status = .unchanged
        } else if dryRun {
            status = .wouldWrite
        } else {
            try await client.writeJSON(.put, resource.path, body: resource.body.serialized(sortedKeys: true))
            status = installed == nil ? .created : .updated
        }
        let result = TemplateStepResult(
            name: resource.name,
            kind: resource.kind,
            status: status,
            method: "PUT",
            path: resource.path,
            requestBody: JSONPrettyPrinter.render(resource.body),
            existed: installed != nil,
            differences: differences
        )
        logger.debug("\(result.summaryLine)")
        return result
    }

    /// Asks `_simulate_index` what a new backing index of the data stream would get and returns a
    /// one-line summary; throws `verificationFailed` when the product's mappings are not in it.
    public func verify() async throws -> String {
        let lifecycle = try await checkCluster()
        let answer = try await client.writeJSON(.post, "/_index_template/_simulate_index/\(dataStream)", body: [])
        let resources = try TemplateResources.all(version: productVersion, lifecycle: lifecycle)
        return try SimulatedIndex.summary(of: answer, dataStream: dataStream, expected: resources)
    }

    /// OpenSearch has `_index_template` but no ILM and none of the built-in `logs@*` and
    /// `ecs@mappings` templates the index template is composed of, and Elasticsearch before
    /// 8.13 lacks the built-ins too: say so instead of failing on the first 400. Returns how the
    /// lifecycle is managed on this cluster.
    private func checkCluster() async throws -> ClusterCompatibility.Lifecycle {
        let info: ClusterInfo
        do {
            info = try await client.info()
        } catch ElasticsearchError.authentication(403, _, _) {
            // Credentials that manage templates but lack `monitor` cannot read GET /; assume Elasticsearch.
            logger.info("cannot read GET / (403); assuming Elasticsearch \(ClusterCompatibility.minimumVersion) or newer")
            return .ilm
        }
        if info.isOpenSearch {
            throw ElasticsearchError.openSearchUnsupported(
                operation: "install-template",
                missing: "ILM policies (OpenSearch has ISM instead) and the built-in component templates logs@mappings, logs@settings and ecs@mappings"
            )
        }
        if let problem = ClusterCompatibility.problem(with: info) {
            throw ElasticsearchError.unsupportedCluster(detail: problem)
        }
        return ClusterCompatibility.lifecycle(for: info)
    }
}
