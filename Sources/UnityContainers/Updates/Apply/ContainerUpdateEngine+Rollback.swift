import Foundation

extension ContainerUpdateEngine {
    /// Puts the old container back: remove the new one (never its volumes: they are the old one's),
    /// rename the old one back, start it, verify it. Each step looks at the engine first, so a
    /// rollback interrupted by a crash is simply run again. Ends `rolled_back`, or `failed` naming
    /// what is still wrong.
    func rollBack(_ run: UpdateRun, reason: String, gate: HealthGateSettings) async throws -> UpdateRunState {
        guard let oldID = run.facts.oldContainerID, let originalName = run.facts.originalName else {
            return try await run.finish(.failed, "\(reason); the old container is not known, nothing to roll back")
        }
        var problems: [String] = []

        // The new container: by its recorded id, or (create finished but its id was never stored)
        // whatever now holds the original name and is not the old container.
        var newID = run.facts.newContainerID
        if newID == nil, let holder = try await engine.inspectContainerRaw(originalName), holder.id != oldID { newID = holder.id }
        if let newID, try await engine.inspectContainerRaw(newID) != nil {
            if let failure = try await run.step(.removeNew, "removing the new container \(newID.prefix(12)) (volumes kept)", {
                try await engine.remove(newID, force: true, removeAnonymousVolumes: false)
                return "new container removed"
            }) { problems.append("the new container could not be removed: \(failure)") }
        } else {
            try await run.line(.removeNew, .skipped, "no new container exists")
        }

        guard let old = try await engine.inspectContainerRaw(oldID) else {
            try await run.line(.verifyOld, .failed, "the old container \(oldID.prefix(12)) no longer exists")
            return try await run.finish(.failed, "\(reason); rollback impossible: the old container is gone (rollback image \(run.facts.rollbackReference ?? "none"))")
        }
        if old.name != originalName {
            if let failure = try await run.step(.renameBack, "renaming \(old.name) back to \(originalName)", {
                try await engine.renameContainer(oldID, to: originalName)
                return "old container is \(originalName) again"
            }) { problems.append("rename back failed: \(failure)") }
        } else {
            try await run.line(.renameBack, .skipped, "the old container still has its name")
        }

        if let failure = try await run.step(.startOld, "starting the old container \(oldID.prefix(12))", {
            try await engine.start(oldID)
            return "old container started"
        }) { problems.append("the old container did not start: \(failure)") }

        if let failure = try await run.step(.verifyOld, Self.describe(gate), {
            let verdict = try await healthGate(oldID, settings: gate)
            guard verdict.passed else {
                throw UpdateStepFailure(message: verdict.detail + (verdict.evidence.isEmpty ? "" : "\nlast log lines:\n" + verdict.evidence))
            }
            return "old container " + verdict.detail
        }) { problems.append("the old container is not healthy: \(failure.split(separator: "\n").first.map(String.init) ?? failure)") }

        if problems.isEmpty { return try await run.finish(.rolledBack, "\(reason); the old container runs again under \(originalName)") }
        return try await run.finish(.failed, "\(reason); rollback incomplete: \(problems.joined(separator: "; "))")
    }

    public func resume(_ snapshot: UpdateRunSnapshot, journal: any UpdateJournaling, backups: (any ContainerBackupTaking)?) async -> UpdateRunState {
        guard !snapshot.state.isFinal else { return snapshot.state }
        let run = UpdateRun(id: snapshot.id, request: snapshot.request, facts: snapshot.facts, journal: journal, clock: clock)
        do { return try await resume(run, steps: snapshot.steps) } catch { return .running }
    }

    /// Decided from the journal and from what the engine shows now: once the new container was
    /// started, it is gated again (kept when healthy); before that, or inside a rollback, roll back.
    private func resume(_ run: UpdateRun, steps: [UpdateStepEntry]) async throws -> UpdateRunState {
        let gate = resumeHealthGate
        guard run.facts.oldContainerID != nil else {
            return try await run.finish(.failed, "interrupted before the container was read; nothing was changed")
        }
        if run.facts.compose != nil { return try await composeResume(run, steps: steps, gate: gate) }
        let last = steps.last.map { "\($0.step.rawValue) (\($0.outcome.rawValue))" } ?? "the start"
        func did(_ step: UpdateStepName, _ outcome: UpdateStepOutcome) -> Bool { steps.contains { $0.step == step && $0.outcome == outcome } }
        if steps.contains(where: { $0.step.isRollback }) {
            return try await rollBack(run, reason: "resumed a rollback interrupted at \(last)", gate: gate)
        }
        if did(.removeOld, .started) { return try await removeOld(run) }
        if did(.startNew, .succeeded), let newID = run.facts.newContainerID, try await engine.inspectContainerRaw(newID) != nil {
            return try await startAndGate(run, gate: gate)
        }
        return try await rollBack(run, reason: "Unity stopped during \(last) before the new container ran", gate: gate)
    }
}
