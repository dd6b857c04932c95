import Foundation

/// Where SwiftPM put an executable product of this package: next to the running test binary, since
/// a test target that depends on an executable target gets it built into the same directory.
/// Tests that run the product as users do (a child process) find it here.
public enum BuiltExecutable {
    public static func path(named name: String) -> String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: runner).deletingLastPathComponent()
        // On Linux the runner may sit inside a .xctest bundle directory.
        if directory.pathExtension == "xctest" { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent(name).path
    }
}
