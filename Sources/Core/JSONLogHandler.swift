#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes one JSON object per line, for log shippers that parse
/// structured logs (`--log-json`). It only encodes: `ScrubbingLogHandler` in front of it removes
/// secrets, and a failed write to stderr is dropped rather than fatal.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> Date

    public init(
        label: String,
        now: @escaping @Sendable () -> Date = { Date() },
        write: @escaping @Sendable (String) -> Void = { line in
            try? StandardStreams.write(Array((line + "\n").utf8), to: STDERR_FILENO, naming: "standard error")
        }
    ) {
        self.label = label
        self.now = now
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: JSONValue] = [
            "@timestamp": .string(Self.timestamp(now())),
            "log.level": .string(event.level.rawValue),
            "log.logger": .string(label),
            "message": .string(event.message.description),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged {
            object[key] = Self.plain(value)
        }
        write(String(decoding: JSONValue.object(object).serialized(sortedKeys: true), as: UTF8.self))
    }

    private static func plain(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let string): .string(string)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let array): .array(array.map(plain))
        case .dictionary(let dictionary): .object(dictionary.mapValues(plain))
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
