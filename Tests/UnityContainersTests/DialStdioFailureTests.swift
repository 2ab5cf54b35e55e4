import Testing
import UnityContainers

/// What `podman system dial-stdio` (podman 4.3.1) printed on this machine as an unprivileged user,
/// captured by hand, and the error each becomes.
@Suite("dial-stdio failures (pure)")
struct DialStdioFailureTests {
    static let endpoint = "ssh://unitytest@host (podman dial-stdio)"
    static let sharedMountWarning = #"time="2026-12-07T13:46:21Z" level=warning msg="\"/\" is not a shared mount, this could cause issues or missing mounts with rootless containers""#

    @Test func theUsersSocketNotRunning() {
        let stderr = Self.sharedMountWarning + "\n"
            + #"Error: failed to open connection to podman: unable to connect to Podman socket: Get "http://d/v4.3.1/libpod/_ping": dial unix ///tmp/podman-run-1002/podman/podman.sock: connect: no such file or directory"#
        let error = ContainerEngineError.fromDialStdioFailure(exitStatus: 125, stderr: stderr, endpoint: Self.endpoint)
        #expect(error == .podmanSocketNotRunning(endpoint: Self.endpoint))
        #expect(error.message.contains("systemctl --user enable --now podman.socket"))
    }

    /// Podman is installed; the `uidmap` helpers rootless Podman needs are not. "Not installed" would
    /// send the user looking for the wrong package.
    @Test func rootlessPodmanWithoutItsUIDMapHelpers() {
        let stderr = Self.sharedMountWarning + "\n"
            + #"time="2026-12-07T13:46:21Z" level=error msg="invalid internal status, try resetting the pause process with \"podman system migrate\": command required for rootless mode with multiple IDs: exec: \"newuidmap\": executable file not found in $PATH""#
        let error = ContainerEngineError.fromDialStdioFailure(exitStatus: 1, stderr: stderr, endpoint: Self.endpoint)
        #expect(error.code == "podman_rootless_not_set_up", "\(error)")
        #expect(error.message.contains("uidmap"))
        #expect(error.isUnreachable)
    }

    @Test func noEngineProgramAtAll() {
        let error = ContainerEngineError.fromDialStdioFailure(exitStatus: 127, stderr: "sh: 1: podman: not found\n", endpoint: Self.endpoint)
        #expect(error.code == "container_engine_not_installed")
    }
}
