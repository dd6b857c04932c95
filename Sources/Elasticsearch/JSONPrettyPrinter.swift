import ShipperCore

/// Indented JSON with sorted keys, for the request bodies `install-template --dry-run` prints.
enum JSONPrettyPrinter {
    static func render(_ value: JSONValue) -> String {
        var output: [UInt8] = []
        write(value, indent: 0, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func write(_ value: JSONValue, indent: Int, into output: inout [UInt8]) {
        let inner = Array(repeating: UInt8(ascii: " "), count: (indent + 1) * 2)
        let outer = Array(repeating: UInt8(ascii: " "), count: indent * 2)
        switch value {
        case .object(let members) where !members.isEmpty:
            output.append(contentsOf: Array("{\n".utf8))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (position, key) in keys.enumerated() {
                output.append(contentsOf: inner)
                JSONWriter.appendQuoted(key, to: &output)
                output.append(contentsOf: Array(": ".utf8))
                write(members[key]!, indent: indent + 1, into: &output)
                output.append(contentsOf: Array((position < keys.count - 1 ? ",\n" : "\n").utf8))
            }
            output.append(contentsOf: outer)
            output.append(UInt8(ascii: "}"))
        case .array(let elements) where !elements.isEmpty:
            output.append(contentsOf: Array("[\n".utf8))
            for (position, element) in elements.enumerated() {
                output.append(contentsOf: inner)
                write(element, indent: indent + 1, into: &output)
                output.append(contentsOf: Array((position < elements.count - 1 ? ",\n" : "\n").utf8))
            }
            output.append(contentsOf: outer)
            output.append(UInt8(ascii: "]"))
        default:
            output.append(contentsOf: value.serialized())
        }
    }
}
