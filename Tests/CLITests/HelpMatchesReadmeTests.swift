import Foundation
import Testing

/// The README's configuration table and exit-code table against what the binary says in
/// `--help`: a variable, flag or exit code documented in one place and not the other fails.
@Suite struct HelpMatchesReadmeTests {
    static var readme: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        }
    }

    /// Rows of the Markdown table whose header line starts with `header`, as cells.
    static func table(startingWith header: String, in text: String) -> [[String]] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(header) }) else { return [] }
        var rows: [[String]] = []
        for line in lines[(start + 2)...] {
            guard line.hasPrefix("|") else { break }
            rows.append(line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) })
        }
        return rows
    }

    /// Every `code span` in a cell.
    static func codeSpans(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// Upper-case names that look like the product's variables.
    static func variables(in text: String) -> Set<String> {
        let pattern = /\b(?:MIMECAST|ELASTICSEARCH)_[A-Z0-9_]+\b/
        return Set(text.matches(of: pattern).map { String($0.output) }.filter { !$0.hasSuffix("_FILE") })
    }

    @Test func theConfigurationTableMatchesHelp() async throws {
        let rows = Self.table(startingWith: "| Variable | Flag |", in: try Self.readme)
        #expect(rows.count > 10)
        let rootHelp = try await ShipperProcess.run(["--help"]).stdout
        // The table's flags belong to run, except Kibana's, which belong to install-kibana.
        var runHelp = try await ShipperProcess.run(["run", "--help"]).stdout
        runHelp += try await ShipperProcess.run(["install-kibana", "--help"]).stdout
        var tableVariables = Set<String>()
        for row in rows {
            for variable in Self.codeSpans(row[0]) {
                tableVariables.insert(variable)
                #expect(rootHelp.contains(variable), "README lists \(variable); --help does not")
            }
            for flag in Self.codeSpans(row[1]) {
                #expect(runHelp.contains(flag + " ") || runHelp.contains(flag + "\n"), "README lists \(flag); neither run --help nor install-kibana --help does")
            }
        }
        for variable in Self.variables(in: rootHelp) {
            #expect(tableVariables.contains(variable), "--help lists \(variable); the README's table does not")
        }
        // Every option `run` takes is explained somewhere in the README.
        let readme = try Self.readme
        let flags = Set(runHelp.matches(of: /--[a-z][a-z0-9-]+/).map { String($0.output) })
        for flag in flags where !["--help", "--version"].contains(flag) {
            #expect(readme.contains("`\(flag)"), "run --help has \(flag); the README never mentions it")
        }
    }

    @Test func theExitCodeTableMatchesHelp() async throws {
        let rows = Self.table(startingWith: "| Exit | Meaning |", in: try Self.readme)
        let documented = Set(rows.flatMap { $0[0].split(separator: "/").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } })
        let help = try await ShipperProcess.run(["--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        var sentence = try #require(help.range(of: "Exit codes:").map { String(help[$0.upperBound...]) })
        if let end = sentence.range(of: "USAGE:") { sentence = String(sentence[..<end.lowerBound]) }
        let items = sentence.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let listed = Set(items.flatMap { item in
            (item.split(separator: " ").first ?? "").split(separator: "/").compactMap { Int($0) }
        })
        #expect(documented == listed, "README \(documented.sorted()) vs --help \(listed.sorted())")
        #expect(listed.isSuperset(of: [0, 1, 2, 3, 130, 143]))
    }
}
