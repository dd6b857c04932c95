import Foundation
import ShipperCore
@testable import ShipperPipeline
import Testing

/// Settings the field needs: the retry budget against the schedule, Mimecast's history limit,
/// quota caps and replays that refuse what they would ignore.
@Suite struct FieldSettingsTests {
    func resolve(_ configure: (inout RunFlags) -> Void, environment: [String: String] = [:]) throws -> RunSettings {
        var flags = RunFlags()
        configure(&flags)
        return try RunSettings.resolve(flags, environment: environment)
    }

    @Test func theRetryBudgetDefaultsToTwoMinutesAndNeverOutlastsTheInterval() throws {
        #expect(try resolve { _ in }.retryBudget == .seconds(120))
        #expect(try resolve { $0.every = "30s" }.retryBudget == .seconds(30))
        #expect(try resolve { $0.every = "5m"; $0.retryBudget = "4m" }.retryBudget == .seconds(240))
        #expect(throws: ConfigurationError.self) { try resolve { $0.every = "5m"; $0.retryBudget = "6m" } }
        #expect(try resolve({ _ in }, environment: ["MIMECAST_SHIPPER_RETRY_BUDGET": "45s"]).retryBudget == .seconds(45))
    }

    @Test func maxCallsPerHourComesFromTheFlagOrTheEnvironment() throws {
        #expect(try resolve { $0.maxCallsPerHour = 600 }.maxCallsPerHour == 600)
        #expect(try resolve({ _ in }, environment: ["MIMECAST_SHIPPER_MAX_CALLS_PER_HOUR": "1200"]).maxCallsPerHour == 1200)
        #expect(throws: ConfigurationError.self) { try resolve({ _ in }, environment: ["MIMECAST_SHIPPER_MAX_CALLS_PER_HOUR": "lots"]) }
    }

    @Test func theAPIHasASixtyDayHistoryAndReplaysHaveNone() throws {
        #expect(try resolve { _ in }.planner.historyLimit == 60 * 86_400)
        #expect(try resolve { $0.sample = true }.planner.historyLimit == nil)
    }

    @Test func aWindowBeforeTheHistoryLimitIsClampedAndOneInsideIsNot() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var planner = WindowPlanner(firstStart: .ago(90 * 86_400))
        planner.historyLimit = 60 * 86_400
        let window = try #require(planner.window(checkpoint: nil, now: now))
        let limited = planner.limitedToHistory(window, now: now)
        #expect(limited?.start == now.addingTimeInterval(-60 * 86_400))
        #expect(limited?.end == window.end)
        let recent = TimeWindow(start: now.addingTimeInterval(-86_400), end: now)
        #expect(planner.limitedToHistory(recent, now: now) == nil)
        let ancient = TimeWindow(start: now.addingTimeInterval(-100 * 86_400), end: now.addingTimeInterval(-90 * 86_400))
        #expect(planner.limitedToHistory(ancient, now: now)?.isEmpty == true)
    }

    @Test func replaysIgnoreEnvironmentWindowsAndCategoriesWithAWarning() throws {
        let settings = try resolve({ $0.sample = true }, environment: ["MIMECAST_CATEGORIES": "account_logs", "MIMECAST_SHIPPER_SINCE": "2d"])
        #expect(settings.categories.isEmpty)
        #expect(settings.warnings.count == 1)
        #expect(settings.warnings.first?.contains("MIMECAST_CATEGORIES") == true)
    }

    @Test func everyVariableInHelpIsAcceptedInAConfigFileAndNothingElse() {
        for variable in ConfigurationVariables.all {
            #expect(ConfigurationVariables.isKnown(variable.name))
            #expect(ConfigurationVariables.isKnown(variable.name + "_FILE"))
        }
        #expect(!ConfigurationVariables.isKnown("MIMECAST_CLIENT_IDD"))
        #expect(!ConfigurationVariables.isKnown("PATH"))
    }

    @Test func foundationErrorsBecomeAPathAndAReasonWithoutRawText() throws {
        let named = CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/var/lib/shipper/checkpoint.json"])
        let text = ErrorText.describe(named)
        #expect(text.contains("/var/lib/shipper/checkpoint.json") && text.contains("permission denied"), "\(text)")

        let file = temporaryDirectory() + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let real = #expect(throws: (any Error).self) {
            try FileManager.default.createDirectory(atPath: file + "/sub", withIntermediateDirectories: true)
        }
        let described = ErrorText.describe(try #require(real))
        #expect(described.contains(file), "\(described)")
        for raw in ["Error Domain", "NSCocoaErrorDomain", "Code=", "UserInfo"] {
            #expect(!described.contains(raw), "\(described)")
        }
    }
}
