import Foundation

/// `docker-compose` 1.29 (Debian's package, installed like the engines when missing) against a
/// test engine's own socket: a Compose project brought up by a test, never against a system daemon.
public struct TestCompose: Sendable {
    public let engine: TestEngine
    public let projectName: String
    public let directory: String
    public let file: String

    /// Writes `yaml` as `docker-compose.yml` in a fresh directory for project `projectName`.
    public init(engine: TestEngine, projectName: String, yaml: String) throws {
        try TestCommand.ensurePackages(["/usr/bin/docker-compose": "docker-compose"])
        self.engine = engine
        self.projectName = projectName
        directory = try TestCommand.temporaryDirectory("unity-compose")
        file = "\(directory)/docker-compose.yml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
    }

    @discardableResult
    public func run(_ arguments: [String]) throws -> String {
        try TestCommand.run("/usr/bin/docker-compose", ["--project-directory", directory, "-f", file, "-p", projectName] + arguments,
                            environment: ["DOCKER_HOST": "unix://\(engine.socketPath)", "COMPOSE_INTERACTIVE_NO_CLI": "1"])
    }

    /// `down -v` (containers, the project's named volumes and anonymous ones), then the directory.
    public func tearDown() {
        _ = try? run(["down", "-v", "--timeout", "0"])
        try? FileManager.default.removeItem(atPath: directory)
    }
}
