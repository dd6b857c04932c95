/// Which clusters the shipper works with, decided from `GET /` alone so `check` and
/// `install-template` refuse the same clusters for the same reason.
///
/// The index template composes the built-in `logs@mappings`, `logs@settings` and `ecs@mappings`
/// component templates, which Elasticsearch ships from 8.13 (earlier 8.x had `logs-mappings` and
/// `logs-settings` and no `ecs@mappings`, so the template would be refused). Serverless projects
/// always carry the built-ins but have no ILM API: there the data stream lifecycle takes its place.
public enum ClusterCompatibility {
    /// The oldest Elasticsearch the product supports.
    public static let minimumVersion = "8.13.0"

    /// How the backing indices' lifecycle is managed on a cluster.
    public enum Lifecycle: Sendable, Equatable {
        /// An ILM policy named by the component template's `index.lifecycle.name`.
        case ilm
        /// The data stream lifecycle (`template.lifecycle`), for serverless projects.
        case dataStreamLifecycle
    }

    /// Nil when the cluster is supported; otherwise one line naming the cluster's version and the
    /// minimum, and what to do.
    public static func problem(with info: ClusterInfo) -> String? {
        if info.isOpenSearch {
            return "\(info.summary) is not supported; use Elasticsearch \(minimumVersion) or newer (OpenSearch has no ILM and no built-in logs@mappings, logs@settings or ecs@mappings)"
        }
        if info.isServerless { return nil }
        guard let version = numericVersion(info.version), let minimum = numericVersion(minimumVersion) else { return nil }
        if version.lexicographicallyPrecedes(minimum) {
            return "Elasticsearch \(info.version) is older than \(minimumVersion), the oldest version mimecast-shipper supports (it needs the built-in logs@mappings, logs@settings and ecs@mappings component templates); upgrade the cluster to \(minimumVersion) or newer"
        }
        return nil
    }

    public static func lifecycle(for info: ClusterInfo) -> Lifecycle {
        info.isServerless ? .dataStreamLifecycle : .ilm
    }

    /// `8.13.0`, `8.13.0-SNAPSHOT` or `9.0` as three numbers; nil when the major is not a number.
    static func numericVersion(_ text: String) -> [Int]? {
        let core = text.split(separator: "-", maxSplits: 1).first.map(String.init) ?? text
        let parts = core.split(separator: ".").map { Int($0) }
        guard let major = parts.first ?? nil else { return nil }
        let rest = parts.dropFirst().prefix(2).map { $0 ?? 0 }
        return [major] + rest + Array(repeating: 0, count: 2 - rest.count)
    }
}
