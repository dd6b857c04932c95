import ShipperCore

/// Why a replay file could not be used. Names the file and line; never echoes its contents.
public enum ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case invalidLine(name: String, line: Int, reason: String)

    /// Always true: the user must fix the path or the file; retrying cannot help.
    public var isConfigurationProblem: Bool { true }

    public var description: String {
        switch self {
        case .unreadable(let path):
            "replay file '\(path)' cannot be read; check the path and its permissions"
        case .invalidLine(let name, let line, let reason):
            "replay file '\(name)' line \(line) is not a JSON object (\(reason)); each line must be a saved Mimecast response or one raw event"
        }
    }
}

/// Extracts events from a replay file, keeping each event's exact bytes.
///
/// Accepted shapes, detected per line: saved `get-audit-events` response bodies (an object with a
/// `data` array; its elements are the events) and raw events (any other object, one per line).
/// A whole file that is one JSON document (e.g. a pretty-printed response) is read as one line.
enum ReplayFileParser {
    static func events(in bytes: [UInt8], name: String) throws(ReplayError) -> [RawAuditEvent] {
        let whole = trimmed(bytes[...])
        guard !whole.isEmpty else { return [] }
        if let events = try? events(inDocument: Array(whole)) {
            return events
        }
        var events: [RawAuditEvent] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = trimmed(line)
            guard !content.isEmpty else { continue }
            do {
                events += try self.events(inDocument: Array(content))
            } catch {
                throw .invalidLine(name: name, line: lineNumber, reason: error.description)
            }
        }
        return events
    }

    /// Events of one JSON object: the `data` elements of a response, or the object itself.
    private static func events(inDocument document: [UInt8]) throws(JSONParseError) -> [RawAuditEvent] {
        if let recording = try JSONRawElements.recording(ofArrayMember: "data", in: document) {
            return RawAuditEvent.cut(from: document, recording: recording)
        }
        return [RawAuditEvent(bytes: document)]
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return []
        }
        return bytes[first...last]
    }
}
