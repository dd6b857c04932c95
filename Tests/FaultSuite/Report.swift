import Foundation

/// The figures a scenario prints, and the suite's one-line result.
enum Report {
    static func lines(for result: ScenarioResult) -> [String] {
        let settings = result.settings
        var lines = ["== \(settings.name): \(settings.events) events, \(settings.kills) kills planned, page size \(settings.pageSize), slice \(settings.slice), seed \(result.seed) =="]
        let kills = KillMoment.allCases.map { "\($0.rawValue) \(result.kills[$0] ?? 0)" }.joined(separator: "; ")
        lines.append("kills (SIGKILL): \(result.killCount) — \(kills)")
        var exits = ["killed by the suite \(result.killCount)"]
        exits += result.exits.keys.sorted().map { "exit \($0): \(result.exits[$0]!)" }
        exits += result.otherSignals.keys.sorted().map { "other signal \($0): \(result.otherSignals[$0]!)" }
        lines.append("runs: \(result.runs), restarts: \(result.restarts); runs by outcome: \(exits.joined(separator: ", "))")
        let injected = result.injected
        let observed = result.observed
        lines.append("faults injected: bulk items answered 429: \(observed.bulkItems429), bulk requests answered 503: \(observed.bulkRequests503), "
            + "bulk requests reset mid-body: \(injected.bulkRequestsCut), bulk answers reset mid-body: \(injected.bulkAnswersCut), "
            + "page answers reset mid-body: \(injected.pageAnswersCut), Mimecast 429: \(observed.mimecast429) (in \(injected.rateLimitBursts) bursts), "
            + "Mimecast 5xx: \(observed.mimecast5xx), token expiries: \(injected.tokenExpiries) (401 answers: \(observed.mimecast401))")
        let reported = result.shipperReported
        lines.append("shipper summaries (passes that ended, not killed): \(reported.passes) passes, indexed \(reported.indexed), "
            + "409 duplicates absorbed \(reported.duplicates), retries \(reported.retries)")
        let tally = result.tally
        lines.append("events in source: \(tally.sourceEvents), stored: \(tally.stored), lost: \(tally.lost), duplicated: \(tally.duplicated) "
            + "(stored documents sharing an event.id: \(tally.documentsSharingEventID), repeated 201 for one _id: \(tally.repeatedCreates)), "
            + "unexpected documents: \(tally.unexpected)")
        if let every = settings.rolloverEvery {
            lines.append("rollover every \(every) documents: the data stream ended with \(result.backingIndices) backing indices")
        }
        let duration = String(format: "%.1f", result.duration.secondsDouble)
        lines.append("duration: \(duration) s; \(result.completed ? "a run completed after the last kill" : "NO run completed")")
        lines += result.notes.map { "note: \($0)" }
        lines.append("\(settings.name): \(result.passed ? "PASS" : "FAIL")")
        return lines
    }

    /// `faults survived: N, lost: 0, duplicated: 0` over every scenario.
    static func summaryLine(_ results: [ScenarioResult]) -> String {
        let survived = results.reduce(0) { $0 + $1.faultsSurvived }
        let lost = results.reduce(0) { $0 + $1.tally.lost }
        let duplicated = results.reduce(0) { $0 + $1.tally.duplicated }
        return "faults survived: \(survived), lost: \(lost), duplicated: \(duplicated)"
    }
}

/// Writes one line to stdout at once (unbuffered), so progress shows while a long run goes on.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
