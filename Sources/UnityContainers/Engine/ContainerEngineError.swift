/// Every failure of talking to a container engine, each with a stable `code` and a message a homelab
/// user can act on. No HTTP types here: the app maps codes to its own statuses (503 for an engine
/// that cannot be reached, 4xx for the rest). Messages never include environment values or secrets.
public enum ContainerEngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The docker/podman program is not on the host (dial-stdio: "command not found").
    case engineNotInstalled(detail: String)
    /// The socket exists but this user may not open it (not in the docker group, root-owned socket).
    case permissionDenied(endpoint: String)
    /// The rootless or rootful Podman API socket is not there: the socket unit is not enabled.
    case podmanSocketNotRunning(endpoint: String)
    /// Podman is there, but rootless Podman cannot start: `newuidmap`/`newgidmap` (package uidmap) are
    /// missing, or the user has no subordinate ids.
    case podmanRootlessNotSetUp(detail: String)
    /// No socket at the path: the engine is not installed, not running, or the path is wrong.
    case socketNotFound(endpoint: String)
    /// The socket exists but nothing accepts on it (daemon stopped or crashed).
    case daemonDown(endpoint: String, reason: String)
    /// The daemon's newest API is older than the oldest Unity speaks.
    case apiTooOld(daemonMaximum: String, unityMinimum: String)
    /// The daemon refuses every API version Unity speaks (its minimum is above Unity's maximum).
    case apiTooNew(daemonMinimum: String, unityMaximum: String)
    /// The connection ended before a response or stream was complete (daemon killed, SSH dropped).
    case streamInterrupted(endpoint: String, reason: String)
    /// The engine answered something that is not the Engine API.
    case invalidResponse(reason: String)
    /// A buffered response exceeded Unity's limit.
    case responseTooLarge(limit: Int)
    /// No such container, image, volume or network.
    case notFound(what: String)
    /// `remove` without `force` of a running container: refused before asking the engine.
    case containerRunning(id: String)
    /// The engine refused the action (409: already paused, name in use, …).
    case conflict(message: String)
    /// Any other error answer of the engine.
    case engineError(status: Int, message: String)
    /// The engine did not answer in time.
    case timeout(endpoint: String)
    /// The CA, client certificate or key for a TLS host cannot be used (not PEM, key does not match).
    case tlsConfigurationInvalid(reason: String)
    /// The daemon's certificate is not signed by the configured CA, or is not for this host.
    case tlsServerNotTrusted(endpoint: String, reason: String)
    /// The daemon refused Unity's client certificate (none sent, or not signed by the daemon's CA).
    case tlsClientCertificateRejected(endpoint: String, reason: String)
    /// Plain TCP without TLS was asked for without the explicit opt-in.
    case insecureTransportNotAllowed(endpoint: String)
    /// This build cannot reach the engine this way (a transport not wired in yet, a host without one).
    case transportUnavailable(endpoint: String, reason: String)

    public var code: String {
        switch self {
        case .engineNotInstalled: "container_engine_not_installed"
        case .permissionDenied: "container_engine_permission_denied"
        case .podmanSocketNotRunning: "podman_socket_not_running"
        case .podmanRootlessNotSetUp: "podman_rootless_not_set_up"
        case .socketNotFound: "container_engine_socket_not_found"
        case .daemonDown: "container_engine_down"
        case .apiTooOld: "container_engine_api_too_old"
        case .apiTooNew: "container_engine_api_too_new"
        case .streamInterrupted: "container_engine_stream_interrupted"
        case .invalidResponse: "container_engine_invalid_response"
        case .responseTooLarge: "container_engine_response_too_large"
        case .notFound: "container_engine_not_found"
        case .containerRunning: "container_running"
        case .conflict: "container_engine_conflict"
        case .engineError: "container_engine_error"
        case .timeout: "container_engine_timeout"
        case .tlsConfigurationInvalid: "container_engine_tls_configuration_invalid"
        case .tlsServerNotTrusted: "container_engine_tls_server_not_trusted"
        case .tlsClientCertificateRejected: "container_engine_tls_client_certificate_rejected"
        case .insecureTransportNotAllowed: "container_engine_insecure_transport_not_allowed"
        case .transportUnavailable: "container_transport_unavailable"
        }
    }

    /// True when the engine could not be reached at all (the app answers 503 and marks the host down).
    public var isUnreachable: Bool {
        switch self {
        case .engineNotInstalled, .permissionDenied, .podmanSocketNotRunning, .podmanRootlessNotSetUp, .socketNotFound, .daemonDown,
             .streamInterrupted, .timeout, .tlsServerNotTrusted, .tlsClientCertificateRejected, .transportUnavailable: true
        default: false
        }
    }

    public var description: String { message }

    public var message: String {
        switch self {
        case .engineNotInstalled(let detail):
            "Neither Docker nor Podman is installed for this user (\(detail)). Install docker.io or podman on the host, or pick the right engine."
        case .permissionDenied(let endpoint):
            "Permission denied on \(endpoint). Add the user to the docker group (`sudo usermod -aG docker USER`, then log in again), or use rootless Podman's socket."
        case .podmanSocketNotRunning(let endpoint):
            "The Podman API socket \(endpoint) is not running. Run `systemctl --user enable --now podman.socket` as that user (rootful: `sudo systemctl enable --now podman.socket`)."
        case .podmanRootlessNotSetUp(let detail):
            "Rootless Podman cannot start for this user (\(detail)). Install the uidmap package (newuidmap, newgidmap) and give the user subordinate ids in /etc/subuid and /etc/subgid (`sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 USER`), then `podman system migrate`."
        case .socketNotFound(let endpoint):
            "No container engine socket at \(endpoint): Docker is not installed or not running (`sudo systemctl enable --now docker`), or the socket path is wrong."
        case .daemonDown(let endpoint, let reason):
            "The container engine at \(endpoint) is not accepting connections (\(reason)). Start it (`sudo systemctl start docker`, or `systemctl --user start podman.socket`)."
        case .apiTooOld(let daemonMaximum, let unityMinimum):
            "The engine offers Engine API \(daemonMaximum) at most; Unity needs \(unityMinimum) or newer (Docker 20.10+, Podman 4.0+). Upgrade the engine."
        case .apiTooNew(let daemonMinimum, let unityMaximum):
            "The engine requires Engine API \(daemonMinimum) or newer; this Unity speaks up to \(unityMaximum). Upgrade Unity."
        case .streamInterrupted(let endpoint, let reason):
            "The connection to the container engine at \(endpoint) ended unexpectedly (\(reason)). The daemon may have stopped or restarted."
        case .invalidResponse(let reason):
            "The container engine sent an answer Unity cannot read (\(reason)). Is the socket really a Docker or Podman API?"
        case .responseTooLarge(let limit):
            "The container engine's answer was larger than \(limit) bytes and was not read."
        case .notFound(let what):
            "\(what) does not exist on this engine (removed, or renamed outside Unity)."
        case .containerRunning(let id):
            "Container \(id) is running: stop it first, or remove it with force."
        case .conflict(let message):
            "The container engine refused: \(message)"
        case .engineError(let status, let message):
            "The container engine answered \(status): \(message)"
        case .timeout(let endpoint):
            "The container engine at \(endpoint) did not answer in time."
        case .tlsConfigurationInvalid(let reason):
            "The TLS material for this container host cannot be used (\(reason)). Pick a PEM CA certificate, client certificate and its private key."
        case .tlsServerNotTrusted(let endpoint, let reason):
            "The daemon at \(endpoint) presented a certificate Unity does not trust (\(reason)). Check that the CA is the one that signed the daemon's certificate (dockerd --tlscacert) and that the certificate names this host."
        case .tlsClientCertificateRejected(let endpoint, let reason):
            "The daemon at \(endpoint) refused Unity's client certificate (\(reason)). It must be signed by the CA the daemon trusts (dockerd --tlsverify --tlscacert)."
        case .insecureTransportNotAllowed(let endpoint):
            "Plain TCP to \(endpoint) sends container control without encryption or authentication; enable it explicitly (allow insecure) or use TLS."
        case .transportUnavailable(let endpoint, let reason):
            "Unity cannot reach the container engine at \(endpoint): \(reason)"
        }
    }

    /// Maps what `docker system dial-stdio` (or podman's) printed before failing to an error; for the
    /// SSH transport, whose exec channel reports an exit status and stderr instead of errno.
    public static func fromDialStdioFailure(exitStatus: Int?, stderr: String, endpoint: String) -> ContainerEngineError {
        let text = stderr.lowercased()
        let tail = String(stderr.split(separator: "\n").last ?? "").trimmingSpaces()
        let shortened = String(tail.prefix(200))
        // Before "not found in $PATH": that is podman failing to find its uid-map helpers, not itself.
        if text.contains("podman") || text.contains("rootless"),
           text.contains("newuidmap") || text.contains("newgidmap") || text.contains("no subuid ranges") || text.contains("no subgid ranges") {
            return .podmanRootlessNotSetUp(detail: shortened.contains("newuidmap") || shortened.contains("newgidmap")
                ? "newuidmap/newgidmap not found" : shortened)
        }
        if exitStatus == 127 || text.contains("command not found") || text.contains("not found in $path")
            || text.contains("no such file or directory") && (text.contains("docker:") || text.contains("podman:")) && !text.contains(".sock") {
            return .engineNotInstalled(detail: shortened.isEmpty ? "exit status 127" : shortened)
        }
        if text.contains("permission denied") { return .permissionDenied(endpoint: endpoint) }
        if text.contains("podman") && (text.contains("no such file") || text.contains("connection refused")) {
            return .podmanSocketNotRunning(endpoint: endpoint)
        }
        if text.contains("no such file or directory") { return .socketNotFound(endpoint: endpoint) }
        if text.contains("connection refused") || text.contains("cannot connect to the docker daemon") || text.contains("is the docker daemon running") {
            return .daemonDown(endpoint: endpoint, reason: shortened)
        }
        return .streamInterrupted(endpoint: endpoint, reason: shortened.isEmpty ? "dial-stdio exited with status \(exitStatus.map(String.init) ?? "unknown")" : shortened)
    }
}
