import Foundation
import UnityParsers
import Vapor

struct ServerDTO: Content, APIExample {
    var id: UUID
    var name: String
    var address: String
    var port: Int
    var username: String
    var tags: [String]
    var enabled: Bool
    var intervalSeconds: Int
    var sshKeyId: UUID?
    var credentialId: UUID?
    var useSudo: Bool
    var jumpServerId: UUID?
    var status: MonitoredServer.Status
    var lastSeenAt: Date?
    var lastError: String?
    /// When a collection was last attempted, successful or not.
    var lastCollectionAt: Date?
    var hostKeyFingerprints: [String]
    var createdAt: Date?

    init(_ server: MonitoredServer) throws {
        id = try server.requireID(); name = server.name; address = server.address; port = server.port
        username = server.username; tags = JSONList.decode(server.tags); enabled = server.enabled
        intervalSeconds = server.intervalSeconds; sshKeyId = server.sshKeyID; credentialId = server.credentialID
        useSudo = server.useSudo; jumpServerId = server.jumpServerID; status = server.statusValue
        lastSeenAt = server.lastSeenAt; lastError = server.lastError; lastCollectionAt = server.lastCollectionAt
        hostKeyFingerprints = HostKeyPins.decode(server.hostKeyPins).map(\.fingerprint)
        createdAt = server.createdAt
    }

    private init() {
        id = UUID(); name = "nas"; address = "192.168.1.10"; port = 22; username = "unity"; tags = ["storage"]
        enabled = true; intervalSeconds = 300; sshKeyId = UUID(); credentialId = UUID(); useSudo = true
        jumpServerId = UUID(); status = .online; lastSeenAt = Date(); lastError = "…"; lastCollectionAt = Date()
        hostKeyFingerprints = ["SHA256:…"]; createdAt = Date()
    }

    static var example: ServerDTO { .init() }
    static var allowedValues: [String: [String]] { ["status": MonitoredServer.Status.allCases.map(\.rawValue)] }
}

struct CreateServerBody: Content, APIExample {
    var name: String
    var address: String
    var port: Int?
    var username: String
    var tags: [String]?
    var enabled: Bool?
    var intervalSeconds: Int?
    var sshKeyId: UUID?
    var credentialId: UUID?
    var useSudo: Bool?
    var jumpServerId: UUID?
    /// A known host key (`ssh-ed25519 AAAA…` or a known_hosts line): pinned from the start, no trust on first use.
    var hostKey: String?

    static var example: CreateServerBody {
        .init(name: "nas", address: "192.168.1.10", port: 22, username: "unity", tags: ["storage"], enabled: true,
              intervalSeconds: 300, sshKeyId: UUID(), credentialId: UUID(), useSudo: false, jumpServerId: UUID(),
              hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA…")
    }
}

struct UpdateServerBody: Content, APIExample {
    var name: String?
    var address: String?
    var port: Int?
    var username: String?
    var tags: [String]?
    var enabled: Bool?
    var intervalSeconds: Int?
    var sshKeyId: UUID?
    var credentialId: UUID?
    var useSudo: Bool?
    var jumpServerId: UUID?

    static var example: UpdateServerBody {
        .init(name: "nas", address: "nas.lan", port: 22, username: "unity", tags: ["storage"], enabled: true,
              intervalSeconds: 300, sshKeyId: UUID(), credentialId: UUID(), useSudo: true, jumpServerId: UUID())
    }
}

struct BulkEnableBody: Content, APIExample {
    var ids: [UUID]
    var enabled: Bool
    static var example: BulkEnableBody { .init(ids: [UUID()], enabled: false) }
}

struct BulkResult: Content, APIExample {
    var updated: Int
    static var example: BulkResult { .init(updated: 3) }
}

struct ImportPreviewBody: Content, APIExample {
    var format: String
    var text: String
    static var example: ImportPreviewBody { .init(format: "ssh_config", text: "Host nas\n  HostName 192.168.1.10\n  User admin\n") }
    static var allowedValues: [String: [String]] { ["format": ["ssh_config", "ansible"]] }
}

extension ImportedServer: Content {}

struct ImportPreviewDTO: Content, APIExample {
    var servers: [ImportedServer]
    var warnings: [String]
    /// Names that already exist in Unity and would be skipped by an import.
    var existing: [String]
    static var example: ImportPreviewDTO {
        .init(servers: [ImportedServer(name: "nas", address: "192.168.1.10", port: 22, username: "admin", identityFile: "~/.ssh/id_ed25519", proxyJump: "bastion", tags: ["lab"])],
              warnings: ["line 12: Match blocks are not imported"], existing: ["pve1"])
    }
}
