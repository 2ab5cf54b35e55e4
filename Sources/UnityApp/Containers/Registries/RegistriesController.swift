import Fluent
import UnityRegistry
import Vapor

/// `/api/v1/registries`: how Unity signs in to registries for update checks (admins). Passwords and
/// tokens are sealed at once and never returned; a registry without a row is asked anonymously.
enum RegistriesController {
    static func list(_ request: Request) async throws -> Page<RegistryCredentialDTO> {
        let paging = try PageRequest(request)
        let query = RegistryCredentialRecord.query(on: request.db)
        let total = try await query.count()
        let rows = try await query.sort(\.$host).range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map(RegistryCredentialDTO.init), page: paging.page, perPage: paging.perPage, total: total)
    }

    static func get(_ request: Request) async throws -> RegistryCredentialDTO { try RegistryCredentialDTO(try await find(request)) }

    static func create(_ request: Request) async throws -> Response {
        let row = try await create(try request.content.decode(RegistryCredentialBody.self), request: request)
        let response = Response(status: .created)
        try response.content.encode(try RegistryCredentialDTO(row))
        return response
    }

    /// The API route and the admin page's form.
    static func create(_ body: RegistryCredentialBody, request: Request) async throws -> RegistryCredentialRecord {
        let row = RegistryCredentialRecord()
        row.id = UUID()
        row.host = try RegistryHostName.valid(body.host)
        if try await RegistryCredentialRecord.query(on: request.db).filter(\.$host == row.host).first() != nil {
            throw APIError.conflict("registry \(row.host) already has a credential; change it instead")
        }
        row.allowInsecureHTTP = false
        try await apply(body, to: row, request: request)
        try await row.create(on: request.db)
        request.audit.targetID = row.id?.uuidString
        request.audit.details["host"] = row.host
        return row
    }

    static func update(_ request: Request) async throws -> RegistryCredentialDTO {
        let body = try request.content.decode(RegistryCredentialBody.self)
        let row = try await find(request)
        if let host = body.host, try RegistryHostName.valid(host) != row.host {
            throw APIError.validation("host", "the host of a credential cannot change; add one for the other host")
        }
        try await apply(body, to: row, request: request)
        try await row.update(on: request.db)
        request.audit.details["host"] = row.host
        return try RegistryCredentialDTO(row)
    }

    static func delete(_ request: Request) async throws -> HTTPStatus {
        let row = try await find(request)
        request.audit.details["host"] = row.host
        try await row.delete(on: request.db)
        return .noContent
    }

    private static func apply(_ body: RegistryCredentialBody, to row: RegistryCredentialRecord, request: Request) async throws {
        if let username = body.username {
            let trimmed = username.trimmingCharacters(in: .whitespaces)
            guard trimmed.count <= 256, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == ":" }) else {
                throw APIError.validation("username", "at most 256 printable characters, no colon")
            }
            row.username = trimmed.isEmpty ? nil : trimmed
        }
        if let password = body.password {
            guard password.utf8.count <= 4096, !password.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) else {
                throw APIError.validation("password", "at most 4096 bytes on one line")
            }
            row.sealedPassword = password.isEmpty ? nil
                : try RegistryCredentialRecord.passwordColumn.seal(password, id: row.requireID(), in: request.unity.secrets)
        }
        if row.sealedPassword != nil, row.username == nil {
            throw APIError.validation("username", "required with a password (for a token-only registry use any name, e.g. token)")
        }
        if let caID = body.caCertificateId {
            row.caCertificateID = try await ContainerHostTLS.caCertificate(caID, on: request.db).requireID()
            request.audit.details["ca_certificate_id"] = caID.uuidString
        }
        if let insecure = body.allowInsecureHttp {
            row.allowInsecureHTTP = insecure
            request.audit.details["allow_insecure_http"] = String(insecure)
        }
        if row.allowInsecureHTTP, row.sealedPassword != nil, !RegistryHostName.isLoopback(row.host) {
            throw APIError.validation("allow_insecure_http", "a password is never sent over plain HTTP except to a loopback registry; use TLS (ca_certificate_id)")
        }
    }

    static func find(_ request: Request) async throws -> RegistryCredentialRecord {
        let id = try request.uuidParameter(what: "registry credential")
        request.audit.targetID = id.uuidString
        guard let row = try await RegistryCredentialRecord.find(id, on: request.db) else { throw APIError.notFound("registry credential") }
        return row
    }
}

/// The registry part of an image reference, normalised the way references are (`index.docker.io` →
/// `docker.io`), so a credential's host is exactly the key update checks look up.
enum RegistryHostName {
    static func valid(_ raw: String?) throws -> String {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty, !text.contains("/"), let reference = try? ImageReference.parse("\(text)/probe"),
              // The host must have been read as the domain part, not as a Docker Hub namespace (`nginx`).
              reference.registry == text || reference.registry == ImageReference.dockerHub && ["index.docker.io", "registry-1.docker.io"].contains(text) else {
            throw APIError.validation("host", "a registry host as in image references: docker.io, ghcr.io, registry.home.arpa:5000")
        }
        return reference.registry
    }

    static func isLoopback(_ host: String) -> Bool {
        let name = host.split(separator: ":").first.map(String.init) ?? host
        return name == "localhost" || name.hasPrefix("127.") || name == "[::1]"
    }
}
