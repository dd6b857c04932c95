import Foundation

/// Runs the tools against the fakes, one data set at a time, and collects the results.
struct BenchmarkSession {
    let options: BenchOptions
    let mimecast: FastMimecast
    let elasticsearch: FastElasticsearch
    let firstRequest: FirstRequestClock
    let launcher: ToolLauncher

    /// One run of `tool` over the catalog the fake Mimecast currently serves.
    func measure(tool: String, events: Int, repetition: Int) async throws -> RunResult {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("shipper-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        mimecast.resetCounters()
        elasticsearch.intake.reset(expectingEvents: events)
        firstRequest.reset()

        let environment = [
            "PATH": "/usr/bin:/bin",
            "HOME": work,
            "LANG": "C.UTF-8",
            "MIMECAST_BASE_URL": mimecast.baseURL,
            "MIMECAST_CLIENT_ID": MimecastBook.clientID,
            "MIMECAST_CLIENT_SECRET": MimecastBook.clientSecret,
            "ELASTICSEARCH_URL": elasticsearch.baseURL,
        ]
        let window = ["--since", PageCatalog.sinceArgument, "--until", PageCatalog.untilArgument, "--page-size", String(options.pageSize)]
        var shipperWindow = window
        if options.scheduled, let until = ISO8601DateFormatter().date(from: PageCatalog.untilArgument) {
            // A first scheduled run over the same window: no checkpoint, so nothing is looked up.
            shipperWindow = ["--since", PageCatalog.sinceArgument, "--lag", "\(Int(Date().timeIntervalSince(until)) - 1)s",
                             "--page-size", String(options.pageSize)]
        }
        var toolEnvironment = environment
        let program: String
        let arguments: [String]
        switch tool {
        case ResultsTable.shipper, ResultsTable.plainShipper:
            program = absolute(options.shipperPath)
            arguments = ["run"] + shipperWindow + ["--state-dir", work + "/state", "--summary-json", work + "/summary.json"]
            // Compression off: the same work as the peers, which do not compress either.
            if tool == ResultsTable.plainShipper { toolEnvironment["MIMECAST_SHIPPER_GZIP_LEVEL"] = "0" }
        case ResultsTable.minimalPeer:
            program = absolute(options.pythonPath)
            arguments = [absolute(options.minimalPeerPath)] + window
        default:
            program = absolute(options.pythonPath)
            arguments = [absolute(options.peerPath)] + window
        }
        try await settle()
        let outcome = try await launcher.run(program: program, arguments: arguments, environment: toolEnvironment, workDirectory: work)
        let intake = elasticsearch.intake.drain()
        let first = firstRequest.value.map { Double($0 - outcome.spawnNanoseconds) / 1e6 }
        return RunResult(
            tool: tool,
            events: events,
            repetition: repetition,
            exitStatus: outcome.status,
            wallSeconds: Double(outcome.endNanoseconds - outcome.spawnNanoseconds) / 1e9,
            userSeconds: Double(outcome.userMicroseconds) / 1e6,
            systemSeconds: Double(outcome.systemMicroseconds) / 1e6,
            peakRSSMegabytes: Double(outcome.maxRSSKilobytes) / 1024,
            startToFirstRequestMilliseconds: first,
            mimecast: mimecast.counters,
            elasticsearch: intake,
            unexpectedElasticsearchRequests: elasticsearch.unexpectedRequests,
            stderrTail: outcome.stderr.split(separator: "\n").suffix(3).joined(separator: "\n")
        )
    }

    /// Spawn → first request of `curl` fetching a token from the fake Mimecast, from a fresh
    /// process under the same launcher and pinning: the floor the shipper's start is judged against.
    func curlStart() async throws -> Double {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("shipper-bench-curl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        firstRequest.reset()
        try await settle()
        let form = "grant_type=client_credentials&client_id=\(MimecastBook.clientID)&client_secret=\(MimecastBook.clientSecret)"
        let outcome = try await launcher.run(
            program: options.curlPath,
            arguments: ["-sS", "-o", "/dev/null", "-X", "POST", "--data", form, mimecast.baseURL + "/oauth/token"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": work, "LANG": "C.UTF-8"], workDirectory: work
        )
        guard outcome.status == 0, let first = firstRequest.value else {
            throw HarnessError("curl did not reach the fake Mimecast (status \(outcome.status)): \(outcome.stderr)")
        }
        return Double(first - outcome.spawnNanoseconds) / 1e6
    }

    /// Spawn → first request of the shipper over the empty catalog the caller loaded: the same
    /// command as a measured run, so the same work before its first request.
    func shipperStart() async throws -> Double {
        let run = try await measure(tool: ResultsTable.shipper, events: 0, repetition: 0)
        guard run.exitStatus == 0, let first = run.startToFirstRequestMilliseconds else {
            throw HarnessError("the shipper's start run failed (status \(run.exitStatus)): \(run.stderrTail)")
        }
        return first
    }

    /// Every tool, curl included, starts after a pause: right after a run (its process teardown,
    /// the fakes closing its connections, the harness checking up to a million documents) a start
    /// measured at once came out up to three times slower, by an amount that depended on the run
    /// before. The pause evens out most of it, not all, so the start-up verdict uses the paired
    /// cold starts rather than the measured runs' own.
    private func settle() async throws {
        try await Task.sleep(for: .milliseconds(500))
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
