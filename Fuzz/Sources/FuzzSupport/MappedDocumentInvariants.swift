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
        // The job's path: a session that has mapped every input before this one.
        require(session.map(event, readAt: readAt) == first, "a mapping session maps differently from the mapper")
        check(first, input: event)
    }

    /// One session for the whole fuzzing run (libFuzzer calls one input at a time), so its memory
    /// between events (buffers, read time, classification table) carries from input to input.
    nonisolated(unsafe) private static let session = ECSMapper().session()

    /// Judged with Foundation's JSONSerialization, not the product's parser, so a writer bug that
    /// the product's own parser would forgive still traps here.
    public static func check(_ document: MappedDocument, input: RawAuditEvent) {
        require(!document.id.isEmpty, "empty _id")
        let parsed: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(document.source)) as? [String: Any] else {
                fail("document is not a JSON object")
            }
            parsed = object
        } catch {
            fail("document is not valid JSON: \(error)")
        }
        func member(_ path: String) -> Any? {
            var current: Any? = parsed
            for key in path.split(separator: ".") {
                current = (current as? [String: Any])?[String(key)]
            }
            return current
        }
        func text(_ path: String) -> String? { member(path) as? String }
        require(text("@timestamp")?.isEmpty == false, "no @timestamp")
        let kind = text("event.kind")
        require(kind == (document.isPipelineError ? "pipeline_error" : "event"), "event.kind \(kind ?? "nil") disagrees with isPipelineError")
        if document.isPipelineError {
            require(text("error.message")?.isEmpty == false, "pipeline_error without error.message")
            require(input.bytes.isEmpty || member("event.original") != nil, "pipeline_error without event.original")
        }
        if let original = member("event.original") {
            require(original as? String == String(decoding: input.bytes, as: UTF8.self), "event.original is not the input")
        }
        if let sourceIP = member("source.ip") {
            guard let address = sourceIP as? String else { fail("source.ip is not a string") }
            require(isAddress(address), "source.ip \(debugText(address)) is not an IP address")
            require(text("source.address") == address, "source.address differs from source.ip")
            require((member("related.ip") as? [Any])?.first as? String == address, "related.ip does not start with source.ip")
        }
        if let related = member("related.ip") {
            guard let list = related as? [Any], !list.isEmpty else { fail("related.ip is not a non-empty array") }
            for element in list {
                guard let address = element as? String else { fail("related.ip element is not a string") }
                require(isAddress(address), "related.ip \(debugText(address)) is not an IP address")
            }
            require(member("source.ip") != nil, "related.ip without source.ip")
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
