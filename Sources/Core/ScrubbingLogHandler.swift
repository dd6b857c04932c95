import Logging

/// Wraps the real log handler so every message and metadata value passes through a
/// `SecretRedactor` first: log lines quote server answers and errors, and a server may have
/// echoed a credential into them. The wrapper keeps the metadata itself, so values set on a
/// logger are scrubbed too.
public struct ScrubbingLogHandler: LogHandler {
    private var inner: any LogHandler
    private let redactor: SecretRedactor
    public var metadata: Logger.Metadata = [:]

    public init(_ inner: any LogHandler, redactor: SecretRedactor = .shared) {
        self.inner = inner
        self.redactor = redactor
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var scrubbed = event
        scrubbed.message = Logger.Message(stringLiteral: redactor.scrub(event.message.description))
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        scrubbed.metadata = merged.isEmpty ? nil : merged.mapValues(scrub)
        scrubbed.error = nil
        inner.log(event: scrubbed)
    }

    private func scrub(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(redactor.scrub(text))
        case .stringConvertible(let convertible): .string(redactor.scrub(convertible.description))
        case .array(let values): .array(values.map(scrub))
        case .dictionary(let values): .dictionary(values.mapValues(scrub))
        }
    }
}
