import Foundation

/// The checkout's root directory (the one holding Package.swift), found from this file's own
/// path, for tests that read `mappings/`, `scripts/` or the README.
public enum RepositoryRoot {
    public static var url: URL {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    public static func file(_ relativePath: String) -> URL {
        url.appendingPathComponent(relativePath)
    }
}
