import FakeElasticsearch
import FakeMimecast
import Foundation
import ShipperCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// shipper-fakes: the test suite's fake Mimecast and fake Elasticsearch as one long-running process,
// for scripts that exercise deployments (a container, a chroot, a cron line) rather than tests.
// Both listen on 127.0.0.1 with free ports. It writes what a shipper needs to reach them as an
// environment file (NAME=value lines) and keeps a status file with the number of documents
// stored, until SIGTERM or SIGINT.

let usage = """
    usage: shipper-fakes --env-file PATH --status-file PATH [--events N]
      --env-file PATH     written once both fakes listen: MIMECAST_BASE_URL, MIMECAST_CLIENT_ID,
                          MIMECAST_CLIENT_SECRET, ELASTICSEARCH_URL, ELASTICSEARCH_API_KEY
      --status-file PATH  rewritten every 200 ms: stored=<documents in logs-mimecast.audit-default>
                          events=<events served> bulk_requests=<count>
      --events N          audit events the fake Mimecast serves, spread over the last 20 hours (60)
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("shipper-fakes: \(message)\n\(usage)\n".utf8))
    exit(2)
}

var envFile: String?
var statusFile: String?
var eventCount = 60
var arguments = Array(CommandLine.arguments.dropFirst())
while !arguments.isEmpty {
    let flag = arguments.removeFirst()
    if flag == "--help" || flag == "-h" {
        print(usage)
        exit(0)
    }
    guard let value = arguments.first else { fail("\(flag) needs a value") }
    arguments.removeFirst()
    switch flag {
    case "--env-file": envFile = value
    case "--status-file": statusFile = value
    case "--events":
        guard let count = Int(value), count >= 0 else { fail("--events takes a whole number, not '\(value)'") }
        eventCount = count
    default: fail("unknown option \(flag)")
    }
}
guard let envFile, let statusFile else { fail("--env-file and --status-file are required") }

/// Writes `text` to `path` through a temporary file and a rename, so readers never see half of it.
func replace(_ path: String, with text: String) {
    let temporary = path + ".tmp"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8)),
          rename(temporary, path) == 0
    else { fail("cannot write \(path)") }
}

let stop = Atomic<Bool>(false)
signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
signal(SIGPIPE, SIG_IGN)
let signalSources = [SIGTERM, SIGINT].map { number in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler { stop.store(true, ordering: .sequentiallyConsistent) }
    source.resume()
    return source
}

let dataStream = "logs-mimecast.audit-default"
let apiKey = Data("fake-key-id:fake-key-secret".utf8).base64EncodedString()
let now = Date()
let events = FakeAuditEvent.generate(
    count: eventCount, in: TimeWindow(start: now.addingTimeInterval(-20 * 3_600), end: now.addingTimeInterval(-300))
)
let mimecastOptions = FakeMimecastOptions(events: events)
let mimecast = try await FakeMimecast.start(mimecastOptions)
let elasticsearch = try await FakeElasticsearch.start()
elasticsearch.requireAPIKey(apiKey)

replace(envFile, with: """
    MIMECAST_BASE_URL=\(mimecast.baseURL)
    MIMECAST_CLIENT_ID=\(mimecastOptions.clientID)
    MIMECAST_CLIENT_SECRET=\(mimecastOptions.clientSecret)
    ELASTICSEARCH_URL=\(elasticsearch.baseURL)
    ELASTICSEARCH_API_KEY=\(apiKey)

    """)

while !stop.load(ordering: .sequentiallyConsistent) {
    let stored = elasticsearch.documents(in: dataStream).count
    replace(statusFile, with: "stored=\(stored) events=\(eventCount) bulk_requests=\(elasticsearch.bulkRequestCount)\n")
    try? await Task.sleep(for: .milliseconds(200))
}
await mimecast.stop()
await elasticsearch.stop()
signalSources.forEach { $0.cancel() }
exit(0)
