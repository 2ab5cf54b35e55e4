import Foundation
import NIOCore
import NIOPosix
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityParsers

/// Docker over TCP + TLS with a CA, server and client certificates made by the test (openssl),
/// and the daemon-killed-mid-stream case, each on a private dockerd.
@Suite("Real engines: TLS transport and failures")
struct EngineFailureTests {
    @Test func dockerOverTLSAndItsTrustErrors() async throws {
        let material = try TestTLSMaterial.make()
        let (daemon, port) = try TestEngine.privateDockerWithTLS(material)
        defer { daemon.kill() }
        let good = try TLSSocketTransport(host: "127.0.0.1", port: port, tls: ContainerTLSConfiguration(
            caPEM: material.caPEM, clientCertificatePEM: material.clientCertificatePEM, clientKeyPEM: material.clientKeyPEM))
        let engine = DockerAPIEngine(transport: good)
        let facts = try await engine.facts()
        #expect(facts.kind == .docker && facts.apiVersion == EngineAPIVersion(1, 41))
        #expect(try await engine.containers().isEmpty)
        // By name as well (SNI + DNS SAN).
        let byName = try TLSSocketTransport(host: "127.0.0.1", port: port, tls: ContainerTLSConfiguration(
            caPEM: material.caPEM, clientCertificatePEM: material.clientCertificatePEM, clientKeyPEM: material.clientKeyPEM,
            serverName: "localhost"))
        #expect(try await DockerAPIEngine(transport: byName).facts().kind == .docker)

        let wrongCA = try TLSSocketTransport(host: "127.0.0.1", port: port, tls: ContainerTLSConfiguration(
            caPEM: material.unrelatedCAPEM, clientCertificatePEM: material.clientCertificatePEM, clientKeyPEM: material.clientKeyPEM))
        await expectCode("container_engine_tls_server_not_trusted") { _ = try await DockerAPIEngine(transport: wrongCA).facts() }
        // (A wrong serverName is not tested: NIOSSL accepts a certificate whose IP SAN matches the
        // peer address whatever name was asked for, and the test certificate has IP:127.0.0.1.)

        let noClientCertificate = try TLSSocketTransport(host: "127.0.0.1", port: port, tls: ContainerTLSConfiguration(
            caPEM: material.caPEM, clientCertificatePEM: nil, clientKeyPEM: nil))
        await expectCode("container_engine_tls_client_certificate_rejected") {
            _ = try await DockerAPIEngine(transport: noClientCertificate).facts()
        }
        let stranger = try TLSSocketTransport(host: "127.0.0.1", port: port, tls: ContainerTLSConfiguration(
            caPEM: material.caPEM, clientCertificatePEM: material.strangerCertificatePEM, clientKeyPEM: material.strangerKeyPEM))
        await expectCode("container_engine_tls_client_certificate_rejected") { _ = try await DockerAPIEngine(transport: stranger).facts() }

        // Plain HTTP to the TLS port (explicitly allowed): Go's TLS server answers 400, not the API.
        let plain = try PlainTCPTransport(host: "127.0.0.1", port: port, allowInsecure: true)
        await expectCode("container_engine_invalid_response") { _ = try await DockerAPIEngine(transport: plain).facts() }
    }

    @Test func daemonKilledMidFollowEndsTheStreamWithAClearError() async throws {
        let daemon = try TestEngine.privateDocker(importImage: true)
        var killed = false
        defer { if !killed { daemon.kill() } }
        let engine = DockerAPIEngine(transport: daemon.transport)
        try daemon.cli(["run", "-d", "--name", "ticker", "--network", "host", TestEngine.image, "sh", "-c", "while true; do echo tick; sleep 0.1; done"])
        let stream = try await engine.logs("ticker", tail: 0, since: nil, follow: true, timestamps: false)
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next()?.text == "tick")
        daemon.kill()
        killed = true
        let started = ContinuousClock.now
        var ending: (any Error)?
        do {
            while try await iterator.next() != nil {}
        } catch {
            ending = error
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        let error = try #require(ending as? ContainerEngineError)
        #expect(error.code == "container_engine_stream_interrupted")
        #expect(error.isUnreachable)
        // The pool does not hand out a dead connection: the next call says the daemon is down.
        await expectCode("container_engine_down") { _ = try await engine.facts() }
    }

    /// A FAKE engine (a tiny unix-socket HTTP server in this test), allowed by issue 15 for this
    /// case only: no real daemon older than API 1.41 can be installed here.
    @Test func engineOfferingAnOldAPIIsTooOld() async throws {
        let directory = try TestCommand.temporaryDirectory("unity-oldapi")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/docker.sock"
        let server = try await OldEngineServer.start(at: path)
        defer { server.stop() }
        do {
            _ = try await DockerAPIEngine(transport: UnixSocketTransport(path: path)).facts()
            Issue.record("expected an error")
        } catch let error as ContainerEngineError {
            #expect(error == .apiTooOld(daemonMaximum: "1.30", unityMinimum: "1.41"))
            #expect(error.code == "container_engine_api_too_old")
            #expect(error.message.contains("Upgrade the engine"))
        }
    }

    private func expectCode(_ code: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code)", sourceLocation: sourceLocation)
        } catch let error as ContainerEngineError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("not a ContainerEngineError: \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Answers like Docker 17.06 (API 1.30): `/_ping` and `/version`, keep-alive.
final class OldEngineServer: @unchecked Sendable {
    private let channel: any Channel

    private init(channel: any Channel) { self.channel = channel }

    static func start(at path: String) async throws -> OldEngineServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(Responder()) }
            }
            .bind(unixDomainSocketPath: path)
            .get()
        return OldEngineServer(channel: channel)
    }

    func stop() { channel.close(promise: nil) }

    final class Responder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private var pending: [UInt8] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            pending += buffer.readBytes(length: buffer.readableBytes) ?? []
            while let end = headEnd() {
                let head = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeFirst(end + 4)
                let requestLine = head.split(separator: "\r\n").first ?? ""
                let body: String
                if requestLine.contains("/_ping") {
                    body = requestLine.hasPrefix("HEAD") ? "" : "OK"
                } else if requestLine.contains("/version") {
                    body = #"{"Version":"17.06.0-ce","ApiVersion":"1.30","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}"#
                } else {
                    body = #"{"message":"page not found"}"#
                }
                let status = requestLine.contains("/_ping") || requestLine.contains("/version") ? "200 OK" : "404 Not Found"
                let length = requestLine.hasPrefix("HEAD") ? 2 : body.utf8.count
                let response = "HTTP/1.1 \(status)\r\nApi-Version: 1.30\r\nContent-Type: application/json\r\nContent-Length: \(length)\r\n\r\n\(body)"
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: response)), promise: nil)
            }
        }

        private func headEnd() -> Int? {
            guard pending.count >= 4 else { return nil }
            for index in 0...(pending.count - 4) where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
                return index
            }
            return nil
        }
    }
}
