import Fluent
import UnitySSH
import Vapor

/// `/api/v1/ssh-keys`: import (and, with the credentials feature, generate) keys, list them without
/// private material, reveal one (audited), delete one no server uses.
enum SSHKeysController {
    static func list(_ request: Request) async throws -> Page<SSHKeyDTO> {
        let paging = try PageRequest(request)
        let query = SSHKeyRecord.query(on: request.db)
        let total = try await query.count()
        let keys = try await query.sort(\.$name).range(paging.offset..<(paging.offset + paging.perPage)).all()
        let placed = try await installations(of: keys.compactMap(\.id), on: request.db)
        return Page(items: try keys.map { try SSHKeyDTO($0, installedOn: placed[$0.id ?? UUID()] ?? []) }, page: paging.page,
                    perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> SSHKeyDTO {
        let record = try await find(request)
        return try SSHKeyDTO(record, installedOn: try await installations(of: [record.requireID()], on: request.db)[record.requireID()] ?? [])
    }

    /// Key → servers: where a distribution installed it, and servers that log in with it.
    /// Where each of `keys` is installed: by distribution jobs, or as a server's own access key.
    static func installations(of keys: [UUID], on db: any Database) async throws -> [UUID: [UUID]] {
        guard !keys.isEmpty else { return [:] }
        var placed: [UUID: Set<UUID>] = [:]
        for row in try await KeyInstallation.query(on: db).filter(\.$keyID ~~ keys).all() { placed[row.keyID, default: []].insert(row.serverID) }
        for server in try await MonitoredServer.query(on: db).filter(\.$sshKeyID ~~ keys).all() {
            if let key = server.sshKeyID, let id = server.id { placed[key, default: []].insert(id) }
        }
        return placed.mapValues { $0.sorted { $0.uuidString < $1.uuidString } }
    }

    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(CreateSSHKeyBody.self)
        let name = try ObjectName.valid(body.name)
        let key = try body.privateKey == nil ? generate(body) : importKey(body)
        let record = SSHKeyRecord()
        record.name = name
        record.keyType = key.type.rawValue
        record.bits = key.bits
        record.comment = body.comment ?? key.comment
        record.tags = JSONList.encode(try JSONList.validTags(body.tags))
        record.fingerprint = key.fingerprint
        record.publicKey = publicLine(of: key, comment: record.comment)
        // Stored as openssh-key-v1, unencrypted inside the SecretBox: whatever format (or passphrase)
        // it arrived in, every later use and reveal reads one format.
        record.sealedPrivateKey = try SSHKeyRecord.privateKeyColumn.seal(key.openSSHPrivateKeyText(), id: record.sealingID(), in: request.unity.secrets)
        try await ensureUnique(name: name, fingerprint: key.fingerprint, on: request.db)
        try await record.create(on: request.db)
        request.audit.targetID = record.id?.uuidString
        request.audit.details["fingerprint"] = key.fingerprint
        request.audit.details["origin"] = body.privateKey == nil ? "generated" : "imported"
        let response = Response(status: .created)
        try response.content.encode(try SSHKeyDTO(record))
        return response
    }

    private static func generate(_ body: CreateSSHKeyBody) throws -> SSHPrivateKey {
        guard let raw = body.type else { throw APIError.validation("type", "give a type to generate (\(SSHKeyType.allCases.map(\.rawValue).joined(separator: ", "))) or a private_key to import") }
        guard let type = SSHKeyType(rawValue: raw) else {
            throw APIError.validation("type", "expected one of \(SSHKeyType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        do {
            return try SSHPrivateKey.generate(type, bits: body.bits, comment: body.comment ?? "")
        } catch {
            throw APIError.validation("bits", error.description)
        }
    }

    private static func importKey(_ body: CreateSSHKeyBody) throws -> SSHPrivateKey {
        let key: SSHPrivateKey
        do {
            key = try SSHPrivateKey(text: body.privateKey ?? "", passphrase: body.passphrase)
        } catch {
            // The parser's message names the problem (format, passphrase, mismatch), never key bytes.
            throw APIError.validation(error == .passphraseRequired || error == .wrongPassphrase ? "passphrase" : "private_key", error.description)
        }
        if let type = body.type, SSHKeyType(rawValue: type) != key.type {
            throw APIError.validation("type", "the private key is \(key.type.rawValue), not \(type)")
        }
        if let line = body.publicKey, !key.matches(publicKeyLine: line) {
            throw APIError.validation("public_key", "does not belong to this private key")
        }
        return key
    }

    static func reveal(_ request: Request) async throws -> RevealedSSHKey {
        let record = try await find(request)
        request.audit.details["fingerprint"] = record.fingerprint
        let text = try SSHKeyRecord.privateKeyColumn.open(record.sealedPrivateKey, id: record.requireID(), in: request.unity.secrets)
        // Keys stored before conversion-on-import may be PEM; reveal always answers in OpenSSH format.
        let openSSH = (try? SSHPrivateKey(text: text).openSSHPrivateKeyText()) ?? text
        return RevealedSSHKey(id: try record.requireID(), privateKey: openSSH)
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let record = try await find(request)
        let id = try record.requireID()
        let users = try await MonitoredServer.query(on: request.db).filter(\.$sshKeyID == id).count()
            + ServerCredential.query(on: request.db).filter(\.$sshKeyID == id).count()
        guard users == 0 else { throw APIError.conflict("\(record.name) is used by \(users) servers or credentials; detach it first") }
        try await record.delete(on: request.db)
        return .noContent
    }

    static func find(_ request: Request) async throws -> SSHKeyRecord {
        let id = try request.uuidParameter(what: "SSH key")
        guard let record = try await SSHKeyRecord.find(id, on: request.db) else { throw APIError.notFound("SSH key") }
        return record
    }

    /// The authorized_keys line: `type base64 comment`, the comment being the stored one.
    static func publicLine(of key: SSHPrivateKey, comment: String) -> String {
        let parts = key.publicKeyLine.split(separator: " ", maxSplits: 2)
        let base = parts.prefix(2).joined(separator: " ")
        return comment.isEmpty ? base : "\(base) \(comment)"
    }

    static func ensureUnique(name: String, fingerprint: String, on database: any Database) async throws {
        if try await SSHKeyRecord.query(on: database).filter(\.$name == name).first() != nil {
            throw APIError.conflict("an SSH key named \(name) already exists")
        }
        if let existing = try await SSHKeyRecord.query(on: database).filter(\.$fingerprint == fingerprint).first() {
            throw APIError.conflict("this key is already stored as \(existing.name)")
        }
    }
}
