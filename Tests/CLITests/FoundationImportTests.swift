import Foundation
import Testing

/// The product imports `FoundationEssentials` only. One plain `import Foundation` in any module
/// links the full Foundation and its internationalisation data back into the binary: twice the
/// size, and about 1,800 more protocol-conformance records that the runtime scans while
/// swift-argument-parser reads the command line, on every start. (`scripts/build-release.sh`
/// refuses such a binary too; this catches it before a release build.)
@Suite struct FoundationImportTests {
    @Test func productSourcesImportTheFullFoundationOnlyWhereEssentialsIsMissing() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        var checked = 0
        for case let relative as String in enumerator where relative.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            for (number, line) in lines.enumerated() where line.hasSuffix("import Foundation") || line.contains("import FoundationInternationalization") {
                let guarded = line == "import Foundation" && number >= 3
                    && lines[number - 1] == "#else" && lines[number - 2] == "import FoundationEssentials"
                    && lines[number - 3] == "#if canImport(FoundationEssentials)"
                #expect(guarded, "\(relative):\(number + 1) imports the full Foundation; import FoundationEssentials")
            }
            checked += 1
        }
        #expect(checked > 50)
    }
}
