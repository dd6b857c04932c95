#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The one line a user reads for any error. Product errors describe themselves; Foundation's own
/// errors (`NSCocoaErrorDomain Code=512 …`) are turned into the path and what went wrong, so no
/// raw Foundation text reaches a user.
public enum ErrorText {
    public static func describe(_ error: any Error) -> String {
        let error = (error as? PassFailure)?.underlying ?? error
        if error is CancellationError { return "stopped on request" }
        if let reason = systemReason(error) {
            let path = (error as? CocoaError).flatMap { $0.filePath ?? $0.url?.path }
            return path.map { "\($0): \(reason); check the path and its permissions" } ?? "\(reason); check the paths in the configuration and their permissions"
        }
        return String(describing: error)
    }

    /// What went wrong in a file or system operation (`permission denied`), without the path;
    /// nil for any other error.
    public static func systemReason(_ error: any Error) -> String? {
        if let posix = error as? POSIXError {
            return String(cString: strerror(posix.code.rawValue))
        }
        guard let cocoa = error as? CocoaError else { return nil }
        if let underlying = cocoa.userInfo["NSUnderlyingError"] as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        switch cocoa.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        case .fileWriteFileExists: return "a file is in the way"
        default: return "file operation failed (code \(cocoa.code.rawValue))"
        }
    }
}
