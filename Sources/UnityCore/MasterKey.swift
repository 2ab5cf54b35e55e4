import Crypto
import Foundation

/// The key that encrypts every secret at rest. Its id is derived from the key itself, so a
/// ciphertext names the key that made it and a wrong key is recognised instead of producing garbage.
public struct MasterKey: Sendable, Equatable {
    public let id: String
    public let key: SymmetricKey

    public init(base64: String) throws(ConfigError) {
        try Self.validate(base64, setting: "master key")
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ConfigError(setting: "master key", reason: "not base64")
        }
        self.init(data: data)
    }

    init(data: Data) {
        self.key = SymmetricKey(data: data)
        let digest = SHA256.hash(data: Data("unity-master-key-id:".utf8) + data)
        self.id = digest.prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    public static func generate() -> MasterKey { MasterKey(data: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }) }

    public var base64: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    public static func validate(_ base64: String, setting: String) throws(ConfigError) {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ConfigError(setting: setting, reason: "must be base64 of 32 random bytes (for example `openssl rand -base64 32`)")
        }
        guard data.count == 32 else {
            throw ConfigError(setting: setting, reason: "must decode to 32 bytes, got \(data.count)")
        }
    }

    public static func == (lhs: MasterKey, rhs: MasterKey) -> Bool { lhs.id == rhs.id }
}
