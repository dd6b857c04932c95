import Foundation
#if canImport(Glibc)
import Glibc
#endif

// shipper-fault-suite: the crash-and-fault suite of issue 7. See `SuiteOptions.usage`.
signal(SIGPIPE, SIG_IGN)

let options: SuiteOptions
do {
    options = try SuiteOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch let error as UsageError {
    if let message = error.message {
        FileHandle.standardError.write(Data("shipper-fault-suite: \(message)\n\(SuiteOptions.usage)\n".utf8))
        exit(2)
    }
    emit(SuiteOptions.usage)
    exit(0)
} catch {
    FileHandle.standardError.write(Data("shipper-fault-suite: \(error)\n".utf8))
    exit(2)
}
guard FileManager.default.isExecutableFile(atPath: options.shipperPath) else {
    FileHandle.standardError.write(Data("shipper-fault-suite: no mimecast-shipper binary at \(options.shipperPath); build it or pass --shipper PATH\n".utf8))
    exit(2)
}

emit("shipper-fault-suite: seed \(options.seed), shipper \(options.shipperPath), work directory \(options.workDirectory)")
var results: [ScenarioResult] = []
for (index, settings) in options.scenarios.enumerated() {
    let scenario = Scenario(
        settings: settings,
        seed: options.seed &+ UInt64(index),
        shipperPath: options.shipperPath,
        directory: options.workDirectory + "/" + settings.name,
        sabotage: options.sabotage,
        progress: { emit($0) }
    )
    do {
        let result = try await scenario.run()
        results.append(result)
        Report.lines(for: result).forEach { emit($0) }
    } catch {
        emit("shipper-fault-suite: scenario \(settings.name) could not run: \(error)")
        exit(1)
    }
}
emit(Report.summaryLine(results))
exit(results.allSatisfy(\.passed) ? 0 : 1)
