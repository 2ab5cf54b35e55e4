import Foundation
import UnitySSH

/// Which Compose program a host has, found by `ComposeProbe`. v2 is a Docker CLI plugin, v1 the
/// Python `docker-compose` 1.x, and `podman-compose` the Podman one; all three take the same
/// `-p/-f … pull SERVICE` and `up -d --no-deps SERVICE`.
public enum ComposeTool: String, Sendable, Codable, CaseIterable {
    case dockerComposeV2 = "docker compose"
    case dockerComposeV1 = "docker-compose"
    case podmanCompose = "podman-compose"

    var argv: [String] {
        switch self {
        case .dockerComposeV2: ["docker", "compose"]
        case .dockerComposeV1: ["docker-compose"]
        case .podmanCompose: ["podman-compose"]
        }
    }
}

/// One compose-managed service as the engine's labels describe it.
public struct ComposeService: Sendable, Equatable {
    public var project: String
    public var service: String
    public var workingDirectory: String
    public var configFiles: [String]

    public init(project: String, service: String, workingDirectory: String, configFiles: [String]) {
        self.project = project
        self.service = service
        self.workingDirectory = workingDirectory
        self.configFiles = configFiles
    }

    /// The file that defines the service's image: the last file given wins in Compose's merge, so
    /// the edit goes where a later file would not override it.
    public var primaryFile: String? { configFiles.last }
}

/// The command lines of one service's update, every value quoted. `engineSocket` is the socket
/// Unity reaches the engine on: Compose is pointed at the same engine, not at whatever its
/// default happens to be on that host.
public struct ComposeInvocation: Sendable, Equatable {
    public var tool: ComposeTool
    public var service: ComposeService
    public var engineSocket: String?

    public init(tool: ComposeTool, service: ComposeService, engineSocket: String?) {
        self.tool = tool
        self.service = service
        self.engineSocket = engineSocket
    }

    public var pull: RemoteCommand { command(["pull", service.service]) }
    /// `--no-deps`: only this service is recreated, never the databases it depends on.
    public var up: RemoteCommand { command(["up", "-d", "--no-deps", service.service]) }

    func command(_ arguments: [String]) -> RemoteCommand {
        var argv: [String] = []
        if let engineSocket { argv += ["env", "DOCKER_HOST=unix://\(engineSocket)"] }
        argv += tool.argv + ["-p", service.project]
        argv += service.configFiles.flatMap { ["-f", $0] }
        argv += arguments
        // Compose resolves relative paths (build contexts, env files, bind mounts) against the
        // project directory, so it runs from there.
        return RemoteCommand(argv: ["sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", service.workingDirectory] + argv)
    }
}

/// Finds the Compose program and whether Unity may read and write the project's files.
public enum ComposeProbe {
    public struct Result: Sendable, Equatable {
        public var tool: ComposeTool?
        public var readable: Set<String>
        public var writable: Set<String>
    }

    /// A constant script; the files arrive as its arguments (`sh -s -- FILE…`), never inside it.
    public static func command(files: [String], engineSocket: String?) -> RemoteCommand {
        let script = """
        [ -n "$UNITY_SOCKET" ] && export DOCKER_HOST="unix://$UNITY_SOCKET"
        if docker compose version >/dev/null 2>&1; then echo "tool=docker compose"
        elif command -v docker-compose >/dev/null 2>&1; then echo "tool=docker-compose"
        elif command -v podman-compose >/dev/null 2>&1; then echo "tool=podman-compose"
        else echo "tool="; fi
        for f in "$@"; do
          [ -r "$f" ] && printf 'readable=%s\\n' "$f"
          [ -w "$f" ] && [ -w "$(dirname "$f")" ] && printf 'writable=%s\\n' "$f"
        done
        exit 0
        """
        return RemoteCommand(argv: ["env", "UNITY_SOCKET=\(engineSocket ?? "")", "sh", "-s", "--"] + files)
            .withInput(Data(script.utf8))
    }

    /// Reads the probe's output. Unknown lines are ignored; a file name with a newline cannot be
    /// told apart and is simply not reported (so it is treated as unreadable).
    public static func parse(_ output: String) -> Result {
        var result = Result(tool: nil, readable: [], writable: [])
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("tool=") { result.tool = ComposeTool(rawValue: String(line.dropFirst(5))) }
            else if line.hasPrefix("readable=") { result.readable.insert(String(line.dropFirst(9))) }
            else if line.hasPrefix("writable=") { result.writable.insert(String(line.dropFirst(9))) }
        }
        return result
    }
}
