import Fluent
import UnityContainers
import Vapor

/// The update pages: "Update now" on the container page (the same function as the API route) and
/// one run with its live journal.
enum UpdateRunPages {
    static func register(viewer: any RoutesBuilder, operators: any RoutesBuilder) {
        operators.endpoint(.POST, "containers", ":id", "update", operation: "web.container_update", summary: "Update the container now (confirmed form)", tag: "web", target: "container", produces: "text/html", use: start)
        viewer.endpoint(.GET, "update-runs", ":id", operation: "web.update_run", summary: "One update run: live step progress and the journal", tag: "web", produces: "text/html", use: run)
    }

    static func start(_ request: Request) async throws -> Response {
        let form = request.webForm()
        let back = ContainerPages.containerPath(request) + "#updates"
        do {
            let body = StartUpdateRunBody(candidate: form.text("candidate"), overrideWindow: form.flag("override_window"))
            let run = try await ContainerUpdateRunsController.start(body, request: request)
            let notice = run.state == "running" ? "Updating \(run.containerName) to \(run.toReference)."
                : "Update of \(run.containerName): \(run.state.replacingOccurrences(of: "_", with: " ")) — \(run.summary ?? "")"
            return WebFlash.redirect(request, to: WebActions.path("/update-runs", run.id), notice: notice, isError: run.state != "running")
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            return WebFlash.redirect(request, to: back, notice: mapped.message, isError: true)
        }
    }

    static func run(_ request: Request) async throws -> Response {
        let run = try await ContainerUpdateRunsController.dto(try request.uuidParameter(what: "update run"), on: request.db)
        return try WebLayout.respond(request, title: "Update of \(run.containerName)", section: .containers) { _ in UpdateRunsView.run(run) }
    }

    /// The container page's update section, read from the runs table and the update status.
    static func section(for container: ContainerRecord, request: Request) async throws -> ContainerUpdateSectionModel {
        let id = try container.requireID()
        let rows = try await ContainerUpdateRunRecord.query(on: request.db).filter(\.$containerID == id)
            .sort(\.$startedAt, .descending).limit(20).all()
        let history = try rows.map { try UpdateRunDTO($0, steps: nil) }
        let candidate = try? await ContainerUpdateRunsController.candidate(nil, for: container, on: request.db).0
        let parts = request.application.containerUpdateApply
        return ContainerUpdateSectionModel(containerID: id, containerName: container.name, candidate: candidate,
                                           active: history.first { $0.state == "running" || $0.state == "queued" }, history: history,
                                           knownOptions: (parts.preflight as? AlwaysProceed)?.options, backupsInstalled: parts.backups != nil,
                                           removed: container.removedAt != nil)
    }
}
