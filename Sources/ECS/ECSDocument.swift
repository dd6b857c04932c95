import ShipperCore

/// The fields of one ECS document, set in any order and written once as nested one-line JSON.
///
/// Each value is written as JSON (a quoted string, or an array of them) into one byte buffer the
/// moment it is set, and the document keeps only where each field's JSON lies: no per-field
/// values to retain and release, and writing the document is copying those pieces in
/// `ECSField.layout` order with the framing between them, made once for every pair of fields
/// (every name already quoted, objects closed and opened), so a document costs no per-event
/// sorting or path splitting and the output is deterministic.
struct ECSDocument {
    /// The values set so far, each already JSON; a field set twice keeps its last value.
    private var values: DocumentBuffer
    /// Where each field's JSON lies in `values`: start at `2 × rawValue`, end after it; equal
    /// when the field is not set.
    private var bounds: [Int]

    /// `eventBytes` sizes the buffer for an event's document (its fixed fields, and the event
    /// itself twice: `event.original`, and `message` holding its eventInfo) in one allocation,
    /// or none when `storage` (an earlier document's buffers) is given and large enough.
    init(eventBytes: Int = 0, reusing storage: Storage? = nil) {
        if var storage {
            storage.values.removeAll()
            storage.bounds.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            values = storage.values
            bounds = storage.bounds
        } else {
            // Room for the fixed fields and the event twice, each quoted with room to spare.
            values = DocumentBuffer(capacity: 1024 + JSONWriter.escapedCapacity(forCount: 2 * eventBytes))
            bounds = [Int](repeating: 0, count: 2 * ECSField.allCases.count)
        }
    }

    /// The two buffers a document is written in, handed from one document to the next.
    ///
    /// A document's values take about a kilobyte, more than malloc keeps in its per-thread
    /// caches, so allocating and freeing them for every event took malloc's slow path (and its
    /// merging of free chunks) each time; the mapper keeps the last document's buffers instead.
    struct Storage {
        fileprivate var values: DocumentBuffer
        fileprivate var bounds: [Int]

        var capacity: Int { values.bytes.count }
    }

    /// The document's buffers, for the next document once this one is serialized.
    consuming func storage() -> Storage {
        Storage(values: values, bounds: bounds)
    }

    /// Empty and nil values are not written: an empty string is never a useful ECS value.
    mutating func set(_ field: ECSField, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        let start = values.count
        values.appendQuoted(value)
        record(field, from: start)
    }

    /// A text given as its UTF-8 (valid UTF-8, as a `String`'s), written without becoming one.
    mutating func set(_ field: ECSField, utf8 value: [UInt8]?) {
        set(field, utf8: value?[...])
    }

    /// The same for a text that is part of a larger buffer (a member of the event); `plain` when
    /// it is known to be ASCII with nothing to escape (`DocumentBuffer.appendQuoted`).
    mutating func set(_ field: ECSField, utf8 value: ArraySlice<UInt8>?, plain: Bool = false) {
        guard let value, !value.isEmpty else { return }
        let start = values.count
        value.withUnsafeBufferPointer { values.appendQuoted(utf8: $0, plain: plain) }
        record(field, from: start)
    }

    /// The same for a text borrowed where it lies (an account or value of the event's texts).
    mutating func set(_ field: ECSField, utf8 value: UnsafeBufferPointer<UInt8>?, plain: Bool = false) {
        guard let value, !value.isEmpty else { return }
        let start = values.count
        values.appendQuoted(utf8: value, plain: plain)
        record(field, from: start)
    }

    /// Borrowed texts as a JSON array of strings, empty ones left out (nothing when all are).
    mutating func set(_ field: ECSField, texts: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, plain: Bool = false) {
        guard texts.contains(where: { !$0.isEmpty }) else { return }
        let start = values.count
        Self.appendArray(texts, to: &values, plain: plain) { text, body in body(text) }
        record(field, from: start)
    }

    mutating func set(_ field: ECSField, _ values: [String]) {
        guard values.contains(where: { !$0.isEmpty }) else { return }
        let start = self.values.count
        Self.appendArray(values, to: &self.values) { text, body in text.withContiguousUTF8(body) }
        record(field, from: start)
    }

    /// The non-empty texts of `values` as a JSON array of strings; `utf8` lends each one's bytes.
    private static func appendArray<Values: Sequence>(_ values: Values, to bytes: inout DocumentBuffer, plain: Bool = false,
                                                      utf8: (Values.Element, (UnsafeBufferPointer<UInt8>) -> Void) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            utf8(value) { text in
                guard !text.isEmpty else { return }
                if !first { bytes.append(UInt8(ascii: ",")) }
                bytes.appendQuoted(utf8: text, plain: plain)
                first = false
            }
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// A value that is already JSON (a constant quoted once per mapper or page), copied as it is.
    mutating func set(_ field: ECSField, json: [UInt8]) {
        guard !json.isEmpty else { return }
        let start = values.count
        json.withUnsafeBufferPointer { values.append($0) }
        record(field, from: start)
    }

    /// A timestamp, rendered straight into the buffer (its text is ASCII and needs no escape).
    mutating func set(_ field: ECSField, _ timestamp: UTCTimestamp) {
        let start = values.count
        values.writeQuoted(atMost: UTCTimestamp.longestISO8601) { timestamp.writeISO8601(to: $0) }
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

    /// What `set(_:_:)` writes for a list (nothing when no value is non-empty), for the same callers.
    static func quoted(_ values: [String]) -> [UInt8] {
        guard values.contains(where: { !$0.isEmpty }) else { return [] }
        var bytes = DocumentBuffer(capacity: 64)
        appendArray(values, to: &bytes) { text, body in text.withContiguousUTF8(body) }
        return Array(bytes.bytes[..<bytes.count])
    }

    /// `event.original`: the event's bytes as text (invalid UTF-8 repaired as `String` repairs it),
    /// quoted straight from the bytes when they are ASCII.
    mutating func setOriginal(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { setOriginal($0) }
    }

    /// The same from the event's bytes where they lie (in its page).
    mutating func setOriginal(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        let start = values.count
        if values.appendQuotedIfASCII(utf8: bytes) {
            record(.eventOriginal, from: start)
        } else {
            set(.eventOriginal, String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Both ends in one access to `bounds` (one uniqueness check, not two).
    private mutating func record(_ field: ECSField, from start: Int) {
        let end = values.count
        bounds.withUnsafeMutableBufferPointer { bounds in
            bounds[2 &* field.rawValue] = start
            bounds[2 &* field.rawValue &+ 1] = end
        }
    }

    /// The framing between two written fields, made once: for each field of the layout that can
    /// come first or follow another, the bytes that close the previous field's objects, open the
    /// next one's and name it (`},"user":{"name":`), and the bytes that end a document after each.
    /// Writing a document is then two copies per set field whatever the nesting.
    private struct Framing {
        /// Raw values of the fields in layout order.
        var fields: [Int] = ECSField.layout.map(\.field.rawValue)
        /// All framing bytes; `bounds[2 × (from × n + to)]` and the next entry delimit the bytes
        /// from layout position `from` (or `n`, the document's start) to position `to`.
        var bytes: [UInt8] = []
        var bounds: [Int] = []
        /// `closingBounds[2 × from]`…: the bytes that end a document whose last field is at `from`
        /// (or `n`: the empty document).
        var closingBounds: [Int] = []
        /// The most framing bytes one document can hold.
        var bound = 0

        init() {
            let layout = ECSField.layout
            let n = layout.count
            func quotedKey(_ name: String) -> [UInt8] {
                var bytes: [UInt8] = []
                JSONWriter.appendQuoted(name, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                return bytes
            }
            // The objects open after the field at `position` (none at the start).
            func objects(after position: Int) -> [String] { position == n ? [] : layout[position].objects }
            bounds = [Int](repeating: 0, count: 2 * (n + 1) * n)
            // Every field set: at most each field's longest way in, plus the longest ending.
            var longestWayIn = [Int](repeating: 0, count: n)
            for from in 0...n {
                for to in 0..<n where from == n || to > from {
                    let open = objects(after: from), next = layout[to].objects
                    var shared = 0
                    while shared < open.count, shared < next.count, open[shared] == next[shared] { shared += 1 }
                    let begin = bytes.count
                    if from == n { bytes.append(UInt8(ascii: "{")) }
                    bytes += [UInt8](repeating: UInt8(ascii: "}"), count: open.count - shared)
                    // A comma unless this member is the first of an object just opened.
                    var needsComma = from != n
                    for name in next[shared...] {
                        if needsComma { bytes.append(UInt8(ascii: ",")) }
                        bytes += quotedKey(name) + [UInt8(ascii: "{")]
                        needsComma = false
                    }
                    if needsComma { bytes.append(UInt8(ascii: ",")) }
                    bytes += quotedKey(layout[to].member)
                    bounds[2 * (from * n + to)] = begin
                    bounds[2 * (from * n + to) + 1] = bytes.count
                    longestWayIn[to] = max(longestWayIn[to], bytes.count - begin)
                }
            }
            var longestEnd = 0
            closingBounds = [Int](repeating: 0, count: 2 * (n + 1))
            for from in 0...n {
                let begin = bytes.count
                if from == n { bytes.append(UInt8(ascii: "{")) }
                bytes += [UInt8](repeating: UInt8(ascii: "}"), count: objects(after: from).count + 1)
                closingBounds[2 * from] = begin
                closingBounds[2 * from + 1] = bytes.count
                longestEnd = max(longestEnd, bytes.count - begin)
            }
            bound = longestWayIn.reduce(0, +) + longestEnd
        }
    }

    private static let framing = Framing()

    /// The most bytes `serialize(to:)` writes: every value, and every way in at its longest.
    var serializedBound: Int { values.count + Self.framing.bound }

    func serialized() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: serializedBound) { out, count in
            count = out.baseAddress.map(serialize) ?? 0
        }
    }

    /// Writes the document at `start`, which has room for `serializedBound` bytes, and gives
    /// the number written.
    func serialize(to start: UnsafeMutablePointer<UInt8>) -> Int {
        let framing = Self.framing
        let capacity = serializedBound
        let n = framing.fields.count
        var cursor = start
        values.bytes.withUnsafeBufferPointer { values in
            framing.bytes.withUnsafeBufferPointer { framingBytes in
                framing.fields.withUnsafeBufferPointer { fields in
                    framing.bounds.withUnsafeBufferPointer { ways in
                        bounds.withUnsafeBufferPointer { bounds in
                            // Each piece's length is checked against the room left: the
                            // capacity holds every way in at its longest and all values.
                            var previous = n
                            for position in 0..<n {
                                let field = fields[position]
                                let valueStart = bounds[2 &* field], valueEnd = bounds[2 &* field &+ 1]
                                guard valueEnd > valueStart else { continue }
                                let way = 2 &* (previous &* n &+ position)
                                let wayStart = ways[way], wayCount = ways[way &+ 1] &- wayStart
                                let valueCount = valueEnd &- valueStart
                                precondition(wayCount &+ valueCount <= capacity - (cursor - start))
                                ShortCopy.copy(framingBytes.baseAddress! + wayStart, to: cursor, count: wayCount)
                                cursor += wayCount
                                ShortCopy.copy(values.baseAddress! + valueStart, to: cursor, count: valueCount)
                                cursor += valueCount
                                previous = position
                            }
                            let closing = framing.closingBounds[2 &* previous]
                            let closingCount = framing.closingBounds[2 &* previous &+ 1] &- closing
                            precondition(closingCount <= capacity - (cursor - start))
                            ShortCopy.copy(framingBytes.baseAddress! + closing, to: cursor, count: closingCount)
                            cursor += closingCount
                        }
                    }
                }
            }
        }
        return cursor - start
    }
}
