// swift-tools-version:6.1
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
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // Test-only: loopback servers (fake Mimecast, fake Elasticsearch, TLS).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
    ],
    targets: [
        // libcurl and zlib for Swift: wrappers for the variadic curl_easy_setopt/getinfo and gzip.
        .target(
            name: "CCurl",
            path: "Sources/CCurl",
            linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("z")]
        ),
        .target(name: "ShipperCore", dependencies: [logging], path: "Sources/Core"),
        .target(name: "ShipperHTTP", dependencies: ["CCurl", "ShipperCore", logging], path: "Sources/HTTP"),
        .target(name: "ShipperMimecast", dependencies: ["ShipperCore", "ShipperHTTP", crypto, logging], path: "Sources/Mimecast"),
        .target(name: "ShipperECS", dependencies: ["ShipperCore", crypto], path: "Sources/ECS"),
        .target(name: "ShipperElasticsearch", dependencies: ["ShipperCore", "ShipperHTTP", logging], path: "Sources/Elasticsearch"),
        // The provider-access review: pure report building and rendering, no I/O.
        .target(name: "ShipperReport", dependencies: ["ShipperCore"], path: "Sources/Report"),
        .target(
            name: "ShipperPipeline",
            dependencies: ["ShipperCore", "ShipperHTTP", "ShipperMimecast", "ShipperECS", "ShipperElasticsearch", "ShipperReport", crypto, logging],
            path: "Sources/Pipeline"
        ),
        .executableTarget(
            name: "mimecast-shipper",
            dependencies: ["ShipperPipeline", "ShipperReport", .product(name: "ArgumentParser", package: "swift-argument-parser"), logging],
            path: "Sources/mimecast-shipper"
        ),
        // On-demand tools, never run by the test suite: benchmarks against the Python peer, and the
        // crash-and-fault suite (whose short smoke version FaultSuiteTests runs).
        .executableTarget(
            name: "shipper-bench",
            dependencies: ["ShipperCore", "ShipperHTTP", "ShipperECS", "ShipperMimecast", "ShipperTestSupport", hummingbird, httpTypes, logging],
            path: "Benchmarks/Harness"
        ),
        .executableTarget(
            name: "shipper-fault-suite",
            dependencies: ["ShipperCore", "FakeMimecast", "FakeElasticsearch", "ShipperTestSupport", hummingbird, httpTypes, logging],
            path: "Tests/FaultSuite"
        ),
        // Loopback servers and fixtures shared by the test targets.
        .target(
            name: "ShipperTestSupport",
            dependencies: [
                "ShipperCore", "ShipperHTTP", hummingbird, httpTypes,
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
        .testTarget(name: "ReportTests", dependencies: ["ShipperReport", "ShipperCore"], path: "Tests/ReportTests"),
        .testTarget(name: "CoreTests", dependencies: ["ShipperCore"], path: "Tests/CoreTests"),
        .testTarget(name: "HTTPTests", dependencies: ["ShipperHTTP", "ShipperTestSupport", "CCurl", httpTypes], path: "Tests/HTTPTests"),
        .testTarget(name: "MimecastTests", dependencies: ["ShipperMimecast", "FakeMimecast", "ShipperTestSupport", crypto, logging, hummingbird, httpTypes], path: "Tests/MimecastTests"),
        .testTarget(name: "ECSTests", dependencies: ["ShipperECS", "ShipperCore"], path: "Tests/ECSTests", exclude: ["Fixtures"]),
        .testTarget(name: "ElasticsearchTests", dependencies: ["ShipperElasticsearch", "FakeElasticsearch", "ShipperTestSupport", hummingbird, httpTypes], path: "Tests/ElasticsearchTests"),
        .testTarget(
            name: "CLITests",
            dependencies: ["mimecast-shipper", "ShipperPipeline", "FakeMimecast", "FakeElasticsearch", "ShipperTestSupport"],
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
