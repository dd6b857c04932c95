// shipper-bench: mimecast-shipper against the Python script a user would otherwise write, over the
// same synthetic events, fake Mimecast and fake Elasticsearch. See the README's Performance
// section; Benchmarks/run.sh sets up and runs it.
import Foundation

func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func shell(_ command: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return "" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
}

func machine(options: BenchOptions) -> MachineDescription {
    let cpuModel = shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-")
    let memoryKB = Double(shell("grep MemTotal /proc/meminfo | tr -s ' ' | cut -d' ' -f2")) ?? 0
    return MachineDescription(
        cpuModel: cpuModel,
        cpus: CPUPinning.cpuCount,
        memoryGigabytes: (memoryKB / 1_048_576 * 10).rounded() / 10,
        kernel: shell("uname -sr"),
        swiftVersion: shell("swift --version 2>&1 | head -1"),
        pythonVersion: shell("'\(options.pythonPath)' --version 2>&1"),
        elasticsearchPyVersion: shell("'\(options.pythonPath)' -c 'import elasticsearch; print(elasticsearch.__versionstr__)' 2>&1")
    )
}

/// Harness and servers on CPU 0, the measured tool alone on CPU 1. Called before anything starts a
/// thread, so every thread of the harness (NIO, the concurrency pool) inherits the pinning.
func pinHarness(_ options: BenchOptions) throws -> Int? {
    let toolCPU: Int? = options.pin && CPUPinning.cpuCount >= 2 ? 1 : nil
    if toolCPU != nil, !CPUPinning.pinCurrentThread(to: 0) {
        throw HarnessError("cannot pin the harness to CPU 0 (sched_setaffinity failed); rerun with --no-pin")
    }
    return toolCPU
}

func runBenchmarks(_ options: BenchOptions, toolCPU: Int?) async throws {
    let shippers = options.tools.contains(ResultsTable.shipper) || options.tools.contains(ResultsTable.plainShipper)
    for path in [options.launcherPath, options.samplePath] + (shippers ? [options.shipperPath] : [])
        + (options.tools.contains(ResultsTable.peer) ? [options.pythonPath, options.peerPath] : [])
        + (options.tools.contains(ResultsTable.minimalPeer) ? [options.pythonPath, options.minimalPeerPath] : [])
        + (options.curlStarts > 0 ? [options.curlPath] : [])
    where !FileManager.default.fileExists(atPath: path) {
        throw HarnessError("\(path) does not exist; run Benchmarks/run.sh (it builds and installs everything) from the package directory")
    }
    let templates = try EventTemplates.load(samplePath: options.samplePath)
    let loadBefore = loadAverage()
    let description = machine(options: options)
    log("shipper-bench: \(templates.templates.count) event templates; load \(loadBefore); \(description.cpuModel), \(description.cpus) CPUs")

    var micro: MicroBenchmarkResult?
    if options.microEvents > 0 {
        let catalog = PageCatalog.render(count: options.microEvents, pageSize: options.pageSize, templates: templates)
        micro = try MappingMicroBenchmark.run(catalog: catalog, rounds: options.microRounds)
        log(ResultsTable.targets([], micro: micro).joined(separator: "\n"))
    }

    let firstRequest = FirstRequestClock()
    let mimecast = try await FastMimecast.start(firstRequest: firstRequest)
    let elasticsearch = try await FastElasticsearch.start(firstRequest: firstRequest)
    let session = BenchmarkSession(
        options: options, mimecast: mimecast, elasticsearch: elasticsearch, firstRequest: firstRequest,
        launcher: ToolLauncher(launcherPath: options.launcherPath, cpu: toolCPU)
    )
    // Start-up, judged on its own samples: curl and the shipper take turns against the same fake
    // (the shipper over an empty window), so drift in the machine's speed hits both alike.
    var curlStarts: [Double] = []
    var shipperStarts: [Double] = []
    if options.curlStarts > 0 {
        mimecast.load(PageCatalog.render(count: 0, pageSize: options.pageSize, templates: templates))
        let judgeShipper = options.tools.contains(ResultsTable.shipper) || options.tools.contains(ResultsTable.plainShipper)
        for _ in 0..<options.curlStarts {
            curlStarts.append(try await session.curlStart())
            if judgeShipper { shipperStarts.append(try await session.shipperStart()) }
        }
        mimecast.load(nil)
        log("curl start → first request: \(curlStarts.map { String(format: "%.1f", $0) }.joined(separator: ", ")) ms")
        if judgeShipper {
            log("shipper start → first request: \(shipperStarts.map { String(format: "%.1f", $0) }.joined(separator: ", ")) ms")
        }
    }
    var runs: [RunResult] = []
    var failures: [String] = []
    for (sizeIndex, size) in options.sizes.enumerated() {
        let started = Date()
        let catalog = PageCatalog.render(count: size, pageSize: options.pageSize, templates: templates)
        mimecast.load(catalog)
        log("\(ResultsTable.grouped(size)) events: \(catalog.pages.count) pages, \(catalog.bytes / 1_048_576) MB rendered in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        if sizeIndex == 0, options.warmUp {
            for tool in options.tools {
                _ = try await session.measure(tool: tool, events: size, repetition: 0)
            }
        }
        for repetition in 1...options.repetitions {
            for tool in options.tools {
                let run = try await session.measure(tool: tool, events: size, repetition: repetition)
                runs.append(run)
                let problems = run.problems
                log("  \(tool) #\(repetition): wall \(String(format: "%.2f", run.wallSeconds)) s, CPU \(String(format: "%.2f", run.cpuSeconds)) s, "
                    + "\(Int(run.eventsPerSecond)) events/s, RSS \(String(format: "%.1f", run.peakRSSMegabytes)) MB, "
                    + "first request \(run.startToFirstRequestMilliseconds.map { String(format: "%.1f ms", $0) } ?? "none")"
                    + (problems.isEmpty ? "" : "; PROBLEMS: \(problems.joined(separator: "; "))"))
                if !problems.isEmpty {
                    failures.append("\(tool) at \(size): \(problems.joined(separator: "; ")); stderr: \(run.stderrTail)")
                }
            }
        }
        mimecast.load(nil)
    }
    await mimecast.stop()
    await elasticsearch.stop()

    let formatter = ISO8601DateFormatter()
    let report = BenchmarkReport(
        date: formatter.string(from: Date()),
        command: (["shipper-bench"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
        machine: description, loadBefore: loadBefore, loadAfter: loadAverage(),
        pinnedCPU: toolCPU, runs: runs, micro: micro, curlStartMilliseconds: curlStarts,
        shipperStartMilliseconds: shipperStarts
    )
    let table = ResultsTable.markdown(runs)
    let targets = ResultsTable.targets(runs, micro: micro, curlStarts: curlStarts, shipperStarts: shipperStarts)
    print(table)
    print("")
    print(targets.joined(separator: "\n"))
    print("")
    print("Machine: \(description.cpuModel), \(description.cpus) CPUs, \(description.memoryGigabytes) GB, \(description.kernel); "
        + "tool pinned to CPU \(toolCPU.map(String.init) ?? "none"); load average before \(loadBefore), after \(report.loadAfter)")

    try FileManager.default.createDirectory(atPath: options.resultsDirectory, withIntermediateDirectories: true)
    let stamp = report.date.replacingOccurrences(of: ":", with: "")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let jsonPath = "\(options.resultsDirectory)/bench-\(stamp).json"
    try encoder.encode(report).write(to: URL(fileURLWithPath: jsonPath))
    let markdown = "\(table)\n\n\(targets.joined(separator: "\n"))\n"
    try Data(markdown.utf8).write(to: URL(fileURLWithPath: "\(options.resultsDirectory)/bench-\(stamp).md"))
    log("results: \(jsonPath)")
    if !failures.isEmpty {
        throw HarnessError("some runs were not correct:\n" + failures.joined(separator: "\n"))
    }
}

do {
    let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    let toolCPU = try pinHarness(options)
    try await runBenchmarks(options, toolCPU: toolCPU)
} catch {
    log("shipper-bench: \(error)")
    exit(1)
}
