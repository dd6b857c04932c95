import Foundation
import ShipperCore

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
    public var sample = false
    public var noOriginal = false

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
        public static let eventOriginal = "MIMECAST_SHIPPER_EVENT_ORIGINAL"
        public static let stateDirectory = "MIMECAST_SHIPPER_STATE_DIR"
    }

    /// Where events come from.
    public enum Input: Sendable, Equatable {
        case api
        case replay(path: String)
        case sample
    }

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
    public var includeOriginal = true
    public var stateDirectory = ""
    public var mimecastBaseURL: String?

    public init() {}

    public static func resolve(_ flags: RunFlags, environment: [String: String]) throws -> RunSettings {
        func value(_ flag: String?, _ variable: String) -> (text: String, name: String)? {
            if let flag, !flag.isEmpty { return (flag, "--" + optionName(variable)) }
            if let text = environment[variable], !text.isEmpty { return (text, variable) }
            return nil
        }
        func duration(_ flag: String?, _ variable: String, default fallback: TimeInterval, allowZero: Bool = true) throws -> TimeInterval {
            guard let (text, name) = value(flag, variable) else { return fallback }
            guard let parsed = DurationParser.parse(text), allowZero || parsed > .zero else {
                throw ConfigurationError("\(name) '\(text)' is not a duration; use e.g. 90s, 10m, 1h or 1d")
            }
            return parsed.secondsDouble
        }

        var settings = RunSettings()
        settings.dryRun = flags.dryRun
        if flags.sample && flags.replayPath != nil {
            throw ConfigurationError("--sample and --replay both name an input; use one of them")
        }
        if flags.sample { settings.input = .sample }
        if let path = flags.replayPath { settings.input = .replay(path: path) }

        if let (text, _) = value(flags.categories, Variable.categories) {
            settings.categories = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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

        settings.planner.overlap = try duration(flags.overlap, Variable.overlap, default: 600)
        settings.planner.lag = try duration(flags.lag, Variable.lag, default: 60)
        settings.sliceLength = try duration(flags.slice, Variable.slice, default: 86_400, allowZero: false)
        if let (text, name) = value(flags.every, Variable.every) {
            guard let every = DurationParser.parse(text), every >= .seconds(1) else {
                throw ConfigurationError("\(name) '\(text)' is not a duration of at least 1s; use e.g. 5m")
            }
            settings.every = every
        }
        if let (text, name) = value(flags.since, Variable.since) {
            settings.planner.firstStart = try DateArgument.parseStart(text, option: name)
        }
        if let until = flags.until {
            settings.planner.until = try DateArgument.parseEnd(until, option: "--until")
            guard flags.since != nil else {
                throw ConfigurationError("--until needs --since: together they name a one-off backfill window")
            }
            settings.isExplicitWindow = true
            if settings.every != nil {
                throw ConfigurationError("--every repeats the scheduled pass and cannot be combined with --until")
            }
        }
        if let text = environment[Variable.eventOriginal], !text.isEmpty {
            switch text.lowercased() {
            case "true", "1", "yes": settings.includeOriginal = true
            case "false", "0", "no": settings.includeOriginal = false
            default: throw ConfigurationError("\(Variable.eventOriginal) '\(text)' must be true or false")
            }
        }
        if flags.noOriginal { settings.includeOriginal = false }
        settings.stateDirectory = StateDirectory.resolve(flag: flags.stateDirectory, environment: environment)
        settings.mimecastBaseURL = flags.mimecastBaseURL
        return settings
    }

    /// The namespace a command was given: its flag, else `MIMECAST_SHIPPER_NAMESPACE`, else nil.
    public static func namespace(flag: String?, environment: [String: String]) -> String? {
        if let flag, !flag.isEmpty { return flag }
        guard let value = environment[Variable.namespace], !value.isEmpty else { return nil }
        return value
    }

    /// `MIMECAST_SHIPPER_LAG` → `lag`, for naming the flag in messages.
    static func optionName(_ variable: String) -> String {
        let stripped = variable.replacingOccurrences(of: "MIMECAST_SHIPPER_", with: "").replacingOccurrences(of: "MIMECAST_", with: "")
        return stripped.lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// True when this run keeps a checkpoint (reads it, and writes it unless dry-run).
    public var usesCheckpoint: Bool { input == .api && !isExplicitWindow }
}
