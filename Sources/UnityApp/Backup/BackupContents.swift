import Foundation
import UnityCore

/// What a restore must know about a backup before it replaces anything: which migrations made its
/// schema, and the sealed master-key check value, so a wrong key is refused while the old data is untouched.
struct BackupContents: Equatable {
    var migrations: [String]
    var masterKeyCheck: String?

    /// Refuses a backup from a newer Unity (its schema has migrations this binary does not know).
    func checkSchema(known: [String]) throws {
        let unknown = migrations.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw CommandError("the backup comes from a newer Unity: its schema has migrations this version does not know (\(unknown.joined(separator: ", "))). Restore it with that version or newer")
        }
        guard !migrations.isEmpty else { throw CommandError("the file is not a Unity backup: it has no migration history") }
    }

    /// The master key Unity will start with must open the backup's check value.
    func checkMasterKey(_ box: SecretBox) throws {
        guard let masterKeyCheck else { throw CommandError("the backup has no master-key check value; it is not a complete Unity backup") }
        let opened = try? SystemSecret.valueColumn.open(masterKeyCheck, row: MasterKeyStore.checkName, in: box)
        guard opened == MasterKeyStore.checkPlaintext else {
            let sealedWith = (try? SecretBox.keyID(of: masterKeyCheck)) ?? "unknown"
            throw CommandError("the backup's secrets are sealed with master key id \(sealedWith), but this Unity would start with key id \(box.primary.id); nothing was replaced. Pass the backup's key with --master-key-file (backup --include-master-key writes FILE.master-key)")
        }
    }
}

/// Reads the data of a few tables out of `pg_restore --data-only --file=-` output (COPY text format),
/// so a PostgreSQL backup is inspected without restoring it anywhere. Pure: the text is untrusted.
enum PostgresCopyText {
    /// Rows of `table` by column name; nil for SQL NULL (`\N`).
    static func rows(of table: String, in script: String) -> [[String: String?]] {
        var rows: [[String: String?]] = []
        var columns: [String]?
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            if let current = columns {
                if line == "\\." { columns = nil; continue }
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(decode)
                guard fields.count == current.count else { continue }
                rows.append(Dictionary(zip(current, fields), uniquingKeysWith: { first, _ in first }))
            } else if let header = copyColumns(line, table: table) {
                columns = header
            }
        }
        return rows
    }

    /// `COPY public._fluent_migrations (id, name, batch) FROM stdin;` → ["id", "name", "batch"].
    private static func copyColumns(_ line: Substring, table: String) -> [String]? {
        guard line.hasPrefix("COPY "), line.hasSuffix(" FROM stdin;"),
              let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close else { return nil }
        let name = line[line.index(line.startIndex, offsetBy: 5)..<open].trimmingCharacters(in: .whitespaces)
        let unqualified = name.split(separator: ".").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard unqualified == table else { return nil }
        return line[line.index(after: open)..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
    }

    /// COPY text escapes: `\N` is NULL; `\\`, `\t`, `\n`, `\r` and friends are single characters.
    private static func decode(_ field: Substring) -> String? {
        if field == "\\N" { return nil }
        guard field.contains("\\") else { return String(field) }
        var result = "", escaping = false
        for character in field {
            if escaping {
                switch character {
                case "t": result.append("\t")
                case "n": result.append("\n")
                case "r": result.append("\r")
                case "b": result.append("\u{8}")
                case "f": result.append("\u{c}")
                case "v": result.append("\u{b}")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
