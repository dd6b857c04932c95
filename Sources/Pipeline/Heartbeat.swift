#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperECS
import ShipperElasticsearch

/// One heartbeat document: what a pass did, written to its own data stream
/// (`logs-mimecast.shipper-<namespace>`) whether the pass succeeded or failed, so that a detection
/// rule can tell "nothing happened in Mimecast" from "the shipper stopped". ECS fields where ECS
/// has them; the counters under `mimecast.shipper.*`.
public struct Heartbeat: Sendable, Equatable {
    public var summary: PassSummary
    public var status: ExitStatus
    /// The error that ended a failed pass, already free of secrets (product errors never hold any).
    public var errorMessage: String?
    public var startedAt: Date
    public var endedAt: Date
    public var namespace: String
    public var hostName: String
    public var version: String

    public init(summary: PassSummary, status: ExitStatus, errorMessage: String?, startedAt: Date, endedAt: Date,
                namespace: String, hostName: String = ProcessInfo.processInfo.hostName, version: String = ProductInfo.version) {
        self.summary = summary
        self.status = status
        self.errorMessage = errorMessage
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.namespace = namespace
        self.hostName = hostName
        self.version = version
    }

    /// Every field a heartbeat can carry (dotted paths), for the test that detection rules query
    /// only fields the shipper writes.
    public static let fieldPaths: [String] = [
        "@timestamp", "message", "ecs.version",
        "event.kind", "event.module", "event.dataset", "event.outcome", "event.duration", "event.start", "event.end",
        "data_stream.type", "data_stream.dataset", "data_stream.namespace",
        "host.name", "service.name", "service.version", "error.message",
        "mimecast.shipper.status", "mimecast.shipper.window_start", "mimecast.shipper.window_end",
        "mimecast.shipper.checkpoint", "mimecast.shipper.pages", "mimecast.shipper.events",
        "mimecast.shipper.unmappable", "mimecast.shipper.indexed", "mimecast.shipper.duplicates",
        "mimecast.shipper.dead_lettered", "mimecast.shipper.retries", "mimecast.shipper.interrupted",
    ]

    public var dataStream: String { DataStreamNaming.heartbeatDataStream(namespace: namespace) }

    /// The document as JSON bytes.
    public var document: [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("@timestamp", Timestamp.iso8601(endedAt))
        writer.member("message", errorMessage.map { "pass failed: \($0)" } ?? "pass finished: \(summary.line)")
        writer.key("ecs")
        writer.beginObject()
        writer.member("version", ECSVersion.current)
        writer.endObject()

        writer.key("event")
        writer.beginObject()
        writer.member("kind", "metric")
        writer.member("module", "mimecast")
        writer.member("dataset", DataStreamNaming.heartbeatDataset)
        writer.member("outcome", errorMessage == nil ? "success" : "failure")
        writer.key("duration")
        writer.number(Int((summary.duration.secondsDouble * 1_000_000_000).rounded()))
        writer.member("start", Timestamp.iso8601(startedAt))
        writer.member("end", Timestamp.iso8601(endedAt))
        writer.endObject()

        writer.key("data_stream")
        writer.beginObject()
        writer.member("type", DataStreamNaming.type)
        writer.member("dataset", DataStreamNaming.heartbeatDataset)
        writer.member("namespace", namespace)
        writer.endObject()

        writer.key("host")
        writer.beginObject()
        writer.member("name", hostName)
        writer.endObject()
        writer.key("service")
        writer.beginObject()
        writer.member("name", ProductInfo.name)
        writer.member("version", version)
        writer.endObject()
        if let errorMessage {
            writer.key("error")
            writer.beginObject()
            writer.member("message", errorMessage)
            writer.endObject()
        }

        writer.key("mimecast")
        writer.beginObject()
        writer.key("shipper")
        writer.beginObject()
        writer.member("status", status.label)
        if let window = summary.window {
            writer.member("window_start", Timestamp.iso8601(window.start))
            writer.member("window_end", Timestamp.iso8601(window.end))
        }
        if let checkpoint = summary.checkpoint { writer.member("checkpoint", Timestamp.iso8601(checkpoint)) }
        let counters: [(String, Int)] = [
            ("pages", summary.pages), ("events", summary.events), ("unmappable", summary.pipelineErrors),
            ("indexed", summary.report.indexed), ("duplicates", summary.report.duplicates),
            ("dead_lettered", summary.report.deadLettered), ("retries", summary.report.retries),
        ]
        for (name, value) in counters {
            writer.key(name)
            writer.number(value)
        }
        writer.key("interrupted")
        writer.bool(summary.interrupted)
        writer.endObject()
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}

extension ExitStatus {
    /// The status as a word for machines: `success`, `failure`, `configuration_error`, `dead_lettered`.
    public var label: String {
        switch self {
        case .success: "success"
        case .failure: "failure"
        case .configuration: "configuration_error"
        case .deadLettered: "dead_lettered"
        }
    }
}
