import Foundation
import ShipperCore

extension CloudID {
    /// `https://<kibana_id>.<host>`: the third `$` part of the Cloud ID names the Kibana of the same
    /// deployment, so Cloud users configure one value for both.
    public static func kibanaURL(from cloudID: String) throws -> String {
        let trimmed = cloudID.trimmingCharacters(in: .whitespacesAndNewlines)
        let encoded = trimmed.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard let decoded = decodeBase64(encoded) else {
            throw ConfigurationError("ELASTICSEARCH_CLOUD_ID is not a valid Cloud ID: its part after the last ':' is not base64; copy it again from the Elastic Cloud console")
        }
        let parts = decoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, !parts[2].isEmpty else {
            throw ConfigurationError("ELASTICSEARCH_CLOUD_ID carries no Kibana id (host$elasticsearch_id$kibana_id); set KIBANA_URL instead")
        }
        var host = parts[0]
        var kibanaID = parts[2]
        var port: String?
        if let colon = host.lastIndex(of: ":") {
            port = String(host[host.index(after: colon)...])
            host = String(host[..<colon])
        }
        if let colon = kibanaID.lastIndex(of: ":") {
            port = String(kibanaID[kibanaID.index(after: colon)...])
            kibanaID = String(kibanaID[..<colon])
        }
        guard !host.isEmpty, !kibanaID.isEmpty, port.map({ Int($0) != nil }) ?? true else {
            throw ConfigurationError("ELASTICSEARCH_CLOUD_ID does not name a Kibana host; set KIBANA_URL instead")
        }
        let portSuffix = port.map { $0 == "443" ? "" : ":\($0)" } ?? ""
        return "https://\(kibanaID).\(host)\(portSuffix)"
    }
}
