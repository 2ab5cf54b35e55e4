import Foundation
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

    init(_ record: SSHKeyRecord) throws {
        id = try record.requireID(); name = record.name; type = record.keyType; bits = record.bits
        comment = record.comment; tags = JSONList.decode(record.tags); publicKey = record.publicKey
        fingerprint = record.fingerprint; lastUsedAt = record.lastUsedAt; createdAt = record.createdAt
    }

    private init() {
        id = UUID(); name = "deploy"; type = "ed25519"; bits = 256; comment = "unity@homelab"; tags = ["lab"]
        publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… unity@homelab"; fingerprint = "SHA256:…"
        lastUsedAt = Date(); createdAt = Date()
    }

    static var example: SSHKeyDTO { .init() }
    static var allowedValues: [String: [String]] { ["type": SSHKeyType.allCases.map(\.rawValue)] }
}

/// The key types Unity generates and accepts, named as the API names them.
enum SSHKeyType: String, Codable, CaseIterable, Sendable {
    case ed25519
    case ecdsaP256 = "ecdsa-p256"
    case ecdsaP384 = "ecdsa-p384"
    case ecdsaP521 = "ecdsa-p521"
    case rsa

    init?(algorithm: String) {
        switch algorithm {
        case "ssh-ed25519": self = .ed25519
        case "ecdsa-sha2-nistp256": self = .ecdsaP256
        case "ecdsa-sha2-nistp384": self = .ecdsaP384
        case "ecdsa-sha2-nistp521": self = .ecdsaP521
        case "ssh-rsa": self = .rsa
        default: return nil
        }
    }
}

struct ImportSSHKeyBody: Content, APIExample {
    var name: String
    var privateKey: String
    var comment: String?
    var tags: [String]?
    static var example: ImportSSHKeyBody {
        .init(name: "laptop", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\n…", comment: "me@laptop", tags: ["lab"])
    }
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
