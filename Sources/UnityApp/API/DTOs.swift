import Foundation
import UnityCore
import Vapor

// Request and response bodies. Property names use `Id`, not `ID`, so snake_case `user_id`
// round-trips through the key strategies.

struct LoginBody: Content, APIExample {
    var username: String
    var password: String
    static var example: LoginBody { .init(username: "admin", password: "correct horse battery") }
}

struct TokenPair: Content, APIExample {
    var accessToken: String
    var refreshToken: String
    var tokenType = "Bearer"
    var expiresIn: Int
    static var example: TokenPair { .init(accessToken: "eyJhbGciOi…", refreshToken: "rt_…", expiresIn: 900) }
}

struct RefreshBody: Content, APIExample {
    var refreshToken: String
    static var example: RefreshBody { .init(refreshToken: "rt_…") }
}

struct UserDTO: Content, APIExample {
    var id: UUID
    var username: String
    var role: Role
    var disabled: Bool
    var lastLoginAt: Date?
    var createdAt: Date?

    init(_ user: User) throws {
        id = try user.requireID()
        username = user.username
        role = user.roleValue
        disabled = user.disabled
        lastLoginAt = user.lastLoginAt
        createdAt = user.createdAt
    }

    init(id: UUID, username: String, role: Role, disabled: Bool, lastLoginAt: Date?, createdAt: Date?) {
        self.id = id; self.username = username; self.role = role; self.disabled = disabled
        self.lastLoginAt = lastLoginAt; self.createdAt = createdAt
    }

    static var example: UserDTO {
        .init(id: UUID(), username: "alice", role: .operator, disabled: false, lastLoginAt: Date(), createdAt: Date())
    }
    static var allowedValues: [String: [String]] { ["role": Role.allCases.map(\.rawValue)] }
}

struct CreateUserBody: Content, APIExample {
    var username: String
    var role: Role
    var password: String?
    static var example: CreateUserBody { .init(username: "alice", role: .viewer, password: "a long passphrase") }
    static var allowedValues: [String: [String]] { ["role": Role.allCases.map(\.rawValue)] }
}

struct CreatedUser: Content, APIExample {
    var user: UserDTO
    /// Only when Unity generated the password: shown this once.
    var generatedPassword: String?
    static var example: CreatedUser { .init(user: .example, generatedPassword: "generated-once") }
}

struct UpdateUserBody: Content, APIExample {
    var role: Role?
    var disabled: Bool?
    static var example: UpdateUserBody { .init(role: .operator, disabled: false) }
    static var allowedValues: [String: [String]] { ["role": Role.allCases.map(\.rawValue)] }
}

struct SetPasswordBody: Content, APIExample {
    var password: String
    static var example: SetPasswordBody { .init(password: "a new long passphrase") }
}

struct ChangePasswordBody: Content, APIExample {
    var currentPassword: String
    var newPassword: String
    static var example: ChangePasswordBody { .init(currentPassword: "old passphrase", newPassword: "a new long passphrase") }
}

struct APIKeyDTO: Content, APIExample {
    var id: UUID
    var name: String
    var userId: UUID
    var prefix: String
    var scopes: [APIKeyScope]
    var expiresAt: Date?
    var lastUsedAt: Date?
    var revokedAt: Date?
    var createdAt: Date?

    init(_ key: APIKey) throws {
        id = try key.requireID(); name = key.name; userId = key.userID; prefix = key.tokenPrefix
        scopes = key.scopeValues; expiresAt = key.expiresAt; lastUsedAt = key.lastUsedAt
        revokedAt = key.revokedAt; createdAt = key.createdAt
    }

    init(id: UUID, name: String, userId: UUID, prefix: String, scopes: [APIKeyScope], expiresAt: Date?, lastUsedAt: Date?, revokedAt: Date?, createdAt: Date?) {
        self.id = id; self.name = name; self.userId = userId; self.prefix = prefix; self.scopes = scopes
        self.expiresAt = expiresAt; self.lastUsedAt = lastUsedAt; self.revokedAt = revokedAt; self.createdAt = createdAt
    }

    static var example: APIKeyDTO {
        .init(id: UUID(), name: "grafana", userId: UUID(), prefix: "unity_AbC1", scopes: [.read], expiresAt: Date(), lastUsedAt: Date(), revokedAt: Date(), createdAt: Date())
    }
    static var allowedValues: [String: [String]] { ["scopes": APIKeyScope.allCases.map(\.rawValue)] }
}

struct CreateAPIKeyBody: Content, APIExample {
    var name: String
    var scopes: [APIKeyScope]
    var expiresAt: Date?
    static var example: CreateAPIKeyBody { .init(name: "grafana", scopes: [.read], expiresAt: Date()) }
    static var allowedValues: [String: [String]] { ["scopes": APIKeyScope.allCases.map(\.rawValue)] }
}

struct CreatedAPIKey: Content, APIExample {
    var key: APIKeyDTO
    /// The secret, shown this once.
    var token: String
    static var example: CreatedAPIKey { .init(key: .example, token: "unity_…") }
}

struct AuditEventDTO: Content, APIExample {
    var id: UUID
    var occurredAt: Date
    var actorType: String
    var actorId: UUID?
    var actorName: String?
    var action: String
    var targetType: String?
    var targetId: String?
    var outcome: String
    var statusCode: Int?
    var clientAddress: String?
    var userAgent: String?
    var requestId: String?
    var details: [String: String]

    init(_ event: AuditEvent) throws {
        id = try event.requireID(); occurredAt = event.occurredAt; actorType = event.actorType
        actorId = event.actorID; actorName = event.actorName; action = event.action
        targetType = event.targetType; targetId = event.targetID; outcome = event.outcome
        statusCode = event.statusCode; clientAddress = event.clientAddress; userAgent = event.userAgent
        requestId = event.requestID
        details = (try? JSONDecoder().decode([String: String].self, from: Data(event.details.utf8))) ?? [:]
    }

    private init() {
        id = UUID(); occurredAt = Date(); actorType = "user"; actorId = UUID(); actorName = "admin"
        action = "users.create"; targetType = "user"; targetId = UUID().uuidString; outcome = "success"
        statusCode = 201; clientAddress = "127.0.0.1"; userAgent = "curl/8"; requestId = "abc"; details = ["method": "POST"]
    }

    static var example: AuditEventDTO { .init() }
    static var allowedValues: [String: [String]] {
        ["outcome": ["success", "failure", "denied"], "actor_type": ["user", "api_key", "anonymous", "system"]]
    }
}

struct SettingsDTO: Content, APIExample {
    var minPasswordLength: Int
    /// What operators may choose as a certificate deployment's reload command (admins may use any).
    var certificateReloadCommands: [String]
    static var example: SettingsDTO { .init(minPasswordLength: 12, certificateReloadCommands: ReloadCommands.defaults) }
}

struct UpdateSettingsBody: Content, APIExample {
    var minPasswordLength: Int?
    var certificateReloadCommands: [String]?
    static var example: UpdateSettingsBody { .init(minPasswordLength: 12, certificateReloadCommands: ["systemctl reload nginx"]) }
}

extension Page: APIExample where Item: APIExample {
    static var example: Page<Item> { Page(items: [Item.example], page: 1, perPage: 50, total: 1) }
    static var allowedValues: [String: [String]] { Item.allowedValues }
}
