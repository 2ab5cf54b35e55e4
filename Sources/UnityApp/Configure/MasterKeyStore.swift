import Fluent
import Foundation
import UnityCore

/// Where the master key comes from, and the start-up check that it matches the database.
enum MasterKeyStore {
    static let checkName = "master_key_check"
    static let checkPurpose = "system_secrets.master_key_check"
    static let checkPlaintext = "unity-master-key-check"

    /// `UNITY_MASTER_KEY`, else `master.key` in the data folder (created 0600 on first start).
    /// A half-finished rotation leaves `master.key.next`; it is loaded too so nothing is unreadable.
    static func load(config: AppConfig) throws -> (box: SecretBox, createdKeyFile: String?) {
        var others = try config.previousMasterKeys.map { key throws(ConfigError) in try MasterKey(base64: key) }
        let primary: MasterKey
        var created: String?
        if let configured = config.masterKey {
            primary = try MasterKey(base64: configured)
        } else {
            if !FileManager.default.fileExists(atPath: config.masterKeyFile) { created = config.masterKeyFile }
            primary = try loadOrCreateFile(config.masterKeyFile)
        }
        if let next = try? String(contentsOfFile: config.masterKeyFile + ".next", encoding: .utf8) {
            others.append(try MasterKey(base64: next))
        }
        return (SecretBox(primary: primary, others: others), created)
    }

    static func loadOrCreateFile(_ path: String) throws -> MasterKey {
        if FileManager.default.fileExists(atPath: path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw ConfigError(setting: "UNITY_DATA_DIR", reason: "\(path) is readable by other users (mode \(String(mode, radix: 8))); run chmod 600 on it")
            }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            do {
                return try MasterKey(base64: text)
            } catch {
                throw ConfigError(setting: "UNITY_DATA_DIR", reason: "\(path) does not hold a valid master key (base64 of 32 bytes)")
            }
        }
        let key = MasterKey.generate()
        try writeKeyFile(key, to: path)
        return key
    }

    static func writeKeyFile(_ key: MasterKey, to path: String) throws {
        let created = FileManager.default.createFile(
            atPath: path, contents: Data((key.base64 + "\n").utf8), attributes: [.posixPermissions: 0o600])
        guard created else { throw ConfigError(setting: "UNITY_DATA_DIR", reason: "cannot write \(path)") }
    }

    /// Fails start-up when the key in use cannot open what the database holds: a wrong key must
    /// stop Unity with a clear message, never run on and produce garbage or lose secrets.
    static func verify(_ box: SecretBox, on database: any Database, keyFileJustCreated: String? = nil) async throws {
        guard let stored = try await SystemSecret.find(checkName, on: database) else {
            try await SystemSecret(name: checkName, sealedValue: try SystemSecret.valueColumn.seal(checkPlaintext, row: checkName, in: box)).create(on: database)
            return
        }
        do {
            guard try SystemSecret.valueColumn.open(stored.sealedValue, row: checkName, in: box) == checkPlaintext else { throw SecretBoxError.malformed }
        } catch {
            // A key file made a moment ago for a database that already holds secrets is wrong by
            // construction: remove it so it cannot be mistaken for the real one later.
            if let keyFileJustCreated { try? FileManager.default.removeItem(atPath: keyFileJustCreated) }
            let storedID = (try? SecretBox.keyID(of: stored.sealedValue)) ?? "unknown"
            throw ConfigError(
                setting: "UNITY_MASTER_KEY",
                reason: "the master key (id \(box.primary.id)) does not match this database, which was encrypted with key id \(storedID). Set UNITY_MASTER_KEY or restore the data folder's master.key")
        }
    }
}
