import ShipperCore

/// One decoded `get-audit-events` answer: the events as the exact bytes Mimecast sent, the token
/// for the next page, and any `fail` entries.
///
/// Pure: the reader hands it a body and gets a value or a typed error.
struct AuditResponsePage: Sendable, Equatable {
    var events: [RawAuditEvent]
    /// `meta.pagination.next`; nil (or empty) means this was the last page.
    var next: String?
    var failures: [MimecastFailure]

    /// Decodes a response body. A body that is not an object, or whose `data` is not an array, is
    /// malformed; an absent `data` counts as empty only when `fail` explains why.
    static func parse(_ body: [UInt8], path: String = AuditRequestBody.path) throws(MimecastError) -> AuditResponsePage {
        let document: JSONValue
        let ranges: [Range<Int>]?
        do {
            document = try JSONValue.parse(body)
            ranges = try JSONRawElements.ranges(ofArrayMember: "data", in: body)
        } catch {
            throw .malformedResponse(path: path, detail: "not JSON (\(error.description))")
        }
        guard case .object = document else {
            throw .malformedResponse(path: path, detail: "expected a JSON object")
        }
        let failures = MimecastFailure.list(in: document)
        guard let ranges else {
            if !failures.isEmpty {
                return AuditResponsePage(events: [], next: nil, failures: failures)
            }
            throw .malformedResponse(path: path, detail: "no \"data\" array")
        }
        let events = ranges.map { RawAuditEvent(bytes: Array(body[$0])) }
        var next = document["meta"]?["pagination"]?["next"]?.stringValue
        if next?.isEmpty == true { next = nil }
        return AuditResponsePage(events: events, next: next, failures: failures)
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
