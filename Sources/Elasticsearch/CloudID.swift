#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Decodes an Elastic Cloud ID (`<label>:<base64("host$es_uuid$kibana_uuid")>`) into the
/// Elasticsearch URL, so Cloud users can paste the one value the console shows them.
public struct CloudID {
    /// `https://<es_uuid>.<host>`, with a port only when the ID carries one other than 443.
    public static func elasticsearchURL(from cloudID: String) throws -> String {
        try url(from: cloudID, component: 1, named: "Elasticsearch")
    }

    /// The URL of the deployment component at `index` of `host$es_id$kibana_id` (1 Elasticsearch,
    /// 2 Kibana). The port may sit on the host or, in newer IDs, on the component's id.
    static func url(from cloudID: String, component index: Int, named name: String) throws -> String {
        let trimmed = cloudID.trimmingWhitespaceAndNewlines()
        // The label may itself contain ':'; the encoded part never does.
        let encoded = trimmed.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard let decoded = decodeBase64(encoded) else {
            throw invalid("its part after the last ':' is not base64")
        }
        let parts = decoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > index else {
            throw invalid("it does not decode to host$elasticsearch_id$kibana_id")
        }
        var host = parts[0]
        var componentID = parts[index]
        var port: String?
        if let colon = host.lastIndex(of: ":") {
            port = String(host[host.index(after: colon)...])
            host = String(host[..<colon])
        }
        if let colon = componentID.lastIndex(of: ":") {
            port = String(componentID[componentID.index(after: colon)...])
            componentID = String(componentID[..<colon])
        }
        guard !host.isEmpty, !componentID.isEmpty else {
            throw invalid("its host or \(name) id is empty")
        }
        if let port, Int(port) == nil {
            throw invalid("its port '\(port)' is not a number")
        }
        let portSuffix = port.map { $0 == "443" ? "" : ":\($0)" } ?? ""
        return "https://\(componentID).\(host)\(portSuffix)"
    }

    private static func decodeBase64(_ text: String) -> String? {
        var padded = text
        let remainder = padded.count % 4
        if remainder > 0 { padded += String(repeating: "=", count: 4 - remainder) }
        guard !text.isEmpty, let data = Data(base64Encoded: padded) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    private static func invalid(_ reason: String) -> ConfigurationError {
        ConfigurationError("ELASTICSEARCH_CLOUD_ID is not a valid Cloud ID: \(reason); copy it again from the Elastic Cloud console")
    }
}
