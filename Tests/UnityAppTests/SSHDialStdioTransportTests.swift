import Foundation
import Testing
import UnityApp
import UnityContainers
import UnityContainersTestSupport
import UnitySSH
import UnitySSHTestSupport

/// Docker and Podman started by the test, reached over a real sshd through `SSHDialStdioTransport`.
@Suite(.enabled(if: SSHD.enabled), .serialized)
struct SSHDialStdioTransportTests {
    private static func withServer(extraConfig: [String] = [], _ body: (SSHD, NIOSSHTransport) async throws -> Void) async throws {
        let key = try TestKeys.ed25519()
        try await withSSHD(authorizedKeys: [key.publicLine.trimmingCharacters(in: .newlines)], extraConfig: extraConfig) { sshd in
            let executor = NIOSSHTransport()
            do { try await body(sshd, executor) } catch {
                await executor.shutdown()
                throw error
            }
            await executor.shutdown()
        }
    }

    private static func rootTarget(_ sshd: SSHD) throws -> SSHTarget {
        try sshd.target(.privateKey(SSHPrivateKey(text: TestKeys.ed25519().text)))
    }

    @Test(arguments: [ContainerEngineKind.docker, .podman])
    func factsAndContainersOverSSHOnOneReusedStream(kind: ContainerEngineKind) async throws {
        let test = kind == .docker ? try TestEngine.docker() : try TestEngine.podman()
        try await Self.withServer { sshd, executor in
            let transport = SSHDialStdioTransport(executor: executor, target: try Self.rootTarget(sshd), engine: kind,
                                                  options: .init(socketPath: test.socketPath))
            let counting = CountingTransport(transport)
            let engine = DockerAPIEngine(transport: counting)
            let facts = try await engine.facts()
            #expect(facts.kind == kind)
            _ = try await engine.containers()
            _ = try await engine.images()
            #expect(counting.opened.withLock { $0 } == 1, "several requests should share one dial-stdio stream")
        }
    }

    @Test func dockerMissingOnThePathIsEngineNotInstalled() async throws {
        try await Self.withServer(extraConfig: ["SetEnv PATH=/nonexistent"]) { sshd, executor in
            let transport = SSHDialStdioTransport(executor: executor, target: try Self.rootTarget(sshd), engine: .docker)
            let error = await Self.engineError { _ = try await DockerAPIEngine(transport: transport).facts() }
            #expect(error?.code == "container_engine_not_installed", "\(String(describing: error))")
        }
    }

    @Test func aSocketTheUserMayNotOpenIsPermissionDenied() async throws {
        let docker = try TestEngine.docker()
        try SSHD.ensurePasswordUser()
        try await Self.withServer { sshd, executor in
            let target = try sshd.target(.password(SSHD.password), user: SSHD.passwordUser)
            let transport = SSHDialStdioTransport(executor: executor, target: target, engine: .docker,
                                                  options: .init(socketPath: docker.socketPath))
            let error = await Self.engineError { _ = try await DockerAPIEngine(transport: transport).facts() }
            #expect(error?.code == "container_engine_permission_denied", "\(String(describing: error))")
        }
    }

    @Test func aDaemonKilledMidStreamIsAClearErrorAndSSHStillWorks() async throws {
        let docker = try TestEngine.privateDocker()
        try await Self.withServer { sshd, executor in
            let target = try Self.rootTarget(sshd)
            let transport = SSHDialStdioTransport(executor: executor, target: target, engine: .docker,
                                                  options: .init(socketPath: docker.socketPath))
            let connection = EngineHTTPConnection(stream: try await transport.openStream(), endpoint: transport.endpointDescription)
            let head = try await connection.start(HTTPRequest(method: "GET", target: "/v1.41/events"))
            #expect(head?.status == 200)
            docker.kill()
            let killedAt = ContinuousClock.now
            let error = await Self.engineError { while try await connection.nextBodyChunk() != nil {} }
            #expect(error?.isUnreachable == true, "\(String(describing: error))")
            #expect(ContinuousClock.now - killedAt < .seconds(10))
            await connection.close()
            #expect(try await executor.run(RemoteCommand("echo still"), on: target).stdoutText == "still\n")
            let down = await Self.engineError { _ = try await DockerAPIEngine(transport: transport).facts() }
            #expect(down?.isUnreachable == true, "\(String(describing: down))")
        }
    }

    static func engineError(_ body: () async throws -> Void) async -> ContainerEngineError? {
        do {
            try await body()
            return nil
        } catch let error as ContainerEngineError {
            return error
        } catch {
            return .invalidResponse(reason: "unexpected \(error)")
        }
    }
}

/// Counts the streams the engine client opens (one keep-alive stream should carry many requests).
final class CountingTransport: ContainerTransport {
    let inner: any ContainerTransport
    let opened = LockedCounter()

    init(_ inner: any ContainerTransport) { self.inner = inner }

    var endpointDescription: String { inner.endpointDescription }

    func openStream() async throws -> any ContainerByteStream {
        opened.withLock { $0 += 1 }
        return try await inner.openStream()
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func withLock<T>(_ body: (inout Int) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
