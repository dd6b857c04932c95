/// One measured run of one tool over one data set, as saved in `Benchmarks/results/*.json`.
struct RunResult: Sendable, Codable {
    var tool: String
    var events: Int
    var repetition: Int
    var exitStatus: Int
    var wallSeconds: Double
    var userSeconds: Double
    var systemSeconds: Double
    var peakRSSMegabytes: Double
    /// Spawn to the first request either fake saw; nil when none came.
    var startToFirstRequestMilliseconds: Double?
    var mimecast: MimecastBook.Counters
    var elasticsearch: BulkIntake.Counters
    var unexpectedElasticsearchRequests: [String]
    /// The tool's own last stderr lines (its summary), for the record.
    var stderrTail: String

    var cpuSeconds: Double { userSeconds + systemSeconds }
    var cpuMicrosecondsPerEvent: Double { events > 0 ? cpuSeconds * 1e6 / Double(events) : 0 }
    var eventsPerSecond: Double { wallSeconds > 0 ? Double(events) / wallSeconds : 0 }
    var mimecastCalls: Int { mimecast.tokenCalls + mimecast.auditCalls }

    /// Every event arrived exactly once as a valid document with `@timestamp`, and nothing failed.
    var problems: [String] {
        var problems: [String] = []
        if exitStatus != 0 { problems.append("exit status \(exitStatus)") }
        if elasticsearch.actions != events { problems.append("\(elasticsearch.actions) actions for \(events) events") }
        if elasticsearch.documentsParsed != events { problems.append("\(elasticsearch.documentsParsed) documents parsed") }
        if elasticsearch.documentsInvalid > 0 { problems.append("\(elasticsearch.documentsInvalid) invalid documents") }
        if elasticsearch.documentsWithoutTimestamp > 0 { problems.append("\(elasticsearch.documentsWithoutTimestamp) without @timestamp") }
        if elasticsearch.duplicateIDs > 0 { problems.append("\(elasticsearch.duplicateIDs) duplicate _ids") }
        if elasticsearch.wrongIndex > 0 { problems.append("\(elasticsearch.wrongIndex) actions into another index") }
        if elasticsearch.malformedLines + elasticsearch.unsupportedActions > 0 { problems.append("malformed or unsupported bulk lines") }
        if !mimecast.refusals.isEmpty { problems.append("Mimecast fake refused: \(mimecast.refusals.prefix(3))") }
        if !unexpectedElasticsearchRequests.isEmpty { problems.append("unexpected ES requests: \(unexpectedElasticsearchRequests.prefix(3))") }
        return problems
    }
}

/// Everything one harness invocation measured, written as JSON.
struct BenchmarkReport: Sendable, Codable {
    var date: String
    var command: String
    var machine: MachineDescription
    var loadBefore: String
    var loadAfter: String
    var pinnedCPU: Int?
    var runs: [RunResult]
    var micro: MicroBenchmarkResult?
    /// Spawn → first request of `curl` from a cold process against the same fake, each sample.
    var curlStartMilliseconds: [Double]
    /// The same for the shipper (a run over an empty window), each taken right after a curl one.
    var shipperStartMilliseconds: [Double]
}

struct MachineDescription: Sendable, Codable {
    var cpuModel: String
    var cpus: Int
    var memoryGigabytes: Double
    var kernel: String
    var swiftVersion: String
    var pythonVersion: String
    var elasticsearchPyVersion: String
}
