#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// `run --replay-dead-letters FILE`: sends the documents of a dead-letter file again, once the
/// cause (a mapping conflict, a template) is fixed.
///
/// Each entry goes back under its own `_id`, marked as possibly stored, so the sink looks it up
/// first: replaying a file twice, or after a rollover, stores each document once. Entries that
/// are refused again land in the dead-letter file again.
public enum DeadLetterReplay {
    /// One entry's document: its `_id` and the exact bytes of `document` (or `document_text`).
    static func document(fromLine line: [UInt8]) -> MappedDocument? {
        guard let members = try? JSONRawElements.members(of: line) else { return nil }
        var id: String?
        var document: [UInt8]?
        for member in members {
            switch member.key {
            case "_id":
                id = (try? JSONValue.parse(Array(line[member.value])))?.stringValue
            case "document":
                let bytes = Array(line[member.value])
                if (try? JSONValue.parse(bytes))?.objectValue != nil { document = bytes }
            case "document_text":
                document = (try? JSONValue.parse(Array(line[member.value])))?.stringValue.map { Array($0.utf8) }
            default:
                continue
            }
        }
        guard let id, !id.isEmpty, let document else { return nil }
        return MappedDocument(id: id, source: document, mayExist: true)
    }

    /// The entries of a dead-letter file, validated: every line must be an entry for
    /// `dataStream`. A last line without its newline that does not parse is an append cut short
    /// (never reported as settled) and is skipped.
    static func entries(in contents: [UInt8], name: String, dataStream: String) throws -> [RawAuditEvent] {
        var lines = contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var entries: [RawAuditEvent] = []
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            guard document(fromLine: line) != nil else {
                let torn = offset == lines.count - 1 && contents.last != UInt8(ascii: "\n")
                if torn { continue }
                throw ConfigurationError("\(name):\(number) is not a dead-letter entry (a JSON object with \"_id\" and \"document\"); fix or remove that line and replay again")
            }
            let target = (try? JSONValue.parse(line))?["data_stream"]?.stringValue
            if let target, target != dataStream {
                throw ConfigurationError("\(name):\(number) was refused by data stream \(target), but this run writes to \(dataStream); pass the matching --namespace")
            }
            entries.append(RawAuditEvent(bytes: line))
        }
        return entries
    }
}

/// The dead-letter file as an event source: every entry, whatever window is asked for, in pages.
struct DeadLetterSource: AuditEventSource {
    let entries: [RawAuditEvent]
    let pageSize: Int

    init(path: String, dataStream: String, pageSize: Int) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read the dead-letter file \(path); check the path and its permissions")
        }
        entries = try DeadLetterReplay.entries(in: Array(data), name: path, dataStream: dataStream)
        self.pageSize = max(1, pageSize)
    }

    func pages(in window: TimeWindow, categories: [String]) -> AsyncThrowingStream<AuditEventPage, any Error> {
        let entries = self.entries
        let size = pageSize
        return AsyncThrowingStream { continuation in
            var offset = 0
            repeat {
                let end = min(offset + size, entries.count)
                continuation.yield(AuditEventPage(events: Array(entries[offset..<end]), slice: window, endsSlice: end == entries.count))
                offset = end
            } while offset < entries.count
            continuation.finish()
        }
    }

    /// The document of one validated entry.
    static func map(_ entry: RawAuditEvent) -> MappedDocument {
        DeadLetterReplay.document(fromLine: entry.bytes)
            ?? MappedDocument(id: "unreadable-dead-letter", source: entry.bytes, isPipelineError: true, mayExist: true)
    }
}
