import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How one run of the shipper ended.
enum LifeOutcome: Sendable, Equatable {
    /// The suite killed it (SIGKILL) at this moment.
    case killed(KillMoment)
    case exited(Int32)
    /// Ended by a signal the suite did not plan (e.g. a crash, or the time limit).
    case signalled(Int32)
}

/// One run of the `mimecast-shipper` binary as a child process, its stderr appended to the
/// scenario's log. A kill is recorded with its moment only when it actually ends the process.
final class ShipperLife: @unchecked Sendable {
    private let process: Process
    private let plannedKill = Mutex<KillMoment?>(nil)

    init(shipper: String, arguments: [String], environment: [String: String], log: FileHandle) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: shipper)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends SIGKILL once; false when already killed or no longer running.
    @discardableResult
    func kill(_ moment: KillMoment) -> Bool {
        plannedKill.withLock { planned in
            guard planned == nil, process.isRunning else { return false }
            planned = moment
            Glibc.kill(process.processIdentifier, SIGKILL)
            return true
        }
    }

    /// Waits for the process to end; past `deadline` it is killed (reported as `signalled(9)`).
    func wait(deadline: ContinuousClock.Instant) async -> LifeOutcome {
        while process.isRunning {
            if ContinuousClock.now > deadline {
                Glibc.kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return .signalled(SIGKILL)
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        process.waitUntilExit()
        let status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal {
            if status == SIGKILL, let moment = plannedKill.withLock({ $0 }) { return .killed(moment) }
            return .signalled(status)
        }
        return .exited(status)
    }
}
