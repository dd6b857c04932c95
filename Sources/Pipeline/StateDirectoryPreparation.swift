import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShipperCore

/// Makes sure the state directory exists and can be written before a run takes its lock, so a
/// wrong path is one line naming it and what to do (exit 2), never a file-system error from deep
/// inside a pass.
public enum StateDirectoryPreparation {
    public static func prepare(_ path: String, source: String = "--state-dir or MIMECAST_SHIPPER_STATE_DIR") throws {
        var partial = path.hasPrefix("/") ? "" : "."
        let components = path.split(separator: "/")
        for (index, component) in components.enumerated() {
            partial += "/" + component
            // Parents as any directory is made; the state directory itself private to its user.
            let mode: mode_t = index == components.count - 1 ? 0o700 : 0o755
            if mkdir(partial, mode) != 0 && errno != EEXIST {
                throw refused(path, reason: String(cString: strerror(errno)), source: source)
            }
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw refused(path, reason: "it does not exist after creating it", source: source)
        }
        guard isDirectory.boolValue else {
            throw refused(path, reason: "it exists and is not a directory", source: source)
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw ConfigurationError("state directory \(path) is not writable (\(String(cString: strerror(errno)))); fix its permissions or set \(source) to a writable directory")
        }
    }

    private static func refused(_ path: String, reason: String, source: String) -> ConfigurationError {
        ConfigurationError("state directory \(path) cannot be created (\(reason)); set \(source) to a writable directory")
    }
}
