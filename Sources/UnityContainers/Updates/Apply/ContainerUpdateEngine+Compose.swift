import Foundation

/// The compose path of an update: when the container belongs to a Compose project whose files are
/// readable on its host, Compose itself recreates it (after the same pull by digest, rollback pin and
/// backup as the API path), so the file, the project and the container agree and a later
/// `docker compose up -d` changes nothing. Rollback puts the operator's file and the old image's tag
/// back and lets Compose recreate the old version.
extension ContainerUpdateEngine {
    /// The compose service the container's labels describe, when they name a project directory and files.
    static func composeService(_ container: RawContainerInspect) -> ComposeService? {
        guard let labels = container.json.at("Config", "Labels")?.object,
              let project = labels["com.docker.compose.project"]?.string,
              let service = labels["com.docker.compose.service"]?.string,
              let directory = labels["com.docker.compose.project.working_dir"]?.string,
              let files = labels["com.docker.compose.project.config_files"]?.string else { return nil }
        let configFiles = files.split(separator: ",").map { String($0) }
            .map { $0.hasPrefix("/") ? $0 : directory + "/" + $0 }
        guard !configFiles.isEmpty else { return nil }
        return ComposeService(project: project, service: service, workingDirectory: directory, configFiles: configFiles)
    }

    /// Runs the update through Compose, or returns nil (journaled) when Compose cannot be used here
    /// and nothing was changed: the caller then takes the API path.
    func composeForward(_ run: UpdateRun, old: RawContainerInspect, service: ComposeService, compose: ComposeServiceUpdater,
                        candidateImage: String, gate: HealthGateSettings) async throws -> UpdateRunState? {
        let plan: ComposeServiceUpdater.Plan
        do { plan = try await compose.prepare(service, candidate: candidateImage) } catch {
            try await run.line(.composeFile, .skipped, "recreating through the engine API instead: \(UpdateRun.describe(error))")
            return nil
        }
        try await run.learn { $0.compose = ComposeRunFacts(plan, oldImageReference: old.configuredImage) }
        if plan.editedText != nil {
            if let failure = try await run.step(.composeFile, "setting \(service.service)'s image to \(candidateImage) in \(plan.file) (original kept as \(plan.backupFile))", {
                try await compose.writeFile(plan)
                return "\(plan.file) names \(candidateImage) (was \(plan.previousImage))"
            }) { return try await composeRollBack(run, reason: "the compose file could not be written: \(failure)", gate: gate) }
        } else {
            try await run.line(.composeFile, .skipped, "\(plan.file) already names \(candidateImage)")
        }
        if let failure = try await run.step(.composeUp, "\(plan.invocation.tool.rawValue) up -d --no-deps \(service.service)", {
            try await compose.up(plan)
            guard let created = try await engine.inspectContainerRaw(old.name), created.id != old.id else {
                throw UpdateStepFailure(message: "Compose left no new container named \(old.name)")
            }
            try await run.learn { $0.newContainerID = created.id }
            return "Compose recreated \(old.name) as \(created.shortID)"
        }) { return try await composeRollBack(run, reason: "compose up failed: \(failure)", gate: gate) }
        return try await composeGate(run, plan: plan, gate: gate)
    }

    /// The health gate on the container Compose created; success discards the file's backup copy.
    func composeGate(_ run: UpdateRun, plan: ComposeServiceUpdater.Plan, gate: HealthGateSettings) async throws -> UpdateRunState {
        guard let newID = run.facts.newContainerID else { return try await composeRollBack(run, reason: "the new container is not known", gate: gate) }
        if let failure = try await run.step(.healthGate, Self.describe(gate), {
            let verdict = try await healthGate(newID, settings: gate)
            guard verdict.passed else {
                throw UpdateStepFailure(message: verdict.detail + (verdict.evidence.isEmpty ? "" : "\nlast log lines:\n" + verdict.evidence))
            }
            return verdict.detail
        }) {
            let firstLine = failure.split(separator: "\n").first.map(String.init) ?? failure
            return try await composeRollBack(run, reason: "health gate failed: \(firstLine)", gate: gate)
        }
        if plan.editedText != nil, let compose {
            if let failure = try await run.step(.removeOld, "removing \(plan.backupFile) (Compose already removed the old container)", {
                try await compose.discardBackup(plan)
                return "backup copy of the compose file removed"
            }) { return try await run.finish(.succeeded, "updated to \(run.request.candidateReference) through Compose; \(failure)") }
        } else {
            try await run.line(.removeOld, .skipped, "Compose already removed the old container")
        }
        return try await run.finish(.succeeded, "updated to \(run.request.candidateReference) through Compose, healthy")
    }

    /// Puts the operator's file back, points the old image's tag at the old image again (a floating tag
    /// was moved by the pull), lets Compose recreate the service, and verifies it. Safe to repeat.
    func composeRollBack(_ run: UpdateRun, reason: String, gate: HealthGateSettings) async throws -> UpdateRunState {
        guard let facts = run.facts.compose, let compose else {
            return try await run.finish(.failed, "\(reason); the compose project is not known, nothing to roll back")
        }
        let plan = compose.plan(resuming: facts)
        if let failure = try await run.step(.composeRestore, "restoring \(plan.file) and \(facts.oldImageReference ?? "the old image"), then up -d --no-deps \(facts.service)", {
            try await compose.restoreFile(plan)
            if let reference = facts.oldImageReference, let oldImageID = run.facts.oldImageID {
                let parts = ImageReferenceParts(reference)
                if parts.digest == nil, let tag = parts.tag { try await engine.tagImage(oldImageID, repository: parts.repository, tag: tag) }
            }
            try await compose.up(plan)
            return "\(plan.file) restored, Compose recreated \(facts.service) from the old image"
        }) { return try await run.finish(.failed, "\(reason); rollback through Compose failed: \(failure)") }
        let name = run.facts.originalName ?? ""
        if let failure = try await run.step(.verifyOld, Self.describe(gate), {
            guard let restored = try await engine.inspectContainerRaw(name) else { throw UpdateStepFailure(message: "no container named \(name)") }
            guard restored.imageID == run.facts.oldImageID else { throw UpdateStepFailure(message: "\(name) runs \(restored.imageID), not the old image") }
            let verdict = try await healthGate(restored.id, settings: gate)
            guard verdict.passed else { throw UpdateStepFailure(message: verdict.detail) }
            return "the old version runs again: " + verdict.detail
        }) { return try await run.finish(.failed, "\(reason); rollback incomplete: \(failure)") }
        return try await run.finish(.rolledBack, "\(reason); Compose runs the old version of \(name) again")
    }

    /// After a crash in a compose run: once Compose recreated the container it is gated again,
    /// otherwise (or inside a rollback) the rollback runs.
    func composeResume(_ run: UpdateRun, steps: [UpdateStepEntry], gate: HealthGateSettings) async throws -> UpdateRunState {
        guard let facts = run.facts.compose, let compose else {
            return try await run.finish(.failed, "a compose run was interrupted and this host has no compose access now")
        }
        let upDone = steps.contains { $0.step == .composeUp && $0.outcome == .succeeded }
        let inRollback = steps.contains { $0.step.isRollback }
        if upDone, !inRollback, let newID = run.facts.newContainerID, try await engine.inspectContainerRaw(newID) != nil {
            return try await composeGate(run, plan: compose.plan(resuming: facts), gate: gate)
        }
        let last = steps.last.map { "\($0.step.rawValue) (\($0.outcome.rawValue))" } ?? "the start"
        return try await composeRollBack(run, reason: "Unity stopped during \(last)", gate: gate)
    }
}
