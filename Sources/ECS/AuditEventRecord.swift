import ShipperCore

/// The structured members of one Mimecast audit event, read leniently: a member that is missing,
/// empty or of an unexpected JSON type is simply nil (numbers are accepted where text is expected).
///
/// The members that are plain ASCII strings stay where they are in the event's bytes (`MemberText`):
/// the id is hashed and written, the time parsed, the audit type and category looked up and the
/// user's account read from those bytes, so an event's usual members never become `String`s (five
/// allocations and their reference counting per event).
struct AuditEventRecord: Sendable, Equatable {
    /// The bytes the event lies in (its own, or its page's), which `MemberText.span`s and a
    /// plain `eventInfo` slice point into.
    let bytes: [UInt8]
    var id: MemberText?
    /// `id` was a JSON number: `12345` and `"12345"` are different events and get different `_id`s.
    var idIsNumber = false
    var auditType: MemberText?
    var user: MemberText?
    var eventTime: MemberText?
    /// The UTF-8 of the `eventInfo` text (valid UTF-8, as its `String` would be): it is scanned
    /// and written as bytes, so the usual ASCII text never becomes a `String`. A plain ASCII text
    /// is a slice of the event's bytes, not a copy.
    var eventInfo: ArraySlice<UInt8>?
    /// `eventInfo` is a span of the event's bytes: ASCII with nothing to escape.
    var eventInfoIsPlain = false
    var category: MemberText?
    /// Whether the bytes were a JSON object the scan accepts (`init(reading:at:members:)`); the
    /// rest of the record is empty when not.
    private(set) var isObject = true

    init(_ members: [String: JSONValue], bytes: [UInt8] = []) {
        self.bytes = bytes
        id = Self.text(members["id"]).map(MemberText.decoded)
        if case .number? = members["id"] { idIsNumber = true }
        auditType = Self.text(members["auditType"]).map(MemberText.decoded)
        user = Self.text(members["user"]).map(MemberText.decoded)
        eventTime = Self.text(members["eventTime"]).map(MemberText.decoded)
        eventInfo = Self.text(members["eventInfo"]).map { Array($0.utf8)[...] }
        category = Self.text(members["category"]).map(MemberText.decoded)
    }

    /// A member's text as UTF-8: a slice of the event (no copy) or the decoded text's bytes.
    func utf8(_ text: MemberText) -> ArraySlice<UInt8> {
        switch text {
        case .span(let range): bytes[range]
        case .decoded(let string): Array(string.utf8)[...]
        }
    }

    /// Calls `body` with a member's UTF-8 where it lies: in the event's bytes, or the decoded text's.
    func withText<R>(_ text: MemberText, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        switch text {
        case .span(let range): bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[range])) }
        case .decoded(let string): string.withContiguousUTF8(body)
        }
    }

    /// Whether every piece of `eventInfo` and `user` is ASCII with nothing to escape (each is a
    /// span of the event, or absent), so the mapping writes what it reads from them as it is.
    var textsArePlain: Bool {
        guard eventInfoIsPlain || eventInfo == nil else { return false }
        return user?.isSpan ?? true
    }

    /// Calls `body` with the UTF-8 of `user` (nil when there is none) where it lies.
    func withUser<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let user else { return body(nil) }
        return withText(user) { body($0) }
    }

    /// A member's text as a `String`, for the rare uses that need one (an error message).
    func string(_ text: MemberText?) -> String? {
        switch text {
        case nil: nil
        case .span(let range)?: String(decoding: bytes[range], as: UTF8.self)
        case .decoded(let string)?: string
        }
    }

    /// Two records are equal when they read the same texts, byte for byte, wherever each holds them.
    static func == (lhs: AuditEventRecord, rhs: AuditEventRecord) -> Bool {
        func same(_ left: MemberText?, _ right: MemberText?) -> Bool {
            switch (left, right) {
            case (nil, nil): true
            case let (left?, right?): lhs.utf8(left).elementsEqual(rhs.utf8(right))
            default: false
            }
        }
        return same(lhs.id, rhs.id) && lhs.idIsNumber == rhs.idIsNumber && same(lhs.auditType, rhs.auditType)
            && same(lhs.user, rhs.user) && same(lhs.eventTime, rhs.eventTime) && lhs.eventInfo == rhs.eventInfo
            && same(lhs.category, rhs.category)
    }

    /// The members read straight from the event's bytes: one validating scan of the top level,
    /// and only the six members the mapping uses are decoded (the last of a repeated name wins,
    /// as in a parsed object). Nil when the bytes are not a JSON object that `JSONValue.parse`
    /// would accept, so the caller can let the full parser say why.
    ///
    /// `members`, when the reader already found them in the scan of the event's page, stand for
    /// that scan: the page's scan validated the event more strictly (nested two levels deeper).
    ///
    /// `members` is borrowed: taken owned, as an initialiser's arguments are, it was a copy of the
    /// page's recording (a retain and a release) for every event.
    init?(scanning bytes: [UInt8], members scanned: borrowing JSONObjectMembers? = nil) {
        self.init(scanning: bytes, at: bytes.indices, members: scanned)
    }

    /// The same for the event at `range` of `storage` (its page's bytes), read where it lies:
    /// `members` are ranges of the event's own bytes, and the record's spans are of `storage`.
    init?(scanning storage: [UInt8], at range: Range<Int>, members scanned: borrowing JSONObjectMembers? = nil) {
        self.init(reading: storage, at: range, members: scanned)
        guard isObject else { return nil }
    }

    /// The same without an optional, `isObject` telling whether the scan accepted the bytes: the
    /// mapper's path, which reads `isObject` instead of unwrapping an optional record.
    init(reading storage: [UInt8], at range: Range<Int>, members scanned: borrowing JSONObjectMembers? = nil) {
        self.bytes = storage
        let origin = range.lowerBound
        // Every byte is read through one pointer, by static functions, straight into the
        // properties: closures over the array and the slots, and a value of the six members
        // copied into these, each retained and released per member.
        let isObject = storage.withUnsafeBufferPointer { whole -> Bool in
            let buffer = UnsafeBufferPointer(rebasing: whole[range])
            var ranges = Slots()
            if Self.fit(scanned, in: buffer.count) {
                scanned?.forEach { key, value in
                    if let slot = Self.slot(ofName: key, in: buffer) { ranges[slot] = value }
                }
            } else {
                let own = range == storage.indices ? storage : Array(buffer)
                guard let members = try? JSONRawElements.memberLiterals(of: own, countingTheObject: true) else { return false }
                for member in members {
                    if let slot = Self.slot(ofName: member.key, in: buffer) { ranges[slot] = member.value }
                }
            }
            if let range = ranges[0], range.first.map({ buffer[$0] }) != UInt8(ascii: "\"") {
                let value = Self.scalar(range, in: buffer)
                id = Self.text(value).map(MemberText.decoded)
                if case .number? = value { idIsNumber = true }
            } else {
                id = Self.memberText(ranges[0], in: buffer, origin: origin)
            }
            auditType = Self.memberText(ranges[1], in: buffer, origin: origin)
            user = Self.memberText(ranges[2], in: buffer, origin: origin)
            eventTime = Self.memberText(ranges[3], in: buffer, origin: origin)
            if let range = ranges[4] {
                if let span = Self.plainASCII(range, in: buffer) {
                    eventInfo = storage[(span.lowerBound &+ origin)..<(span.upperBound &+ origin)]
                    eventInfoIsPlain = true
                } else {
                    eventInfo = Self.decodedText(range, in: buffer).map { Array($0.utf8)[...] }
                }
            }
            category = Self.memberText(ranges[5], in: buffer, origin: origin)
            return true
        }
        self.isObject = isObject
    }

    /// Whether every range lies inside the event's bytes (and every name has its quotes): they
    /// are read through a pointer, so members that do not fit (a caller's mistake) are ignored
    /// and the event scanned instead of read out of bounds.
    private static func fit(_ members: borrowing JSONObjectMembers?, in count: Int) -> Bool {
        guard members != nil else { return false }
        var fits = true
        members?.forEach { key, value in
            if key.lowerBound < 0 || key.count < 2 || key.upperBound > count || value.lowerBound < 0 || value.upperBound > count {
                fits = false
            }
        }
        return fits
    }

    /// A member left in place when its bytes are its text, decoded otherwise. `range` is of the
    /// event's bytes (`buffer`); a span is of the bytes the event lies in, `origin` further on.
    private static func memberText(_ range: Range<Int>?, in buffer: UnsafeBufferPointer<UInt8>, origin: Int) -> MemberText? {
        guard let range else { return nil }
        if let span = plainASCII(range, in: buffer) { return .span((span.lowerBound &+ origin)..<(span.upperBound &+ origin)) }
        return decodedText(range, in: buffer).map(MemberText.decoded)
    }

    /// A member's text: a string without escapes is its bytes between the quotes (as the parser
    /// decodes it; the scan has ruled out raw quotes and control bytes, so the first byte
    /// `firstEscapeCandidate` finds in it would be a backslash); anything else is parsed.
    private static func decodedText(_ range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> String? {
        if range.count >= 2, buffer[range.lowerBound] == UInt8(ascii: "\""), buffer[range.upperBound - 1] == UInt8(ascii: "\"") {
            let content = UnsafeBufferPointer(rebasing: buffer[(range.lowerBound + 1)..<(range.upperBound - 1)])
            guard let base = content.baseAddress, !content.isEmpty else { return nil }
            if JSONWriter.firstEscapeCandidate(in: base, from: 0, count: content.count) == content.count {
                return String(decoding: content, as: UTF8.self)
            }
        }
        return text(scalar(range, in: buffer))
    }

    /// A string or number member parsed; any other value counts as missing.
    private static func scalar(_ range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        guard let first = range.first.map({ buffer[$0] }),
              first == UInt8(ascii: "\"") || first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
        else { return nil }
        return try? JSONValue.parse(Array(UnsafeBufferPointer(rebasing: buffer[range])))
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

    /// Where the text of a non-empty string without escapes that is all ASCII lies (between its
    /// quotes): those bytes are exactly its decoded UTF-8. Nil for anything else, which is decoded.
    private static func plainASCII(_ range: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard range.count > 2, buffer[range.lowerBound] == UInt8(ascii: "\""),
              buffer[range.upperBound - 1] == UInt8(ascii: "\"") else { return nil }
        let content = (range.lowerBound + 1)..<(range.upperBound - 1)
        return JSONWriter.isUnescapedASCII(UnsafeBufferPointer(rebasing: buffer[content])) ? content : nil
    }

    /// Which of the six members (in the order of `Slots`) the string literal at `literal` (quotes
    /// included) names, comparing bytes; a name written with escapes (`"\u0069d"`) is decoded
    /// first, as the parser would (no name matches while it still holds a backslash).
    private static func slot(ofName literal: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        let content = UnsafeBufferPointer(rebasing: buffer[(literal.lowerBound + 1)..<(literal.upperBound - 1)])
        if let slot = slot(ofName: content) { return slot }
        guard content.contains(UInt8(ascii: "\\")),
              case .string(let name)? = try? JSONValue.parse(Array(UnsafeBufferPointer(rebasing: buffer[literal]))) else { return nil }
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

/// Where one member's text is: in place in the event's bytes (a string with no escapes, all
/// ASCII, whose bytes are exactly its UTF-8) or decoded (escapes, other UTF-8, a number).
enum MemberText: Sendable {
    case span(Range<Int>)
    case decoded(String)

    /// Its bytes lie in the event and are ASCII with nothing to escape.
    var isSpan: Bool {
        if case .span = self { true } else { false }
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
