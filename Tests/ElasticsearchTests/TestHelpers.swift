import Foundation
import Logging
import ShipperCore
import ShipperElasticsearch
import ShipperHTTP
import Synchronization

/// Records every wait a retry loop asks for, without waiting.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])

    var sleeper: Sleeper {
        Sleeper { [self] duration in
            delays.withLock { $0.append(duration) }
        }
    }

    var recorded: [Duration] { delays.withLock { $0 } }

    var total: Duration { recorded.reduce(.zero, +) }
}

enum TestDocuments {
    /// `count` valid documents with ids `<prefix>-<n>`.
    static func make(_ count: Int, prefix: String = "doc", start: Int = 0) -> [MappedDocument] {
        (start..<(start + count)).map { index in
            document(id: "\(prefix)-\(index)", json: #"{"@timestamp":"2024-05-02T09:14:07.000Z","message":"event \#(index)","mimecast":{"category":"mimecast_access_logs"}}"#)
        }
    }

    static func document(id: String, json: String) -> MappedDocument {
        MappedDocument(id: id, source: Array(json.utf8))
    }

    static func withoutTimestamp(id: String) -> MappedDocument {
        document(id: id, json: #"{"message":"no timestamp"}"#)
    }
}

/// A fresh directory under the system temp dir, removed by `cleanUp`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("es-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}

/// Reads an NDJSON file into parsed lines.
func readNDJSON(_ path: String) throws -> [JSONValue] {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return try Array(data).split(separator: UInt8(ascii: "\n")).map { try JSONValue.parse($0) }
}

extension Logger {
    static let quiet: Logger = {
        var logger = Logger(label: "es-tests")
        logger.logLevel = .critical
        return logger
    }()
}

/// Builds an indexer against `baseURL` with instant, recorded waits and a pinned jitter.
func makeIndexer(
    baseURL: String,
    auth: ElasticsearchAuth = .none,
    dataStream: String = "logs-mimecast.audit-default",
    deadLetterPath: String,
    sleeps: SleepRecorder,
    maxBatchDocuments: Int = 1_000,
    maxBatchBytes: Int = 5 * 1024 * 1024,
    gzipLevel: Int = 1,
    retryBudget: Duration = .seconds(600),
    jitter: Double = 1.0,
    caCertPath: String? = nil
) throws -> BulkIndexer {
    let transport = try CurlHTTPClient(configuration: HTTPClientConfiguration(caBundlePath: caCertPath), logger: .quiet)
    let client = ElasticsearchClient(baseURL: baseURL, auth: auth, transport: transport)
    let configuration = BulkIndexerConfiguration(
        dataStream: dataStream,
        maxBatchBytes: maxBatchBytes,
        maxBatchDocuments: maxBatchDocuments,
        gzipLevel: gzipLevel,
        retryBudget: retryBudget
    )
    return BulkIndexer(
        client: client,
        configuration: configuration,
        deadLetters: DeadLetterWriter(path: deadLetterPath),
        sleeper: sleeps.sleeper,
        jitter: { jitter },
        logger: .quiet
    )
}

extension JSONValue {
    /// Element `index` of an array; nil for non-arrays and out-of-range indices.
    subscript(index: Int) -> JSONValue? {
        guard let elements = arrayValue, elements.indices.contains(index) else { return nil }
        return elements[index]
    }
}
