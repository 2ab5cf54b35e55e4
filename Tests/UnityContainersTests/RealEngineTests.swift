import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityParsers

/// Against the real Docker 20.10 and Podman 4.3 started by UnityContainersTestSupport (one each per
/// test process, on their own sockets), over the local unix-socket transport.
@Suite("Real engines over the unix socket")
struct RealEngineTests {
    @Test func dockerFactsAndNegotiation() async throws {
        let engine = DockerAPIEngine(transport: try TestEngine.docker().transport)
        let facts = try await engine.facts()
        #expect(facts.kind == .docker)
        #expect(facts.version?.hasPrefix("20.10") == true)
        #expect(facts.daemonAPIVersion == EngineAPIVersion(1, 41))
        #expect(facts.apiVersion == EngineAPIVersion(1, 41))  // min(Unity's 1.51, daemon's 1.41)
        #expect(facts.libpodAPIVersion == nil)
        #expect(facts.os == "linux")
        #expect(facts.architecture != nil)
        #expect(facts.storageDriver == "overlay2")
        #expect(facts.cgroupVersion == "1")
        #expect(!facts.rootless)
    }

    @Test func podmanIsDetected() async throws {
        let engine = DockerAPIEngine(transport: try TestEngine.podman().transport)
        let facts = try await engine.facts()
        #expect(facts.kind == .podman)
        #expect(facts.version?.hasPrefix("4.3") == true)
        #expect(facts.libpodAPIVersion?.hasPrefix("4.3") == true)
        #expect(facts.apiVersion == EngineAPIVersion(1, 41))
        #expect(facts.storageDriver == "overlay")
        #expect(!facts.rootless)  // the suite runs as root
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func lifecycleActions(kind: ContainerEngineKind) async throws {
        let test = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        let engine = DockerAPIEngine(transport: test.transport)
        let name = "unity-actions-\(UUID().uuidString.prefix(6).lowercased())"
        try test.cli(["create", "--name", name, "--network", "host", TestEngine.image, "sleep", "300"])
        defer { _ = try? test.cli(["rm", "-f", name]) }
        func state() throws -> String { try test.cli(["inspect", "-f", "{{.State.Status}}", name]).trimmingCharacters(in: .whitespacesAndNewlines) }
        try await engine.start(name)
        #expect(try state() == "running")
        try await engine.pause(name)
        #expect(try state() == "paused")
        try await engine.unpause(name)
        #expect(try state() == "running")
        await #expect(throws: ContainerEngineError.containerRunning(id: name)) {
            try await engine.remove(name, force: false, removeAnonymousVolumes: true)
        }
        try await engine.restart(name, timeout: 0)
        #expect(try state() == "running")
        try await engine.stop(name, timeout: 0)
        #expect(try state() == "exited")
        try await engine.remove(name, force: false, removeAnonymousVolumes: true)
        await #expect(throws: ContainerEngineError.notFound(what: "container \(name)")) { try await engine.start(name) }
    }

    @Test func missingSocketSaysWhatToDo() async throws {
        let docker = DockerAPIEngine(transport: UnixSocketTransport(path: "/tmp/unity-no-such-\(UUID().uuidString.prefix(6))/docker.sock"))
        do {
            _ = try await docker.facts()
            Issue.record("expected an error")
        } catch let error as ContainerEngineError {
            #expect(error.code == "container_engine_socket_not_found")
        }
        let podman = DockerAPIEngine(transport: UnixSocketTransport(path: "/tmp/unity-no-such-\(UUID().uuidString.prefix(6))/podman/podman.sock"))
        do {
            _ = try await podman.facts()
            Issue.record("expected an error")
        } catch let error as ContainerEngineError {
            #expect(error.code == "podman_socket_not_running")
            #expect(error.message.contains("systemctl --user enable --now podman.socket"))
        }
    }

    @Test func socketWithoutADaemonIsDaemonDown() async throws {
        // A socket file nobody listens on: what a crashed dockerd leaves behind.
        let directory = try TestCommand.temporaryDirectory("unity-stale")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/docker.sock"
        try StaleSocket.make(at: path)
        do {
            _ = try await DockerAPIEngine(transport: UnixSocketTransport(path: path)).facts()
            Issue.record("expected an error")
        } catch let error as ContainerEngineError {
            #expect(error.code == "container_engine_down")
        }
    }
}

@Suite("Real engines: inventory")
struct RealEngineInventoryTests {
    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func runningStoppedUnhealthyWithVolumesAndComposeLabels(kind: ContainerEngineKind) async throws {
        let test = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        let engine = DockerAPIEngine(transport: test.transport)
        let suffix = UUID().uuidString.prefix(6).lowercased()
        let running = "unity-inv-run-\(suffix)", stopped = "unity-inv-stop-\(suffix)", sick = "unity-inv-sick-\(suffix)"
        defer { for name in [running, stopped, sick] { _ = try? test.cli(["rm", "-f", "-v", name]) } }
        // Compose labels set by hand, as docker-compose 1.29 would (the compose bring-up itself is not in this step).
        try test.cli(["run", "-d", "--name", running, "--network", "host", "-v", "unity-data-\(suffix):/data", "-v", "/scratch",
                      "-e", "SECRET_TOKEN=canary-UNITYCANARY-env", "--restart", "unless-stopped",
                      "--label", "com.docker.compose.project=homelab", "--label", "com.docker.compose.service=web",
                      "--label", "com.docker.compose.project.working_dir=/srv/homelab",
                      "--label", "com.docker.compose.project.config_files=/srv/homelab/compose.yml,/srv/homelab/override.yml",
                      TestEngine.image, "sleep", "300"])
        // The CLI exits with the container's status (3): expected, so its failure is ignored.
        _ = try? test.cli(["run", "--name", stopped, "--network", "host", TestEngine.image, "sh", "-c", "exit 3"])
        try test.cli(["run", "-d", "--name", sick, "--network", "host", "--health-cmd", "false", "--health-interval", "1s",
                      "--health-retries", "1", TestEngine.image, "sleep", "300"])
        // Podman runs health checks from systemd timers, absent here: trigger one by hand.
        var inventory: [ContainerDetails] = []
        for _ in 0..<40 {
            if kind == .podman { _ = try? test.cli(["healthcheck", "run", sick]) }
            inventory = try await engine.containers()
            if inventory.first(where: { $0.name == sick })?.health == "unhealthy" { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let web = try #require(inventory.first { $0.name == running })
        #expect(web.state == "running")
        #expect(web.imageReference == TestEngine.image)
        #expect(web.imageID?.hasPrefix("sha256:") == true || web.imageID?.count == 64)
        #expect(web.started != nil && web.created != nil)
        #expect(web.environmentNames.contains("SECRET_TOKEN"))
        #expect(!"\(web)".contains("UNITYCANARY"))  // values are dropped at decode time
        #expect(web.restartPolicy == "unless-stopped")
        #expect(web.compose == ContainerDetails.ComposeInfo(project: "homelab", service: "web", workingDirectory: "/srv/homelab",
                                                           configFiles: ["/srv/homelab/compose.yml", "/srv/homelab/override.yml"]))
        #expect(web.mounts.contains { $0.kind == .namedVolume && $0.name == "unity-data-\(suffix)" && $0.destination == "/data" })
        #expect(web.mounts.contains { $0.kind == .anonymousVolume && $0.destination == "/scratch" })
        let exited = try #require(inventory.first { $0.name == stopped })
        #expect(exited.state == "exited")
        #expect(exited.exitCode == 3)
        let unhealthy = try #require(inventory.first { $0.name == sick })
        #expect(unhealthy.health == "unhealthy")
        let images = try await engine.images()
        #expect(images.contains { $0.tags.contains(TestEngine.image) })
    }
}
