import ShipperCore

/// One decoded `get-audit-events` answer: the events as the exact bytes Mimecast sent, the token
/// for the next page, and any `fail` entries.
///
/// Pure: the reader hands it a body and gets a value or a typed error.
struct AuditResponsePage: Sendable, Equatable {
    var events: [RawAuditEvent]
    /// `meta.pagination.next`; nil (or empty) means this was the last page.
    var next: String?
    /// `meta.pagination.totalCount`: events the whole query (slice) matches, when Mimecast says.
    var totalCount: Int?
    var failures: [MimecastFailure]

    init(events: [RawAuditEvent], next: String?, totalCount: Int? = nil, failures: [MimecastFailure]) {
        self.events = events
        self.next = next
        self.totalCount = totalCount
        self.failures = failures
    }

    /// Decodes a response body. A body that is not an object, whose `data` is not an array, with
    /// a member twice, or whose `next` is not a string is malformed; an absent `data` counts as
    /// empty only when `fail` explains why. Only `meta` and `fail` are parsed into values: the
    /// events stay byte ranges until copied out, so a page costs about twice its size at peak.
    static func parse(_ body: [UInt8], path: String = AuditRequestBody.path) throws(MimecastError) -> AuditResponsePage {
        let members: [(key: String, value: Range<Int>)]
        // The events' ranges come from the same validating scan (a duplicate `data` is refused below).
        let dataElements: JSONArrayRecording?
        do {
            guard let found = try JSONRawElements.members(of: body, collectingElementsOf: "data") else {
                throw MimecastError.malformedResponse(path: path, detail: "expected a JSON object")
            }
            members = found.members
            dataElements = found.elements
        } catch let error as MimecastError {
            throw error
        } catch {
            throw .malformedResponse(path: path, detail: "not JSON (\(error))")
        }
        var byKey: [String: Range<Int>] = [:]
        for member in members {
            guard byKey.updateValue(member.value, forKey: member.key) == nil else {
                throw .malformedResponse(path: path, detail: "the member \"\(member.key)\" appears twice")
            }
        }
        func value(_ key: String) -> JSONValue? {
            byKey[key].flatMap { try? JSONValue.parse(Array(body[$0])) }
        }
        let meta = value("meta")
        let failures = MimecastFailure.list(in: .object(["fail": value("fail") ?? .null]))
        guard let recording = dataElements else {
            if !failures.isEmpty {
                return AuditResponsePage(events: [], next: nil, failures: failures)
            }
            throw .malformedResponse(path: path, detail: "no \"data\" array")
        }
        let pagination = meta?["pagination"]
        var next: String?
        switch pagination?["next"] {
        case nil, .null?: next = nil
        case .string(let text)?: next = text.isEmpty ? nil : text
        case let other?:
            throw .malformedResponse(path: path, detail: "meta.pagination.next is \(Self.kind(of: other)), not a string")
        }
        let totalCount = pagination?["totalCount"]?.intValue.flatMap { $0 >= 0 ? $0 : nil }
        let events = RawAuditEvent.cut(from: body, recording: recording)
        return AuditResponsePage(events: events, next: next, totalCount: totalCount, failures: failures)
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .number: "a number"
        case .bool: "a boolean"
        case .object: "an object"
        case .array: "an array"
        default: "not a string"
        }
    }
}

extension MimecastFailure {
    /// The entries of a body's `fail` array. Mimecast nests them as
    /// `[{"errors": [{"code", "message", "retryable"}]}]`; a flat `[{"code", "message"}]` is read too.
    static func list(in document: JSONValue) -> [MimecastFailure] {
        guard let entries = document["fail"]?.arrayValue else { return [] }
        var failures: [MimecastFailure] = []
        for entry in entries {
            if let errors = entry["errors"]?.arrayValue, !errors.isEmpty {
                failures += errors.map(single)
            } else {
                failures.append(single(entry))
            }
        }
        return failures
    }

    private static func single(_ value: JSONValue) -> MimecastFailure {
        MimecastFailure(
            code: value["code"]?.stringValue ?? "unknown",
            message: value["message"]?.stringValue ?? "",
            retryable: value["retryable"]?.boolValue ?? false
        )
    }

    /// Failures from any body, or none when it is not JSON (used for error details of 4xx answers).
    /// Reads `fail` entries and the OAuth token endpoint's `error`/`error_description`.
    static func list(inBody body: [UInt8]) -> [MimecastFailure] {
        guard let document = try? JSONValue.parse(body) else { return [] }
        if let error = document["error"]?.stringValue {
            return [MimecastFailure(code: error, message: document["error_description"]?.stringValue ?? "")]
        }
        return list(in: document)
    }
}
