import Crypto
import Foundation

/// The one place secrets are encrypted at rest: AES-256-GCM with the key id stored in every sealed
/// value (`unity:v2:<key id>:<base64 nonce|ciphertext|tag>`).
///
/// Each value is sealed with associated data naming its *purpose* (for example
/// `system_secrets.jwt_signing_key`) and, from `v2` on, the row it belongs to (table, column, row
/// id), so a ciphertext copied into another column or another row does not open. `v1` values
/// (purpose only, written before row binding) still open; rotation re-seals them as `v2`. The
/// version is part of the sealed text, so a `v2` value cannot be relabelled `v1` to skip the row
/// check: its tag was computed over the row-bound data.
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

    /// Seals without a row (`v1`): only for values that live outside a table row.
    public func seal(_ plaintext: String, purpose: String) throws -> String {
        try seal(Data(plaintext.utf8), purpose: purpose)
    }

    public func seal(_ plaintext: Data, purpose: String) throws -> String {
        try seal(plaintext, version: "v1", associatedData: Data(purpose.utf8))
    }

    /// Seals a value stored in one row (`v2`): it opens only with the same purpose and row.
    public func seal(_ plaintext: String, purpose: String, row: SealedRow) throws -> String {
        try seal(Data(plaintext.utf8), version: "v2", associatedData: row.associatedData(purpose: purpose))
    }

    public func openString(_ sealed: String, purpose: String) throws -> String {
        try openString(sealed, purpose: purpose, row: nil)
    }

    public func open(_ sealed: String, purpose: String) throws -> Data {
        try open(sealed, purpose: purpose, row: nil)
    }

    public func openString(_ sealed: String, purpose: String, row: SealedRow?) throws -> String {
        guard let text = String(data: try open(sealed, purpose: purpose, row: row), encoding: .utf8) else {
            throw SecretBoxError.notText
        }
        return text
    }

    /// Opens a `v1` value with its purpose, a `v2` value with its purpose and row.
    public func open(_ sealed: String, purpose: String, row: SealedRow?) throws -> Data {
        let (version, keyID, combined) = try Self.parts(of: sealed)
        guard let key = keys[keyID] else { throw SecretBoxError.unknownKey(keyID) }
        let associatedData: Data
        if version == "v1" {
            associatedData = Data(purpose.utf8)
        } else {
            guard let row else { throw SecretBoxError.rowRequired }
            associatedData = row.associatedData(purpose: purpose)
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return try AES.GCM.open(box, using: key.key, authenticating: associatedData)
        } catch {
            throw row == nil || version == "v1" ? SecretBoxError.authenticationFailed(keyID) : SecretBoxError.notThisRow(keyID)
        }
    }

    /// The key id a sealed value names, without opening it.
    public static func keyID(of sealed: String) throws -> String { try parts(of: sealed).keyID }

    public func isSealedWithPrimary(_ sealed: String) -> Bool {
        (try? Self.keyID(of: sealed)) == primary.id
    }

    /// Sealed with the primary key and bound to its row: nothing left for a rotation to do.
    public func isCurrent(_ sealed: String) -> Bool {
        guard let parts = try? Self.parts(of: sealed) else { return false }
        return parts.version == "v2" && parts.keyID == primary.id
    }

    private func seal(_ plaintext: Data, version: String, associatedData: Data) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: primary.key, authenticating: associatedData)
        guard let combined = box.combined else { throw SecretBoxError.sealFailed }
        return "unity:\(version):\(primary.id):\(combined.base64EncodedString())"
    }

    private static func parts(of sealed: String) throws -> (version: String, keyID: String, combined: Data) {
        let parts = sealed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "unity", parts[1] == "v1" || parts[1] == "v2",
              let combined = Data(base64Encoded: String(parts[3])) else { throw SecretBoxError.malformed }
        return (String(parts[1]), String(parts[2]), combined)
    }
}

/// The row a sealed value belongs to. Its fields are joined with NUL, which none of them contains,
/// so two different rows never produce the same associated data.
public struct SealedRow: Sendable, Equatable {
    public let table: String
    public let column: String
    public let id: String

    public init(table: String, column: String, id: String) {
        self.table = table
        self.column = column
        self.id = id
    }

    func associatedData(purpose: String) -> Data {
        Data([purpose, table, column, id].joined(separator: "\u{0}").utf8)
    }
}

/// Errors never include the plaintext or the key, only the key id.
public enum SecretBoxError: Error, Equatable, CustomStringConvertible {
    case sealFailed
    case malformed
    case notText
    case unknownKey(String)
    case authenticationFailed(String)
    case notThisRow(String)
    case rowRequired

    public var description: String {
        switch self {
        case .sealFailed: "sealing a secret failed"
        case .malformed: "a stored secret is not in Unity's sealed format"
        case .notText: "a stored secret is not UTF-8 text"
        case .unknownKey(let id): "a stored secret was sealed with master key \(id), which is not loaded"
        case .authenticationFailed(let id): "a stored secret does not open with master key \(id) (wrong key or tampered value)"
        case .notThisRow(let id): "a stored secret does not open with master key \(id) for this row (copied from another row, or tampered)"
        case .rowRequired: "a stored secret is bound to a row, but was opened without one"
        }
    }
}
