import Foundation
import ShipperCore

/// Decodes an Elastic Cloud ID (`<label>:<base64("host$es_uuid$kibana_uuid")>`) into the
/// Elasticsearch URL, so Cloud users can paste the one value the console shows them.
public struct CloudID {
    /// `https://<es_uuid>.<host>`, with a port only when the ID carries one other than 443.
    public static func elasticsearchURL(from cloudID: String) throws -> String {
        let trimmed = cloudID.trimmingCharacters(in: .whitespacesAndNewlines)
        // The label may itself contain ':'; the encoded part never does.
        let encoded = trimmed.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        guard let decoded = decodeBase64(encoded) else {
            throw invalid("its part after the last ':' is not base64")
        }
        let parts = decoded.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else {
            throw invalid("it does not decode to host$elasticsearch_id$kibana_id")
        }
        var host = parts[0]
        var esID = parts[1]
        var port: String?
        if let colon = host.lastIndex(of: ":") {
            port = String(host[host.index(after: colon)...])
            host = String(host[..<colon])
        }
        // Newer IDs may carry the port on the Elasticsearch part instead.
        if let colon = esID.lastIndex(of: ":") {
            port = String(esID[esID.index(after: colon)...])
            esID = String(esID[..<colon])
        }
        guard !host.isEmpty, !esID.isEmpty else {
            throw invalid("its host or Elasticsearch id is empty")
        }
        if let port, Int(port) == nil {
            throw invalid("its port '\(port)' is not a number")
        }
        let portSuffix = port.map { $0 == "443" ? "" : ":\($0)" } ?? ""
        return "https://\(esID).\(host)\(portSuffix)"
    }

    static func decodeBase64(_ text: String) -> String? {
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
