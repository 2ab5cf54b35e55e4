import Foundation
import Testing
@testable import UnitySSH

/// An OpenSSH host certificate made by `ssh-keygen -s ca -I host-7 -h -n nas.homelab.test,10.0.0.5
/// -z 18446744073709551000 -V 20300101000000Z:20300201000000Z` (an ECDSA CA certifying an Ed25519 key).
@Suite struct OpenSSHCertificateTests {
    static let certificate = "ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29tAAAAINz8q5v5QC2eomDdGCGIouyej9MuRhdUb43lL7YI44VFAAAAIOsmegsoK/tH4vRJELYR55Rr2mLqhtPRdnvwZG4tnYgR/////////ZgAAAACAAAABmhvc3QtNwAAACAAAAAQbmFzLmhvbWVsYWIudGVzdAAAAAgxMC4wLjAuNQAAAABw29iAAAAAAHEEtwAAAAAAAAAAAAAAAAAAAABoAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBJQJWzrG0zKTANF+XsdRsoLtWU+mx3o7Q6uFzsj403qjFfA7Rsx8hFy+xXA40QRyy1pdHoTBSc1BPd6yUDMu1zYAAABkAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAABJAAAAIQD3SGMywBoicRj2YF7rddKqRlCHxvoiqd5D1LBvVpwHFgAAACBPvLAbd2LYVB7UjhdoDqKtUZWwoBv8IptfYFvz5nzc4A== k"
    static let publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOsmegsoK/tH4vRJELYR55Rr2mLqhtPRdnvwZG4tnYgR k"

    @Test func readsWhatSSHKeygenWrote() throws {
        let parsed = try OpenSSHCertificate(line: Self.certificate)
        #expect(parsed.keyType == "ssh-ed25519-cert-v01@openssh.com")
        #expect(parsed.kind == .host && parsed.keyID == "host-7")
        #expect(parsed.serial == 18_446_744_073_709_551_000)
        #expect(parsed.principals == ["nas.homelab.test", "10.0.0.5"])
        #expect(parsed.validAfter == ISO8601DateFormatter().date(from: "2030-01-01T00:00:00Z"))
        #expect(parsed.validBefore == ISO8601DateFormatter().date(from: "2030-02-01T00:00:00Z"))
        #expect(parsed.publicKeyFields == (try OpenSSHCertificate.publicKeyFields(ofPublicKeyLine: Self.publicKey)))
    }

    @Test func refusesWhatIsNotACertificate() {
        #expect(throws: SSHError.self) { try OpenSSHCertificate(line: Self.publicKey) }
        #expect(throws: SSHError.self) { try OpenSSHCertificate(line: "ssh-ed25519-cert-v01@openssh.com AAAA") }
        let truncated = String(Self.certificate.prefix(120))
        #expect(throws: SSHError.self) { try OpenSSHCertificate(line: truncated) }
    }
}
