import Crypto
import Foundation
import UnitySSH

/// A public key as authorized_keys names it: key type + base64 blob. Identity is exactly these two
/// (decoded blob bytes compared), never a prefix and never the comment or options.
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, …, `ssh-rsa`, `sk-…@openssh.com`, `…-cert-v01@openssh.com`.
    public let algorithm: String
    /// The blob exactly as written in the line (kept for byte-identical output).
    public let blobBase64: String
    /// The decoded blob: equality and hashing use it, so two spellings of one key still match.
    public let blob: Data
    /// Trailing comment of the line it was parsed from ("" when none). Not part of identity.
    public let comment: String

    /// Key types sshd accepts in authorized_keys (plain keys, security keys, certificates).
    static let plainAlgorithms: Set<String> = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa", "ssh-dss",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]

    static func isAlgorithm<S: StringProtocol>(_ word: S) -> Bool {
        let word = String(word)
        if plainAlgorithms.contains(word) { return true }
        let suffix = "-cert-v01@openssh.com"
        guard word.hasSuffix(suffix) else { return false }
        let base = String(word.dropLast(suffix.count))
        // ssh-ed25519-cert-v01@openssh.com, sk-ssh-ed25519-cert-v01@openssh.com, …
        return plainAlgorithms.contains(base) || plainAlgorithms.contains(base + "@openssh.com")
    }

    /// Builds a key from its type and base64 blob; nil unless the blob decodes and names the same type
    /// (a blob of another type pasted under a wrong name is not this key).
    init?(algorithm: String, blobBase64: String, comment: String = "") {
        guard Self.isAlgorithm(algorithm), let blob = Data(base64Encoded: blobBase64), blob.count >= 4 else { return nil }
        let nameLength = blob.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard nameLength == algorithm.utf8.count, blob.count >= 4 + nameLength,
              blob.dropFirst(4).prefix(nameLength).elementsEqual(algorithm.utf8) else { return nil }
        self.algorithm = algorithm
        self.blobBase64 = blobBase64
        self.blob = blob
        self.comment = comment
    }

    /// Parses a public-key line `type base64 [comment]` (what `ssh-keygen -y` or a `.pub` file holds).
    public init(line: String) throws(KeyLineError) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) else { throw .notOneLine }
        let fields = trimmed.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count >= 2 else { throw .malformed("expected `type base64 [comment]`") }
        guard let key = PublicKey(algorithm: String(fields[0]), blobBase64: String(fields[1]),
                                  comment: fields.count > 2 ? String(fields[2]) : "") else {
            throw .malformed("unsupported key type or invalid key blob")
        }
        self = key
    }

    /// The public half of a key Unity holds. Built field by field (never by re-parsing the line) so
    /// an imported key whose comment holds a newline or NUL cannot trap or split a line: such
    /// characters become spaces.
    public init(_ privateKey: SSHPrivateKey) {
        let fields = privateKey.publicKeyLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        let blobBase64 = fields.count > 1 ? String(fields[1]) : ""
        self.algorithm = privateKey.algorithm
        self.blobBase64 = blobBase64
        self.blob = Data(base64Encoded: blobBase64) ?? Data()
        let comment = String(String.UnicodeScalarView(privateKey.comment.unicodeScalars.map {
            $0.properties.generalCategory == .control && $0 != "\t" ? " " : $0
        }))
        self.comment = comment.trimmingCharacters(in: .whitespaces)
    }

    /// `type base64 comment`, as it goes into authorized_keys.
    public var line: String { comment.isEmpty ? "\(algorithm) \(blobBase64)" : "\(algorithm) \(blobBase64) \(comment)" }

    /// `SHA256:…` as `ssh-keygen -lf` prints it.
    public var fingerprint: String {
        "SHA256:" + Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    public var description: String { "\(algorithm) \(fingerprint)" }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.algorithm == rhs.algorithm && lhs.blob == rhs.blob
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(algorithm)
        hasher.combine(blob)
    }
}

/// A key line Unity was asked to install or match is unusable.
public enum KeyLineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Contains a newline, carriage return or NUL: it would become several authorized_keys lines.
    case notOneLine
    case malformed(String)
    /// Options contain an unbalanced quote or a character that would end the line.
    case invalidOptions

    public var description: String {
        switch self {
        case .notOneLine: "a key line must be exactly one line"
        case .malformed(let why): "malformed public key: \(why)"
        case .invalidOptions: "invalid authorized_keys options"
        }
    }
}
