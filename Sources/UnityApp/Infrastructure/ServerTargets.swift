import Fluent
import UnityCore
import UnitySSH
import Vapor

/// Builds the `SSHTarget` for a server from its rows: the credential (a stored key or a server
/// credential, opened from the SecretBox only here, for the duration of the call), its pins, and
/// its jump host. Secrets never leave this function except inside the target.
enum ServerTargets {
    static func target(for server: MonitoredServer, request: Request) async throws -> SSHTarget {
        try await target(for: server, database: request.db, secrets: request.unity.secrets)
    }

    static func target(for server: MonitoredServer, database: any Database, secrets: SecretBox, depth: Int = 0) async throws -> SSHTarget {
        var username = server.username
        var credential: SSHCredential?
        var sudo: SudoPolicy = server.useSudo ? .passwordless : .none

        if let credentialID = server.credentialID, let stored = try await ServerCredential.find(credentialID, on: database) {
            username = stored.username
            if let sealed = stored.sealedSudoPassword, server.useSudo {
                sudo = .password(try ServerCredential.sudoPasswordColumn.open(sealed, id: stored.requireID(), in: secrets))
            }
            if let keyID = stored.sshKeyID {
                credential = .privateKey(try await privateKey(keyID, database: database, secrets: secrets))
            } else if let sealed = stored.sealedPassword {
                credential = .password(try ServerCredential.passwordColumn.open(sealed, id: stored.requireID(), in: secrets))
            }
        }
        if credential == nil, let keyID = server.sshKeyID {
            credential = .privateKey(try await privateKey(keyID, database: database, secrets: secrets))
        }
        guard let credential else {
            throw APIError(status: .unprocessableEntity, code: "no_credential", message: "\(server.name) has no SSH key or credential to log in with", field: "ssh_key_id")
        }

        var jump: SSHTarget?
        if let jumpID = server.jumpServerID {
            // One hop is what homelabs use; deeper chains would also allow loops.
            guard depth == 0, let jumpServer = try await MonitoredServer.find(jumpID, on: database) else {
                throw APIError(status: .unprocessableEntity, code: "bad_jump_host", message: "jump hosts cannot be chained", field: "jump_server_id")
            }
            jump = try await target(for: jumpServer, database: database, secrets: secrets, depth: depth + 1)
        }
        let pins = HostKeyPins.decode(server.hostKeyPins)
        return SSHTarget(host: server.address, port: server.port, username: username, credential: credential,
                         hostKeyPolicy: pins.isEmpty ? .trustOnFirstUse : .pinned(pins), jump: jump, sudo: sudo)
    }

    private static func privateKey(_ id: UUID, database: any Database, secrets: SecretBox) async throws -> SSHPrivateKey {
        guard let record = try await SSHKeyRecord.find(id, on: database) else { throw APIError.notFound("SSH key") }
        let text = try SSHKeyRecord.privateKeyColumn.open(record.sealedPrivateKey, id: record.requireID(), in: secrets)
        return try SSHPrivateKey(text: text)
    }
}
