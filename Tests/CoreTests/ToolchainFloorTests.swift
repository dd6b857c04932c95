import Foundation
import Testing

/// The minimum Swift version is stated in four places (Package.swift, the Dockerfile's build image,
/// the README and scripts/ensure-system-deps.sh); the true floor is the highest
/// `swift-tools-version` among the packages SwiftPM resolved. A dependency that raises it, or a
/// statement that falls behind it, fails here instead of in a user's image build.
@Suite struct ToolchainFloorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// "6.2" -> [6, 2]; nil for anything else.
    static func version(_ text: some StringProtocol) -> [Int]? {
        let parts = text.split(separator: ".").map { Int($0) }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.compactMap { $0 }
    }

    static func isOlder(_ lhs: [Int], than rhs: [Int]) -> Bool {
        let count = max(lhs.count, rhs.count)
        let left = lhs + Array(repeating: 0, count: count - lhs.count)
        let right = rhs + Array(repeating: 0, count: count - rhs.count)
        return left.lexicographicallyPrecedes(right)
    }

    /// The version in a manifest's first line (`// swift-tools-version:6.2`, spaces and a
    /// `;(…)` suffix allowed).
    static func toolsVersion(ofManifest path: String) throws -> [Int] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let firstLine = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        guard let marker = firstLine.lowercased().range(of: "swift-tools-version:") else {
            throw Failure("\(path) has no swift-tools-version line")
        }
        let rest = firstLine[marker.upperBound...].trimmingCharacters(in: .whitespaces)
        let number = rest.prefix { $0.isNumber || $0 == "." }
        guard let version = version(number) else { throw Failure("\(path): cannot read '\(firstLine)'") }
        return version
    }

    /// The highest tools version among resolved packages, read from `.build/checkouts`, with the
    /// package that declares it.
    static func resolvedFloor() throws -> (version: [Int], package: String) {
        let checkouts = root.appendingPathComponent(".build/checkouts").path
        let packages = try FileManager.default.contentsOfDirectory(atPath: checkouts).sorted()
        var floor: (version: [Int], package: String) = ([0], "none")
        var read = 0
        for package in packages {
            let manifest = checkouts + "/" + package + "/Package.swift"
            guard FileManager.default.fileExists(atPath: manifest) else { continue }
            let version = try toolsVersion(ofManifest: manifest)
            read += 1
            if isOlder(floor.version, than: version) { floor = (version, package) }
        }
        // Seven direct dependencies and their own: fewer means the wrong folder was read.
        guard read >= 7 else { throw Failure("only \(read) resolved packages in \(checkouts); run `swift build` in the repository root first") }
        return floor
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    static func describe(_ version: [Int]) -> String { version.map(String.init).joined(separator: ".") }

    @Test func versionsCompareNumerically() {
        #expect(Self.isOlder([6, 1], than: [6, 2]))
        #expect(Self.isOlder([5, 9], than: [5, 10]))
        #expect(!Self.isOlder([6, 2], than: [6, 2, 0]))
        #expect(!Self.isOlder([6, 10], than: [6, 2]))
        #expect(Self.version("6.2") == [6, 2])
        #expect(Self.version("6.x") == nil)
    }

    @Test func dockerfileBuildImageIsNotOlderThanAnyResolvedPackage() throws {
        let floor = try Self.resolvedFloor()
        let dockerfile = try Self.text("Dockerfile")
        let lines = dockerfile.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let argument = try #require(lines.first { $0.hasPrefix("ARG SWIFT_VERSION=") }, "the Dockerfile declares no ARG SWIFT_VERSION=")
        let tag = String(argument.dropFirst("ARG SWIFT_VERSION=".count))
        let image = try #require(Self.version(tag), "ARG SWIFT_VERSION=\(tag) is not a version number")
        #expect(lines.contains { $0.hasPrefix("FROM swift:${SWIFT_VERSION}-") }, "the build stage does not use swift:${SWIFT_VERSION}")
        #expect(
            !Self.isOlder(image, than: floor.version),
            "Dockerfile builds with swift:\(tag) but \(floor.package) needs swift-tools-version \(Self.describe(floor.version))"
        )
    }

    @Test func packageManifestStatesTheTrueFloor() throws {
        let floor = try Self.resolvedFloor()
        let ours = try Self.toolsVersion(ofManifest: Self.root.appendingPathComponent("Package.swift").path)
        #expect(ours == floor.version, "Package.swift says \(Self.describe(ours)); \(floor.package) sets the floor at \(Self.describe(floor.version))")
    }

    @Test func readmeAndSetupScriptStateTheFloor() throws {
        let floor = Self.describe(try Self.resolvedFloor().version)
        for file in ["README.md", "scripts/ensure-system-deps.sh"] {
            let text = try Self.text(file)
            // Every "Swift … X.Y or newer" claim, wherever it is.
            let claims = text.matches(of: /Swift[^\n]{0,40}?(\d+\.\d+) or newer/).map { String($0.output.1) }
            #expect(!claims.isEmpty, "\(file) states no minimum Swift version")
            #expect(claims.allSatisfy { $0 == floor }, "\(file) claims Swift \(claims) or newer; the floor is \(floor)")
        }
    }
}
