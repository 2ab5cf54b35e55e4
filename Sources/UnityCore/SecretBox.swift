import Crypto
import Foundation

/// The one place secrets are encrypted at rest: AES-256-GCM with the key id stored in every sealed
/// value (`unity:v1:<key id>:<base64 nonce|ciphertext|tag>`).
///
/// Each value is sealed with a *purpose* as associated data (for example
/// `system_secrets.jwt_signing_key`), so a ciphertext copied into another column does not open.
/// Several keys can be held at once: during a master key rotation the old key still opens what has
/// not been re-encrypted yet while every new seal uses the primary key.
public struct SecretBox: Sendable {
    public let primary: MasterKey
    private let keys: [String: MasterKey]

    public init(primary: MasterKey, others: [MasterKey] = []) {
        self.primary = primary
        var keys = [primary.id: primary]
        for key in others where keys[key.id] == nil { keys[key.id] = key }
        self.keys = keys
    }

    public var keyIDs: Set<String> { Set(keys.keys) }

    public func seal(_ plaintext: String, purpose: String) throws -> String {
        try seal(Data(plaintext.utf8), purpose: purpose)
    }

    public func seal(_ plaintext: Data, purpose: String) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: primary.key, authenticating: Data(purpose.utf8))
        guard let combined = box.combined else { throw SecretBoxError.sealFailed }
        return "unity:v1:\(primary.id):\(combined.base64EncodedString())"
    }

    public func openString(_ sealed: String, purpose: String) throws -> String {
        guard let text = String(data: try open(sealed, purpose: purpose), encoding: .utf8) else {
            throw SecretBoxError.notText
        }
        return text
    }

    public func open(_ sealed: String, purpose: String) throws -> Data {
        let keyID = try Self.keyID(of: sealed)
        guard let key = keys[keyID] else { throw SecretBoxError.unknownKey(keyID) }
        let parts = sealed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, let combined = Data(base64Encoded: String(parts[3])) else {
            throw SecretBoxError.malformed
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return try AES.GCM.open(box, using: key.key, authenticating: Data(purpose.utf8))
        } catch {
            throw SecretBoxError.authenticationFailed(keyID)
        }
    }

    /// The key id a sealed value names, without opening it.
    public static func keyID(of sealed: String) throws -> String {
        let parts = sealed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "unity", parts[1] == "v1" else { throw SecretBoxError.malformed }
        return String(parts[2])
    }

    public func isSealedWithPrimary(_ sealed: String) -> Bool {
        (try? Self.keyID(of: sealed)) == primary.id
    }
}

/// Errors never include the plaintext or the key, only the key id.
public enum SecretBoxError: Error, Equatable, CustomStringConvertible {
    case sealFailed
    case malformed
    case notText
    case unknownKey(String)
    case authenticationFailed(String)

    public var description: String {
        switch self {
        case .sealFailed: "sealing a secret failed"
        case .malformed: "a stored secret is not in Unity's sealed format"
        case .notText: "a stored secret is not UTF-8 text"
        case .unknownKey(let id): "a stored secret was sealed with master key \(id), which is not loaded"
        case .authenticationFailed(let id): "a stored secret does not open with master key \(id) (wrong key or tampered value)"
        }
    }
}
