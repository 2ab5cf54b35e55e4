import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// `unity_container_cpu_percent` and `unity_container_memory_bytes` from the one-shot stats Unity
/// samples after each discovery, against the real shared dockerd: a busy loop shows CPU between two
/// discoveries, running containers show memory, a stopped one has neither; promtool-clean.
@Suite struct ContainerResourceMetricsTests {
    static func value(_ body: String, _ family: String, host: String, container: String) -> Double? {
        let prefix = "\(family){host=\"\(host)\",container=\"\(container)\"} "
        return body.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    @Test func cpuAndMemoryOfRunningContainersAfterDiscovery() async throws {
        let engine = try TestEngine.docker()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let busy = "res-busy-\(tag)", idle = "res-idle-\(tag)", stopped = "res-done-\(tag)"
        try engine.cli(["run", "-d", "--name", busy, "--network", "none", TestEngine.image, "sh", "-c", "while :; do :; done"])
        try engine.cli(["run", "-d", "--name", idle, "--network", "none", TestEngine.image, "sleep", "300"])
        try engine.cli(["run", "--name", stopped, "--network", "none", TestEngine.image, "true"])
        defer { for name in [busy, idle, stopped] { _ = try? engine.cli(["rm", "-f", name]) } }

        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let host = "res-\(tag)"
            let created = try await client.send(.POST, "/api/v1/container-hosts", token: admin,
                                                json: ["socket_path": engine.socketPath, "name": host])
            #expect(created.status == .created, "\(created.body)")
            let hostID = try #require(created.json["id"] as? String)
            try await Task.sleep(for: .seconds(1))
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)

            let key = try await client.apiKey(scopes: ["read"], token: admin)
            let body = try await client.send(.GET, "/metrics", token: key).body
            let busyCPU = try #require(Self.value(body, "unity_container_cpu_percent", host: host, container: busy), "\(body)")
            // A shell spinning on one core: tens of percent even on a loaded two-core machine.
            #expect(busyCPU > 10, "\(busyCPU)")
            let idleCPU = try #require(Self.value(body, "unity_container_cpu_percent", host: host, container: idle))
            #expect(idleCPU < busyCPU)
            for name in [busy, idle] {
                let memory = try #require(Self.value(body, "unity_container_memory_bytes", host: host, container: name), "\(name)")
                #expect(memory > 0 && memory < 256 * 1024 * 1024, "\(name): \(memory)")
            }
            #expect(Self.value(body, "unity_container_memory_bytes", host: host, container: stopped) == nil)
            #expect(Self.value(body, "unity_container_cpu_percent", host: host, container: stopped) == nil)
            #expect(body.contains("# TYPE unity_container_cpu_percent gauge"))
            #expect(try CollectionTests.promtoolAccepts(body))

            // Stopped: its series go with the next discovery.
            try engine.cli(["rm", "-f", busy])
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)
            let after = try await client.send(.GET, "/metrics", token: key).body
            #expect(Self.value(after, "unity_container_memory_bytes", host: host, container: busy) == nil)
            #expect(Self.value(after, "unity_container_memory_bytes", host: host, container: idle) != nil)
        }
    }
}
