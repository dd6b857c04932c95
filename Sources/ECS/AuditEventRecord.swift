import ShipperCore

/// The structured members of one Mimecast audit event, read leniently: a member that is missing,
/// empty or of an unexpected JSON type is simply nil (numbers are accepted where text is expected).
struct AuditEventRecord: Sendable, Equatable {
    var id: String?
    /// `id` was a JSON number: `12345` and `"12345"` are different events and get different `_id`s.
    var idIsNumber = false
    var auditType: String?
    var user: String?
    var eventTime: String?
    /// The UTF-8 of the `eventInfo` text (valid UTF-8, as its `String` would be): it is scanned
    /// and written as bytes, so the usual ASCII text never becomes a `String`.
    var eventInfo: [UInt8]?
    var category: String?

    init(_ members: [String: JSONValue]) {
        id = Self.text(members["id"])
        if case .number? = members["id"] { idIsNumber = true }
        auditType = Self.text(members["auditType"])
        user = Self.text(members["user"])
        eventTime = Self.text(members["eventTime"])
        eventInfo = Self.text(members["eventInfo"]).map { Array($0.utf8) }
        category = Self.text(members["category"])
    }

    /// The members read straight from the event's bytes: one validating scan of the top level,
    /// and only the six members the mapping uses are decoded (the last of a repeated name wins,
    /// as in a parsed object). Nil when the bytes are not a JSON object that `JSONValue.parse`
    /// would accept, so the caller can let the full parser say why.
    init?(scanning bytes: [UInt8]) {
        guard let members = try? JSONRawElements.memberLiterals(of: bytes, countingTheObject: true) else { return nil }
        var ranges = Slots()
        for member in members {
            if let slot = Self.slot(ofName: member.key, in: bytes) { ranges[slot] = member.value }
        }
        func scalar(_ index: Int) -> JSONValue? {
            guard let range = ranges[index], let first = range.first.map({ bytes[$0] }) else { return nil }
            // Only strings and numbers are read; any other value counts as missing.
            guard first == UInt8(ascii: "\"") || first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
                return nil
            }
            return try? JSONValue.parse(bytes[range])
        }
        /// A member's text: a string without escapes is its bytes between the quotes (as the
        /// parser decodes it; the scan has ruled out raw quotes and control bytes, so the first
        /// byte `firstEscapeCandidate` finds in it would be a backslash); anything else is parsed.
        func text(_ index: Int) -> String? {
            if let range = ranges[index], range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\""),
               bytes[range.upperBound - 1] == UInt8(ascii: "\"") {
                let plain: String?? = bytes.withUnsafeBufferPointer { buffer in
                    let content = UnsafeBufferPointer(rebasing: buffer[(range.lowerBound + 1)..<(range.upperBound - 1)])
                    guard let base = content.baseAddress, !content.isEmpty else { return .some(nil) }
                    guard JSONWriter.firstEscapeCandidate(in: base, from: 0, count: content.count) == content.count else { return nil }
                    return .some(String(decoding: content, as: UTF8.self))
                }
                if let plain { return plain }
            }
            return Self.text(scalar(index))
        }
        if let range = ranges[0], range.first.map({ bytes[$0] }) != UInt8(ascii: "\"") {
            let id = scalar(0)
            self.id = Self.text(id)
            if case .number? = id { idIsNumber = true }
        } else {
            id = text(0)
        }
        auditType = text(1)
        user = text(2)
        eventTime = text(3)
        eventInfo = Self.utf8Text(ranges[4], in: bytes) ?? text(4).map { Array($0.utf8) }
        category = text(5)
    }

    /// Where each of the six members' values lies, kept inline (no array per event).
    private struct Slots {
        private var values: (Range<Int>?, Range<Int>?, Range<Int>?, Range<Int>?, Range<Int>?, Range<Int>?)

        init() { values = (nil, nil, nil, nil, nil, nil) }

        subscript(slot: Int) -> Range<Int>? {
            get {
                switch slot {
                case 0: values.0
                case 1: values.1
                case 2: values.2
                case 3: values.3
                case 4: values.4
                default: values.5
                }
            }
            set {
                switch slot {
                case 0: values.0 = newValue
                case 1: values.1 = newValue
                case 2: values.2 = newValue
                case 3: values.3 = newValue
                case 4: values.4 = newValue
                default: values.5 = newValue
                }
            }
        }
    }

    /// The bytes between the quotes of a string without escapes that is all ASCII (so they are
    /// exactly its decoded UTF-8); nil for anything else, which `scalar` decodes.
    private static func utf8Text(_ range: Range<Int>?, in bytes: [UInt8]) -> [UInt8]? {
        guard let range, range.count > 2, bytes[range.lowerBound] == UInt8(ascii: "\""),
              bytes[range.upperBound - 1] == UInt8(ascii: "\"") else { return nil }
        let content = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
        let plain = content.withUnsafeBufferPointer { text in
            TextScanning.isASCII(text) && JSONWriter.firstEscapeCandidate(in: text.baseAddress!, from: 0, count: text.count) == text.count
        }
        return plain ? Array(content) : nil
    }

    /// Which of the six members (in the order of `ranges` above) the string literal at `literal`
    /// (quotes included) names, comparing bytes; a name written with escapes (`"\u0069d"`) is
    /// decoded first, as the parser would.
    private static func slot(ofName literal: Range<Int>, in bytes: [UInt8]) -> Int? {
        let plain: Int?? = bytes.withUnsafeBufferPointer { buffer in
            let content = UnsafeBufferPointer(rebasing: buffer[(literal.lowerBound + 1)..<(literal.upperBound - 1)])
            return content.contains(UInt8(ascii: "\\")) ? nil : .some(slot(ofName: content))
        }
        if let plain { return plain }
        guard case .string(let name)? = try? JSONValue.parse(bytes[literal]) else { return nil }
        return name.withContiguousUTF8(slot(ofName:))
    }

    /// Decided by length, then bytes: a table of names cost a retain and a release per lookup,
    /// six lookups an event.
    private static func slot(ofName name: UnsafeBufferPointer<UInt8>) -> Int? {
        func spells(_ expected: StaticString) -> Bool {
            guard name.count == expected.utf8CodeUnitCount else { return false }
            for index in 0..<name.count where name[index] != expected.utf8Start[index] { return false }
            return true
        }
        switch name.count {
        case 2: return spells("id") ? 0 : nil
        case 4: return spells("user") ? 2 : nil
        case 8: return spells("category") ? 5 : nil
        case 9:
            if spells("auditType") { return 1 }
            if spells("eventTime") { return 3 }
            return spells("eventInfo") ? 4 : nil
        default: return nil
        }
    }

    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text): return text.isEmpty ? nil : text
        case .number(let number):
            if let integral = JSONValue.number(number).intValue { return String(integral) }
            return String(number)
        default: return nil
        }
    }
}

/// Why an event became a pipeline-error document; the text goes to `error.message`.
enum MappingFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidJSON(String)
    case notAnObject
    case missingEventTime
    case invalidEventTime(String)

    var description: String {
        switch self {
        case .invalidJSON(let reason):
            "audit event is not valid JSON (\(reason)); it is kept in event.original"
        case .notAnObject:
            "audit event is not a JSON object; it is kept in event.original"
        case .missingEventTime:
            "audit event has no eventTime; it is kept in event.original"
        case .invalidEventTime(let value):
            "audit event eventTime \"\(value.prefix(64))\" is not an ISO 8601 date-time with a UTC offset; it is kept in event.original"
        }
    }
}
