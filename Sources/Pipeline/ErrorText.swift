import Foundation

/// The one line a user reads for any error. Product errors describe themselves; Foundation's own
/// errors (`NSCocoaErrorDomain Code=512 …`) are turned into the path and what went wrong, so no
/// raw Foundation text reaches a user.
public enum ErrorText {
    public static func describe(_ error: any Error) -> String {
        let error = (error as? PassFailure)?.underlying ?? error
        if error is CancellationError { return "stopped on request" }
        if let cocoa = error as? CocoaError {
            let path = cocoa.filePath ?? cocoa.url?.path
            let reason = reason(cocoa)
            return path.map { "\($0): \(reason); check the path and its permissions" } ?? "\(reason); check the paths in the configuration and their permissions"
        }
        if let posix = error as? POSIXError {
            return "\(String(cString: strerror(posix.code.rawValue))); check the paths in the configuration and their permissions"
        }
        let text = String(describing: error)
        if text.contains("Error Domain=") {
            return "a file or system operation failed (\((error as NSError).code)); check the paths in the configuration and their permissions"
        }
        return text
    }

    private static func reason(_ error: CocoaError) -> String {
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        case .fileWriteFileExists: return "a file is in the way"
        default: return "file operation failed (code \(error.code.rawValue))"
        }
    }
}
