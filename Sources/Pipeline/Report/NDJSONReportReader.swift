#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import ShipperReport

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file of ECS documents, one JSON object per line (what `run --dry-run` prints). Two
/// passes over the file, line by line: the first finds the support accounts, the second keeps
/// only their events, so memory follows provider activity, not the file's size.
public struct NDJSONReportReader: ReportEventReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public var description: String { "file \(path)" }

    public func report(period: TimeWindow, sessionGap: TimeInterval) async throws -> AccessReport {
        var accounts: Set<String> = []
        var documents = 0
        try forEachEvent { event in
            documents += 1
            if let account = ReportEventFilter.supportAccount(of: event, in: period) { accounts.insert(account) }
        }
        if documents == 0 {
            throw ReportReadError.noDocuments(path: path)
        }
        let filter = ReportEventFilter(period: period, accounts: accounts)
        var kept: [ReportEvent] = []
        try forEachEvent { event in
            if filter.keeps(event) { kept.append(event) }
        }
        return buildReport(period: period, sessionGap: sessionGap, accounts: accounts, events: kept)
    }

    /// Calls `body` with every line's document that is a usable ECS event. Blank lines and
    /// `pipeline_error` documents are skipped; a line that is not a JSON object stops the read.
    func forEachEvent(_ body: (ReportEvent) throws -> Void) throws {
        guard let file = fopen(path, "r") else {
            throw ReportReadError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var lineNumber = 0
        while true {
            let length = getline(&buffer, &capacity, file)
            if length < 0 {
                if ferror(file) != 0 { throw ReportReadError.unreadable(path: path, reason: String(cString: strerror(errno))) }
                break
            }
            lineNumber += 1
            guard let buffer else { continue }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { continue }
            let document: JSONValue
            do {
                document = try JSONValue.parse(bytes)
            } catch {
                throw ReportReadError.notJSON(path: path, line: lineNumber, detail: error.description)
            }
            guard document.objectValue != nil else {
                throw ReportReadError.notJSON(path: path, line: lineNumber, detail: "not a JSON object")
            }
            if let event = ReportEvent(document: document) { try body(event) }
        }
    }
}

/// Why a report source could not be read; each names the input and what to do.
public enum ReportReadError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notJSON(path: String, line: Int, detail: String)
    case noDocuments(path: String)
    case noDataStream(name: String, url: String)
    case tooManyAccounts(dataStream: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .notJSON(let path, let line, let detail):
            return "\(path) line \(line) is not a JSON object (\(detail)); --from FILE reads NDJSON of ECS documents, e.g. the output of `mimecast-shipper run --dry-run`"
        case .noDocuments(let path):
            return "\(path) holds no ECS documents (no line has @timestamp and event.action); --from FILE reads the output of `mimecast-shipper run --dry-run`, not raw Mimecast responses (map those with `run --dry-run --replay FILE` first)"
        case .noDataStream(let name, let url):
            return "Elasticsearch at \(url) has no data stream \(name); check --namespace (or MIMECAST_SHIPPER_NAMESPACE) and that `mimecast-shipper run` has indexed events"
        case .tooManyAccounts(let dataStream):
            return "more than 10000 accounts appear in mimecast_access_logs of \(dataStream); shorten the period with --since/--until"
        }
    }
}

extension ReportReadError: ClassifiedError {
    /// Every one names an input to fix (a path, a namespace, the period): exit 2.
    public var isConfigurationProblem: Bool { true }
}
