import Foundation
import ShipperTestSupport
import Synchronization

/// Runs the built `mimecast-shipper` binary as a child process with a controlled environment,
/// collecting stdout and stderr, so tests see exactly what a user or scheduler sees.
final class ShipperProcess: Sendable {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    private let process: Process
    private final class Output: Sendable {
        let state = Mutex<(stdout: Data, stderr: Data)>((Data(), Data()))
        let readersDone = Atomic<Int>(0)
    }

    private let output = Output()

    /// The freshly built binary, or `SHIPPER_BINARY` (to run these tests against another build,
    /// e.g. the previous commit's, and see which fail).
    static var binaryPath: String {
        ProcessInfo.processInfo.environment["SHIPPER_BINARY"] ?? BuiltExecutable.path(named: "mimecast-shipper")
    }

    /// `launcher` runs the binary through another program (e.g. `setpriv` to drop to another
    /// user, `sh -c 'exec "$0" "$@" >&-'` to start it with stdout closed); `stdout`/`stderr`
    /// replace the collecting pipes (e.g. with /dev/full).
    init(_ arguments: [String], environment: [String: String], launcher: [String] = [], stdout: FileHandle? = nil, stderr: FileHandle? = nil) throws {
        process = Process()
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [Self.binaryPath] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binaryPath)
            process.arguments = arguments
        }
        // Only what the test passes, plus PATH: no credentials leak in from the developer's shell.
        process.environment = environment.merging(["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]) { given, _ in given }
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdout ?? stdoutPipe
        process.standardError = stderr ?? stderrPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // A replaced stream has no reader: count it as read.
        output.readersDone.add((stdout == nil ? 0 : 1) + (stderr == nil ? 0 : 1), ordering: .releasing)
        // One reader thread per pipe, reading to end of file: nothing is lost however late the
        // child writes, and `wait` knows when everything has arrived.
        for (pipe, isStdout) in [(stdoutPipe, true), (stderrPipe, false)] where (isStdout ? stdout : stderr) == nil {
            let output = self.output
            let handle = pipe.fileHandleForReading
            let thread = Thread {
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    output.state.withLock { isStdout ? $0.stdout.append(data) : $0.stderr.append(data) }
                }
                output.readersDone.add(1, ordering: .releasing)
            }
            thread.start()
        }
    }

    var pid: Int32 { process.processIdentifier }

    var stderrSoFar: String { output.state.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for stderr to contain `text`, polling; false when the process ended first or after `limit`.
    func waitForStderr(containing text: String, limit: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if stderrSoFar.contains(text) { return true }
            if !process.isRunning { return stderrSoFar.contains(text) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func wait() async -> Result {
        while process.isRunning || output.readersDone.load(ordering: .acquiring) < 2 {
            try? await Task.sleep(for: .milliseconds(10))
        }
        let (stdout, stderr) = output.state.withLock { ($0.stdout, $0.stderr) }
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Like `wait`, but gives up after `limit`: the process is killed and nil returned, so a test
    /// of "ends within N seconds" fails instead of hanging.
    func wait(atMost limit: Duration) async -> Result? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill(process.processIdentifier, SIGKILL)
                _ = await wait()
                return nil
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await wait()
    }

    static func run(
        _ arguments: [String], environment: [String: String] = [:], launcher: [String] = [], stdout: FileHandle? = nil, stderr: FileHandle? = nil
    ) async throws -> Result {
        try await ShipperProcess(arguments, environment: environment, launcher: launcher, stdout: stdout, stderr: stderr).wait()
    }
}
