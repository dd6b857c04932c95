#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ShipperCore
import ShipperElasticsearch

/// Writes heartbeats with one `create` through `_bulk` (data streams take only creates). A
/// heartbeat that cannot be written is logged and never fails the pass: the pass's own outcome
/// is what the exit status and the checkpoint follow.
public struct HeartbeatWriter: Sendable {
    private let client: ElasticsearchClient
    private let logger: Logger

    public init(client: ElasticsearchClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// True when Elasticsearch stored the heartbeat.
    @discardableResult
    public func write(_ heartbeat: Heartbeat) async -> Bool {
        var body: [UInt8] = []
        var action = JSONWriter()
        action.beginObject()
        action.key("create")
        action.beginObject()
        action.member("_index", heartbeat.dataStream)
        action.endObject()
        action.endObject()
        body += action.bytes
        body.append(UInt8(ascii: "\n"))
        body += heartbeat.document
        body.append(UInt8(ascii: "\n"))
        do {
            let response = try await client.send(.post, "/_bulk?filter_path=errors,items.*.error", body: body, contentType: "application/x-ndjson")
            let answer = try? JSONValue.parse(response.body)
            guard response.isSuccess, answer?["errors"]?.boolValue == false else {
                let detail = answer?["items"]?.arrayValue?.first?.objectValue?.values.first?["error"]?["reason"]?.stringValue
                    ?? answer?["error"]?["reason"]?.stringValue ?? "no reason given"
                let hint = response.status == 403 || detail.contains("unauthorized")
                    ? "; grant create_doc and auto_configure on logs-mimecast.shipper-* (see the README's role)"
                    : "; run `mimecast-shipper install-template` to install the heartbeat template"
                logger.warning("heartbeat not written to \(heartbeat.dataStream): HTTP \(response.status), \(detail)\(hint)")
                return false
            }
            logger.debug("heartbeat written", metadata: ["data_stream": "\(heartbeat.dataStream)"])
            return true
        } catch {
            logger.warning("heartbeat not written to \(heartbeat.dataStream): \(error)")
            return false
        }
    }
}
