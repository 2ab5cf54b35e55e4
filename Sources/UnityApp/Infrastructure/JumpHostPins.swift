import Fluent
import UnityAlerts
import UnitySSH
import Vapor

/// The bastion a server is reached through is itself a monitored server row: its host key is pinned,
/// refused and reviewed on that row, whichever server's connection met it.
enum JumpHostPins {
    /// Pins the bastion's key on its own row when this connection was its first contact (trust on first use).
    /// Audited like a direct pin, naming the server whose connection met it.
    static func pinOnFirstContact(via server: MonitoredServer, target: SSHTarget, result: CommandResult, database: any Database) async throws {
        guard case .trustOnFirstUse = target.jump?.hostKeyPolicy, let key = result.jumpHostKey,
              let jumpID = server.jumpServerID, let jump = try await MonitoredServer.find(jumpID, on: database),
              HostKeyPins.decode(jump.hostKeyPins).isEmpty else { return }
        jump.hostKeyPins = HostKeyPins.encode([key])
        try await jump.save(on: database)
        try await AuditLog.record(.init(actorType: "system", action: "servers.host_key_pinned", targetType: "server",
                                        targetID: jump.id?.uuidString, outcome: "success",
                                        details: ["fingerprint": key.fingerprint, "trust": "first use", "as_jump_host_for": server.name]),
                                  on: database)
    }

    /// A bastion's host-key refusal: the jump server's row gets the status, the presented key and the
    /// alert (as if it had been contacted directly); the server behind it records an error naming the bastion.
    static func record(_ refusal: SSHError, via server: MonitoredServer, database: any Database, alerts: AlertPipeline) async throws {
        if let jumpID = server.jumpServerID, let jump = try await MonitoredServer.find(jumpID, on: database) {
            try await ServerConnectivity.record(refusal, on: jump, database: database, alerts: alerts)
            server.lastError = "jump host \(jump.name): \(refusal.description)"
        } else {
            server.lastError = "jump host: \(refusal.description)"
        }
        server.status = MonitoredServer.Status.error.rawValue
        try await server.save(on: database)
    }

    /// The jump server whose host key changed and waits for an admin, if `server` is reached through one:
    /// Unity does not knock on a refused bastion again until its key is reviewed.
    static func heldJumpServer(of server: MonitoredServer, database: any Database) async throws -> MonitoredServer? {
        guard let jumpID = server.jumpServerID, let jump = try await MonitoredServer.find(jumpID, on: database),
              jump.statusValue == .hostKeyChanged else { return nil }
        return jump
    }
}
