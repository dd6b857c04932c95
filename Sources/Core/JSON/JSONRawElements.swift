/// Finds the exact bytes of each element of one array member of a top-level JSON object, without
/// re-serialising them.
///
/// The Mimecast reader uses it on `data` so each event reaches the mapper as the bytes Mimecast
/// sent, which is what `event.original` must hold.
public enum JSONRawElements {
    /// Byte ranges (into `bytes`) of the elements of `member`'s array. Nil when the document is an
    /// object without that member or the member is not an array; throws for invalid JSON.
    public static func ranges(ofArrayMember member: String, in bytes: [UInt8]) throws(JSONParseError) -> [Range<Int>]? {
        try recording(ofArrayMember: member, in: bytes)?.elements
    }

    /// The same, with the members of each element that is an object.
    public static func recording(ofArrayMember member: String, in bytes: [UInt8]) throws(JSONParseError) -> JSONArrayRecording? {
        guard let scanned = try members(of: bytes, collectingElementsOf: member) else {
            throw JSONParseError("expected a JSON object", offset: 0)
        }
        return scanned.elements
    }

    /// `members(of:)` and, from the same scan, the elements of `arrayMember`'s array (and the
    /// members of those that are objects): nil when the object has no such member or its last
    /// occurrence (the one a parsed object keeps) is not an array. One pass over a page instead
    /// of a second one over its events.
    public static func members(of bytes: [UInt8], collectingElementsOf arrayMember: String)
        throws(JSONParseError) -> (members: [(key: String, value: Range<Int>)], elements: JSONArrayRecording?)? {
        var elements: JSONArrayRecording?
        let found = try scanMembers(of: bytes, countingTheObject: false, key: { (parser: inout JSONParser) throws(JSONParseError) in
            try parser.parseString()
        }, collectingElementsOf: { $0 == arrayMember }, into: &elements)
        return found.map { ($0, elements) }
    }

    /// The top-level members of a JSON object, in order, each with the byte range of its value
    /// (duplicates kept, so a caller can refuse them). Validates the whole document without
    /// building a tree of it, so a huge page costs little beyond its own bytes. Nil when the
    /// document is not an object. With `countingTheObject`, the object itself counts towards the
    /// nesting limit, as in `JSONValue.parse`, so both accept exactly the same documents.
    public static func members(of bytes: [UInt8], countingTheObject: Bool = false) throws(JSONParseError) -> [(key: String, value: Range<Int>)]? {
        var unused: JSONArrayRecording?
        return try scanMembers(of: bytes, countingTheObject: countingTheObject, key: { (parser: inout JSONParser) throws(JSONParseError) in
            try parser.parseString()
        }, into: &unused)
    }

    /// The same scan and validation, each member name given as the byte range of its string
    /// literal (quotes included) instead of a decoded `String`: a caller that only compares
    /// names (the mapper, for every event) makes no `String` per member.
    public static func memberLiterals(of bytes: [UInt8], countingTheObject: Bool = false) throws(JSONParseError) -> [(key: Range<Int>, value: Range<Int>)]? {
        var unused: JSONArrayRecording?
        return try scanMembers(of: bytes, countingTheObject: countingTheObject, key: { (parser: inout JSONParser) throws(JSONParseError) in
            let start = parser.index
            try parser.skipString()
            return start..<parser.index
        }, into: &unused)
    }

    /// With `isArrayMember`, `elements` ends as the recording of the last member it accepts (nil
    /// when that member is not an array), made while that member is skipped.
    private static func scanMembers<Key>(
        of bytes: [UInt8], countingTheObject: Bool, key readKey: (inout JSONParser) throws(JSONParseError) -> Key,
        collectingElementsOf isArrayMember: ((Key) -> Bool)? = nil, into elements: inout JSONArrayRecording?
    ) throws(JSONParseError) -> [(key: Key, value: Range<Int>)]? {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) -> [(key: Key, value: Range<Int>)]? in
            var parser = JSONParser(buffer)
            if countingTheObject { parser.depth = 1 }
            parser.skipWhitespace()
            guard parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: "{") else {
                try parser.skipValue()
                parser.skipWhitespace()
                guard parser.index == buffer.count else { throw parser.fail("unexpected data after the value") }
                return nil
            }
            parser.index += 1
            var members: [(key: Key, value: Range<Int>)] = []
            members.reserveCapacity(16)
            parser.skipWhitespace()
            if parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: "}") {
                parser.index += 1
            } else {
                while true {
                    parser.skipWhitespace()
                    guard parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: "\"") else {
                        throw parser.fail("expected a member name")
                    }
                    let key = try readKey(&parser)
                    parser.skipWhitespace()
                    guard parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: ":") else { throw parser.fail("expected ':'") }
                    parser.index += 1
                    parser.skipWhitespace()
                    let start = parser.index
                    if let isArrayMember, isArrayMember(key) {
                        // Each occurrence starts afresh: the last one is what a parsed object keeps.
                        elements = start < buffer.count && buffer[start] == UInt8(ascii: "[") ? JSONArrayRecording(expectingBytes: buffer.count &- start) : nil
                        try parser.skipValue(recording: &elements)
                    } else {
                        try parser.skipValue()
                    }
                    members.append((key, start..<parser.index))
                    parser.skipWhitespace()
                    guard parser.index < buffer.count else { throw parser.fail("unterminated object") }
                    let next = buffer[parser.index]
                    parser.index += 1
                    if next == UInt8(ascii: "}") { break }
                    guard next == UInt8(ascii: ",") else { throw parser.fail("expected ',' or '}'") }
                }
            }
            parser.skipWhitespace()
            guard parser.index == buffer.count else { throw parser.fail("unexpected data after the value") }
            return members
        }
    }
}

/// Where one member of an object lies: its name's string literal (quotes included) and its value.
public struct JSONMemberLiteral: Sendable, Equatable {
    public var key: Range<Int>
    public var value: Range<Int>

    public init(key: Range<Int>, value: Range<Int>) {
        self.key = key
        self.value = value
    }
}

/// What one validating scan found in an array: each element's range and, for each element that
/// is an object, where its top-level members lie (in order, repeated names kept), so the members
/// of a page's events are known without scanning each event again.
public struct JSONArrayRecording: Sendable, Equatable {
    public var elements: [Range<Int>] = []
    /// For each element, its members' indices in `members`; nil when it is not an object.
    public var elementMembers: [Range<Int>?] = []
    public var members: [JSONMemberLiteral] = []

    public init() {}

    /// Room reserved for the elements of an array of about `byteCount` bytes of audit events
    /// (some hundreds of bytes each, a member per hundred or so bytes): growing the lists of a
    /// page's 500 events by doubling copied each of them many times over.
    init(expectingBytes byteCount: Int) {
        elements.reserveCapacity(byteCount / 512)
        elementMembers.reserveCapacity(byteCount / 512)
        members.reserveCapacity(byteCount / 96)
    }

    /// The members of element `index` (nil unless it is an object), as they lie in the element's
    /// own bytes (`JSONObjectMembers.forEach` gives them from its start). A slice of the whole
    /// array's list: nothing is copied.
    public func members(ofElement index: Int) -> JSONObjectMembers? {
        elementMembers[index].map { JSONObjectMembers(literals: members[$0], origin: elements[index].lowerBound) }
    }
}

/// The top-level members of one JSON object found by a scan of a larger document: each range
/// lies `origin` bytes further on in that document than in the object's own bytes.
public struct JSONObjectMembers: Sendable {
    public let literals: ArraySlice<JSONMemberLiteral>
    public let origin: Int

    public init(literals: ArraySlice<JSONMemberLiteral>, origin: Int) {
        self.literals = literals
        self.origin = origin
    }

    /// Each member's name literal and value, as ranges of the object's own bytes.
    public func forEach(_ body: (_ key: Range<Int>, _ value: Range<Int>) -> Void) {
        for member in literals {
            body((member.key.lowerBound &- origin)..<(member.key.upperBound &- origin),
                 (member.value.lowerBound &- origin)..<(member.value.upperBound &- origin))
        }
    }
}
