#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// How far the current (or an interrupted) pass may have written beyond the checkpoint.
///
/// The checkpoint moves only after a slice is settled, so a pass killed mid-slice leaves stored
/// documents after it. Before its first write each pass records the end of its window here; the
/// next pass then knows that events up to `max(checkpoint, mark)` may already be stored and has
/// the sink look those up (a rollover in between would otherwise let `create` store them twice),
/// while events after it pay nothing.
struct InFlightMark: Codable, Equatable {
    var version = 1
    var key: CheckpointKey
    var until: Date
}

extension CheckpointStore {
    /// `in-flight-<checkpoint file name>`, next to the checkpoint.
    func inFlightPath(for key: CheckpointKey) -> String {
        PathText.joining(directory, "in-flight-" + key.fileName)
    }

    /// The recorded mark; a file that cannot be read counts as "anything may be stored"
    /// (`distantFuture`), which costs lookups but never a duplicate.
    func loadInFlight(_ key: CheckpointKey) -> Date? {
        let path = inFlightPath(for: key)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let mark = try? Self.decoder.decode(InFlightMark.self, from: data), mark.key == key else {
            return .distantFuture
        }
        return mark.until
    }

    func saveInFlight(_ key: CheckpointKey, until: Date) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let data = try Self.encoder.encode(InFlightMark(key: key, until: until)) + Data("\n".utf8)
        try AtomicFile.write(data, to: inFlightPath(for: key))
    }
}

/// Checks on a loaded checkpoint that do not depend on its file's syntax.
enum CheckpointSanity {
    /// How far ahead of this machine's clock a checkpoint may be (small clock differences).
    static let futureTolerance: TimeInterval = 300

    /// A position later than now plus the tolerance would stall ingestion until the clock catches
    /// up and then skip what happened meanwhile: refuse it, naming the file and the time.
    static func check(_ position: Date, now: Date, path: String) throws {
        guard position > now.addingTimeInterval(futureTolerance) else { return }
        throw CorruptCheckpointError(
            path: path,
            reason: "its position \(Timestamp.iso8601(position)) is in the future (now is \(Timestamp.iso8601(now))): clock skew or a bad edit; set the machine's clock right or edit the position")
    }
}

/// A second, different event under one Mimecast `id` on the same page gets its own `_id` (the
/// first keeps the usual one), derived from the shared `_id` and the event's bytes: both are kept,
/// and reading the same page again gives the same two `_id`s.
enum CollidingID {
    static func distinct(_ id: String, raw: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in raw {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return id + "-" + String(hash, radix: 16)
    }
}
