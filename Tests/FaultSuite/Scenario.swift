import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperCore
import ShipperTestSupport

/// What one scenario did and found.
struct ScenarioResult: Sendable {
    var settings: ScenarioSettings
    var seed: UInt64
    var kills: [KillMoment: Int] = [:]
    var exits: [Int32: Int] = [:]
    var otherSignals: [Int32: Int] = [:]
    var runs = 0
    var injected = InjectedCounts()
    var observed = ObservedFaults()
    var shipperReported = ShipperReported()
    var tally = Tally()
    var duration: Duration = .zero
    /// A run finished (exit 0 or 3) after the last planned kill.
    var completed = false
    /// Backing indices the data stream had at the end (more than 1 after rollovers).
    var backingIndices = 0
    var notes: [String] = []

    var killCount: Int { kills.values.reduce(0, +) }
    var restarts: Int { max(0, runs - 1) }

    /// Every fault the shipper had to survive, kills included.
    var faultsSurvived: Int {
        killCount + injected.pageAnswersCut + injected.bulkRequestsCut + injected.bulkAnswersCut + injected.tokenExpiries
            + observed.bulkItems429 + observed.bulkRequests503 + observed.mimecast429 + observed.mimecast5xx
    }

    /// A rollover scenario proves nothing unless the data stream did roll over.
    var passed: Bool {
        completed && tally.lost == 0 && tally.duplicated == 0 && tally.unexpected == 0
            && (settings.rolloverEvery == nil || backingIndices > 1)
    }
}

/// Sums of the shipper's own `--summary-json` lines (passes that ended; killed ones write none).
struct ShipperReported: Sendable {
    var passes = 0
    var indexed = 0
    var duplicates = 0
    var retries = 0

    static func read(path: String) -> ShipperReported {
        var reported = ShipperReported()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return reported }
        for line in text.split(separator: "\n") {
            guard let summary = try? JSONValue.parse(String(line)) else { continue }
            reported.passes += 1
            reported.indexed += summary["indexed"]?.intValue ?? 0
            reported.duplicates += summary["duplicates"]?.intValue ?? 0
            reported.retries += summary["retries"]?.intValue ?? 0
        }
        return reported
    }
}

/// Runs one scenario: fakes behind fault proxies, the shipper started again and again (killed at
/// planned moments, restarted after every kill or failed pass) until a run completes after the
/// last kill; then counts what Elasticsearch holds against the source.
struct Scenario {
    static let dataStream = "logs-mimecast.audit-default"

    let settings: ScenarioSettings
    let seed: UInt64
    let shipperPath: String
    let directory: String
    let sabotage: Bool
    let progress: @Sendable (String) -> Void

    func run() async throws -> ScenarioResult {
        var result = ScenarioResult(settings: settings, seed: seed)
        let started = ContinuousClock.now
        let deadline = started + settings.timeLimit
        let stateDirectory = directory + "/state"
        let summaryPath = directory + "/summaries.ndjson"
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/shipper.log", contents: nil)
        guard let log = FileHandle(forWritingAtPath: directory + "/shipper.log") else {
            throw ProxyError.socket("cannot write \(directory)/shipper.log")
        }

        let now = Date()
        let window = TimeWindow(start: now.addingTimeInterval(-3 * 86_400), end: now.addingTimeInterval(-3_600))
        let events = FakeAuditEvent.generate(count: settings.events, in: window)
        let time = FakeTime()
        var options = FakeMimecastOptions(events: events)
        options.now = { time.now }
        let mimecast = try await FakeMimecast.start(options)
        let elasticsearch = try await FakeElasticsearch.start()
        let faults = settings.faults
        if faults.itemRejectionRate > 0 { elasticsearch.rejectItems(rate: faults.itemRejectionRate, seed: seed) }
        if let every = faults.mimecastServerErrorEvery { mimecast.failEveryNthCall(every, status: 503) }
        elasticsearch.rolloverEvery(settings.rolloverEvery)

        let sliceSeconds = DurationParser.parse(settings.slice)?.secondsDouble ?? 86_400
        let perSlice = Double(settings.events) * sliceSeconds / window.end.timeIntervalSince(window.start)
        let conductor = Conductor(
            settings: settings, seed: seed, mimecast: mimecast, elasticsearch: elasticsearch, time: time,
            tokenLifetime: options.tokenLifetime, documentsPerBulk: min(settings.batchSize, Int(perSlice.rounded(.up)))
        )
        let mimecastPort = URL(string: mimecast.baseURL)?.port ?? 0
        let mimecastProxy = try FaultProxy(upstreamPort: mimecastPort, director: conductor)
        let elasticsearchProxy = try FaultProxy(upstreamPort: elasticsearch.server.port, director: conductor)

        let arguments = [
            "run", "--since", "4d", "--page-size", "\(settings.pageSize)", "--slice", settings.slice,
            "--batch-size", "\(settings.batchSize)", "--state-dir", stateDirectory, "--summary-json", summaryPath,
            "--log-level", "info",
        ]
        let environment = [
            "MIMECAST_BASE_URL": mimecastProxy.baseURL,
            "MIMECAST_CLIENT_ID": options.clientID,
            "MIMECAST_CLIENT_SECRET": options.clientSecret,
            "ELASTICSEARCH_URL": elasticsearchProxy.baseURL,
            "PATH": "/usr/bin:/bin",
            "HOME": directory,
        ]

        var completedEarly = false
        runs: while true {
            guard ContinuousClock.now < deadline else {
                result.notes.append("time limit \(settings.timeLimit) reached before a run completed")
                break
            }
            let killsRemaining = settings.kills - result.killCount
            var plan: KillPlan?
            if killsRemaining > 0 {
                let remaining = settings.events - elasticsearch.documents(in: Self.dataStream).count
                plan = conductor.nextKillPlan(killsRemaining: killsRemaining, remainingEvents: remaining)
            }
            log.write(Data("\n==== run \(result.runs + 1), kill plan: \(plan.map { "\($0)" } ?? "none") ====\n".utf8))
            let life = try ShipperLife(shipper: shipperPath, arguments: arguments, environment: environment, log: log)
            result.runs += 1
            conductor.begin(life, plan: plan)
            var timer: Task<Void, Never>?
            if let plan, let delay = plan.delay {
                timer = Task {
                    try? await Task.sleep(for: .seconds(delay))
                    if !Task.isCancelled { life.kill(.randomMoment) }
                }
            }
            let outcome = await life.wait(deadline: deadline)
            timer?.cancel()
            conductor.end()
            let seconds = (ContinuousClock.now - started).secondsDouble
            progress("[\(settings.name) \(String(format: "%7.1f", seconds))s] run \(result.runs): \(Self.describe(outcome))")
            switch outcome {
            case .killed(let moment):
                result.kills[moment, default: 0] += 1
            case .signalled(let signal):
                result.otherSignals[signal, default: 0] += 1
            case .exited(2):
                result.exits[2, default: 0] += 1
                result.notes.append("the shipper exited 2 (configuration); see \(directory)/shipper.log")
                break runs
            case .exited(1):
                result.exits[1, default: 0] += 1
            case .exited(let status):
                result.exits[status, default: 0] += 1
                if result.killCount >= settings.kills {
                    result.completed = true
                    break runs
                }
                if !completedEarly {
                    completedEarly = true
                    result.notes.append("a run completed after \(result.killCount) kills; the later kills landed in re-runs")
                }
            }
        }

        if sabotage { Self.sabotage(elasticsearch) }
        result.duration = ContinuousClock.now - started
        result.injected = conductor.injected
        let records = elasticsearch.bulkRequests
        result.observed = ObservedFaults.read(bulkRecords: records, mimecastStatuses: mimecast.calls.map(\.status))
        result.tally = Tally.count(
            sourceIDs: events.map(\.id), stored: elasticsearch.storedCopies(in: Self.dataStream).map(\.source), bulkRecords: records)
        result.backingIndices = elasticsearch.backingIndexNames(of: Self.dataStream).count
        result.shipperReported = ShipperReported.read(path: summaryPath)
        try? log.close()
        await mimecast.stop()
        await elasticsearch.stop()
        return result
    }

    /// One document removed and one stored again under another `_id`: the counts must show 1 and 1.
    private static func sabotage(_ elasticsearch: FakeElasticsearch) {
        let stored = elasticsearch.documents(in: dataStream).sorted { $0.key < $1.key }
        guard stored.count >= 2 else { return }
        elasticsearch.removeDocument(id: stored[0].key, in: dataStream)
        elasticsearch.seedDocument(id: "sabotage-copy", source: stored[1].value, in: dataStream)
    }

    static func describe(_ outcome: LifeOutcome) -> String {
        switch outcome {
        case .killed(let moment): "killed \(moment.rawValue)"
        case .exited(let status): "exited \(status)"
        case .signalled(let signal): "ended by signal \(signal)"
        }
    }
}
