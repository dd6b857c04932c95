import ShipperCore

/// The reader's pure decoders, reachable from outside the module for the libFuzzer targets in
/// `Fuzz/` (which must drive exactly the code the reader runs on untrusted bodies and files).
///
/// Behind `@_spi(Fuzzing)` so the product's public API does not grow: only code that writes
/// `@_spi(Fuzzing) import ShipperMimecast` sees it.
@_spi(Fuzzing) public enum MimecastResponseDecoding {
    /// One decoded `get-audit-events` body: what the reader keeps of it.
    public struct Page: Sendable, Equatable {
        public let events: [RawAuditEvent]
        public let next: String?
        public let failures: [MimecastFailure]
    }

    /// Decodes a response body exactly as `MimecastAuditReader` does.
    public static func decodePage(_ body: [UInt8]) throws(MimecastError) -> Page {
        let page = try AuditResponsePage.parse(body)
        return Page(events: page.events, next: page.next, failures: page.failures)
    }

    /// Extracts the events of a replay file's contents exactly as `ReplayReader` does.
    public static func replayEvents(_ contents: [UInt8], name: String) throws(ReplayError) -> [RawAuditEvent] {
        try ReplayFileParser.events(in: contents, name: name)
    }

    /// The `fail` entries of any body, as used for the details of 4xx answers.
    public static func failures(inBody body: [UInt8]) -> [MimecastFailure] {
        MimecastFailure.list(inBody: body)
    }
}
