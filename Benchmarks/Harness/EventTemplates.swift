import Foundation
import ShipperCore

/// The sample's events turned into fill-in templates: each event's JSON rendered once, cut at the
/// places that vary (id, time, user names, IP addresses), so generating a million events is byte
/// concatenation rather than string replacement.
///
/// Every `eventInfo` family in `samples/mimecast-audit-sample.ndjson` becomes one template, so the
/// synthetic load has the same mix of shapes (and mapping work) as the sample.
struct EventTemplates: Sendable {
    enum Slot: Sendable {
        case id, time, userSuffix, ipv4Octet, ipv6Group
    }

    enum Piece: Sendable {
        case literal([UInt8])
        case slot(Slot)
    }

    let templates: [[Piece]]

    /// Reads every event of every response body (one per line) in the sample file.
    static func load(samplePath: String) throws -> EventTemplates {
        let text = try String(contentsOfFile: samplePath, encoding: .utf8)
        var templates: [[Piece]] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let page = try JSONValue.parse(Array(line.utf8))
            for event in page["data"]?.arrayValue ?? [] {
                templates.append(compile(event))
            }
        }
        guard !templates.isEmpty else { throw HarnessError("no events in \(samplePath)") }
        return EventTemplates(templates: templates)
    }

    private static let marker = "\u{E000}"

    /// Marks the varying places with a private-use character and a slot letter, renders the JSON
    /// with the product's writer (so escaping is exactly what Mimecast-like JSON needs), then cuts.
    private static func compile(_ event: JSONValue) -> [Piece] {
        func vary(_ text: String) -> String {
            var text = text
            for domain in ["@example.org", "@example.net", "@mimecast.example"] {
                text = text.replacingOccurrences(of: domain, with: "\(marker)U\(domain)")
            }
            for prefix in ["198.51.100.", "203.0.113.", "192.0.2."] {
                let parts = prefix.split(separator: ".")
                text = text.replacingOccurrences(of: prefix, with: "\(parts[0]).\(parts[1]).\(marker)4.")
            }
            text = text.replacingOccurrences(of: "2001:db8:", with: "2001:db8:\(marker)6:")
            return text
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("id", "\(marker)I")
        writer.member("auditType", event["auditType"]?.stringValue ?? "")
        writer.member("user", vary(event["user"]?.stringValue ?? ""))
        writer.member("eventTime", "\(marker)T")
        writer.member("eventInfo", vary(event["eventInfo"]?.stringValue ?? ""))
        writer.member("category", event["category"]?.stringValue ?? "")
        writer.endObject()
        return cut(writer.bytes)
    }

    private static func cut(_ bytes: [UInt8]) -> [Piece] {
        let markerBytes = Array(marker.utf8)
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if index + markerBytes.count < bytes.count, Array(bytes[index..<index + markerBytes.count]) == markerBytes {
                let letter = bytes[index + markerBytes.count]
                let slot: Slot = switch letter {
                case UInt8(ascii: "I"): .id
                case UInt8(ascii: "T"): .time
                case UInt8(ascii: "U"): .userSuffix
                case UInt8(ascii: "4"): .ipv4Octet
                default: .ipv6Group
                }
                pieces.append(.literal(literal))
                pieces.append(.slot(slot))
                literal = []
                index += markerBytes.count + 1
            } else {
                literal.append(bytes[index])
                index += 1
            }
        }
        pieces.append(.literal(literal))
        return pieces
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
