import Fluent
import UnitySSH
import Vapor

struct HostKeyDTO: Content, APIExample {
    struct Key: Content {
        var algorithm: String
        var publicKey: String
        var fingerprint: String
    }

    var pinned: [Key]
    /// The different key the server presented, waiting for an admin's decision.
    var presented: Key?
    var status: MonitoredServer.Status

    static var example: HostKeyDTO {
        let key = Key(algorithm: "ssh-ed25519", publicKey: "ssh-ed25519 AAAA…", fingerprint: "SHA256:…")
        return .init(pinned: [key], presented: key, status: .hostKeyChanged)
    }
}

struct AcceptHostKeyBody: Content, APIExample {
    /// The fingerprint the admin reviewed: the key is accepted only if it is still the one presented.
    var fingerprint: String
    static var example: AcceptHostKeyBody { .init(fingerprint: "SHA256:…") }
}

/// `GET /servers/{id}/host-key` and the admin's `POST /servers/{id}/host-key/accept`.
enum HostKeyController {
    static func get(_ request: Request) async throws -> HostKeyDTO {
        dto(try await ServersController.find(request))
    }

    static func dto(_ server: MonitoredServer) -> HostKeyDTO {
        let presented = server.presentedHostKey.flatMap { try? HostKeyPin(line: $0) }
        return HostKeyDTO(pinned: HostKeyPins.decode(server.hostKeyPins).map(key), presented: presented.map(key), status: server.statusValue)
    }

    static func accept(_ request: Request) async throws -> HostKeyDTO {
        let server = try await ServersController.find(request)
        let body = try request.content.decode(AcceptHostKeyBody.self)
        guard let line = server.presentedHostKey, let presented = try? HostKeyPin(line: line) else {
            throw APIError.conflict("\(server.name) has no new host key waiting")
        }
        guard presented.fingerprint == body.fingerprint else {
            throw APIError.validation("fingerprint", "does not match the key the server presented (\(presented.fingerprint))")
        }
        let previous = HostKeyPins.decode(server.hostKeyPins).map(\.fingerprint)
        server.hostKeyPins = HostKeyPins.encode([presented])
        server.presentedHostKey = nil
        server.status = MonitoredServer.Status.unknown.rawValue
        server.lastError = nil
        try await server.save(on: request.db)
        request.audit.details["accepted"] = presented.fingerprint
        request.audit.details["replaced"] = previous.joined(separator: ",")
        try await request.unity.alerts.resolveActive(metric: InfrastructureAlerts.hostKeyChanged,
                                                     resourceKey: try ServerConnectivity.resource(server).key,
                                                     by: try request.principal().username)
        // Pooled connections verified against the old pins must not be reused.
        if let target = try? await ServerTargets.target(for: server, request: request) { await request.unity.ssh.invalidate(target) }
        return try await get(request)
    }

    private static func key(_ pin: HostKeyPin) -> HostKeyDTO.Key {
        .init(algorithm: pin.algorithm, publicKey: pin.openSSHLine, fingerprint: pin.fingerprint)
    }
}
