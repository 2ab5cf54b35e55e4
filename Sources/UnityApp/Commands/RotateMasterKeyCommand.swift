import Fluent
import SQLKit
import UnityCore
import Vapor

/// `unity rotate-master-key`: re-encrypts every secret under a new master key.
///
/// Safe to interrupt: the new key is written to `master.key.next` before anything is re-encrypted,
/// and start-up loads it beside the current key, so every value stays readable. Running the command
/// again continues with the same new key and skips values already re-encrypted.
struct RotateMasterKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {}

    var help: String { "Re-encrypt every stored secret with a new master key" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let config = app.unity.config
        let nextPath = config.masterKeyFile + ".next"
        let next: MasterKey
        if let existing = try? String(contentsOfFile: nextPath, encoding: .utf8) {
            next = try MasterKey(base64: existing)
            context.console.print("Continuing an interrupted rotation to key \(next.id).")
        } else {
            next = MasterKey.generate()
            try MasterKeyStore.writeKeyFile(next, to: nextPath)
        }
        let current = app.unity.secrets
        let rotated = SecretBox(primary: next, others: [current.primary])
        let count = try await reencrypt(from: current, to: rotated, on: app.db)

        if config.masterKey == nil {
            // Swap the files last with an atomic rename: until then master.key still opens everything not yet done.
            guard rename(nextPath, config.masterKeyFile) == 0 else {
                throw CommandError("could not rename \(nextPath) to \(config.masterKeyFile) (errno \(errno)); everything is re-encrypted: rename it by hand")
            }
            context.console.print("Re-encrypted \(count) secrets. master.key now holds key \(next.id).")
        } else {
            // The key itself is never printed (terminals and CI logs keep output): it is in the 0600 file.
            context.console.print("""
            Re-encrypted \(count) secrets with key \(next.id).
            Set UNITY_MASTER_KEY to the contents of \(nextPath) for every Unity process (and, until all have
            restarted, UNITY_MASTER_KEY_PREVIOUS to the old key), restart, then delete \(nextPath).
            """)
        }
        try await AuditLog.record(.init(actorType: "system", actorName: "cli", action: "cli.rotate_master_key", outcome: "success",
                                        details: ["new_key_id": next.id, "old_key_id": current.primary.id, "secrets": String(count)]), on: app.db)
    }

    /// Row by row, skipping values the new key already sealed, so a rerun resumes.
    func reencrypt(from current: SecretBox, to rotated: SecretBox, on database: any Database,
                   columns: [SealedColumn] = SealedColumnRegistry.standard.columns) async throws -> Int {
        guard let sql = database as? any SQLDatabase else { throw CommandError("the database does not speak SQL") }
        var count = 0
        for column in columns {
            let rows = try await sql.select().column(SQLIdentifier(column.keyColumn)).column(SQLIdentifier(column.column))
                .from(column.table).all()
            for row in rows {
                let key = try Self.keyText(row, column: column.keyColumn)
                // Optional secrets (a credential without a sudo password) are NULL: nothing to do.
                // Done already: sealed with the new key and bound to its row. A value from before row
                // binding (v1) is re-sealed bound to its row even when the key is already the new one.
                guard let sealed = try row.decode(column: column.column, as: String?.self),
                      !rotated.isCurrent(sealed) else { continue }
                let resealed = try column.seal(try column.open(sealed, row: key, in: rotated), row: key, in: rotated)
                let keyValue: any Encodable & Sendable = UUID(uuidString: key) ?? key
                try await sql.update(column.table).set(SQLIdentifier(column.column), to: SQLBind(resealed))
                    .where(SQLIdentifier(column.keyColumn), .equal, SQLBind(keyValue))
                    // Compare-and-set: a value a running Unity replaced meanwhile is already sealed with the new key.
                    .where(SQLIdentifier(column.column), .equal, SQLBind(sealed)).run()
                count += 1
            }
        }
        return count
    }

    /// Row keys are text (system secrets) or UUIDs (feature tables); both become the purpose's input.
    static func keyText(_ row: any SQLRow, column: String) throws -> String {
        if let id = try? row.decode(column: column, as: UUID.self) { return id.uuidString }
        return try row.decode(column: column, as: String.self)
    }
}
