import Foundation
import ShipperCore
import ShipperECS

#if canImport(Glibc)
import Glibc
#endif

/// What must hold for every document the mapper returns, whatever the input: checked after each
/// fuzz input so the fuzzer finds wrong output, not only traps.
///
/// The address check uses the C library's `inet_pton`, an oracle independent of the mapper's own
/// hand-written recogniser, because Elasticsearch rejects a whole document with a bad `ip` field.
public enum MappedDocumentInvariants {
    /// A fixed read time, so that mapping the same input twice must give the same bytes.
    public static let readAt = Date(timeIntervalSince1970: 1_714_641_247)

    /// Maps `event` twice and traps (`fatalError`, which libFuzzer reports as a crash) on the
    /// first broken invariant.
    public static func mapAndCheck(_ event: RawAuditEvent, mapper: ECSMapper = ECSMapper()) {
        let first = mapper.map(event, readAt: readAt)
        let second = mapper.map(event, readAt: readAt)
        require(first == second, "mapping is not deterministic")
        check(first, input: event)
    }

    public static func check(_ document: MappedDocument, input: RawAuditEvent) {
        require(!document.id.isEmpty, "empty _id")
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(document.source)
        } catch {
            fail("document is not valid JSON: \(error.description)")
        }
        guard case .object = parsed else { fail("document is not a JSON object") }
        require(parsed["@timestamp"]?.stringValue?.isEmpty == false, "no @timestamp")
        let kind = parsed["event"]?["kind"]?.stringValue
        require(kind == (document.isPipelineError ? "pipeline_error" : "event"), "event.kind \(kind ?? "nil") disagrees with isPipelineError")
        if document.isPipelineError {
            require(parsed["error"]?["message"]?.stringValue?.isEmpty == false, "pipeline_error without error.message")
            require(input.bytes.isEmpty || parsed["event"]?["original"] != nil, "pipeline_error without event.original")
        }
        if let original = parsed["event"]?["original"] {
            require(original.stringValue == String(decoding: input.bytes, as: UTF8.self), "event.original is not the input")
        }
        if let sourceIP = parsed["source"]?["ip"] {
            guard let text = sourceIP.stringValue else { fail("source.ip is not a string") }
            require(isAddress(text), "source.ip \(debugText(text)) is not an IP address")
            require(parsed["source"]?["address"]?.stringValue == text, "source.address differs from source.ip")
            require(parsed["related"]?["ip"]?.arrayValue?.first?.stringValue == text, "related.ip does not start with source.ip")
        }
        if let related = parsed["related"]?["ip"] {
            guard let list = related.arrayValue, !list.isEmpty else { fail("related.ip is not a non-empty array") }
            for element in list {
                guard let text = element.stringValue else { fail("related.ip element is not a string") }
                require(isAddress(text), "related.ip \(debugText(text)) is not an IP address")
            }
            require(parsed["source"]?["ip"] != nil, "related.ip without source.ip")
        }
    }

    /// True when `inet_pton` accepts `text` as IPv4 or IPv6.
    public static func isAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return text.withCString { pointer in
            inet_pton(AF_INET, pointer, &buffer) == 1 || inet_pton(AF_INET6, pointer, &buffer) == 1
        } && !text.utf8.contains(0)
    }

    private static func debugText(_ text: String) -> String {
        String(reflecting: String(text.prefix(80)))
    }

    private static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fail(message()) }
    }

    private static func fail(_ message: String) -> Never {
        fatalError("fuzz invariant broken: \(message)")
    }
}
