// swift-tools-version:6.2
// 6.2 is the true floor: several resolved packages (hummingbird, swift-log, swift-collections, …)
// declare swift-tools-version 6.2, so an older toolchain cannot resolve this package at all.
// ToolchainFloorTests fails when a resolved package needs more than this, the README or the
// Dockerfile's Swift image says.
import PackageDescription

// Each concern is its own module so the compiler enforces the shape the product is built on:
// source (Mimecast) -> mapper (ECS) -> sink (Elasticsearch), joined by the pipeline, with the pure
// mapper unable to do I/O. The executable is a thin command layer over ShipperPipeline.
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")

let package = Package(
    name: "mimecast-shipper",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mimecast-shipper", targets: ["mimecast-shipper"]),
        // For the fuzzing package in Fuzz/ (built with -sanitize=fuzzer, outside the test suite).
        .library(name: "ShipperCore", targets: ["ShipperCore"]),
        .library(name: "ShipperECS", targets: ["ShipperECS"]),
        .library(name: "ShipperMimecast", targets: ["ShipperMimecast"]),
    ],
    dependencies: [
        // Pinned to the next minor release of the versions this project is built and tested with
        // (no lock file is committed), so every build resolves the same major.minor everywhere.
        .package(url: "https://github.com/apple/swift-argument-parser.git", .upToNextMinor(from: "1.8.2")),
        .package(url: "https://github.com/apple/swift-log.git", .upToNextMinor(from: "1.16.2")),
        .package(url: "https://github.com/apple/swift-crypto.git", .upToNextMinor(from: "4.5.2")),
        // Test-only: loopback servers (fake Mimecast, fake Elasticsearch, TLS).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", .upToNextMinor(from: "2.28.1")),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", .upToNextMinor(from: "2.37.6")),
        .package(url: "https://github.com/apple/swift-http-types.git", .upToNextMinor(from: "1.8.0")),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", .upToNextMinor(from: "2.13.0")),
    ],
    targets: [
        // libcurl and zlib for Swift: wrappers for the variadic curl_easy_setopt/getinfo and gzip.
        .target(
            name: "CCurl",
            path: "Sources/CCurl",
            // libdeflate (Debian libdeflate-dev) is linked from its static archive: request bodies
            // are compressed twice as fast as with zlib, and the binary needs no new run-time library.
            linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("z"), .unsafeFlags(["-Xlinker", "-l:libdeflate.a"])]
        ),
        // glibc's malloc settings (mallopt is not in Swift's Glibc module): HeapRetention's one call.
        .target(name: "CHeap", path: "Sources/CHeap"),
        .target(name: "ShipperCore", dependencies: [logging], path: "Sources/Core"),
        .target(name: "ShipperHTTP", dependencies: ["CCurl", "ShipperCore", logging], path: "Sources/HTTP"),
        .target(name: "ShipperMimecast", dependencies: ["ShipperCore", "ShipperHTTP", crypto, logging], path: "Sources/Mimecast"),
        .target(name: "ShipperECS", dependencies: ["ShipperCore", crypto], path: "Sources/ECS"),
        .target(name: "ShipperElasticsearch", dependencies: ["ShipperCore", "ShipperHTTP", logging], path: "Sources/Elasticsearch"),
        .target(name: "ShipperKibana", dependencies: ["ShipperCore", "ShipperHTTP", "ShipperElasticsearch", crypto, logging], path: "Sources/Kibana"),
        // The provider-access review: pure report building and rendering, no I/O.
        .target(name: "ShipperReport", dependencies: ["ShipperCore"], path: "Sources/Report"),
        .target(
            name: "ShipperPipeline",
            dependencies: ["CHeap", "ShipperCore", "ShipperHTTP", "ShipperMimecast", "ShipperECS", "ShipperElasticsearch", "ShipperKibana", "ShipperReport", crypto, logging],
            path: "Sources/Pipeline"
        ),
        .executableTarget(
            name: "mimecast-shipper",
            dependencies: ["ShipperPipeline", "ShipperKibana", "ShipperReport", .product(name: "ArgumentParser", package: "swift-argument-parser"), logging],
            path: "Sources/mimecast-shipper"
        ),
        // On-demand tools, never run by the test suite: benchmarks against the Python peer, and the
        // crash-and-fault suite (whose short smoke version FaultSuiteTests runs).
        .executableTarget(
            name: "shipper-bench",
            dependencies: ["ShipperCore", "ShipperHTTP", "ShipperECS", "ShipperMimecast", "ShipperElasticsearch", "ShipperTestSupport", hummingbird, httpTypes, logging],
            path: "Benchmarks/Harness"
        ),
        .executableTarget(
            name: "shipper-fault-suite",
            dependencies: ["ShipperCore", "FakeMimecast", "FakeElasticsearch", "ShipperTestSupport", hummingbird, httpTypes, logging],
            path: "Tests/FaultSuite"
        ),
        // zlib itself (not the product's wrapper), for the oracles in the test support target.
        .systemLibrary(name: "CZlib", path: "Tests/SystemLibraries/CZlib"),
        // The fake Mimecast and fake Elasticsearch as one process on 127.0.0.1, for
        // scripts/verify-deploy.sh (the container, chroot and cron checks).
        .executableTarget(
            name: "shipper-fakes",
            dependencies: ["ShipperCore", "FakeMimecast", "FakeElasticsearch"],
            path: "Tests/FakeServers"
        ),
        // Loopback servers and fixtures shared by the test targets.
        .target(
            name: "ShipperTestSupport",
            dependencies: [
                "ShipperCore", "ShipperHTTP", "CZlib", hummingbird, httpTypes,
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support",
            resources: [.copy("Fixtures")]
        ),
        .target(name: "FakeMimecast", dependencies: ["ShipperTestSupport", "ShipperCore", crypto, hummingbird, httpTypes], path: "Tests/Fakes/Mimecast"),
        .target(name: "FakeElasticsearch", dependencies: ["ShipperTestSupport", "ShipperCore", "ShipperHTTP", hummingbird, httpTypes], path: "Tests/Fakes/Elasticsearch"),
        // Validates imported rules against the vendored official schemas in Tests/KibanaSchemas.
        .target(name: "FakeKibana", dependencies: ["ShipperTestSupport", "ShipperCore", "FakeElasticsearch", hummingbird, httpTypes], path: "Tests/Fakes/Kibana"),
        .testTarget(name: "ReportTests", dependencies: ["ShipperReport", "ShipperCore"], path: "Tests/ReportTests"),
        .testTarget(name: "CoreTests", dependencies: ["ShipperCore", "ShipperTestSupport"], path: "Tests/CoreTests"),
        .testTarget(name: "HTTPTests", dependencies: ["ShipperHTTP", "ShipperTestSupport", "CCurl", httpTypes], path: "Tests/HTTPTests"),
        .testTarget(name: "MimecastTests", dependencies: ["ShipperMimecast", "FakeMimecast", "ShipperTestSupport", crypto, logging, hummingbird, httpTypes], path: "Tests/MimecastTests"),
        .testTarget(name: "ECSTests", dependencies: ["ShipperECS", "ShipperCore", "ShipperTestSupport"], path: "Tests/ECSTests", exclude: ["Fixtures"]),
        .testTarget(name: "ElasticsearchTests", dependencies: ["ShipperElasticsearch", "FakeElasticsearch", "ShipperTestSupport", hummingbird, httpTypes], path: "Tests/ElasticsearchTests"),
        .testTarget(
            name: "KibanaTests",
            dependencies: ["ShipperKibana", "ShipperPipeline", "ShipperECS", "ShipperElasticsearch", "FakeKibana", "FakeElasticsearch", "ShipperTestSupport"],
            path: "Tests/KibanaTests"
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["mimecast-shipper", "ShipperPipeline", "FakeMimecast", "FakeElasticsearch", "FakeKibana", "ShipperTestSupport", hummingbird],
            path: "Tests/CLITests"
        ),
        .testTarget(
            name: "FaultSuiteTests",
            dependencies: ["shipper-fault-suite", "mimecast-shipper", "ShipperCore", "ShipperTestSupport"],
            path: "Tests/FaultSuiteTests"
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["ShipperPipeline", "ShipperReport", "ShipperECS", "ShipperElasticsearch", "ShipperMimecast", "FakeMimecast", "FakeElasticsearch", "ShipperTestSupport", hummingbird],
            path: "Tests/PipelineTests"
        ),
    ]
)
