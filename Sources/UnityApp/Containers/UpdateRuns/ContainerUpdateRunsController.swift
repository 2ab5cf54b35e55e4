import Fluent
import Foundation
import UnityContainers
import UnityRegistry
import Vapor

/// `POST /api/v1/containers/{id}/update` (start a run), `GET /api/v1/update-runs` and one run with its
/// journal, `GET /api/v1/containers/{id}/update-runs` (the history, kept after the container is gone).
enum ContainerUpdateRunsController {
    static let queryParameters: [QueryParameter] = QueryParameter.paging + [
        .init(name: "host_id", kind: .string, description: "only runs on this container host"),
        .init(name: "container_id", kind: .string, description: "only runs of this container"),
        .init(name: "state", kind: .string, description: UpdateRunState.allCases.map(\.rawValue).joined(separator: ", ")),
    ]

    static func start(_ request: Request) async throws -> Response {
        let body = request.body.data == nil ? StartUpdateRunBody() : try request.decodeBody(StartUpdateRunBody.self)
        let run = try await start(body, request: request)
        let response = Response(status: .accepted)
        try response.content.encode(run)
        return response
    }

    /// The API route and the container page's "Update now" form: checks the role for a window
    /// override, picks the candidate, records the run (409 while one is active) and audits it.
    static func start(_ body: StartUpdateRunBody, request: Request) async throws -> UpdateRunDTO {
        let container = try await ContainersController.find(request)
        let containerID = try container.requireID()
        request.audit.targetID = containerID.uuidString
        guard container.removedAt == nil else { throw APIError.notFound("container") }
        let principal = try request.principal()
        let overrideWindow = body.overrideWindow ?? false
        request.audit.details["override_window"] = String(overrideWindow)
        if overrideWindow, principal.effectiveRole < .admin {
            throw APIError(status: .forbidden, code: "forbidden", message: "override_window: overriding the maintenance window needs the admin role",
                           field: "override_window")
        }
        let (reference, digest) = try await candidate(body.candidate, for: container, on: request.db)
        request.audit.details["candidate"] = reference + (digest.map { "@" + $0 } ?? "")
        let update = UpdateRequest(containerID: containerID, hostID: container.hostID, candidateReference: reference, candidateDigest: digest,
                                   trigger: .manual, requestedBy: principal.username, overrideWindow: overrideWindow)
        let runID: UUID
        do {
            runID = try await ContainerUpdateRuns.start(update, application: request.application)
        } catch let error as UpdateRunError {
            if case .alreadyActive(_, let active, _) = error {
                request.audit.details["active_run_id"] = active?.uuidString
                throw APIError.conflict(error.description)
            }
            throw error
        }
        request.audit.details["run_id"] = runID.uuidString
        let run = try await dto(runID, on: request.db)
        request.audit.details["state"] = run.state
        return run
    }

    /// The reference and digest to update to: the caller's, or the one the last update check found
    /// (its last good result while the latest check failed transiently). 422 naming `candidate` otherwise.
    static func candidate(_ given: String?, for container: ContainerRecord, on db: any Database) async throws -> (String, String?) {
        if let given = given?.trimmingCharacters(in: .whitespaces), !given.isEmpty {
            guard given.utf8.count <= 512, let parsed = try? ImageReference.parse(given) else {
                throw APIError.validation("candidate", "expected an image reference such as ghcr.io/org/app:1.4.2")
            }
            let named = ImageReference(registry: parsed.registry, repository: parsed.repository, tag: parsed.tag ?? (parsed.digest == nil ? "latest" : nil), digest: nil)
            return (named.familiar, parsed.digest)
        }
        let status = try await ContainerUpdateStatusRecord.query(on: db).filter(\.$containerID == container.requireID()).first()
        let available = UpdateStatus.updateAvailable.rawValue
        let found: (tag: String?, digest: String?)? = switch status {
        case let row? where row.status == available: (row.candidateTag, row.candidateDigest)
        case let row? where row.stale && row.lastGoodStatus == available: (row.lastGoodCandidateTag, row.lastGoodCandidateDigest)
        default: nil
        }
        guard let found, let current = container.imageReference, let image = try? ImageReference.parse(current),
              let tag = found.tag ?? image.tag else {
            throw APIError.validation("candidate", "no update is known for \(container.name): check for updates first or name the image to update to")
        }
        return (image.withTag(tag).familiar, found.digest)
    }

    static func list(_ request: Request) async throws -> Page<UpdateRunDTO> {
        let paging = try PageRequest(request)
        let query = ContainerUpdateRunRecord.query(on: request.db)
        if let id = try uuidQuery(request, "host_id") { query.filter(\.$hostID == id) }
        if let id = try uuidQuery(request, "container_id") { query.filter(\.$containerID == id) }
        if let state = request.query[String.self, at: "state"] {
            guard UpdateRunState(rawValue: state) != nil else {
                throw APIError.validation("state", "one of \(UpdateRunState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            query.filter(\.$state == state)
        }
        return try await page(query, paging)
    }

    /// A container's runs, newest first; also for a removed container (its history stays).
    static func forContainer(_ request: Request) async throws -> Page<UpdateRunDTO> {
        let paging = try PageRequest(request)
        let id = try request.uuidParameter(what: "container")
        let query = ContainerUpdateRunRecord.query(on: request.db).filter(\.$containerID == id)
        if try await ContainerRecord.find(id, on: request.db) == nil, try await query.count() == 0 { throw APIError.notFound("container") }
        return try await page(ContainerUpdateRunRecord.query(on: request.db).filter(\.$containerID == id), paging)
    }

    static func get(_ request: Request) async throws -> UpdateRunDTO {
        try await dto(try request.uuidParameter(what: "update run"), on: request.db)
    }

    static func dto(_ id: UUID, on db: any Database) async throws -> UpdateRunDTO {
        guard let row = try await ContainerUpdateRunRecord.find(id, on: db) else { throw APIError.notFound("update run") }
        let steps = try await ContainerUpdateStepRecord.query(on: db).filter(\.$runID == id).sort(\.$sequence).all()
        return try UpdateRunDTO(row, steps: steps)
    }

    private static func page(_ query: QueryBuilder<ContainerUpdateRunRecord>, _ paging: PageRequest) async throws -> Page<UpdateRunDTO> {
        let total = try await query.count()
        let rows = try await query.sort(\.$startedAt, .descending).sort(\.$id)
            .range(paging.offset..<(paging.offset + paging.perPage)).all()
        return Page(items: try rows.map { try UpdateRunDTO($0, steps: nil) }, page: paging.page, perPage: paging.perPage, total: total)
    }

    private static func uuidQuery(_ request: Request, _ name: String) throws -> UUID? {
        guard let raw = request.query[String.self, at: name] else { return nil }
        guard let id = UUID(uuidString: raw) else { throw APIError.validation(name, "expected a UUID") }
        return id
    }
}

/// The routes of update runs, with their access rules: viewers read runs, operators start them
/// (a window override needs an admin, checked in the handler so the refusal names the field).
enum ContainerUpdateRunRoutes {
    static func register(viewer: any RoutesBuilder, operators: any RoutesBuilder) {
        let containers: [PathComponent] = ["api", "v1", "containers"]
        let runs: [PathComponent] = ["api", "v1", "update-runs"]
        operators.endpoint(.POST, containers + [":id", "update"], operation: "containers.update_run", summary: "Update the container now (202 with the run; follow it at /api/v1/update-runs/{id}; 409 while one runs; override_window: admins, audited)", tag: "containers", body: StartUpdateRunBody.self, target: "container", status: .accepted, responds: UpdateRunDTO.self, use: ContainerUpdateRunsController.start)
        viewer.endpoint(.GET, containers + [":id", "update-runs"], operation: "containers.update_runs", summary: "The container's update history, newest first", tag: "containers", query: QueryParameter.paging, responds: Page<UpdateRunDTO>.self, use: ContainerUpdateRunsController.forContainer)
        viewer.endpoint(.GET, runs, operation: "update_runs.list", summary: "Update runs, newest first (filters: host, container, state)", tag: "containers", query: ContainerUpdateRunsController.queryParameters, responds: Page<UpdateRunDTO>.self, use: ContainerUpdateRunsController.list)
        viewer.endpoint(.GET, runs + [":id"], operation: "update_runs.get", summary: "One update run with its journal", tag: "containers", responds: UpdateRunDTO.self, use: ContainerUpdateRunsController.get)
    }
}
