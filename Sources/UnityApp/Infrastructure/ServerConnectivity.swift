import Fluent
import UnityAlerts
import UnitySSH
import Vapor

struct ConnectionTestDTO: Content, APIExample {
    var ok: Bool
    var status: MonitoredServer.Status
    var latencyMs: Int?
    var uname: String?
    var transport: String?
    var hostKeyFingerprint: String?
    /// True when this test pinned the server's host key for the first time.
    var hostKeyPinned: Bool
    var error: String?

    static var example: ConnectionTestDTO {
        .init(ok: true, status: .online, latencyMs: 42, uname: "Linux nas 6.1.0 x86_64", transport: "nio",
              hostKeyFingerprint: "SHA256:…", hostKeyPinned: false, error: "…")
    }
}

/// Talks to a server once and records what happened: status, last seen, last error, and on first
/// contact the pinned host key. A changed host key stops everything for that server until an
/// admin accepts the new key.
enum ServerConnectivity {
    static func test(_ request: Request) async throws -> ConnectionTestDTO {
        let server = try await ServersController.find(request)
        guard server.statusValue != .hostKeyChanged else {
            throw APIError.conflict("\(server.name)'s host key changed; an admin must review and accept the new key first")
        }
        if let jump = try await JumpHostPins.heldJumpServer(of: server, database: request.db) {
            throw APIError.conflict("the host key of \(server.name)'s jump host \(jump.name) changed; an admin must review and accept it first")
        }
        let target = try await ServerTargets.target(for: server, request: request)
        let clock = ContinuousClock()
        let started = clock.now
        do {
            let result = try await request.unity.ssh.run(RemoteCommand("uname -srmn"), on: target, timeout: .seconds(15), maxOutput: 64 * 1024)
            let latency = clock.now - started
            let pinned = try await pinOnFirstContact(server, target: target, result: result, database: request.db)
            try await KeyUsage.record(server, at: Date(), on: request.db)
            server.status = MonitoredServer.Status.online.rawValue
            server.lastSeenAt = Date()
            server.lastError = result.succeeded ? nil : "uname exited \(result.exitStatus)"
            try await server.save(on: request.db)
            return ConnectionTestDTO(ok: result.succeeded, status: .online,
                                     latencyMs: latency.wholeMilliseconds,
                                     uname: result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines), transport: result.transport.rawValue,
                                     hostKeyFingerprint: (result.hostKey ?? HostKeyPins.decode(server.hostKeyPins).first)?.fingerprint,
                                     hostKeyPinned: pinned, error: server.lastError)
        } catch let error as SSHError {
            try await record(error, on: server, database: request.db, alerts: request.unity.alerts)
            return ConnectionTestDTO(ok: false, status: server.statusValue, latencyMs: nil, uname: nil, transport: nil,
                                     hostKeyFingerprint: nil, hostKeyPinned: false, error: error.description)
        }
    }

    /// On first contact (trust on first use) records the presented host key as the server's pin, audited.
    @discardableResult
    static func pinOnFirstContact(_ server: MonitoredServer, target: SSHTarget, result: CommandResult, database: any Database) async throws -> Bool {
        try await JumpHostPins.pinOnFirstContact(via: server, target: target, result: result, database: database)
        guard case .trustOnFirstUse = target.hostKeyPolicy, let key = result.hostKey else { return false }
        server.hostKeyPins = HostKeyPins.encode([key])
        try await AuditLog.record(.init(actorType: "system", action: "servers.host_key_pinned", targetType: "server",
                                        targetID: server.id?.uuidString, outcome: "success",
                                        details: ["fingerprint": key.fingerprint, "trust": "first use"]), on: database)
        return true
    }

    static func record(_ error: SSHError, on server: MonitoredServer, database: any Database, alerts: AlertPipeline) async throws {
        if case .jumpHostKeyRefused(let refusal) = error {
            return try await JumpHostPins.record(refusal, via: server, database: database, alerts: alerts)
        }
        server.lastError = error.description
        switch error {
        case .hostKeyChanged(_, let presented), .hostKeyAlgorithmNotPinned(let presented as HostKeyPin?):
            server.status = MonitoredServer.Status.hostKeyChanged.rawValue
            server.presentedHostKey = presented?.openSSHLine
            try await AuditLog.record(.init(actorType: "system", action: "servers.host_key_changed", targetType: "server",
                                            targetID: server.id?.uuidString, outcome: "denied",
                                            details: ["presented": presented?.fingerprint ?? "unknown"]), on: database)
            try await alerts.observe([Observation(
                resource: try resource(server), tags: Set(JSONList.decode(server.tags)), key: InfrastructureAlerts.hostKeyChanged, value: 1,
                detail: "\(server.name) presented \(presented?.fingerprint ?? "an unknown key"), which matches no pinned key", at: Date())])
        case .connectTimeout, .connectFailed, .connectionClosed:
            server.status = MonitoredServer.Status.offline.rawValue
        default:
            server.status = MonitoredServer.Status.error.rawValue
        }
        try await server.save(on: database)
    }

    static func resource(_ server: MonitoredServer) throws -> ResourceRef {
        let id = try server.requireID().uuidString
        return ResourceRef(type: "server", id: id, name: server.name, serverID: id)
    }
}
