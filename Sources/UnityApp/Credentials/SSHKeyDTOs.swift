import Foundation
import UnitySSH
import Vapor

struct SSHKeyDTO: Content, APIExample {
    var id: UUID
    var name: String
    var type: String
    var bits: Int?
    var comment: String
    var tags: [String]
    var publicKey: String
    var fingerprint: String
    var lastUsedAt: Date?
    var createdAt: Date?
    /// Servers Unity installed this key on (distribution jobs) or logs in to with it.
    var installedOn: [UUID]

    init(_ record: SSHKeyRecord, installedOn: [UUID] = []) throws {
        self.installedOn = installedOn
        id = try record.requireID(); name = record.name; type = record.keyType; bits = record.bits
        comment = record.comment; tags = JSONList.decode(record.tags); publicKey = record.publicKey
        fingerprint = record.fingerprint; lastUsedAt = record.lastUsedAt; createdAt = record.createdAt
    }

    private init() {
        id = UUID(); name = "deploy"; type = "ed25519"; bits = 256; comment = "unity@homelab"; tags = ["lab"]
        publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… unity@homelab"; fingerprint = "SHA256:…"
        lastUsedAt = Date(); createdAt = Date(); installedOn = [UUID()]
    }

    static var example: SSHKeyDTO { .init() }
    static var allowedValues: [String: [String]] { ["type": SSHKeyType.allCases.map(\.rawValue)] }
}

/// `POST /api/v1/ssh-keys`: with `private_key` an import (OpenSSH or PEM, optionally encrypted with
/// `passphrase`, optionally checked against `public_key`), otherwise a new key of `type` (and `bits` for RSA).
struct CreateSSHKeyBody: Content, APIExample {
    var name: String
    var type: String?
    var bits: Int?
    var privateKey: String?
    var passphrase: String?
    var publicKey: String?
    var comment: String?
    var tags: [String]?
    static var example: CreateSSHKeyBody {
        .init(name: "laptop", type: "ed25519", bits: 4096, privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\n…", passphrase: "…",
              publicKey: "ssh-ed25519 AAAA… me@laptop", comment: "me@laptop", tags: ["lab"])
    }
    static var allowedValues: [String: [String]] { ["type": SSHKeyType.allCases.map(\.rawValue)] }
}

struct RevealedSSHKey: Content, APIExample {
    var id: UUID
    var privateKey: String
    static var example: RevealedSSHKey { .init(id: UUID(), privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\n…") }
}

/// Tags and similar short lists are stored as JSON text: portable across SQLite and PostgreSQL.
enum JSONList {
    static func encode(_ values: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(values), as: UTF8.self)) ?? "[]"
    }

    static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// Trimmed, unique, 1–50 printable characters each, at most 50 tags.
    static func validTags(_ tags: [String]?, field: String = "tags") throws -> [String] {
        var result: [String] = []
        for tag in tags ?? [] {
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            guard (1...50).contains(trimmed.count), !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw APIError.validation(field, "each tag is 1 to 50 printable characters")
            }
            if !result.contains(trimmed) { result.append(trimmed) }
        }
        guard result.count <= 50 else { throw APIError.validation(field, "at most 50 tags") }
        return result
    }
}

/// Names of stored objects: 1–100 printable characters.
enum ObjectName {
    static func valid(_ raw: String, field: String = "name") throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.validation(field, "1 to 100 printable characters")
        }
        return name
    }
}
