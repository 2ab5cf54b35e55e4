import Foundation
import UnitySSHTestSupport
import Testing
@testable import UnitySSH

struct HostKeyPinTests {
    // A real ed25519 host key (public part only).
    static let ed = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    static let other = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH0Af4bw9JhgBv6cvwWnAvWDFbnhl3LR7xXGWYqLlyIO"

    @Test func pastedKeyAndKnownHostsLineGiveTheSamePin() throws {
        let pasted = try HostKeyPin(line: Self.ed + " root@nas")
        let known = try HostKeyPin(line: "[10.0.0.5]:2222,nas " + Self.ed)
        #expect(pasted == known)
        #expect(pasted.algorithm == "ssh-ed25519")
        #expect(pasted.fingerprint.hasPrefix("SHA256:"))
        #expect(!pasted.fingerprint.hasSuffix("="))
        #expect(pasted.knownHostsLine(host: "nas", port: 2222) == "[nas]:2222 " + Self.ed)
        #expect(pasted.knownHostsLine(host: "nas", port: 22) == "nas " + Self.ed)
    }

    @Test func refusesMarkersMismatchedTypesAndJunk() {
        #expect(throws: SSHError.self) { try HostKeyPin(line: "@revoked * " + Self.ed) }
        #expect(throws: SSHError.self) { try HostKeyPin(line: "@cert-authority * " + Self.ed) }
        #expect(throws: SSHError.self) { try HostKeyPin(line: "ecdsa-sha2-nistp256 " + Self.ed.split(separator: " ")[1]) }
        #expect(throws: SSHError.self) { try HostKeyPin(line: "ssh-ed25519 not-base64!") }
        #expect(throws: SSHError.self) { try HostKeyPin(line: "ssh-dss AAAA") }
        #expect(throws: SSHError.self) { try HostKeyPin(line: "") }
    }

    @Test func findsPinsForAHostInAKnownHostsFileIncludingHashedEntries() throws {
        // The hashed form comes from the real `ssh-keygen -H`.
        let hashed = try hashedName("[nas]:2222")
        let text = """
        # comment
        other.example \(Self.other)
        \(hashed) \(Self.ed)
        @revoked [nas]:2222 \(Self.other)
        """
        let pins = HostKeyPin.pins(inKnownHosts: text, host: "nas", port: 2222)
        #expect(pins == [try HostKeyPin(line: Self.ed)])
        #expect(HostKeyPin.pins(inKnownHosts: text, host: "nas", port: 22).isEmpty)
    }

    private func hashedName(_ name: String) throws -> String {
        let dir = try Shell.temporaryDirectory()
        let file = dir + "/kh"
        try "\(name) \(Self.ed)\n".write(toFile: file, atomically: true, encoding: .utf8)
        try Shell.run("/usr/bin/ssh-keygen", ["-H", "-f", file])
        let hashed = try String(contentsOfFile: file, encoding: .utf8)
        return String(hashed.split(separator: " ")[0])
    }

    @Test func verifierRefusesEverythingNotPinned() throws {
        let pin = try HostKeyPin(line: Self.ed)
        let other = try HostKeyPin(line: Self.other)
        #expect(HostKeyVerifier.refusal(presented: pin, policy: .pinned([pin])) == nil)
        #expect(HostKeyVerifier.refusal(presented: other, policy: .pinned([pin])) == .hostKeyChanged(expected: [pin], presented: other))
        #expect(HostKeyVerifier.refusal(presented: pin, policy: .pinned([])) == .hostKeyUnknown(presented: pin))
        #expect(HostKeyVerifier.refusal(presented: pin, policy: .trustOnFirstUse) == nil)
        let rsaOnly = try HostKeyPin(line: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7")
        #expect(HostKeyVerifier.refusal(presented: pin, policy: .pinned([rsaOnly])) == .hostKeyAlgorithmNotPinned(presented: pin))
    }
}
