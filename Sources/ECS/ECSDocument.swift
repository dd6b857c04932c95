import ShipperCore

/// The fields of one ECS document, set in any order and written once as nested one-line JSON.
///
/// Each value is written as JSON (a quoted string, or an array of them) into one byte buffer the
/// moment it is set, and the document keeps only where each field's JSON lies: no per-field
/// values to retain and release, and writing the document is copying those pieces in
/// `ECSField.layout` order. The writer works from a plan made once (object names as numbers,
/// every name already quoted), so a document costs no per-event sorting or path splitting and
/// the output is deterministic.
struct ECSDocument {
    /// The values set so far, each already JSON; a field set twice keeps its last value.
    private var values: [UInt8] = []
    /// Where each field's JSON lies in `values`: start at `2 × rawValue`, end after it; equal
    /// when the field is not set.
    private var bounds = [Int](repeating: 0, count: 2 * ECSField.allCases.count)

    /// `eventBytes` sizes the buffer for an event's document (its fixed fields, and the event
    /// itself twice: `event.original`, and `message` holding its eventInfo) in one allocation.
    init(eventBytes: Int = 0) {
        values.reserveCapacity(512 + 2 * eventBytes)
    }

    /// Empty and nil values are not written: an empty string is never a useful ECS value.
    mutating func set(_ field: ECSField, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        let start = values.count
        JSONWriter.appendQuoted(value, to: &values)
        record(field, from: start)
    }

    /// A text given as its UTF-8 (valid UTF-8, as a `String`'s), written without becoming one.
    mutating func set(_ field: ECSField, utf8 value: [UInt8]?) {
        guard let value, !value.isEmpty else { return }
        let start = values.count
        value.withUnsafeBufferPointer { JSONWriter.appendQuoted(utf8: $0, to: &values) }
        record(field, from: start)
    }

    mutating func set(_ field: ECSField, _ values: [String]) {
        guard values.contains(where: { !$0.isEmpty }) else { return }
        let start = self.values.count
        self.values.append(UInt8(ascii: "["))
        var first = true
        for text in values where !text.isEmpty {
            if !first { self.values.append(UInt8(ascii: ",")) }
            JSONWriter.appendQuoted(text, to: &self.values)
            first = false
        }
        self.values.append(UInt8(ascii: "]"))
        record(field, from: start)
    }

    /// A value that is already JSON (a constant quoted once per mapper or page), copied as it is.
    mutating func set(_ field: ECSField, json: [UInt8]) {
        guard !json.isEmpty else { return }
        let start = values.count
        values.append(contentsOf: json)
        record(field, from: start)
    }

    /// A timestamp, rendered straight into the buffer (its text is ASCII and needs no escape).
    mutating func set(_ field: ECSField, _ timestamp: UTCTimestamp) {
        let start = values.count
        values.append(UInt8(ascii: "\""))
        timestamp.appendISO8601(to: &values)
        values.append(UInt8(ascii: "\""))
        record(field, from: start)
    }

    /// `text` as a JSON string, or nothing for nil or empty text: what `set(_:_:)` writes, kept
    /// by callers that write the same value into many documents.
    static func quoted(_ text: String?) -> [UInt8] {
        guard let text, !text.isEmpty else { return [] }
        var bytes: [UInt8] = []
        JSONWriter.appendQuoted(text, to: &bytes)
        return bytes
    }

    /// `event.original`: the event's bytes as text (invalid UTF-8 repaired as `String` repairs it),
    /// quoted straight from the bytes when they are ASCII.
    mutating func setOriginal(_ bytes: [UInt8]) {
        if bytes.withUnsafeBufferPointer(TextScanning.isASCII) {
            set(.eventOriginal, utf8: bytes)
        } else {
            set(.eventOriginal, String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The JSON written for `field` so far (empty when it is not set).
    func json(of field: ECSField) -> [UInt8] {
        Array(values[bounds[2 &* field.rawValue]..<bounds[2 &* field.rawValue &+ 1]])
    }

    private mutating func record(_ field: ECSField, from start: Int) {
        bounds[2 &* field.rawValue] = start
        bounds[2 &* field.rawValue &+ 1] = values.count
    }

    /// One field of the layout, ready to write: its objects as numbers (equal names, equal numbers)
    /// with their `"name":{` bytes, and its own `"member":` bytes.
    private struct Step {
        var field: Int
        var objects: [Int]
        var objectOpenings: [[UInt8]]
        var memberKey: [UInt8]
    }

    private static let plan: [Step] = {
        var numbers: [String: Int] = [:]
        func quotedKey(_ name: String) -> [UInt8] {
            var bytes: [UInt8] = []
            JSONWriter.appendQuoted(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
        return ECSField.layout.map { entry in
            precondition(entry.objects.count <= 3, "serialized() keeps at most three open objects")
            return Step(
                field: entry.field.rawValue,
                objects: entry.objects.map { name in
                    if let number = numbers[name] { return number }
                    numbers[name] = numbers.count
                    return numbers.count - 1
                },
                objectOpenings: entry.objects.map { quotedKey($0) + [UInt8(ascii: "{")] },
                memberKey: quotedKey(entry.member)
            )
        }
    }()

    /// The most bytes `serialized()` writes besides the values: each field's comma and name, and
    /// each of its objects' comma, name, brace and closing brace, as if none were shared.
    private static let framingBound: Int = plan.reduce(2) { total, step in
        total + 1 + step.memberKey.count + step.objectOpenings.reduce(0) { $0 + 2 + $1.count }
    }

    func serialized() -> [UInt8] {
        let capacity = values.count + Self.framingBound
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, count in
            var cursor = 0
            func put(_ byte: UInt8) {
                precondition(cursor < capacity)
                out[cursor] = byte
                cursor &+= 1
            }
            func put(_ bytes: UnsafeBufferPointer<UInt8>) {
                guard let source = bytes.baseAddress else { return }
                precondition(bytes.count <= capacity &- cursor)
                (out.baseAddress! + cursor).initialize(from: source, count: bytes.count)
                cursor &+= bytes.count
            }
            put(UInt8(ascii: "{"))
            // The objects open, innermost last (at most three deep).
            var open: (Int, Int, Int) = (-1, -1, -1)
            var depth = 0
            // False right after an opening brace: the next member needs no comma.
            var needsComma = false
            values.withUnsafeBufferPointer { values in
                for step in Self.plan {
                    let start = bounds[2 &* step.field], end = bounds[2 &* step.field &+ 1]
                    guard end > start else { continue }
                    var shared = 0
                    while shared < depth, shared < step.objects.count, Self.element(open, shared) == step.objects[shared] { shared += 1 }
                    while depth > shared {
                        put(UInt8(ascii: "}"))
                        depth -= 1
                        needsComma = true
                    }
                    for position in shared..<step.objects.count {
                        if needsComma { put(UInt8(ascii: ",")) }
                        step.objectOpenings[position].withUnsafeBufferPointer { put($0) }
                        Self.setElement(&open, depth, step.objects[position])
                        depth += 1
                        needsComma = false
                    }
                    if needsComma { put(UInt8(ascii: ",")) }
                    step.memberKey.withUnsafeBufferPointer { put($0) }
                    put(UnsafeBufferPointer(rebasing: values[start..<end]))
                    needsComma = true
                }
            }
            for _ in 0..<depth { put(UInt8(ascii: "}")) }
            put(UInt8(ascii: "}"))
            count = cursor
        }
    }

    @inline(__always) private static func element(_ open: (Int, Int, Int), _ index: Int) -> Int {
        switch index {
        case 0: open.0
        case 1: open.1
        default: open.2
        }
    }

    @inline(__always) private static func setElement(_ open: inout (Int, Int, Int), _ index: Int, _ value: Int) {
        switch index {
        case 0: open.0 = value
        case 1: open.1 = value
        default: open.2 = value
        }
    }
}
