import Fluent
import Vapor

extension ServersController {
    /// Applies and validates the fields present in `body`; every problem is a 422 naming the field.
    static func apply(_ body: UpdateServerBody, to server: MonitoredServer, on database: any Database) async throws {
        if let name = body.name {
            let valid = try ObjectName.valid(name)
            if valid != server.$name.value, try await MonitoredServer.query(on: database).filter(\.$name == valid).first() != nil {
                throw APIError.conflict("a server named \(valid) already exists")
            }
            server.name = valid
        }
        if let address = body.address { server.address = try validAddress(address) }
        if let port = body.port {
            guard (1...65_535).contains(port) else { throw APIError.validation("port", "expected 1 to 65535") }
            server.port = port
        }
        if let username = body.username {
            let name = username.trimmingCharacters(in: .whitespaces)
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-@$"))
            guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy(allowed.contains) else {
                throw APIError.validation("username", "1 to 64 letters, digits, '.', '_', '-', '@' or '$'")
            }
            server.username = name
        }
        if let tags = body.tags { server.tags = JSONList.encode(try JSONList.validTags(tags)) }
        if let enabled = body.enabled { server.enabled = enabled }
        if let interval = body.intervalSeconds {
            guard (30...86_400).contains(interval) else { throw APIError.validation("interval_seconds", "expected 30 to 86400") }
            server.intervalSeconds = interval
        }
        if let useSudo = body.useSudo { server.useSudo = useSudo }
        if let keyID = body.sshKeyId {
            guard try await SSHKeyRecord.find(keyID, on: database) != nil else { throw APIError.validation("ssh_key_id", "no SSH key with this id") }
            server.sshKeyID = keyID
        }
        if let credentialID = body.credentialId {
            guard try await ServerCredential.find(credentialID, on: database) != nil else { throw APIError.validation("credential_id", "no credential with this id") }
            server.credentialID = credentialID
        }
        if let jumpID = body.jumpServerId {
            guard jumpID != server.id, try await MonitoredServer.find(jumpID, on: database) != nil else {
                throw APIError.validation("jump_server_id", "no other server with this id")
            }
            server.jumpServerID = jumpID
        }
        // Defaults for a new row: fields the create body did not carry.
        if server.$enabled.value == nil { server.enabled = true }
        if server.$useSudo.value == nil { server.useSudo = false }
        if server.$intervalSeconds.value == nil { server.intervalSeconds = 300 }
        if server.$tags.value == nil { server.tags = "[]" }
    }

    /// A host name or an IP address: no spaces, no shell or URL syntax, no leading dash (which
    /// `ssh` would read as an option).
    static func validAddress(_ raw: String) throws -> String {
        let address = raw.trimmingCharacters(in: .whitespaces)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-:_[]%"))
        guard (1...253).contains(address.count), !address.hasPrefix("-"), address.unicodeScalars.allSatisfy(allowed.contains) else {
            throw APIError.validation("address", "a host name or an IP address")
        }
        return address
    }
}
