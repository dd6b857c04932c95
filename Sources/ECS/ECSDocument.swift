import ShipperCore

/// The fields of one ECS document, set in any order and written once as nested one-line JSON.
///
/// Slots are indexed by `ECSField` and written in `ECSField.layout` order, so building a
/// document costs no per-event sorting or path splitting and the output is deterministic. The
/// writer works from a plan made once (object names as numbers, every name already quoted) and
/// appends straight to the document's bytes.
struct ECSDocument {
    enum Value {
        case string(String)
        case strings([String])
        /// Raw bytes that are a string's UTF-8 (the event itself, for `event.original`), written
        /// without becoming a `String` first when they are ASCII.
        case utf8([UInt8])
    }

    private var slots = [Value?](repeating: nil, count: ECSField.allCases.count)

    /// Empty and nil values are not written: an empty string is never a useful ECS value.
    mutating func set(_ field: ECSField, _ value: String?) {
        guard let value, !value.isEmpty else { return }
        slots[field.rawValue] = .string(value)
    }

    mutating func set(_ field: ECSField, _ values: [String]) {
        let values = values.filter { !$0.isEmpty }
        guard !values.isEmpty else { return }
        slots[field.rawValue] = .strings(values)
    }

    /// `event.original`: the event's bytes as text (invalid UTF-8 repaired as `String` repairs it).
    mutating func setOriginal(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        slots[ECSField.eventOriginal.rawValue] = .utf8(bytes)
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
            Step(
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

    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        // About 700 bytes of fixed fields and names, plus the event twice over (`event.original`,
        // and `message` holding its eventInfo): one allocation for almost every document.
        var originalCount = 0
        if case .utf8(let original)? = slots[ECSField.eventOriginal.rawValue] { originalCount = original.count }
        out.reserveCapacity(1024 + 2 * originalCount)
        out.append(UInt8(ascii: "{"))
        var open: [Int] = []
        open.reserveCapacity(4)
        // False right after an opening brace: the next member needs no comma.
        var needsComma = false
        for step in Self.plan {
            guard let value = slots[step.field] else { continue }
            var shared = 0
            while shared < open.count, shared < step.objects.count, open[shared] == step.objects[shared] { shared += 1 }
            while open.count > shared {
                out.append(UInt8(ascii: "}"))
                open.removeLast()
                needsComma = true
            }
            for position in shared..<step.objects.count {
                if needsComma { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: step.objectOpenings[position])
                open.append(step.objects[position])
                needsComma = false
            }
            if needsComma { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: step.memberKey)
            switch value {
            case .string(let text):
                JSONWriter.appendQuoted(text, to: &out)
            case .strings(let texts):
                out.append(UInt8(ascii: "["))
                for (index, text) in texts.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    JSONWriter.appendQuoted(text, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            case .utf8(let bytes):
                if bytes.allSatisfy({ $0 < 0x80 }) {
                    bytes.withUnsafeBufferPointer { JSONWriter.appendQuoted(utf8: $0, to: &out) }
                } else {
                    JSONWriter.appendQuoted(String(decoding: bytes, as: UTF8.self), to: &out)
                }
            }
            needsComma = true
        }
        for _ in open { out.append(UInt8(ascii: "}")) }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
