import ShipperCore

/// What `GET /` says about the cluster: enough to tell Elasticsearch from OpenSearch (whose
/// missing ILM and built-in templates change what the shipper can do) and to print the version.
public struct ClusterInfo: Sendable, Equatable {
    public var name: String?
    public var clusterName: String?
    public var version: String
    /// `elasticsearch` unless the cluster says otherwise (OpenSearch says `opensearch`).
    public var distribution: String
    /// `default`, or `serverless` on Elastic Cloud Serverless.
    public var buildFlavor: String?

    public init(name: String? = nil, clusterName: String? = nil, version: String, distribution: String = "elasticsearch", buildFlavor: String? = nil) {
        self.name = name
        self.clusterName = clusterName
        self.version = version
        self.distribution = distribution
        self.buildFlavor = buildFlavor
    }

    public var isOpenSearch: Bool { distribution.lowercased() == "opensearch" }
    public var isServerless: Bool { buildFlavor == "serverless" }

    /// The major version number, nil when the version text is not numeric.
    public var majorVersion: Int? {
        version.split(separator: ".").first.flatMap { Int($0) }
    }

    /// e.g. "Elasticsearch 8.15.0 (cluster prod)".
    public var summary: String {
        let product = isOpenSearch ? "OpenSearch" : "Elasticsearch"
        let flavor = isServerless ? " serverless" : ""
        let cluster = clusterName.map { " (cluster \($0))" } ?? ""
        return "\(product)\(flavor) \(version)\(cluster)"
    }

    /// Reads the body of `GET /`; nil when it is not the root document of either product.
    static func parse(_ body: [UInt8]) -> ClusterInfo? {
        guard let root = try? JSONValue.parse(body), let version = root["version"],
              let number = version["number"]?.stringValue else { return nil }
        return ClusterInfo(
            name: root["name"]?.stringValue,
            clusterName: root["cluster_name"]?.stringValue,
            version: number,
            distribution: version["distribution"]?.stringValue ?? "elasticsearch",
            buildFlavor: version["build_flavor"]?.stringValue
        )
    }
}
