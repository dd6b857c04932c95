#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// What one pass did, for the one-line summary on stderr and `--summary-json`.
public struct PassSummary: Sendable, Equatable {
    public var window: TimeWindow?
    public var pages = 0
    public var events = 0
    /// Events that could not be mapped and were shipped as `event.kind: pipeline_error` documents.
    public var pipelineErrors = 0
    public var slicesCompleted = 0
    public var report = ShipReport()
    /// The checkpoint after the pass (nil when none is kept, e.g. dry-run or replay).
    public var checkpoint: Date?
    public var duration: Duration = .zero
    /// True when a stop request ended the pass early; what was settled before it is checkpointed.
    public var interrupted = false
    /// Requests the source repeated (after 5xx, network errors or 429 waits).
    public var sourceRetries = 0
    /// A dry run prints documents instead of indexing them; the summary says so.
    public var dryRun = false

    public init() {}

    /// Every retry the pass logged: Mimecast requests repeated and documents resent to
    /// Elasticsearch.
    public var retries: Int { report.retries + sourceRetries }

    /// What the sink did with the documents it settled: `printed` in a dry run, else `indexed`.
    var deliveredName: String { dryRun ? "printed" : "indexed" }

    public var line: String {
        // No window: nothing new yet, or the pass failed before reading (the log says which).
        let window = self.window?.description ?? "none"
        var parts = [
            "window \(window)",
            "pages \(pages)",
            "events \(events)",
            "\(deliveredName) \(report.indexed)",
        ]
        if !dryRun {
            parts += ["duplicates \(report.duplicates)", "dead-lettered \(report.deadLettered)"]
        }
        parts.append("retries \(retries)")
        if pipelineErrors > 0 { parts.append("unmappable \(pipelineErrors)") }
        parts.append(CFormat.string("duration %.2fs", duration.secondsDouble))
        if let checkpoint { parts.append("checkpoint \(Timestamp.iso8601(checkpoint))") }
        if interrupted { parts.append("stopped early on request") }
        return parts.joined(separator: ", ")
    }

    /// One JSON object, keys stable for scripts.
    public func json(outcome: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("outcome", outcome)
        if let window {
            writer.member("window_start", Timestamp.iso8601(window.start))
            writer.member("window_end", Timestamp.iso8601(window.end))
        }
        let counters: [(String, Int)] = [
            ("pages", pages), ("events", events), ("unmappable", pipelineErrors), ("slices_completed", slicesCompleted),
            (deliveredName, report.indexed), ("duplicates", report.duplicates), ("dead_lettered", report.deadLettered),
            ("retries", retries), ("bulk_requests", report.bulkRequests),
            ("bytes_uncompressed", report.bytesUncompressed), ("bytes_sent", report.bytesSent),
        ]
        for (name, value) in counters {
            writer.key(name)
            writer.number(value)
        }
        writer.key("duration_seconds")
        writer.number((duration.secondsDouble * 1000).rounded() / 1000)
        if let checkpoint { writer.member("checkpoint", Timestamp.iso8601(checkpoint)) }
        writer.key("interrupted")
        writer.bool(interrupted)
        writer.key("dry_run")
        writer.bool(dryRun)
        writer.endObject()
        return writer.bytes
    }
}

/// A pass that failed part-way: the error, and what had been done (and safely checkpointed)
/// before it.
public struct PassFailure: Error, CustomStringConvertible, Sendable {
    public let underlying: any Error
    public let summary: PassSummary

    public var description: String { String(describing: underlying) }
}
