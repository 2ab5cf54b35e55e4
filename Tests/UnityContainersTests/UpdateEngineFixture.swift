import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityCore
import UnityRegistryTestSupport

/// One v1 container set up for an update test on a real engine, with data in its volumes.
struct UpdateFixture {
    let test: TestEngine
    let engine: DockerAPIEngine
    let images: UpdateTestImages
    let name: String
    let volume: String
    let mountVolume: String
    let networks: [String]
    /// The static address on the first network (Docker only).
    let staticIP: String?
    let oldID: String
    /// The anonymous volume's generated name.
    let anonymousVolume: String
    /// What the test wrote into /data, /anon and /mounted.
    let data: [String: String]

    /// Short gates (seconds, not minutes). Podman's stability gate outlasts v3's 3 s before it exits.
    var gate: HealthGateSettings {
        HealthGateSettings(stableSeconds: test.kind == .docker ? 3 : 6, healthyTimeoutSeconds: 25, evidenceLogLines: 20)
    }
    private static let subnet = LockedValue(Int.random(in: 0..<200))

    /// Docker: a HEALTHCHECK, a named volume (bind), a second named volume (`--mount`, HostConfig.Mounts),
    /// an anonymous volume, two user networks (static IP + aliases), labels, env and the checklist's
    /// settings. Podman (host networking in the test service, healthchecks without systemd timers do
    /// not run): the same minus networks and with `--no-healthcheck`, so the stability gate applies.
    static func make(_ kind: ContainerEngineKind) throws -> UpdateFixture {
        let registry = try TestRegistry.open()
        let images = try UpdateTestImages.shared(registryHost: registry.host)
        let test = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        let suffix = UUID().uuidString.prefix(6).lowercased()
        let name = "upd-\(suffix)", volume = "upd-data-\(suffix)", mountVolume = "upd-mnt-\(suffix)"
        if kind == .podman { try test.cli(["pull", "--tls-verify=false", "-q", images.v1.reference]) }
        var arguments = ["run", "-d", "--name", name, "-v", "\(volume):/data", "-v", "/anon",
                         "--mount", "type=volume,src=\(mountVolume),dst=/mounted",
                         "--label", "unity.test.owner=me", "-e", "APP_MODE=custom", "-e", "USER_VAR=1", "--workdir", "/data",
                         "--cap-add", "NET_ADMIN", "--cap-drop", "MKNOD", "--security-opt", "no-new-privileges",
                         "--tmpfs", "/scratch:size=1m", "--restart", "unless-stopped",
                         "--device", "/dev/zero:/dev/unity-zero", "--pids-limit", "100", "--stop-timeout", "2"]
        var networks: [String] = []
        var staticIP: String?
        if kind == .docker {
            let n = subnet.withLock { value -> Int in defer { value = (value + 1) % 250 }; return value }
            networks = ["upd-a-\(suffix)", "upd-b-\(suffix)"]
            try test.cli(["network", "create", "--subnet", "10.231.\(n).0/24", networks[0]])
            try test.cli(["network", "create", networks[1]])
            staticIP = "10.231.\(n).10"
            // Podman's test service sets its own default ulimits; an extra one trips runc's NPROC setting there.
            arguments += ["--ulimit", "nofile=512:1024", "--dns", "10.0.0.53", "--dns-search", "example.test", "--add-host", "db.internal:10.0.0.5",
                          "--hostname", "unity-app", "--network", networks[0], "--ip", staticIP!, "--network-alias", "web",
                          "--sysctl", "net.ipv4.ip_unprivileged_port_start=0", "--log-opt", "max-size=1m", "--cpu-shares", "512"]
        } else {
            arguments += ["--no-healthcheck"]
        }
        try test.cli(arguments + [images.v1.reference])
        if kind == .docker { try test.cli(["network", "connect", "--alias", "api", networks[1], name]) }
        let data = ["/data/a.txt": "named-\(suffix)", "/anon/b.txt": "anon-\(suffix)", "/mounted/c.txt": "mounted-\(suffix)"]
        try test.cli(["exec", name, "/bin/sh", "-c", data.map { "echo \($0.value) > \($0.key)" }.joined(separator: "; ")])
        let oldID = try test.cli(["inspect", "-f", "{{.Id}}", name]).trimmingCharacters(in: .whitespacesAndNewlines)
        let anonymous = try test.cli(["inspect", "-f", "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}{{end}}", name])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return UpdateFixture(test: test, engine: DockerAPIEngine(transport: test.transport), images: images, name: name, volume: volume,
                             mountVolume: mountVolume, networks: networks, staticIP: staticIP, oldID: oldID, anonymousVolume: anonymous, data: data)
    }

    func updater() -> ContainerUpdateEngine {
        let name = self.name
        return ContainerUpdateEngine(engine: engine, resolveContainer: { _ in name }, pollSeconds: 0.25, stopTimeout: 2,
                                     resumeHealthGate: gate)
    }

    func request(_ version: UpdateTestImages.Version) -> UpdateRequest {
        UpdateRequest(containerID: UUID(), hostID: UUID(), candidateReference: version.reference, candidateDigest: version.digest,
                      trigger: .manual, requestedBy: "update-engine-test")
    }

    var options: UpdateApplyOptions { UpdateApplyOptions(healthGate: gate) }

    /// The files as they read inside the container named `name` now.
    func readData() throws -> [String: String] {
        var found: [String: String] = [:]
        for path in data.keys {
            found[path] = try test.cli(["exec", name, "/bin/cat", path]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return found
    }

    /// Waits (bounded) for the container's HEALTHCHECK to say healthy; the gate itself is the engine's.
    func waitHealthy() async throws -> String? {
        for _ in 0..<80 {
            let inspect = try await engine.inspectContainerRaw(name)
            if inspect?.healthStatus == "healthy" || inspect?.hasHealthcheck == false { return inspect?.healthStatus }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try await engine.inspectContainerRaw(name)?.healthStatus
    }

    /// Removes the container(s) the test left, their volumes and networks.
    func cleanUp() {
        let leftovers = (try? test.cli(["ps", "-a", "--filter", "name=\(name)", "--format", "{{.ID}}"]))?
            .split(separator: "\n").map(String.init) ?? []
        for id in leftovers { _ = try? test.cli(["rm", "-f", id]) }
        for network in networks { _ = try? test.cli(["network", "rm", network]) }
        for v in [volume, mountVolume, anonymousVolume] where !v.isEmpty { _ = try? test.cli(["volume", "rm", "-f", v]) }
    }
}
