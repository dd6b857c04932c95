#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore
import Synchronization

/// The sink for `--dry-run`: prints each document as one line of JSON on stdout and touches
/// nothing else. Stdout carries only documents (logs go to stderr), so the output pipes straight
/// into `jq` or a file. Output that cannot be written (a full disk, `/dev/full`, a closed stdout)
/// fails the pass: a dry run that printed nothing must not report documents as printed.
public final class DryRunSink: DocumentSink, Sendable {
    private let write: @Sendable ([UInt8]) throws -> Void
    private let redactor: SecretRedactor
    private let lock = Mutex(())

    public init(write: @escaping @Sendable ([UInt8]) throws -> Void = DryRunSink.standardOutput, redactor: SecretRedactor = .shared) {
        self.write = write
        self.redactor = redactor
    }

    public func ship(_ documents: [MappedDocument]) async throws -> ShipReport {
        var output: [UInt8] = []
        output.reserveCapacity(documents.reduce(0) { $0 + $1.sourceCount + 1 })
        for document in documents {
            document.withSource { output.append(contentsOf: $0) }
            output.append(UInt8(ascii: "\n"))
        }
        let text = redactor.scrub(output)
        try lock.withLock { _ in try write(text) }
        var report = ShipReport()
        report.indexed = documents.count
        report.bytesUncompressed = output.count
        return report
    }

    /// write(2) straight to descriptor 1: no stdio buffer to flush, and a failed write is an error.
    public static let standardOutput: @Sendable ([UInt8]) throws -> Void = { bytes in
        try StandardStreams.writeStandardOutput(bytes)
    }
}
