import Foundation
import Testing
import UnitySSH
import UnitySSHTestSupport
@testable import UnityCertificates

/// Acceptance: a TLS server on loopback is reloaded with the new certificate over a real SSH
/// connection and the served serial is checked; a deploy whose reload does nothing fails.
@Suite(
    .enabled(if: OpenSSLTool.available && SSHD.enabled, "needs openssl and sshd (apt-get install -y openssl openssh-server openssh-client)"),
    .serialized)
struct DeployTests {
    @Test func deployReloadsTheServerAndAReloadThatDoesNothingFails() async throws {
        let key = try TestKeys.ed25519()
        let sshd = try SSHD(authorizedKeys: [key.publicLine])
        defer { sshd.stop() }
        try await sshd.start()
        let server = try TestTLSServer()
        defer { server.stop() }
        let ca = try InternalCA.create(keyAlgorithm: .p256)
        let first = try ca.issue(LeafRequest(dnsNames: ["svc.test"], ipAddresses: [server.address]))
        try await server.start(certificatePEM: first.fullChainPEM, keyPEM: first.privateKeyPEM)

        let executor = NIOSSHTransport()
        let deployer = CertificateDeployer(executor: executor)
        let target = try sshd.target(.privateKey(try SSHPrivateKey(text: key.text)), transport: .nio)
        func plan(reload: RemoteCommand) -> DeploymentPlan {
            DeploymentPlan(
                certificatePath: server.certificatePath, keyPath: server.keyPath, owner: "root:root",
                certificateMode: "0644", keyMode: "0600", reload: reload,
                verifyHost: server.address, verifyPort: server.port, verifyServerName: "svc.test",
                verifyWindow: .seconds(4))
        }

        // 1. Renewed and reloaded: the service serves the new serial.
        let second = try ca.issue(LeafRequest(dnsNames: ["svc.test"], ipAddresses: [server.address]))
        let outcome = await deployer.deploy(
            DeployableCertificate(second), plan: plan(reload: RemoteCommand(argv: ["/bin/sh", server.reloadScript])), to: target)
        #expect(outcome == .deployed(verifiedSerial: second.certificate.serialHex), "\(outcome) — server log: \(server.log)")
        #expect(try String(contentsOfFile: server.certificatePath, encoding: .utf8) == second.fullChainPEM)
        #expect(try String(contentsOfFile: server.keyPath, encoding: .utf8) == second.privateKeyPEM)
        #expect(try Self.mode(server.keyPath) == 0o600 && Self.mode(server.certificatePath) == 0o644)
        // No temp file left next to the targets.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: server.directory + "/served")
        #expect(leftovers.sorted() == ["cert.pem", "key.pem"])

        // 2. Renewed again, but the "reload" is `true`: files change, the service does not.
        let third = try ca.issue(LeafRequest(dnsNames: ["svc.test"]))
        let unchanged = await deployer.deploy(DeployableCertificate(third), plan: plan(reload: RemoteCommand("true")), to: target)
        #expect(unchanged == .renewedButNotServed(servedSerial: second.certificate.serialHex))
        #expect(!unchanged.succeeded)

        // 3. A reload that exits non-zero is reported with its status and stderr.
        let failing = RemoteCommand(argv: ["/bin/sh", "-c", "echo 'nginx: [emerg] bad config' >&2; exit 3"])
        let failed = await deployer.deploy(DeployableCertificate(third), plan: plan(reload: failing), to: target)
        #expect(failed == .reloadFailed(exitStatus: 3, stderr: "nginx: [emerg] bad config"))

        // 4. A directory that does not exist: nothing is written, the path is named.
        var missing = plan(reload: RemoteCommand("true"))
        missing.certificatePath = server.directory + "/nope/cert.pem"
        let unwritten = await deployer.deploy(DeployableCertificate(third), plan: missing, to: target)
        guard case .writeFailed(let path, _) = unwritten else { Issue.record("got \(unwritten)"); return }
        #expect(path == server.directory + "/nope/cert.pem")
        // The key staged before the failure was removed, not left as a temp file.
        let afterFailure = try FileManager.default.contentsOfDirectory(atPath: server.directory + "/served")
        #expect(afterFailure.sorted() == ["cert.pem", "key.pem"])
        await executor.shutdown()
    }

    @Test func unreachableServiceIsReportedAsSuch() async throws {
        let address = Spawn.uniqueLoopbackAddress()
        let plan = DeploymentPlan(
            certificatePath: "/unused", keyPath: "/unused", reload: RemoteCommand("true"),
            verifyHost: address, verifyPort: try Spawn.freePort(on: address), verifyWindow: .milliseconds(600))
        let deployer = CertificateDeployer(executor: NIOSSHTransport())
        let outcome = await deployer.verify(serial: "01", plan: plan)
        guard case .verifyUnreachable(let message) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(message.contains(address))
    }

    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int) ?? -1
    }
}
