import ShipperCore

/// The fields of one ECS document, set in any order and written once as nested one-line JSON.
///
/// Slots are indexed by `ECSField` and written in `ECSField.layout` order, so building a
/// document costs no per-event sorting or path splitting and the output is deterministic.
struct ECSDocument {
    enum Value {
        case string(String)
        case strings([String])
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

    func serialized() -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 1024)
        writer.beginObject()
        var open: [String] = []
        for entry in ECSField.layout {
            guard let value = slots[entry.field.rawValue] else { continue }
            var shared = 0
            while shared < open.count, shared < entry.objects.count, open[shared] == entry.objects[shared] { shared += 1 }
            while open.count > shared {
                writer.endObject()
                open.removeLast()
            }
            for name in entry.objects[shared...] {
                writer.key(name)
                writer.beginObject()
                open.append(name)
            }
            writer.key(entry.member)
            switch value {
            case .string(let text):
                writer.string(text)
            case .strings(let texts):
                writer.beginArray()
                for text in texts { writer.string(text) }
                writer.endArray()
            }
        }
        for _ in open { writer.endObject() }
        writer.endObject()
        return writer.bytes
    }
}
