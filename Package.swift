// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "unity",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "unity", targets: ["unity"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .executableTarget(
            name: "unity",
            dependencies: ["UnityApp", .product(name: "Vapor", package: "vapor")]
        ),
        // Foundation + swift-crypto only: configuration, secrets at rest, schedules, roles.
        .target(
            name: "UnityCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Pure parsers of command output: Foundation only, no I/O.
        .target(name: "UnityParsers"),
        // Vapor glue: HTTP API, auth, persistence, scheduler, metrics, commands.
        .target(
            name: "UnityApp",
            dependencies: [
                "UnityCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "UnityTestSupport",
            dependencies: [
                "UnityApp",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
        .testTarget(name: "UnityCoreTests", dependencies: ["UnityCore"]),
        .testTarget(
            name: "UnityParsersTests",
            dependencies: ["UnityParsers"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "UnityAppTests",
            dependencies: [
                "UnityApp", "UnityTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
