import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShipperCore

/// The sink for `--dry-run`: prints each document as one line of JSON on stdout and touches
/// nothing else. Stdout carries only documents (logs go to stderr), so the output pipes straight
/// into `jq` or a file.
public final class DryRunSink: DocumentSink, @unchecked Sendable {
    private let write: @Sendable ([UInt8]) -> Void
    private let lock = NSLock()

    public init(write: @escaping @Sendable ([UInt8]) -> Void = DryRunSink.standardOutput) {
        self.write = write
    }

    public func ship(_ documents: [MappedDocument]) async throws -> ShipReport {
        var output: [UInt8] = []
        output.reserveCapacity(documents.reduce(0) { $0 + $1.source.count + 1 })
        for document in documents {
            output.append(contentsOf: document.source)
            output.append(UInt8(ascii: "\n"))
        }
        lock.withLock { write(output) }
        var report = ShipReport()
        report.indexed = documents.count
        report.bytesUncompressed = output.count
        return report
    }

    public static let standardOutput: @Sendable ([UInt8]) -> Void = { bytes in
        // write(2) straight to descriptor 1: no stdio buffer to flush, and a closed pipe
        // surfaces as an error instead of a partial line.
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
