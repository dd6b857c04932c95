import Foundation
import ShipperCore

/// Runs one tool under `bench-launch` (see `Benchmarks/launcher/bench-launch.c`), which pins it to
/// a CPU, stamps its spawn on the monotonic clock and reports its exact rusage: the harness itself
/// holds hundreds of megabytes of pages, and a child spawned straight from it would inherit that
/// as its ru_maxrss.
struct ToolLauncher: Sendable {
    struct Outcome: Sendable {
        var spawnNanoseconds: Int64
        var endNanoseconds: Int64
        var userMicroseconds: Int64
        var systemMicroseconds: Int64
        var maxRSSKilobytes: Int64
        var status: Int
        var stdout: String
        var stderr: String
    }

    let launcherPath: String
    /// CPU to pin the tool to; nil for none.
    let cpu: Int?

    func run(program: String, arguments: [String], environment: [String: String], workDirectory: String) async throws -> Outcome {
        let result = workDirectory + "/launch-result.json"
        let stdoutPath = workDirectory + "/stdout.txt"
        let stderrPath = workDirectory + "/stderr.txt"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcherPath)
        process.arguments = [String(cpu ?? -1), result, stdoutPath, stderrPath, "--", program] + arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: workDirectory)
        process.standardInput = FileHandle.nullDevice
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: result),
              let report = try? JSONValue.parse(Array(data)) else {
            throw HarnessError("bench-launch failed (status \(process.terminationStatus)) for \(program)")
        }
        func number(_ key: String) -> Int64 { Int64(report[key]?.doubleValue ?? -1) }
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return Outcome(
            spawnNanoseconds: number("spawn_ns"),
            endNanoseconds: number("end_ns"),
            userMicroseconds: number("user_us"),
            systemMicroseconds: number("sys_us"),
            maxRSSKilobytes: number("maxrss_kb"),
            status: Int(number("status")),
            stdout: read(stdoutPath),
            stderr: read(stderrPath)
        )
    }
}
