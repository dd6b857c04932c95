/// Every environment variable the tool reads, with the line `--help` shows for it. One list, so
/// `--help`, the `--config` file check and the README (compared by a test) cannot drift apart.
public enum ConfigurationVariables {
    public struct Variable: Sendable {
        public let name: String
        public let help: String

        init(_ name: String, _ help: String) {
            self.name = name
            self.help = help
        }
    }

    public static let all: [Variable] = [
        Variable("MIMECAST_BASE_URL", "https://api.services.mimecast.com"),
        Variable("MIMECAST_CLIENT_ID", "API 2.0 client id"),
        Variable("MIMECAST_CLIENT_SECRET", "API 2.0 client secret"),
        Variable("MIMECAST_APP_ID", "API 1.0 application id"),
        Variable("MIMECAST_APP_KEY", "API 1.0 application key"),
        Variable("MIMECAST_ACCESS_KEY", "API 1.0 access key"),
        Variable("MIMECAST_SECRET_KEY", "API 1.0 secret key (base64)"),
        Variable("MIMECAST_CATEGORIES", "comma-separated categories (default all)"),
        Variable("MIMECAST_PAGE_SIZE", "events per page, 1-500 (default 500)"),
        Variable("ELASTICSEARCH_URL", "default http://localhost:9200"),
        Variable("ELASTICSEARCH_CLOUD_ID", "Elastic Cloud ID instead of a URL"),
        Variable("ELASTICSEARCH_API_KEY", "API key, encoded or id:key"),
        Variable("ELASTICSEARCH_USERNAME", "basic authentication user"),
        Variable("ELASTICSEARCH_PASSWORD", "basic authentication password"),
        Variable("ELASTICSEARCH_CA_CERT", "PEM file of the cluster's CA"),
        Variable("KIBANA_URL", "Kibana URL for install-kibana and check"),
        Variable("KIBANA_SPACE", "Kibana space id (default the default space)"),
        Variable("KIBANA_CA_CERT", "PEM file of Kibana's CA (default ES's)"),
        Variable("MIMECAST_SHIPPER_STATE_DIR", "checkpoints, lock, dead letters"),
        Variable("MIMECAST_SHIPPER_NAMESPACE", "data stream namespace (default default)"),
        Variable("MIMECAST_SHIPPER_SINCE", "first run's start (default 24h, max 60d)"),
        Variable("MIMECAST_SHIPPER_OVERLAP", "re-read before checkpoint (default 10m)"),
        Variable("MIMECAST_SHIPPER_LAG", "stay behind now (default 1m)"),
        Variable("MIMECAST_SHIPPER_SLICE", "slice of long windows (default 1d)"),
        Variable("MIMECAST_SHIPPER_EVERY", "repeat interval for run"),
        Variable("MIMECAST_SHIPPER_BATCH_SIZE", "docs per bulk request (default 1000)"),
        Variable("MIMECAST_SHIPPER_GZIP_LEVEL", "bulk gzip level, 0 = off (default 1)"),
        Variable("MIMECAST_SHIPPER_RETRY_BUDGET", "ES retry time per pass (default 2m)"),
        Variable("MIMECAST_SHIPPER_MAX_CALLS_PER_HOUR", "cap on Mimecast calls per hour"),
        Variable("MIMECAST_SHIPPER_MAX_RATE_LIMIT_WAIT", "wait on 429s per pass (default 2m)"),
        Variable("MIMECAST_SHIPPER_EVENT_ORIGINAL", "false to omit event.original"),
        Variable("MIMECAST_SHIPPER_LOG_LEVEL", "trace ... critical (default info)"),
    ]

    /// Whether `name` is one of the variables (or the `_FILE` form of one).
    public static func isKnown(_ name: String) -> Bool {
        let base = name.hasSuffix("_FILE") ? String(name.dropLast(5)) : name
        return all.contains { $0.name == base || $0.name == name }
    }

    /// The environment section of `--help`: one line each, within 79 columns.
    public static var helpText: String {
        // Built with plain appends (it is part of the root command's configuration, which every
        // start evaluates); the names are ASCII, so UTF-8 counts are column counts.
        let width = (all.map(\.name.utf8.count).max() ?? 0) + 2
        var text = "Environment (every secret also as <NAME>_FILE; flags win over the environment, which wins over --config):"
        text.reserveCapacity(all.count * 80)
        for variable in all {
            text += "\n  " + variable.name
            for _ in 0..<max(1, width - variable.name.utf8.count) { text += " " }
            text += variable.help
        }
        return text
    }
}
