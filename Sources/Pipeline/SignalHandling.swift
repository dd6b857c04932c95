import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Turns SIGTERM and SIGINT into a `StopSignal` request, so a scheduler's stop lets the current
/// batch settle and the checkpoint be written. A second signal exits at once (status 130/143),
/// for the operator who really means it; the checkpoint rules make that safe too.
public final class SignalHandling: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    public init(stop: StopSignal, onFirstSignal: @escaping @Sendable (Int32) -> Void = { _ in }) {
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if stop.isRequested {
                    exit(128 + number)
                }
                onFirstSignal(number)
                stop.request()
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
