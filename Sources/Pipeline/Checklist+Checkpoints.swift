#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ShipperCore

extension Checklist {
    /// One item per checkpoint file in the state directory: a corrupt one stops every run (exit 2)
    /// until it is fixed or deleted, so `check` names it.
    func checkCheckpoints() -> [Item] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory)) ?? []
        let files = names.filter { $0.hasPrefix("checkpoint-") && $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else {
            return [Item(name: "checkpoints", passed: true, detail: "none yet; the first run starts at --since", isConfigurationProblem: false)]
        }
        return files.map { file in
            let path = PathText.joining(stateDirectory, file)
            let name = "checkpoint \(path)"
            do {
                guard let checkpoint = try CheckpointStore.read(path: path) else {
                    return Item(name: name, passed: true, detail: "gone since the listing", isConfigurationProblem: false)
                }
                return Item(name: name, passed: true, detail: "at \(DateArgument.iso(checkpoint.position)) for \(checkpoint.key.dataStream)", isConfigurationProblem: false)
            } catch {
                return Item(name: name, passed: false, detail: ErrorText.describe(error), isConfigurationProblem: true)
            }
        }
    }
}
