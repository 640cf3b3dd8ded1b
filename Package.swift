// swift-tools-version: 6.0
// CISignal: loads CI artifact trees into SQLite and finds regressions in test pass rates.
import PackageDescription

let package = Package(
    name: "CISignal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "cisignal", targets: ["cisignal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // System libraries, used through their C APIs.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // The pipeline, one module a stage.
        .target(name: "Artifacts", dependencies: ["CZlib"]),
        .target(name: "JUnit", dependencies: ["CLibXML2"]),
        .target(name: "Store", dependencies: ["CSQLite"], plugins: ["EmbedFilesPlugin"]),
        .target(name: "Ingest", dependencies: ["Artifacts", "JUnit", "Store", "Configuration"]),
        .target(name: "Simulation", dependencies: ["Artifacts"]),
        .target(name: "Configuration", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Analysis", dependencies: ["Store", "Configuration", "CSQLite"]),
        .target(name: "Reports", dependencies: ["Analysis", "Store", "Configuration", .product(name: "Mustache", package: "swift-mustache")],
                plugins: ["EmbedFilesPlugin"]),
        .target(name: "Nightly", dependencies: ["Ingest", "Analysis", "Reports", "Store", "Configuration", "Simulation"]),
        .executableTarget(
            name: "cisignal",
            dependencies: ["Ingest", "Store", "Simulation", "Configuration", "Analysis", "Reports", "Nightly",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // Build-time embedding of sql/*.sql into Store and reports/templates/*.mustache into Reports.
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedFilesPlugin", capability: .buildTool(), dependencies: ["EmbedFiles"]),

        // Fuzzing (scripts/fuzz.sh): the targets, libFuzzer's driver entry, and the program running them.
        .target(name: "FuzzTargets", dependencies: ["Artifacts", "JUnit"], path: "Fuzz/FuzzTargets"),
        .target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(name: "cisignal-fuzz", dependencies: ["FuzzTargets", "CLibFuzzer"], path: "Fuzz/cisignal-fuzz"),

        .testTarget(name: "ArtifactsTests", dependencies: ["Artifacts"]),
        .testTarget(name: "JUnitTests", dependencies: ["JUnit", "TestSupport"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "Artifacts", "TestSupport", "cisignal-fuzz"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        // Helpers shared by the test targets: temporary folders, running programs, the built binary.
        .target(name: "TestSupport", dependencies: ["Store"], path: "Tests/TestSupport"),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Store", "Artifacts", "JUnit", "Analysis", "cisignal", "TestSupport"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Analysis", "TestSupport"]),
        .testTarget(name: "NightlyTests", dependencies: ["Nightly", "Reports", "Analysis", "Store", "Simulation", "Configuration",
                                                         "cisignal", "TestSupport"]),
        .testTarget(
            name: "AnalysisTests",
            dependencies: ["Analysis", "Store", "Configuration", "Ingest", "Simulation", "Reports"],
            exclude: ["fisher-reference.tsv"]  // read by FisherExactTests from the source tree
        ),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Ingest", "Store", "Artifacts", "cisignal"]),
    ]
)
