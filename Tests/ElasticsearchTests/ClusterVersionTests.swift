import FakeElasticsearch
import Foundation
import ShipperCore
@testable import ShipperElasticsearch
import ShipperHTTP
import Testing

/// The supported floor (8.13, where logs@mappings, logs@settings and ecs@mappings appeared) and
/// serverless (no ILM API), against fake clusters of each version.
@Suite struct ClusterVersionTests {
    func withInstaller(
        distribution: FakeDistribution = .elasticsearch,
        version: String? = nil,
        _ body: (FakeElasticsearch, TemplateInstaller) async throws -> Void
    ) async throws {
        try await FakeElasticsearch.with(distribution: distribution, version: version) { fake in
            let client = ElasticsearchClient(baseURL: fake.baseURL, auth: .none, transport: try CurlHTTPClient(logger: .quiet))
            try await body(fake, TemplateInstaller(client: client, namespace: "default", logger: .quiet))
        }
    }

    @Test func theFloorIsDecidedFromTheVersionAlone() throws {
        func problem(_ version: String, flavor: String? = "default", distribution: String = "elasticsearch") -> String? {
            ClusterCompatibility.problem(with: ClusterInfo(version: version, distribution: distribution, buildFlavor: flavor))
        }
        #expect(problem("8.13.0") == nil)
        #expect(problem("8.13.0-SNAPSHOT") == nil)
        #expect(problem("8.17.4") == nil)
        #expect(problem("9.0.0") == nil)
        #expect(problem("8.12.2") != nil)
        #expect(problem("8.9") != nil)
        #expect(problem("7.17.20") != nil)
        // Serverless reports 8.11.0 but always has the built-ins.
        #expect(problem("8.11.0", flavor: "serverless") == nil)
        #expect(problem("2.17.0", flavor: nil, distribution: "opensearch") != nil)
        let line = try #require(problem("8.12.2"))
        #expect(line.contains("8.12.2") && line.contains("8.13.0"))
        #expect(!line.contains("\n"))
    }

    @Test(arguments: ["8.12.2", "8.0.0", "7.17.20"])
    func installTemplateRefusesAnOlderClusterInOneLineNamingBothVersions(version: String) async throws {
        try await withInstaller(version: version) { fake, installer in
            await #expect {
                _ = try await installer.install()
            } throws: { error in
                guard case .unsupportedCluster? = error as? ElasticsearchError else { return false }
                let text = "\(error)"
                return text.contains(version) && text.contains(ClusterCompatibility.minimumVersion) && !text.contains("\n")
            }
            #expect(fake.templateWrites.isEmpty)
        }
    }

    @Test(arguments: ["8.13.0", "8.17.0", "9.1.0"])
    func supportedVersionsInstallAndVerify(version: String) async throws {
        try await withInstaller(version: version) { fake, installer in
            let results = try await installer.install()
            #expect(results.map(\.status) == [.created, .created, .created, .created, .created])
            #expect(try await installer.verify().contains("ILM policy logs-mimecast.audit"))
            #expect(try await installer.install().allSatisfy { !$0.writes })
        }
    }

    @Test func serverlessUsesTheDataStreamLifecycleInsteadOfILM() async throws {
        try await withInstaller(distribution: .serverless) { fake, installer in
            let results = try await installer.install()
            #expect(results.map(\.kind) == [.componentTemplate, .ingestPipeline, .indexTemplate, .indexTemplate])
            #expect(results.map(\.status) == [.created, .created, .created, .created])
            #expect(!fake.requestLog.contains { $0.contains("/_ilm/") })
            let component = try #require(fake.storedComponentTemplate("logs-mimecast.audit@shipper"))
            #expect(component["template"]?["lifecycle"]?["enabled"] == .bool(true))
            #expect(component["template"]?["settings"]?["index"]?["lifecycle"] == nil)
            let summary = try await installer.verify()
            #expect(summary.contains("data stream lifecycle"), "\(summary)")
            #expect(try await installer.install().map(\.status) == [.unchanged, .unchanged, .unchanged, .unchanged])
        }
    }

    @Test func aMappingRemovedFromMappingsIsNotUnchanged() async throws {
        try await withInstaller { fake, installer in
            _ = try await installer.install()
            // A cluster installed by an older release still maps a field mappings/ no longer has.
            var stored = try #require(fake.storedComponentTemplate("logs-mimecast.audit@shipper"))
            let path = ["template", "mappings", "properties", "mimecast", "properties"]
            stored = stored.setting(path + ["user"], to: .object(["type": .string("keyword")]))
            let response = fake.handle(FakeRequest(
                method: "PUT", path: "/_component_template/logs-mimecast.audit@shipper",
                headers: ["Content-Type": "application/json"], body: stored.serialized()
            ))
            #expect(response.status == 200)
            let results = try await installer.install()
            #expect(results.map(\.status) == [.unchanged, .updated, .unchanged, .unchanged, .unchanged])
            #expect(results[1].differences == ["template.mappings.properties.mimecast.properties.user"])
            let after = try #require(fake.storedComponentTemplate("logs-mimecast.audit@shipper"))
            #expect(after["template"]?["mappings"]?["properties"]?["mimecast"]?["properties"]?["user"] == nil)
        }
    }
}

extension JSONValue {
    /// A copy with the value at `path` (object keys) set, creating objects on the way.
    func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let first = path.first else { return value }
        var members = objectValue ?? [:]
        members[first] = (members[first] ?? .object([:])).setting(Array(path.dropFirst()), to: value)
        return .object(members)
    }
}
