import Fluent
import UnityCore
import Vapor

/// API keys: each user manages their own; admins see and revoke everyone's.
enum APIKeysController {
    struct Row: Decodable, Sendable {
        let id: UUID, userId: UUID, name: String, tokenPrefix: String, scopes: String
        let expiresAt: Date?, lastUsedAt: Date?, revokedAt: Date?, createdAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, name, scopes
            case userId = "user_id", tokenPrefix = "token_prefix", expiresAt = "expires_at"
            case lastUsedAt = "last_used_at", revokedAt = "revoked_at", createdAt = "created_at"
        }
    }

    static func list(_ request: Request) async throws -> Page<APIKeyDTO> {
        let principal = try request.principal()
        let paging = try PageRequest(request)
        let ownKeysOnly = principal.effectiveRole < .admin
        let (rows, total) = try await PagedRows<Row>.fetch(
            request.db, table: APIKey.schema,
            columns: ["id", "user_id", "name", "token_prefix", "scopes", "expires_at", "last_used_at", "revoked_at", "created_at"],
            orderBy: [("created_at", .descending), ("id", .ascending)], paging: paging,
            filter: { ownKeysOnly ? $0.where("user_id", .equal, principal.userID) : $0 })
        let items = rows.map { row in
            APIKeyDTO(id: row.id, name: row.name, userId: row.userId, prefix: row.tokenPrefix,
                      scopes: row.scopes.split(separator: ",").compactMap { APIKeyScope(rawValue: String($0)) },
                      expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt, createdAt: row.createdAt)
        }
        return Page(items: items, page: paging.page, perPage: paging.perPage, total: total)
    }

    static func create(_ request: Request) async throws -> Response {
        let principal = try request.principal()
        let body = try request.content.decode(CreateAPIKeyBody.self)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.validation("name", "1 to 100 characters, no control characters")
        }
        guard !body.scopes.isEmpty else { throw APIError.validation("scopes", "at least one of read, write, admin") }
        for scope in body.scopes where scope.grantedRole > principal.effectiveRole {
            throw APIError.validation("scopes", "\(scope.rawValue) exceeds your role (\(principal.effectiveRole.rawValue))")
        }
        if let expiresAt = body.expiresAt, expiresAt <= Date() {
            throw APIError.validation("expires_at", "must be in the future")
        }
        let token = SecureToken.generate(prefix: TokenService.apiKeyPrefix)
        let key = APIKey(userID: principal.userID, name: name, tokenPrefix: String(token.prefix(10)),
                         tokenHash: SecureToken.hash(token), scopes: Array(Set(body.scopes)).sorted { $0.rawValue < $1.rawValue },
                         expiresAt: body.expiresAt)
        try await key.create(on: request.db)
        request.audit.targetID = key.id?.uuidString
        request.audit.details["scopes"] = key.scopes
        let response = Response(status: .created)
        try response.content.encode(CreatedAPIKey(key: try APIKeyDTO(key), token: token))
        return response
    }

    static func revoke(_ request: Request) async throws -> HTTPStatus {
        let principal = try request.principal()
        let id = try request.uuidParameter(what: "API key")
        guard let key = try await APIKey.find(id, on: request.db),
              key.userID == principal.userID || principal.effectiveRole == .admin else {
            throw APIError.notFound("API key")
        }
        if key.revokedAt == nil {
            key.revokedAt = Date()
            try await key.save(on: request.db)
        }
        return .noContent
    }
}
