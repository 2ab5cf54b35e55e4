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
