#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperMimecast

/// The `run` command's flags as typed by the user; nil means "not given", so the environment
/// (and then the config file) can supply the value.
public struct RunFlags: Sendable {
    public var since: String?
    public var until: String?
    public var categories: String?
    public var namespace: String?
    public var pageSize: Int?
    public var overlap: String?
    public var lag: String?
    public var slice: String?
    public var every: String?
    public var batchSize: Int?
    public var stateDirectory: String?
    public var mimecastBaseURL: String?
    public var dryRun = false
    public var replayPath: String?
    /// `--replay-dead-letters FILE`: send a dead-letter file's documents again.
    public var replayDeadLetters: String?
    public var sample = false
    public var noOriginal = false
    public var retryBudget: String?
    public var maxCallsPerHour: Int?
    public var maxRateLimitWait: String?

    public init() {}
}

/// Every `run` setting resolved (flags over environment over config file) and validated, before
/// anything touches the network. Names of the environment variables are part of the product's
/// contract and listed in `--help` and the README.
public struct RunSettings: Sendable {
    public enum Variable {
        public static let categories = "MIMECAST_CATEGORIES"
        public static let pageSize = "MIMECAST_PAGE_SIZE"
        public static let namespace = "MIMECAST_SHIPPER_NAMESPACE"
        public static let since = "MIMECAST_SHIPPER_SINCE"
        public static let overlap = "MIMECAST_SHIPPER_OVERLAP"
        public static let lag = "MIMECAST_SHIPPER_LAG"
        public static let slice = "MIMECAST_SHIPPER_SLICE"
        public static let every = "MIMECAST_SHIPPER_EVERY"
        public static let batchSize = "MIMECAST_SHIPPER_BATCH_SIZE"
        public static let gzipLevel = "MIMECAST_SHIPPER_GZIP_LEVEL"
        public static let eventOriginal = "MIMECAST_SHIPPER_EVENT_ORIGINAL"
        public static let stateDirectory = "MIMECAST_SHIPPER_STATE_DIR"
        public static let retryBudget = "MIMECAST_SHIPPER_RETRY_BUDGET"
        public static let maxCallsPerHour = "MIMECAST_SHIPPER_MAX_CALLS_PER_HOUR"
        public static let maxRateLimitWait = "MIMECAST_SHIPPER_MAX_RATE_LIMIT_WAIT"
    }

    /// The retry budget when none is given: short enough that a pass on a 5-minute schedule ends
    /// (and frees the lock) well before the next one starts.
    public static let defaultRetryBudget: Duration = .seconds(120)
    /// Mimecast's documented history: "Historical lookup is restricted to last 60 days."
    public static let mimecastHistory: TimeInterval = 60 * 86_400

    /// Where events come from.
    public enum Input: Sendable, Equatable {
        case api
        case replay(path: String)
        case sample
        /// A dead-letter file: already mapped documents, sent again under their `_id`.
        case deadLetters(path: String)
    }

    /// The shortest `--slice`: shorter slices multiply API calls without helping anyone.
    public static let minimumSliceLength: TimeInterval = 60
    /// The most slices a `--since` window may be cut into.
    public static let maximumSliceCount = 100_000

    public var input: Input = .api
    public var dryRun = false
    public var planner = WindowPlanner()
    /// Both `--since` and `--until` given: a one-off backfill of exactly that window, which
    /// neither reads nor moves the scheduled job's checkpoint.
    public var isExplicitWindow = false
    public var categories: [String] = []
    public var namespace = "default"
    public var pageSize: Int?
    public var sliceLength: TimeInterval = 86_400
    public var every: Duration?
    public var batchSize = BatchLimits.default.documents
    /// zlib level of bulk request bodies: 1 (fast, about a tenth of the bytes) by default, 0 sends
    /// them uncompressed (for a proxy that cannot take `Content-Encoding: gzip`, or to compare
    /// like with like against a script that does not compress).
    public var gzipLevel = 1
    public var includeOriginal = true
    public var stateDirectory = ""
    public var mimecastBaseURL: String?
    /// Time the Elasticsearch sink may spend waiting between retries in one pass.
    public var retryBudget = RunSettings.defaultRetryBudget
    /// The user's cap on Mimecast calls per hour (nil: paced by the quota headers only).
    public var maxCallsPerHour: Int?
    /// Lines to log once logging is set up: settings that were accepted but deserve a word.
    public var warnings: [String] = []
    /// Total time one pass may wait on Mimecast 429s: 2 minutes, or half of `--every` when that
    /// is shorter, so a rate-limited pass never runs into the next one.
    public var maxRateLimitWait: Duration = .seconds(120)

    public init() {}

    public static func resolve(_ flags: RunFlags, environment: [String: String]) throws -> RunSettings {
        func value(_ flag: String?, _ variable: String) -> (text: String, name: String)? {
            if let flag, !flag.isEmpty { return (flag, "--" + optionName(variable)) }
            if let text = environment[variable], !text.isEmpty { return (text, variable) }
            return nil
        }
        func duration(_ flag: String?, _ variable: String, default fallback: TimeInterval, allowZero: Bool = true) throws -> TimeInterval {
            guard let (text, name) = value(flag, variable) else { return fallback }
            return try positiveDuration(text, name: name, allowZero: allowZero).secondsDouble
        }

        var settings = RunSettings()
        settings.dryRun = flags.dryRun
        if flags.sample && flags.replayPath != nil {
            throw ConfigurationError("--sample and --replay both name an input; use one of them")
        }
        if flags.sample { settings.input = .sample }
        if let path = flags.replayPath { settings.input = .replay(path: path) }
        if let path = flags.replayDeadLetters {
            guard !flags.sample, flags.replayPath == nil else {
                throw ConfigurationError("--replay-dead-letters names its own input; leave out --sample and --replay")
            }
            settings.input = .deadLetters(path: path)
        }
        let isReplay = settings.input != .api
        if isReplay {
            // A replay yields every event of its file: refuse what it would silently ignore.
            let input = switch settings.input {
            case .sample: "--sample"
            case .deadLetters: "--replay-dead-letters"
            default: "--replay"
            }
            let ignored = [("--categories", flags.categories), ("--since", flags.since), ("--until", flags.until)].filter { $0.1 != nil }.map(\.0)
            if !ignored.isEmpty {
                throw ConfigurationError("\(ignored.joined(separator: " and ")) cannot be used with \(input), which reads every event of the file; filter the file first (e.g. with jq) or read from the API")
            }
            let ignoredVariables = [Variable.categories, Variable.since].filter { !(environment[$0] ?? "").isEmpty }
            if !ignoredVariables.isEmpty {
                settings.warnings.append("\(ignoredVariables.joined(separator: " and ")) ignored: \(input) reads every event of the file")
            }
        } else if let (text, _) = value(flags.categories, Variable.categories) {
            settings.categories = text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            for category in settings.categories where !MimecastCategories.documented.contains(category) {
                settings.warnings.append("category '\(category)' is not one Mimecast documents (\(MimecastCategories.documented.joined(separator: ", "))); it is sent as given, since Mimecast adds categories over time")
            }
        }
        if let namespace = namespace(flag: flags.namespace, environment: environment) { settings.namespace = namespace }
        if let pageSize = flags.pageSize ?? environment[Variable.pageSize].flatMap({ Int($0) }) {
            guard (1...500).contains(pageSize) else {
                throw ConfigurationError("page size \(pageSize) is out of range; Mimecast accepts 1 to 500 (--page-size or \(Variable.pageSize))")
            }
            settings.pageSize = pageSize
        } else if let text = environment[Variable.pageSize], !text.isEmpty {
            throw ConfigurationError("\(Variable.pageSize) '\(text)' is not a number; use 1 to 500")
        }
        if let batch = flags.batchSize ?? environment[Variable.batchSize].flatMap({ Int($0) }) {
            guard (1...10_000).contains(batch) else {
                throw ConfigurationError("batch size \(batch) is out of range; use 1 to 10000 (--batch-size or \(Variable.batchSize))")
            }
            settings.batchSize = batch
        }
        if let text = environment[Variable.gzipLevel], !text.isEmpty {
            guard let level = Int(text), (0...9).contains(level) else {
                throw ConfigurationError("\(Variable.gzipLevel) '\(text)' must be a zlib level from 0 (no compression) to 9")
            }
            settings.gzipLevel = level
        }

        settings.planner.overlap = try duration(flags.overlap, Variable.overlap, default: 600)
        settings.planner.lag = try duration(flags.lag, Variable.lag, default: 60)
        settings.sliceLength = try duration(flags.slice, Variable.slice, default: 86_400, allowZero: false)
        if settings.sliceLength < minimumSliceLength, let (text, name) = value(flags.slice, Variable.slice) {
            throw ConfigurationError("\(name) '\(text)' is shorter than the minimum of 1m; use e.g. 1h or 1d")
        }
        if let (text, name) = value(flags.every, Variable.every) {
            let every = try positiveDuration(text, name: name)
            guard every >= .seconds(1) else {
                throw ConfigurationError("\(name) '\(text)' is shorter than 1s; use e.g. 5m")
            }
            settings.every = every
        }
        if let (text, name) = value(flags.retryBudget, Variable.retryBudget) {
            let budget = try positiveDuration(text, name: name)
            if let every = settings.every, budget > every {
                let interval = value(flags.every, Variable.every)?.text ?? "\(every)"
                throw ConfigurationError("\(name) '\(text)' is longer than the --every interval '\(interval)'; a pass must end before the next one is due")
            }
            settings.retryBudget = budget
        } else if let every = settings.every {
            settings.retryBudget = min(defaultRetryBudget, every)
        }
        if let limit = flags.maxCallsPerHour {
            guard limit > 0 else {
                throw ConfigurationError("--max-calls-per-hour '\(limit)' must be greater than zero")
            }
            settings.maxCallsPerHour = limit
        } else if let text = environment[Variable.maxCallsPerHour], !text.isEmpty {
            guard let limit = Int(text), limit > 0 else {
                throw ConfigurationError("\(Variable.maxCallsPerHour) '\(text)' must be a whole number greater than zero")
            }
            settings.maxCallsPerHour = limit
        }
        if !isReplay, let (text, name) = value(flags.since, Variable.since) {
            settings.planner.firstStart = try DateArgument.parseStart(text, option: name)
        }
        if let until = flags.until {
            settings.planner.until = try DateArgument.parseEnd(until, option: "--until")
            guard flags.since != nil else {
                throw ConfigurationError("--until needs --since: together they name a one-off backfill window")
            }
            let start: Date = switch settings.planner.firstStart {
            case .date(let date): date
            case .ago(let interval): Date().addingTimeInterval(-interval)
            }
            if let end = settings.planner.until, start >= end {
                throw ConfigurationError("--since \(Timestamp.iso8601(start)) is not before --until \(Timestamp.iso8601(end)); swap them or fix one")
            }
            settings.isExplicitWindow = true
            if settings.every != nil {
                throw ConfigurationError("--every repeats the scheduled pass and cannot be combined with --until")
            }
        }
        if !isReplay {
            settings.planner.historyLimit = mimecastHistory
        }
        if let text = environment[Variable.eventOriginal], !text.isEmpty {
            switch text.lowercased() {
            case "true", "1", "yes": settings.includeOriginal = true
            case "false", "0", "no": settings.includeOriginal = false
            default: throw ConfigurationError("\(Variable.eventOriginal) '\(text)' must be true or false")
            }
        }
        if flags.noOriginal { settings.includeOriginal = false }
        let span: TimeInterval
        switch settings.planner.firstStart {
        case .date(let start): span = (settings.planner.until ?? Date()).timeIntervalSince(start)
        case .ago(let interval): span = interval
        }
        let slices = span / settings.sliceLength
        if slices > Double(maximumSliceCount) {
            throw ConfigurationError("the first window (--since) cut into slices of \(Int(settings.sliceLength)) s makes \(Int(slices)) slices, more than \(maximumSliceCount); use a longer --slice")
        }
        if let (text, name) = value(flags.maxRateLimitWait, Variable.maxRateLimitWait) {
            guard let cap = DurationParser.parse(text) else {
                throw ConfigurationError("\(name) '\(text)' is not a duration; use e.g. 2m, or 0s to stop at the first rate limit")
            }
            settings.maxRateLimitWait = cap
        } else if let every = settings.every, every / 2 < settings.maxRateLimitWait {
            settings.maxRateLimitWait = every / 2
        }
        settings.stateDirectory = StateDirectory.resolve(flag: flags.stateDirectory, environment: environment)
        settings.mimecastBaseURL = flags.mimecastBaseURL
        return settings
    }

    /// A duration that must be greater than zero, with a message saying which rule it broke.
    static func positiveDuration(_ text: String, name: String, allowZero: Bool = false) throws -> Duration {
        guard let parsed = DurationParser.parse(text) else {
            throw ConfigurationError("\(name) '\(text)' is not a duration; use e.g. 90s, 10m, 1h or 1d")
        }
        guard allowZero || parsed > .zero else {
            throw ConfigurationError("\(name) '\(text)' must be greater than zero")
        }
        return parsed
    }

    /// The namespace a command was given: its flag, else `MIMECAST_SHIPPER_NAMESPACE`, else nil.
    public static func namespace(flag: String?, environment: [String: String]) -> String? {
        if let flag, !flag.isEmpty { return flag }
        guard let value = environment[Variable.namespace], !value.isEmpty else { return nil }
        return value
    }

    /// `MIMECAST_SHIPPER_LAG` → `lag`, for naming the flag in messages.
    static func optionName(_ variable: String) -> String {
        let stripped = variable.replacingEvery("MIMECAST_SHIPPER_", with: "").replacingEvery("MIMECAST_", with: "")
        return stripped.lowercased().replacingEvery("_", with: "-")
    }

    /// True when this run keeps a checkpoint (reads it, and writes it unless dry-run).
    public var usesCheckpoint: Bool { input == .api && !isExplicitWindow }
}
