import Crypto
import Foundation
import NIOSSH

/// A user private key as imported into Unity: OpenSSH `openssh-key-v1` text or PEM (PKCS#8, SEC1, PKCS#1).
/// Only unencrypted keys are accepted; decrypt once with `ssh-keygen -p` before import.
public struct SSHPrivateKey: Sendable {
    enum Backing: Sendable {
        case ed25519(Curve25519.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case p521(P521.Signing.PrivateKey)
        /// RSA never reaches swift-nio-ssh: we keep the text the OpenSSH client will read.
        case rsa(fileText: String)
    }

    let backing: Backing
    /// The SSH public-key blob (algorithm name + key fields), as in authorized_keys.
    let publicBlob: [UInt8]
    /// Comment stored in an openssh-key-v1 file (usually user@host), empty otherwise.
    public let comment: String

    init(backing: Backing, publicBlob: [UInt8], comment: String) {
        self.backing = backing
        self.publicBlob = publicBlob
        self.comment = comment
    }

    /// Parses any supported private-key text; detects the format from its armor line.
    public init(text: String) throws(SSHError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN OPENSSH PRIVATE KEY-----") {
            self = try OpenSSHKeyFormat.parse(trimmed)
        } else if trimmed.hasPrefix("-----BEGIN") {
            self = try PEMKeyFormat.parse(trimmed)
        } else {
            throw .invalidKey("not an OpenSSH or PEM private key")
        }
    }

    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`/`384`/`521` or `ssh-rsa`.
    public var algorithm: String {
        switch backing {
        case .ed25519: "ssh-ed25519"
        case .p256: "ecdsa-sha2-nistp256"
        case .p384: "ecdsa-sha2-nistp384"
        case .p521: "ecdsa-sha2-nistp521"
        case .rsa: "ssh-rsa"
        }
    }

    /// The public key exactly as `ssh-keygen -y -f KEY` prints it (with the comment when the file has one).
    public var publicKeyLine: String {
        let line = "\(algorithm) \(Data(publicBlob).base64EncodedString())"
        return comment.isEmpty ? line : "\(line) \(comment)"
    }

    /// `SHA256:…` exactly as `ssh-keygen -lf` prints it.
    public var fingerprint: String { HostKeyPin.fingerprint(ofBlob: Data(publicBlob)) }

    /// RSA keys can only be used through the system OpenSSH client.
    public var requiresOpenSSH: Bool {
        if case .rsa = backing { return true }
        return false
    }

    /// The key as swift-nio-ssh wants it, or nil for RSA.
    var nioKey: NIOSSHPrivateKey? {
        switch backing {
        case .ed25519(let key): NIOSSHPrivateKey(ed25519Key: key)
        case .p256(let key): NIOSSHPrivateKey(p256Key: key)
        case .p384(let key): NIOSSHPrivateKey(p384Key: key)
        case .p521(let key): NIOSSHPrivateKey(p521Key: key)
        case .rsa: nil
        }
    }

    /// Text for the 0600 file handed to `ssh -i`: openssh-key-v1 for ed25519/ECDSA (so every
    /// OpenSSH version reads it), the imported PEM/OpenSSH text for RSA.
    func openSSHFileText() -> String {
        if case .rsa(let text) = backing { return text + "\n" }
        return OpenSSHKeyFormat.serialize(self)
    }
}

extension SSHPrivateKey {
    /// A fresh Ed25519 key, for tests and for keys Unity generates itself.
    public static func generateEd25519(comment: String = "") -> SSHPrivateKey {
        let key = Curve25519.Signing.PrivateKey()
        return SSHPrivateKey(backing: .ed25519(key), publicBlob: KeyBlobs.ed25519(key.publicKey), comment: comment)
    }
}

/// Public-key blob builders shared by the parsers.
enum KeyBlobs {
    static func ed25519(_ key: Curve25519.Signing.PublicKey) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeString("ssh-ed25519")
        writer.writeString(Array(key.rawRepresentation))
        return writer.bytes
    }

    static func ecdsa(curve: String, point: Data) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeString("ecdsa-sha2-\(curve)")
        writer.writeString(curve)
        writer.writeString(Array(point))
        return writer.bytes
    }

    static func rsa(modulus: Data, exponent: Data) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeString("ssh-rsa")
        writer.writeUnsignedMPInt(Array(exponent))
        writer.writeUnsignedMPInt(Array(modulus))
        return writer.bytes
    }
}
