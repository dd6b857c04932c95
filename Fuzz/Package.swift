// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for the code that reads untrusted input: the ECS mapper (whole events and the
// eventInfo text parser) and the Mimecast response/replay decoders. Kept out of the root package
// because every Swift module here must be built with `-sanitize=fuzzer` (see scripts/fuzz.sh and
// README.md), which the product and its tests never are.
let core: Target.Dependency = .product(name: "ShipperCore", package: "mimecast-shipper")
let ecs: Target.Dependency = .product(name: "ShipperECS", package: "mimecast-shipper")
let mimecast: Target.Dependency = .product(name: "ShipperMimecast", package: "mimecast-shipper")

/// One executable per fuzz target, in `Sources/<name>/main.swift`.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport", core] + dependencies, path: "Sources/\(name)")
}

let package = Package(
    name: "mimecast-shipper-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "mimecast-shipper", path: ".."),
    ],
    targets: [
        // libFuzzer's driver entry point, declared for Swift.
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        // Driver start-up and the invariants every mapped document must satisfy.
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", core, ecs], path: "Sources/FuzzSupport"),
        fuzzTarget("fuzz-mapper", [ecs]),
        fuzzTarget("fuzz-eventinfo", [ecs]),
        fuzzTarget("fuzz-mimecast-response", [mimecast]),
    ]
)
