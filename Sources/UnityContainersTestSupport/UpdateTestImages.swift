import Foundation
import UnityContainers

/// The three versions of a small busybox app that the update tests move between (issue 17), built
/// once per process with the test dockerd and pushed to a registry the caller started:
/// * v1 and v2: HEALTHCHECK `/bin/true` every second, image labels and env that differ per version;
/// * v3: HEALTHCHECK `/bin/false` (unhealthy within ~2 s), and it exits 1 after 3 s, so an engine
///   whose healthchecks do not run (Podman without systemd timers) fails its stability gate too.
/// Every version traps SIGTERM, so stops take under a second.
public struct UpdateTestImages: Sendable {
    public struct Version: Sendable {
        /// `HOST/unity-update-app:v2`.
        public var reference: String
        /// The manifest digest in the registry (`sha256:…`).
        public var digest: String
        /// The image id in the building dockerd.
        public var imageID: String
    }

    public var registryHost: String
    public var repository: String
    public var v1: Version
    public var v2: Version
    public var v3: Version

    private static let built = LockedResult<UpdateTestImages>()

    /// Built and pushed on first use; `registryHost` is `127.0.0.1:PORT` (Docker treats 127.0.0.0/8 as
    /// an insecure registry, so plain HTTP works without daemon configuration).
    public static func shared(registryHost: String) throws -> UpdateTestImages {
        try built.get { try build(registryHost: registryHost) }
    }

    static func build(registryHost: String) throws -> UpdateTestImages {
        let docker = try TestEngine.docker()
        let repository = "\(registryHost)/unity-update-app"
        func version(_ tag: String, healthy: Bool) throws -> Version {
            let dir = try TestCommand.temporaryDirectory("unity-img-\(tag)")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let script = healthy
                ? "trap 'exit 0' TERM; echo app $APP_VERSION started; while true; do sleep 1; done"
                : "trap 'exit 0' TERM; echo app $APP_VERSION broken; sleep 3; echo v3 gives up; exit 1"
            let dockerfile = """
            FROM \(TestEngine.image)
            LABEL org.example.version=\(tag) org.example.app=unity-update-app
            ENV APP_VERSION=\(tag) APP_MODE=image-default
            WORKDIR /
            HEALTHCHECK --interval=1s --timeout=2s --retries=1 CMD ["\(healthy ? "/bin/true" : "/bin/false")"]
            CMD ["/bin/sh", "-c", "\(script)"]
            """
            try dockerfile.write(toFile: "\(dir)/Dockerfile", atomically: true, encoding: .utf8)
            let reference = "\(repository):\(tag)"
            try docker.cli(["build", "-q", "-t", reference, dir])
            try docker.cli(["push", reference])
            let imageID = try docker.cli(["image", "inspect", "-f", "{{.Id}}", reference]).trimmingCharacters(in: .whitespacesAndNewlines)
            let repoDigest = try docker.cli(["image", "inspect", "-f", "{{index .RepoDigests 0}}", reference]).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let at = repoDigest.firstIndex(of: "@") else { throw TestCommand.Failure(description: "no repo digest for \(reference)") }
            return Version(reference: reference, digest: String(repoDigest[repoDigest.index(after: at)...]), imageID: imageID)
        }
        let v1 = try version("v1", healthy: true)
        let v2 = try version("v2", healthy: true)
        let v3 = try version("v3", healthy: false)
        // The candidates leave the engine again, so the first update really pulls them.
        for candidate in [v2, v3] { _ = try? docker.cli(["rmi", candidate.reference]) }
        return UpdateTestImages(registryHost: registryHost, repository: repository, v1: v1, v2: v2, v3: v3)
    }
}

/// A value made once, on first use, by the first caller's closure (thread-safe).
final class LockedResult<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Value, any Error>?

    func get(_ make: () throws -> Value) throws -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let result { return try result.get() }
        let made = Result { try make() }
        result = made
        return try made.get()
    }
}
