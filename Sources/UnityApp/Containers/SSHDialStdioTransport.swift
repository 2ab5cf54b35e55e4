import UnityContainers
import UnitySSH

/// The SSH route to a container engine: each stream is an exec channel on the server's pooled SSH
/// connection running `docker system dial-stdio` (or Podman's), which relays the engine's API
/// socket over the channel's stdin/stdout. UnityContainers never sees SSH: this adapter is the port.
public struct SSHDialStdioTransport: ContainerTransport {
    public struct Options: Sendable, Equatable {
        /// Run the engine's CLI through `sudo -n` (the target's sudo policy then applies).
        public var sudo: Bool
        /// A non-default API socket (`--host unix://PATH` for Docker, `--url unix://PATH` for Podman).
        public var socketPath: String?

        public init(sudo: Bool = false, socketPath: String? = nil) {
            self.sudo = sudo
            self.socketPath = socketPath
        }
    }

    public let executor: any SSHStreamingExecutor
    public let target: SSHTarget
    public let engine: ContainerEngineKind
    public let options: Options
    public let openTimeout: Duration

    public init(
        executor: any SSHStreamingExecutor, target: SSHTarget, engine: ContainerEngineKind, options: Options = Options(),
        openTimeout: Duration = .seconds(30)
    ) {
        self.executor = executor
        self.target = target
        self.engine = engine
        self.options = options
        self.openTimeout = openTimeout
    }

    public var endpointDescription: String {
        let socket = options.socketPath.map { " unix://\($0)" } ?? ""
        return "ssh://\(target.username)@\(target.endpoint) (\(engine == .podman ? "podman" : "docker") dial-stdio\(socket))"
    }

    /// `docker [--host unix://PATH] system dial-stdio`, every word quoted.
    var command: RemoteCommand {
        var argv = [engine == .podman ? "podman" : "docker"]
        if let socketPath = options.socketPath { argv += [engine == .podman ? "--url" : "--host", "unix://\(socketPath)"] }
        argv += ["system", "dial-stdio"]
        return RemoteCommand(argv: argv, privileged: options.sudo)
    }

    public func openStream() async throws -> any ContainerByteStream {
        do {
            let stream = try await executor.openStream(command, on: target, openTimeout: openTimeout, maxStderr: 16 << 10)
            return SSHDialStdioByteStream(stream: stream, endpoint: endpointDescription)
        } catch let error as SSHError {
            throw SSHDialStdioByteStream.map(error, endpoint: endpointDescription)
        }
    }
}
