#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

/// Where checkpoints, the lock and dead letters live: `MIMECAST_SHIPPER_STATE_DIR`, else
/// `$XDG_STATE_HOME/mimecast-shipper`, else `~/.local/state/mimecast-shipper` (XDG base directory
/// conventions, so systemd's `StateDirectory=` and containers' volumes both fit).
public enum StateDirectory {
    public static func resolve(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let explicit = environment["MIMECAST_SHIPPER_STATE_DIR"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty {
            return PathText.joining(xdg, "mimecast-shipper")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
        return PathText.joining(home, ".local/state/mimecast-shipper")
    }

    /// The dead-letter file for one data stream.
    public static func deadLetterPath(directory: String, dataStream: String) -> String {
        PathText.joining(directory, "dead-letter-\(dataStream).ndjson")
    }
}
