// swift-tools-version:6.1
import PackageDescription

// Each concern is its own module so the compiler enforces the shape the product is built on:
// source (Mimecast) -> mapper (ECS) -> sink (Elasticsearch), with the pure mapper unable to do I/O.
let package = Package(
    name: "mimecast-shipper",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "mimecast-shipper", targets: ["mimecast-shipper"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        // Test-only: loopback servers (fake Mimecast, fake Elasticsearch, TLS).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        // libcurl and zlib for Swift: wrappers for the variadic curl_easy_setopt/getinfo and gzip.
        .target(
            name: "CCurl",
            path: "Sources/CCurl",
            linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("z")]
        ),
        .target(
            name: "ShipperCore",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Sources/Core"
        ),
        .target(
            name: "ShipperHTTP",
            dependencies: ["CCurl", "ShipperCore", .product(name: "Logging", package: "swift-log")],
            path: "Sources/HTTP"
        ),
        .executableTarget(
            name: "mimecast-shipper",
            dependencies: [
                "ShipperCore", "ShipperHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/mimecast-shipper"
        ),
        // Loopback servers and fixtures shared by the test targets.
        .target(
            name: "ShipperTestSupport",
            dependencies: [
                "ShipperCore", "ShipperHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/Support",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CoreTests", dependencies: ["ShipperCore"], path: "Tests/CoreTests"),
        .testTarget(
            name: "HTTPTests",
            dependencies: ["ShipperHTTP", "ShipperTestSupport", "CCurl", .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Tests/HTTPTests"
        ),
    ]
)
