// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "unity",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "unity", targets: ["unity"]),
        .executable(name: "unity-fleet-bench", targets: ["unity-fleet-bench"]),
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
        .package(url: "https://github.com/apple/swift-nio-ssh.git", from: "0.15.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .executableTarget(
            name: "unity",
            dependencies: ["UnityApp", .product(name: "Vapor", package: "vapor")]
        ),
        // Fleet benchmark: N real sshd hosts on loopback, Unity's SSH collection vs parallel-ssh and Ansible.
        .executableTarget(name: "unity-fleet-bench", dependencies: ["UnityCore", "UnitySSH", "UnityInfrastructure"]),
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
        // SSH trust plane: swift-nio-ssh client, system-OpenSSH transport for RSA, host-key pinning,
        // pooled connections. No Vapor, no database: callers hand it keys and pins.
        .target(
            name: "UnitySSH",
            dependencies: [
                "UnityCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Alert rule engine (pure) and notification channels (SMTP, webhooks, chat services).
        .target(
            name: "UnityAlerts",
            dependencies: [
                "UnityCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Native ACME (RFC 8555) client: accounts, orders, HTTP-01/DNS-01, finalize, renewal info, revocation.
        .target(
            name: "UnityACME",
            dependencies: [
                "UnityCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Infrastructure monitoring: the composed collection script and how its output becomes a
        // host snapshot (pure, on top of UnityParsers).
        .target(name: "UnityInfrastructure", dependencies: ["UnityCore", "UnityParsers"]),
        // SSH public-key distribution: install, revoke, rotate across servers without lock-outs.
        .target(
            name: "UnityCredentials",
            dependencies: [
                "UnitySSH",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // X.509 inventory, internal CA, served-certificate probe, deploy-and-verify over SSH. No UnityACME.
        .target(
            name: "UnityCertificates",
            dependencies: [
                "UnitySSH",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // OCI registry client: reference normalisation, manifest HEAD/GET, token auth, tag listing, version
        // tags. AsyncHTTPClient only, no Vapor, no Fluent (the shape of UnityACME).
        .target(
            name: "UnityRegistry",
            dependencies: [
                "UnityCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Containers: Docker/Podman Engine API clients over any byte stream (unix socket here; the
        // SSH exec channel running `docker system dial-stdio` is adapted to the same seam). No Vapor.
        .target(
            name: "UnityContainers",
            dependencies: [
                // UnitySSH: compose-managed services are updated by running Compose on their host.
                "UnityCore", "UnityParsers", "UnityRegistry", "UnitySSH",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                // Inventory models, migrations and their one-transaction reconciliation (no Vapor).
                .product(name: "FluentKit", package: "fluent-kit"),
            ]
        ),
        // Vapor glue: HTTP API, auth, persistence, scheduler, metrics, commands.
        .target(
            name: "UnityApp",
            dependencies: [
                "UnityCore", "UnityParsers", "UnitySSH", "UnityAlerts", "UnityInfrastructure", "UnityCredentials", "UnityCertificates",
                "UnityACME", "UnityContainers", "UnityRegistry",
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
                "UnityApp", "UnityACME", "UnityACMETestSupport", "UnityCore",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
        .testTarget(name: "UnityCoreTests", dependencies: ["UnityCore"]),
        // The real-sshd harness shared by the SSH and credentials test suites (no Vapor).
        .target(name: "UnitySSHTestSupport", dependencies: ["UnityCore", "UnitySSH"]),
        .testTarget(name: "UnitySSHTests", dependencies: ["UnitySSH", "UnitySSHTestSupport"]),
        .testTarget(name: "UnityCredentialsTests", dependencies: ["UnityCredentials", "UnitySSH", "UnitySSHTestSupport"]),
        .testTarget(name: "UnityCertificatesTests", dependencies: ["UnityCertificates", "UnityCore", "UnitySSH", "UnitySSHTestSupport"]),
        .testTarget(name: "UnityAlertsTests", dependencies: ["UnityAlerts", "UnityTestSupport"]),
        // Pebble, child processes and free ports, shared by the ACME module's tests and the app's.
        .target(name: "UnityACMETestSupport", dependencies: ["UnityACME", "UnityCore", .product(name: "AsyncHTTPClient", package: "async-http-client")]),
        .testTarget(name: "UnityACMETests", dependencies: ["UnityACME", "UnityACMETestSupport"]),
        .testTarget(
            name: "UnityInfrastructureTests",
            dependencies: ["UnityInfrastructure", "UnityCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "UnityParsersTests",
            dependencies: ["UnityParsers"],
            resources: [.copy("Fixtures")]
        ),
        // One dockerd and one Podman service per test process, on their own sockets and stores (no Vapor).
        .target(name: "UnityContainersTestSupport", dependencies: ["UnityContainers", "UnityCore"]),
        .testTarget(
            name: "UnityContainersTests",
            dependencies: [
                "UnityContainers", "UnityContainersTestSupport", "UnityParsers", "UnityCore", "UnityRegistry", "UnityRegistryTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Real docker-registry processes (open, token auth with a test token server, Basic over TLS),
        // hand-made OCI layouts pushed by skopeo, and a recording HTTP server for labelled fakes.
        .target(
            name: "UnityRegistryTestSupport",
            dependencies: [
                "UnityRegistry", "UnityCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "UnityRegistryTests",
            dependencies: ["UnityRegistry", "UnityRegistryTestSupport", "UnityCore",
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "UnityAppTests",
            dependencies: [
                "UnityApp", "UnityTestSupport", "UnityCertificates", "UnityContainers", "UnityContainersTestSupport",
                "UnitySSH", "UnitySSHTestSupport", "UnityRegistry", "UnityRegistryTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
