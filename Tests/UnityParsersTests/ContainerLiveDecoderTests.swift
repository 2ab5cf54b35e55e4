import Foundation
import Testing
@testable import UnityParsers

/// Stats, events and top decoders on the engines' own answers: captured from the suite's
/// Docker 20.10.24 and Podman 4.3.1 (`Fixtures/docker-api/captured-*`, see SOURCES.md).
@Suite("Container live-state decoders (captured Docker 20.10 / Podman 4.3)")
struct ContainerLiveDecoderTests {
    private func stats(_ name: String) throws -> ContainerStatsSample {
        try ContainerStatsSample.decode(FixtureLoader.data("docker-api/\(name)"))
    }

    @Test func dockerStatsCPUFromTheDeltaLikeDockerStats() throws {
        let sample = try stats("captured-docker-20.10-stats-stream-false.json")
        // (11143777510 - 10271181130) / (50305410000000 - 50303400000000) × 2 CPUs × 100
        let expected = 872_596_380.0 / 2_010_000_000.0 * 2 * 100
        #expect(abs((sample.cpuPercent ?? -1) - expected) < 0.0001)
        #expect(sample.onlineCPUs == 2)
        #expect(sample.memoryUsedBytes == 602_112)  // usage minus total_inactive_file (0 here), cgroup v1
        #expect(sample.memoryLimitBytes == 25_276_182_528)
        #expect(sample.pids == 3)
        #expect(sample.blockReadBytes == 0 && sample.blockWrittenBytes == 0)
        #expect(sample.networkReceivedBytes == nil)  // host network: the engine reports no interfaces
        #expect(sample.read != nil)
    }

    @Test func dockerOneShotHasNoCPUPercent() throws {
        let sample = try stats("captured-docker-20.10-stats-one-shot.json")
        #expect(sample.cpuPercent == nil)  // no previous sample: nothing to take a delta from
        #expect(sample.memoryUsedBytes != nil && sample.pids == 3)
    }

    @Test func podmanStatsUsePodmansOwnPercentageWithoutAPreviousSample() throws {
        let sample = try stats("captured-podman-4.3-stats-stream-false.json")
        #expect(sample.cpuPercent == 61.478755159198116)
        #expect(sample.memoryUsedBytes == 733_184)  // Podman sends usage without a stats breakdown
        #expect(sample.memoryLimitBytes == 25_276_182_528)
        #expect(sample.networkReceivedBytes == 0 && sample.networkTransmittedBytes == 0)
        #expect(sample.pids == 3)
        let streamed = try ContainerStatsSample.decode(Data(try FixtureLoader.data("docker-api/captured-podman-4.3-stats-stream.jsonl")))
        #expect(streamed.cpuPercent == 0)  // precpu equals cpu in Podman's first streamed sample: delta 0
    }

    /// SYNTHETIC (written for this test, not captured): the cgroup v2 shape of Docker ≥ 20.10 on a
    /// v2 host: `inactive_file` instead of `total_inactive_file`, lower-case block I/O ops.
    @Test func cgroupV2MemoryAndBlockIO() throws {
        let json = """
        {"read":"2026-01-01T00:00:01Z","pids_stats":{"current":7},
         "blkio_stats":{"io_service_bytes_recursive":[{"major":8,"minor":0,"op":"read","value":4096},{"major":8,"minor":0,"op":"write","value":8192},
           {"major":8,"minor":16,"op":"read","value":1}]},
         "cpu_stats":{"cpu_usage":{"total_usage":3000000000},"system_cpu_usage":20000000000,"online_cpus":4},
         "precpu_stats":{"cpu_usage":{"total_usage":2000000000},"system_cpu_usage":10000000000,"online_cpus":4},
         "memory_stats":{"usage":10485760,"limit":1073741824,"stats":{"inactive_file":2097152,"anon":4194304}},
         "networks":{"eth0":{"rx_bytes":100,"tx_bytes":50},"eth1":{"rx_bytes":1,"tx_bytes":2}}}
        """
        let sample = try ContainerStatsSample.decode(Data(json.utf8))
        #expect(sample.cpuPercent == 40)  // 1e9 / 1e10 × 4 × 100
        #expect(sample.memoryUsedBytes == 8_388_608)
        #expect(sample.memoryPercent == 8_388_608.0 / 1_073_741_824.0 * 100)
        #expect(sample.blockReadBytes == 4097 && sample.blockWrittenBytes == 8192)
        #expect(sample.networkReceivedBytes == 101 && sample.networkTransmittedBytes == 52)
        #expect(sample.pids == 7)
    }

    @Test func statsGarbageIsAParseError() {
        #expect(throws: ParseError.self) { try ContainerStatsSample.decode(Data("{\"read\": 12".utf8)) }
    }

    private func events(_ name: String) throws -> [EngineEvent] {
        try FixtureLoader.text("docker-api/\(name)").split(separator: "\n").map { try EngineEvent.decode(Data($0.utf8)) }
    }

    @Test func dockerEvents() throws {
        let all = try events("captured-docker-20.10-events.jsonl")
        #expect(all.count == 31)
        let health = try #require(all.first { $0.action == "health_status" })
        #expect(health.healthStatus == "unhealthy")
        #expect(health.name == "capev")
        let oom = try #require(all.first { $0.isOOMKill })
        #expect(oom.name == "capoom" && oom.type == "container")
        let died = all.filter { $0.action == "die" }
        #expect(died.compactMap(\.exitCode).sorted() == [3, 137, 137])
        #expect(all.contains { $0.action == "start" && $0.image == "localhost/busybox:test" && $0.actorID.count == 64 })
        // "exec_start: /bin/sh -c false": the command is split off the action.
        let exec = try #require(all.first { $0.action == "exec_start" })
        #expect(exec.actionDetail == "/bin/sh -c false")
        #expect(all.contains { $0.type == "network" })
        #expect(all.allSatisfy { $0.time != nil })
    }

    @Test func podmanEvents() throws {
        let all = try events("captured-podman-4.3-events.jsonl")
        #expect(all.count == 38)
        let health = try #require(all.first { $0.action == "health_status" })
        #expect(health.healthStatus == "starting")  // Podman: top-level HealthStatus
        let died = all.filter { $0.action == "die" }
        #expect(died.compactMap(\.exitCode).sorted() == [3, 137, 137, 137])
        // containerExitCode is on every Podman event; only `die` turns it into an exit code.
        #expect(all.filter { $0.action == "start" }.allSatisfy { $0.exitCode == nil })
        #expect(all.contains { $0.type == "image" && $0.action == "pull" && $0.actorID == "" })
    }

    @Test func dockerTop() throws {
        let aux = try ContainerProcessList.decode(FixtureLoader.data("docker-api/captured-docker-20.10-top-aux.json"))
        #expect(aux.titles == ["USER", "PID", "%CPU", "%MEM", "VSZ", "RSS", "TTY", "STAT", "START", "TIME", "COMMAND"])
        #expect(aux.processes.count == 3 && aux.processes.allSatisfy { $0.count == 11 })
        let ef = try ContainerProcessList.decode(FixtureLoader.data("docker-api/captured-docker-20.10-top-default.json"))
        #expect(ef.titles == ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"])
        #expect(ef.processes.last?.last == "sleep 1")
    }

    @Test func podmanTopSplitsItsSingleStringRows() throws {
        for name in ["aux", "default", "ef"] {
            let list = try ContainerProcessList.decode(FixtureLoader.data("docker-api/captured-podman-4.3-top-\(name).json"))
            #expect(list.titles == ["PID", "USER", "COMMAND"])
            #expect(list.processes.count == 3)
            #expect(list.processes[0] == ["1", "root", "sh -c while true; do echo tick; yes > /dev/null & sleep 1; kill $!; done"])
            #expect(list.processes[2] == ["11", "root", "sleep 1"])
        }
    }

    @Test func versionAndInfoCaptures() throws {
        let docker = try EngineVersionInfo.decode(FixtureLoader.data("docker-api/captured-docker-20.10-version.json"))
        #expect(docker.version == "20.10.24+dfsg1" && docker.apiVersion == "1.41" && docker.minAPIVersion == "1.12")
        #expect(!docker.isPodman && docker.os == "linux" && docker.architecture == "amd64")
        let podman = try EngineVersionInfo.decode(FixtureLoader.data("docker-api/captured-podman-4.3-version.json"))
        #expect(podman.version == "4.3.1" && podman.apiVersion == "1.41" && podman.minAPIVersion == "1.24" && podman.isPodman)
        let dockerInfo = try EngineSystemInfo.decode(FixtureLoader.data("docker-api/captured-docker-20.10-info.json"))
        #expect(dockerInfo.storageDriver == "overlay2" && dockerInfo.cgroupVersion == "1" && !dockerInfo.rootless)
        let podmanInfo = try EngineSystemInfo.decode(FixtureLoader.data("docker-api/captured-podman-4.3-info.json"))
        #expect(podmanInfo.storageDriver == "overlay" && podmanInfo.cgroupVersion == "1" && !podmanInfo.rootless)
    }
}

/// Inventory decoders on the public Docker API fixtures (watchtower, prometheus; SOURCES.md).
@Suite("Container inventory decoders (shared docker-api fixtures)")
struct ContainerInventoryFixtureTests {
    @Test func containerLists() throws {
        let watchtower = try ContainerList.ids(FixtureLoader.data("docker-api/watchtower-list-containers-exited-running-restarting.json"))
        #expect(watchtower.count == 4 && watchtower.allSatisfy { $0.count == 64 })
        let prometheus = try ContainerList.ids(FixtureLoader.data("docker-api/prometheus-list-containers-compose-networks.json"))
        #expect(prometheus.count == 6)
    }

    @Test func inspectRunningWithNamedVolumeAndBind() throws {
        let details = try ContainerDetails.decode(FixtureLoader.data("docker-api/watchtower-inspect-running.json"))
        #expect(details.name == "portainer" && details.state == "running")
        #expect(details.imageReference == "portainer/portainer:latest")
        #expect(details.restartPolicy == "always")
        #expect(details.mounts.contains { $0.kind == .namedVolume && $0.name == "portainer_data" && $0.destination == "/data" })
        #expect(details.mounts.contains { $0.kind == .bind && $0.destination == "/var/run/docker.sock" })
        #expect(details.environmentNames.count == 1 && details.started != nil)
    }

    /// Docker builds `Mounts` from a map, so two inspects of one container list them in either order;
    /// the stored row must not change (and count as an update) because of that.
    @Test func mountsHaveOneOrderWhateverTheEngineSent() throws {
        let data = try FixtureLoader.data("docker-api/watchtower-inspect-running.json")
        var document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let mounts = try #require(document["Mounts"] as? [Any])
        #expect(mounts.count >= 2)
        document["Mounts"] = Array(mounts.reversed())
        let reordered = try ContainerDetails.decode(JSONSerialization.data(withJSONObject: document))
        let original = try ContainerDetails.decode(data)
        #expect(reordered.mounts == original.mounts)
        #expect(original.mounts.map(\.destination) == original.mounts.map(\.destination).sorted())
    }

    @Test func inspectExitedRestartingAndSharedNetwork() throws {
        let exited = try ContainerDetails.decode(FixtureLoader.data("docker-api/watchtower-inspect-exited.json"))
        #expect(exited.state == "exited" && exited.exitCode == 1 && exited.restartPolicy == "no" && exited.name == "watchtower-stopped")
        let restarting = try ContainerDetails.decode(FixtureLoader.data("docker-api/watchtower-inspect-restarting.json"))
        #expect(restarting.exitCode == 1 && restarting.name == "watchtower-test")
        let consumer = try ContainerDetails.decode(FixtureLoader.data("docker-api/watchtower-inspect-network-mode-container.json"))
        #expect(consumer.networkMode?.hasPrefix("container:") == true && consumer.restartPolicy == nil)
        #expect(consumer.environmentNames.count == 4)
        #expect(!consumer.environmentNames.contains { $0.contains("=") })
    }

    @Test func imageInspectRepoDigests() throws {
        let pulled = try ImageSummary.decodeInspect(FixtureLoader.data("docker-api/watchtower-image-inspect-with-repodigest.json"))
        #expect(pulled.tags == ["portainer/portainer:latest"])
        #expect(pulled.repoDigests == ["portainer/portainer@sha256:d6cc2c20c0af38d8d557ab994c419c799a10fe825e4aa57fea2e2e507a13747d"])
        #expect(pulled.size == 74_089_106 && pulled.created != nil)
        let local = try ImageSummary.decodeInspect(FixtureLoader.data("docker-api/watchtower-image-inspect-no-repodigest.json"))
        #expect(local.repoDigests.isEmpty && local.tags == ["containrrr/watchtower:latest"])
    }
}
