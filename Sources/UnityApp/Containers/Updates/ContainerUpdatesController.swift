import Fluent
import UnityContainers
import Vapor

/// `/api/v1/updates` and the per-container and per-host update routes: what is available, why a
/// check is unknown, "check now", skip this version, pin.
enum ContainerUpdatesController {
    static let queryParameters: [QueryParameter] = [
        .init(name: "host_id", kind: .string, description: "only this container host"),
        .init(name: "status", kind: .string, description: "up_to_date, update_available, unknown, skipped, pinned, not_checked"),
        .init(name: "kind", kind: .string, description: "digest, patch, minor, major"),
    ]

    static func list(_ request: Request) async throws -> [ContainerUpdateDTO] {
        let containers = ContainerRecord.query(on: request.db).filter(\.$removedAt == nil)
        if let raw = request.query[String.self, at: "host_id"] {
            guard let id = UUID(uuidString: raw) else { throw APIError.validation("host_id", "expected a UUID") }
            containers.filter(\.$hostID == id)
        }
        let status = request.query[String.self, at: "status"]
        if let status, !ContainerUpdateDTO.allowedValues["status", default: []].contains(status) {
            throw APIError.validation("status", "one of \(ContainerUpdateDTO.allowedValues["status", default: []].joined(separator: ", "))")
        }
        let kind = request.query[String.self, at: "kind"]
        if let kind, !ContainerUpdateDTO.allowedValues["kind", default: []].contains(kind) {
            throw APIError.validation("kind", "one of digest, patch, minor, major")
        }
        let rows = try await containers.sort(\.$name).all()
        let statuses = try await statusRows(for: rows.compactMap(\.id), on: request.db)
        return try rows.map { try ContainerUpdateDTO(container: $0, status: $0.id.flatMap { statuses[$0] }) }
            .filter { dto in (status == nil || dto.status == status) && (kind == nil || dto.kind == kind) }
    }

    static func statusRows(for ids: [UUID], on db: any Database) async throws -> [UUID: ContainerUpdateStatusRecord] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await ContainerUpdateStatusRecord.query(on: db).filter(\.$containerID ~~ ids).all()
        return Dictionary(rows.map { ($0.containerID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func checkAll(_ request: Request) async throws -> ContainerUpdateChecks.Summary {
        let summary = try await ContainerUpdateChecks.run(application: request.application, database: request.db)
        request.audit.details["checked"] = String(summary.checked)
        return summary
    }

    static func checkHost(_ request: Request) async throws -> ContainerUpdateChecks.Summary {
        let host = try await ContainerHostsController.find(request)
        let summary = try await ContainerUpdateChecks.run(application: request.application, database: request.db, hostID: try host.requireID())
        request.audit.details["checked"] = String(summary.checked)
        return summary
    }

    static func checkContainer(_ request: Request) async throws -> ContainerUpdateDTO {
        let row = try await live(request)
        _ = try await ContainerUpdateChecks.run(application: request.application, database: request.db, containerID: try row.requireID())
        return try await dto(row, on: request.db)
    }

    static func get(_ request: Request) async throws -> ContainerUpdateDTO { try await dto(try await live(request), on: request.db) }

    /// Skip this version: the current candidate is not reported again (a newer one is).
    static func skip(_ request: Request) async throws -> ContainerUpdateDTO {
        let row = try await live(request)
        guard try await UpdateStore.skipCurrentCandidate(containerID: try row.requireID(), now: Date(), on: request.db) else {
            throw APIError.conflict("no update is available for \(row.name): nothing to skip")
        }
        // The skipped candidate's alert resolves with the next check of this container.
        _ = try await ContainerUpdateChecks.run(application: request.application, database: request.db, containerID: try row.requireID())
        return try await dto(row, on: request.db)
    }

    static func pin(_ request: Request) async throws -> ContainerUpdateDTO {
        let body = try request.content.decode(PinUpdateBody.self)
        guard let pinned = body.pinned else { throw APIError.validation("pinned", "true to stop checking this container, false to check it again") }
        let row = try await live(request)
        try await UpdateStore.setPinned(pinned, containerID: try row.requireID(), now: Date(), on: request.db)
        request.audit.details["pinned"] = String(pinned)
        _ = try await ContainerUpdateChecks.run(application: request.application, database: request.db, containerID: try row.requireID())
        return try await dto(row, on: request.db)
    }

    private static func live(_ request: Request) async throws -> ContainerRecord {
        let row = try await ContainersController.find(request)
        request.audit.targetID = row.id?.uuidString
        guard row.removedAt == nil else { throw APIError.notFound("container") }
        return row
    }

    private static func dto(_ row: ContainerRecord, on db: any Database) async throws -> ContainerUpdateDTO {
        let status = try await ContainerUpdateStatusRecord.query(on: db).filter(\.$containerID == row.requireID()).first()
        return try ContainerUpdateDTO(container: row, status: status)
    }
}
