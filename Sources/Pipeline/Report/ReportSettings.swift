#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperReport

/// The `report` command's flags as typed; nil means "not given".
public struct ReportFlags: Sendable {
    public var since: String?
    public var until: String?
    public var from: String?
    public var sample = false
    public var format: String?
    public var output: String?
    public var sessionGap: String?
    public var namespace: String?
    public var mimecastBaseURL: String?

    public init() {}
}

/// Where a report reads its events.
public enum ReportInput: Sendable, Equatable {
    /// The data stream, with its history beyond Mimecast's retention.
    case elasticsearch
    /// The Mimecast API directly (its retention only), for a user with no cluster.
    case mimecast
    /// NDJSON of ECS documents, e.g. saved `run --dry-run` output.
    case file(path: String)
    /// The embedded synthetic sample, mapped as `run --dry-run --sample` maps it.
    case sample
}

/// Every `report` setting resolved and validated before anything is read.
public struct ReportSettings: Sendable, Equatable {
    public static let defaultSince: TimeInterval = 90 * 86_400
    public static let defaultSessionGap: TimeInterval = 3_600

    public var period: TimeWindow
    public var sessionGap: TimeInterval = defaultSessionGap
    public var format: ReportFormat = .markdown
    /// nil: standard output.
    public var output: String?
    public var input: ReportInput
    public var namespace = "default"
    public var mimecastBaseURL: String?

    public init(period: TimeWindow, input: ReportInput) {
        self.period = period
        self.input = input
    }

    /// `--from` defaults to Elasticsearch when a cluster is configured (URL or Cloud ID, by flag,
    /// variable or config file), else to Mimecast when its credentials are.
    public static func resolve(
        _ flags: ReportFlags,
        environment: [String: String],
        elasticsearchFlagGiven: Bool,
        now: Date
    ) throws -> ReportSettings {
        let end = try flags.until.map { try DateArgument.parseEnd($0, option: "--until") } ?? now
        let start: Date
        switch try DateArgument.parseStart(flags.since ?? "90d", option: "--since") {
        case .date(let date): start = date
        case .ago(let seconds): start = end.addingTimeInterval(-seconds)
        }
        guard start < end else {
            throw ConfigurationError("--since \(Timestamp.iso8601(start)) is not before --until \(Timestamp.iso8601(end)); give a period that starts before it ends")
        }
        var settings = ReportSettings(period: TimeWindow(start: start, end: end), input: .elasticsearch)
        if let text = flags.sessionGap {
            guard let gap = DurationParser.parse(text), gap > .zero else {
                throw ConfigurationError("--session-gap '\(text)' is not a duration; use e.g. 30m, 60m or 2h")
            }
            settings.sessionGap = gap.secondsDouble
        }
        if let text = flags.format {
            guard let format = ReportFormat(rawValue: text.lowercased()) else {
                throw ConfigurationError("--format '\(text)' is not a report format; use markdown, csv, json or html")
            }
            settings.format = format
        }
        if let output = flags.output, !output.isEmpty, output != "-" { settings.output = output }
        settings.input = try input(flags, environment: environment, elasticsearchFlagGiven: elasticsearchFlagGiven)
        if let namespace = RunSettings.namespace(flag: flags.namespace, environment: environment) { settings.namespace = namespace }
        settings.mimecastBaseURL = flags.mimecastBaseURL
        return settings
    }

    private static func input(_ flags: ReportFlags, environment: [String: String], elasticsearchFlagGiven: Bool) throws -> ReportInput {
        if flags.sample {
            guard flags.from == nil else { throw ConfigurationError("--sample and --from both name a source; use one of them") }
            return .sample
        }
        switch flags.from {
        case "elasticsearch": return .elasticsearch
        case "mimecast": return .mimecast
        case let path? where !path.isEmpty: return .file(path: path)
        default: break
        }
        func isSet(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty || !(environment[name + "_FILE"] ?? "").isEmpty }
        if elasticsearchFlagGiven || isSet("ELASTICSEARCH_URL") || isSet("ELASTICSEARCH_CLOUD_ID") { return .elasticsearch }
        if isSet("MIMECAST_CLIENT_ID") || isSet("MIMECAST_APP_ID") { return .mimecast }
        throw ConfigurationError("report needs a source: set ELASTICSEARCH_URL (or --from elasticsearch), Mimecast credentials with --from mimecast, or give --from FILE (NDJSON of ECS documents) or --sample")
    }
}
