import Fluent
import UnityCore
import Vapor

/// User administration (admin only). No self-registration exists anywhere.
enum UsersController {
    static func list(_ request: Request) async throws -> Page<UserDTO> {
        let paging = try PageRequest(request)
        let query = User.query(on: request.db)
        let total = try await query.count()
        let users = try await query.sort(\.$username).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try users.map(UserDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> UserDTO {
        try UserDTO(try await find(request))
    }

    static func create(_ request: Request) async throws -> Response {
        let body = try request.content.decode(CreateUserBody.self)
        let username = try validUsername(body.username)
        if try await User.query(on: request.db).filter(\.$username == username).first() != nil {
            throw APIError.conflict("a user named \(username) already exists")
        }
        let generated = body.password == nil ? SecureToken.generatePassword() : nil
        let password = body.password ?? generated ?? ""
        try await Passwords.validate(password, field: "password", on: request.db)
        let user = User(username: username, passwordHash: try await Passwords.hash(password, on: request), role: body.role)
        try await user.create(on: request.db)
        request.audit.targetID = user.id?.uuidString
        request.audit.details["username"] = username
        request.audit.details["role"] = body.role.rawValue
        let response = Response(status: .created)
        try response.content.encode(CreatedUser(user: try UserDTO(user), generatedPassword: generated))
        return response
    }

    static func update(_ request: Request) async throws -> UserDTO {
        let user = try await find(request)
        let body = try request.content.decode(UpdateUserBody.self)
        let losesAdmin = (body.role.map { $0 != .admin } ?? false) || body.disabled == true
        if user.roleValue == .admin, !user.disabled, losesAdmin {
            try await requireAnotherActiveAdmin(than: user, on: request.db)
        }
        if let role = body.role { user.role = role.rawValue; request.audit.details["role"] = role.rawValue }
        if let disabled = body.disabled { user.disabled = disabled; request.audit.details["disabled"] = String(disabled) }
        try await user.save(on: request.db)
        if body.disabled == true { try await AuthController.revokeAll(user: user, on: request.db) }
        return try UserDTO(user)
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let user = try await find(request)
        if user.roleValue == .admin, !user.disabled {
            try await requireAnotherActiveAdmin(than: user, on: request.db)
        }
        request.audit.details["username"] = user.username
        try await user.delete(on: request.db)
        return .noContent
    }

    static func setPassword(_ request: Request) async throws -> HTTPStatus {
        let user = try await find(request)
        let body = try request.content.decode(SetPasswordBody.self)
        try await Passwords.validate(body.password, field: "password", on: request.db)
        user.passwordHash = try await Passwords.hash(body.password, on: request)
        try await AuthController.revokeAll(user: user, on: request.db)
        return .noContent
    }

    static func find(_ request: Request) async throws -> User {
        let id = try request.uuidParameter(what: "user")
        guard let user = try await User.find(id, on: request.db) else { throw APIError.notFound("user") }
        return user
    }

    /// The last active admin can be neither demoted, disabled nor deleted: Unity must never be
    /// left without someone who can administer it.
    static func requireAnotherActiveAdmin(than user: User, on database: any Database) async throws {
        let others = try await User.query(on: database)
            .filter(\.$role == Role.admin.rawValue).filter(\.$disabled == false)
            .filter(\.$id != user.requireID()).count()
        if others == 0 { throw APIError.conflict("\(user.username) is the last admin; make another admin first") }
    }

    static func validUsername(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-@"))
        guard (1...64).contains(name.count), name.unicodeScalars.allSatisfy(allowed.contains) else {
            throw APIError.validation("username", "1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
        return name
    }
}
