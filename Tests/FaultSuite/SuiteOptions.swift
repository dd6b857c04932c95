import Foundation
import ShipperTestSupport

/// The fault rates of one scenario. Counted per proxied request across the whole scenario
/// (all restarts), so "every 5th bulk request" holds for the run as a whole.
struct FaultSettings: Sendable {
    /// Share of bulk items answered 429.
    var itemRejectionRate = 0.0
    /// Every n-th bulk request answered 503 as a whole.
    var bulkServerErrorEvery: Int?
    /// Every n-th bulk request has its connection reset halfway through the request body.
    var resetBulkRequestEvery: Int?
    /// Every n-th bulk answer is cut halfway through its body (the documents were stored).
    var resetBulkResponseEvery: Int?
    /// Every n-th page answer is cut halfway through its body.
    var resetPageResponseEvery: Int?
    /// Every n-th Mimecast audit call answers 5xx (the fake's own counter).
    var mimecastServerErrorEvery: Int?
    /// Every n-th audit call starts a burst of 429s of a size in this range.
    var rateLimitBurstEvery: Int?
    var rateLimitBurstSize = 2...5
    /// Every n-th audit call, the fake's clock jumps past the token lifetime: the token the
    /// shipper holds has expired in Mimecast's eyes.
    var tokenExpiryEvery: Int?

    static let none = FaultSettings()

    /// The rates issue 7 names.
    static let full = FaultSettings(
        itemRejectionRate: 0.2, bulkServerErrorEvery: 5, resetBulkRequestEvery: 7, resetBulkResponseEvery: 11,
        resetPageResponseEvery: 13, mimecastServerErrorEvery: 7, rateLimitBurstEvery: 25, rateLimitBurstSize: 2...5,
        tokenExpiryEvery: 40
    )

    /// Every kind, at rates a few hundred events exercise in seconds.
    static let smoke = FaultSettings(
        itemRejectionRate: 0.05, bulkServerErrorEvery: 5, resetBulkRequestEvery: 6, resetBulkResponseEvery: 7,
        resetPageResponseEvery: 8, mimecastServerErrorEvery: 7, rateLimitBurstEvery: 8, rateLimitBurstSize: 1...2,
        tokenExpiryEvery: 9
    )

    var isEmpty: Bool {
        itemRejectionRate == 0 && bulkServerErrorEvery == nil && resetBulkRequestEvery == nil && resetBulkResponseEvery == nil
            && resetPageResponseEvery == nil && mimecastServerErrorEvery == nil && rateLimitBurstEvery == nil && tokenExpiryEvery == nil
    }
}

/// One crash loop: a data set, the shipper's flags, how many kills, which faults.
struct ScenarioSettings: Sendable {
    var name: String
    var events: Int
    var kills: Int
    var pageSize: Int
    var slice: String
    var batchSize: Int
    /// Delay the proxy adds before forwarding each page or bulk request: a slow-ish API, so kills
    /// land mid-run.
    var requestDelayMilliseconds: Int
    /// Upper bound of the random-moment kill delay after spawn.
    var maxKillDelay: Double
    var faults: FaultSettings
    /// The fake Elasticsearch rolls the data stream over after this many documents per backing
    /// index (nil never): `create` then no longer refuses an `_id` stored before the rollover.
    var rolloverEvery: Int? = nil
    /// The scenario fails when it has not finished within this.
    var timeLimit: Duration
}

/// Command-line options of `shipper-fault-suite`.
struct SuiteOptions: Sendable {
    var scenarios: [ScenarioSettings]
    var seed: UInt64
    var shipperPath: String
    var workDirectory: String
    /// Remove one stored document and store one duplicate before counting: proves the counting
    /// sees losses and duplicates (the suite must then fail).
    var sabotage = false

    static let usage = """
        usage: shipper-fault-suite [--smoke] [--scenario crash|faults|rollover|both|all] [--events N] [--kills N]
                                   [--seed N] [--shipper PATH] [--work-dir DIR] [--time-limit-minutes N]
                                   [--slice DURATION] [--batch-size N] [--page-size N] [--rollover-every N] [--sabotage]
        Kills the shipper (SIGKILL) at many moments of a run against fake Mimecast and Elasticsearch
        servers, restarting it until a run completes, with and without injected faults, and while the
        data stream rolls over every few hundred documents ('both' = crash and faults; 'all', the
        default, adds rollover); then compares
        what Elasticsearch holds with the source. Exits 0 only with 0 lost and 0 duplicated.
        """

    static func parse(_ arguments: [String]) throws -> SuiteOptions {
        var smoke = false
        var scenario = "all"
        var events: Int?
        var kills: Int?
        var seed = UInt64(Date().timeIntervalSince1970 * 1000) % 1_000_000
        var shipper: String?
        var work: String?
        var limit: Double?
        var sabotage = false
        var slice: String?
        var batchSize: Int?
        var pageSize: Int?
        var rolloverEvery: Int?
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw UsageError("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number(_ text: String) throws -> Int {
            guard let value = Int(text), value >= 0 else { throw UsageError("'\(text)' is not a non-negative number") }
            return value
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--smoke": smoke = true
            case "--scenario": scenario = try value()
            case "--events": events = try number(value())
            case "--kills": kills = try number(value())
            case "--seed": seed = UInt64(try number(value()))
            case "--shipper": shipper = try value()
            case "--work-dir": work = try value()
            case "--time-limit-minutes": limit = Double(try number(value()))
            case "--sabotage": sabotage = true
            case "--slice": slice = try value()
            case "--batch-size": batchSize = try number(value())
            case "--page-size": pageSize = try number(value())
            case "--rollover-every": rolloverEvery = try number(value())
            case "--help", "-h": throw UsageError(nil)
            default: throw UsageError("unknown argument '\(arguments[index])'")
            }
            index += 1
        }
        var crash = smoke ? Self.smokeCrash : Self.fullCrash
        var faults = smoke ? Self.smokeFaults : Self.fullFaults
        var rollover = smoke ? Self.smokeRollover : Self.fullRollover
        for position in [0, 1, 2] {
            var settings = [crash, faults, rollover][position]
            if let events { settings.events = events }
            if let kills { settings.kills = kills }
            if let limit { settings.timeLimit = .seconds(limit * 60) }
            if let slice { settings.slice = slice }
            if let batchSize { settings.batchSize = batchSize }
            if let pageSize { settings.pageSize = pageSize }
            if let rolloverEvery, position == 2 { settings.rolloverEvery = max(1, rolloverEvery) }
            switch position {
            case 0: crash = settings
            case 1: faults = settings
            default: rollover = settings
            }
        }
        let scenarios: [ScenarioSettings]
        switch scenario {
        case "crash": scenarios = [crash]
        case "faults": scenarios = [faults]
        case "rollover": scenarios = [rollover]
        case "both": scenarios = [crash, faults]
        case "all": scenarios = [crash, faults, rollover]
        default: throw UsageError("--scenario must be crash, faults, rollover, both or all, not '\(scenario)'")
        }
        let directory = work ?? NSTemporaryDirectory() + "shipper-fault-suite-\(getpid())"
        return SuiteOptions(
            scenarios: scenarios, seed: seed, shipperPath: shipper ?? Self.siblingShipper(), workDirectory: directory, sabotage: sabotage
        )
    }

    static let fullCrash = ScenarioSettings(
        name: "crash", events: 20_000, kills: 50, pageSize: 50, slice: "30m", batchSize: 1_000,
        requestDelayMilliseconds: 10, maxKillDelay: 3, faults: .none, timeLimit: .seconds(30 * 60)
    )
    static let fullFaults = ScenarioSettings(
        name: "faults", events: 20_000, kills: 50, pageSize: 100, slice: "3h", batchSize: 1_000,
        requestDelayMilliseconds: 5, maxKillDelay: 40, faults: .full, timeLimit: .seconds(150 * 60)
    )
    /// The kill loop of `crash` while the data stream rolls over every few hundred documents.
    static let fullRollover = ScenarioSettings(
        name: "rollover", events: 20_000, kills: 50, pageSize: 50, slice: "30m", batchSize: 200,
        requestDelayMilliseconds: 10, maxKillDelay: 3, faults: .none, rolloverEvery: 300, timeLimit: .seconds(30 * 60)
    )
    static let smokeRollover = ScenarioSettings(
        name: "rollover", events: 400, kills: 5, pageSize: 25, slice: "6h", batchSize: 40,
        requestDelayMilliseconds: 5, maxKillDelay: 0.6, faults: .none, rolloverEvery: 60, timeLimit: .seconds(120)
    )
    static let smokeCrash = ScenarioSettings(
        name: "crash", events: 400, kills: 5, pageSize: 25, slice: "6h", batchSize: 1_000,
        requestDelayMilliseconds: 5, maxKillDelay: 0.6, faults: .none, timeLimit: .seconds(120)
    )
    static let smokeFaults = ScenarioSettings(
        name: "faults", events: 300, kills: 3, pageSize: 25, slice: "6h", batchSize: 1_000,
        requestDelayMilliseconds: 0, maxKillDelay: 1, faults: .smoke, timeLimit: .seconds(150)
    )

    /// `mimecast-shipper` next to this binary (SwiftPM builds both into one directory).
    static func siblingShipper() -> String {
        BuiltExecutable.path(named: "mimecast-shipper")
    }
}

struct UsageError: Error {
    let message: String?
    init(_ message: String?) { self.message = message }
}
