import Crypto
import Foundation

/// One trusted host key: what Unity stores per server and compares on every handshake.
/// Comparison is on the exact public-key blob, never on a fingerprint prefix.
public struct HostKeyPin: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, …, `ssh-rsa`.
    public let algorithm: String
    /// The public-key blob, base64 as in known_hosts.
    public let keyBase64: String

    /// Builds a pin from an algorithm and blob, checking that the blob names the same algorithm.
    public init(algorithm: String, keyBase64: String) throws(SSHError) {
        guard Self.knownAlgorithms.contains(algorithm) else {
            throw .invalidHostKeyLine("unsupported key type \(algorithm)")
        }
        guard let blob = Data(base64Encoded: keyBase64), !blob.isEmpty else {
            throw .invalidHostKeyLine("key is not valid base64")
        }
        var reader = SSHWireReader(Array(blob))
        guard (try? reader.readText()) == algorithm else {
            throw .invalidHostKeyLine("key blob does not match its type \(algorithm)")
        }
        self.algorithm = algorithm
        self.keyBase64 = keyBase64
    }

    /// Parses a pasted public key (`ssh-ed25519 AAAA… comment`) or one known_hosts line
    /// (`host[,host…] ssh-ed25519 AAAA…`, plain or hashed). `@revoked`/`@cert-authority` lines are refused:
    /// they do not name a single trusted key.
    public init(line: String) throws(SSHError) {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let first = fields.first else { throw .invalidHostKeyLine("empty line") }
        if first.hasPrefix("@") { throw .invalidHostKeyLine("marker \(first) is not supported") }
        if Self.knownAlgorithms.contains(first), fields.count >= 2 {
            try self.init(algorithm: first, keyBase64: fields[1])
        } else if fields.count >= 3 {
            try self.init(algorithm: fields[1], keyBase64: fields[2])
        } else {
            throw .invalidHostKeyLine("expected `type base64` or `host type base64`")
        }
    }

    /// The pins in a known_hosts text that apply to `host:port` (plain names, `[host]:port` and hashed `|1|` entries).
    public static func pins(inKnownHosts text: String, host: String, port: Int = 22) -> [HostKeyPin] {
        let name = port == 22 ? host : "[\(host)]:\(port)"
        return text.split(whereSeparator: \.isNewline).compactMap { raw -> HostKeyPin? in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("@"),
                  let hosts = line.split(separator: " ").first,
                  hosts.split(separator: ",").contains(where: { Self.hostPattern(String($0), matches: name) })
            else { return nil }
            return try? HostKeyPin(line: line)
        }
    }

    private static func hostPattern(_ pattern: String, matches name: String) -> Bool {
        guard pattern.hasPrefix("|1|") else { return pattern == name }
        // Hashed entry: |1|base64(salt)|base64(HMAC-SHA1(salt, name)).
        let parts = pattern.split(separator: "|")
        guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
              let hash = Data(base64Encoded: String(parts[2])) else { return false }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.utf8), using: SymmetricKey(data: salt))
        return Data(mac) == hash
    }

    /// `SHA256:…` exactly as `ssh-keygen -lf` prints it (unpadded base64 of the blob's SHA-256).
    public var fingerprint: String {
        let blob = Data(base64Encoded: keyBase64) ?? Data()
        return Self.fingerprint(ofBlob: blob)
    }

    /// `ssh-ed25519 AAAA…`, the form `authorized_keys` and pasted keys use.
    public var openSSHLine: String { "\(algorithm) \(keyBase64)" }

    public var description: String { "\(algorithm) \(fingerprint)" }

    /// A known_hosts line for this pin, as OpenSSH expects it for `host:port`.
    public func knownHostsLine(host: String, port: Int) -> String {
        "\(port == 22 ? host : "[\(host)]:\(port)") \(algorithm) \(keyBase64)"
    }

    /// True when swift-nio-ssh can verify this key type (everything but RSA).
    public var isNIOCompatible: Bool { algorithm != "ssh-rsa" }

    static func fingerprint(ofBlob blob: Data) -> String {
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString()
        return "SHA256:" + digest.replacingOccurrences(of: "=", with: "")
    }

    static let knownAlgorithms: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    ]
}
