import Foundation

/// The contract fake of step-ca (`scripts/testbed/stepca_fake.py`) on a free loopback port, over
/// TLS under its own root. No step-ca server can run on the test machine, so this stands in for
/// one: it verifies one-time tokens as step-ca does and really signs (X.509 and OpenSSH).
/// Needs python3 with `cryptography` (Debian's python3-cryptography, or the test venv).
public struct StepCAFake: Sendable {
    public let url: String
    public let directory: URL
    public let rootPEM: String
    public let rootFingerprint: String
    public let provisionerName: String
    /// step-ca's `encryptedKey` for the provisioner, under the password the fake was started with.
    public let encryptedKey: String
    /// The provisioner's private JWK (JSON text), for the plain-JWK path.
    public let privateJWK: String
    /// The SSH CA's public key line, for checking who signed a certificate.
    public let sshCAPublicKey: String
    let peer: Peer

    /// What the fake answered, one entry per request: method, path, status, refusal message.
    public func requests() -> [[String: Any]] { peer.records() }

    /// Runs `body` with a fresh fake; stops it on every path.
    public static func with<T>(password: String, provisioner: String = "unity@homelab.test",
                               _ body: (StepCAFake) async throws -> T) async throws -> T {
        try await withPeer(script: "stepca_fake.py", arguments: ["--dir", "$DIR", "--provisioner", provisioner, "--password", password]) { peer in
            let read = { (name: String) throws -> String in
                try String(contentsOf: peer.directory.appending(path: name), encoding: .utf8)
            }
            let provisioners = try JSONSerialization.jsonObject(with: Data(try read("provisioner.json").utf8)) as? [String: Any]
            let fake = StepCAFake(url: "https://127.0.0.1:\(peer.port)", directory: peer.directory, rootPEM: try read("root.pem"),
                                  rootFingerprint: try read("root_fingerprint"), provisionerName: provisioner,
                                  encryptedKey: provisioners?["encryptedKey"] as? String ?? "", privateJWK: try read("provisioner_private.json"),
                                  sshCAPublicKey: try read("ssh_user_ca.pub"), peer: peer)
            return try await body(fake)
        }
    }
}
