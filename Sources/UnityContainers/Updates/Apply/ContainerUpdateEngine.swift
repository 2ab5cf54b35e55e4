import Foundation
import UnityParsers

/// The update engine for one container host (issue 17): pull by digest → pin the rollback image →
/// backup → rename old → create new from the old inspect → stop old → start new → health gate →
/// remove old; any failure takes the rollback path, which puts the old container back under its name,
/// running. Every side effect is preceded by its journal line, so `resume` can finish a run that a
/// crash interrupted.
public final class ContainerUpdateEngine: ContainerUpdateApplying {
    let engine: any ContainerUpdateOperations
    /// Unity's container id → the engine's container id (or name), answered by the app.
    let resolveContainer: @Sendable (UUID) async throws -> String
    let credentials: RegistryCredentialLookup?
    let clock: any UpdateClock
    /// How often the health gate looks at the container.
    let pollSeconds: Double
    /// Passed to stop (nil: the container's own StopTimeout).
    let stopTimeout: Int?
    /// The gate a resume uses: a snapshot does not carry the run's options.
    let resumeHealthGate: HealthGateSettings
    /// Compose on the container's host (over its SSH connection), when Unity has one: compose-managed
    /// services are then updated through Compose. Nil: always the engine API.
    let compose: ComposeServiceUpdater?

    public init(engine: any ContainerUpdateOperations, resolveContainer: @escaping @Sendable (UUID) async throws -> String,
                credentials: RegistryCredentialLookup? = nil, clock: any UpdateClock = SystemUpdateClock(),
                pollSeconds: Double = 1, stopTimeout: Int? = nil, resumeHealthGate: HealthGateSettings = HealthGateSettings(),
                compose: ComposeServiceUpdater? = nil) {
        self.resumeHealthGate = resumeHealthGate
        self.compose = compose
        self.engine = engine
        self.resolveContainer = resolveContainer
        self.credentials = credentials
        self.clock = clock
        self.pollSeconds = pollSeconds
        self.stopTimeout = stopTimeout
    }

    public func apply(_ request: UpdateRequest, options: UpdateApplyOptions, run: UUID,
                      journal: any UpdateJournaling, backups: (any ContainerBackupTaking)?) async -> UpdateRunState {
        let run = UpdateRun(id: run, request: request, facts: UpdateRunFacts(), journal: journal, clock: clock)
        do { return try await forward(run, options: options, backups: backups) } catch {
            // Only a journal that stopped storing lines ends up here: stop like a killed process.
            return .running
        }
    }

    private func forward(_ run: UpdateRun, options: UpdateApplyOptions, backups: (any ContainerBackupTaking)?) async throws -> UpdateRunState {
        let request = run.request
        let old: RawContainerInspect
        do {
            let reference = try await resolveContainer(request.containerID)
            guard let found = try await engine.inspectContainerRaw(reference) else { throw UpdateStepFailure(message: "container \(reference) not found") }
            old = found
        } catch let stopped as UpdateJournalStopped { throw stopped } catch {
            try await run.line(.pull, .skipped, "the container could not be read: \(UpdateRun.describe(error))")
            return try await run.finish(.failed, "nothing was changed: \(UpdateRun.describe(error))")
        }
        try await run.learn { $0.oldContainerID = old.id; $0.originalName = old.name; $0.oldImageID = old.imageID }

        // Pull: nothing else happens when it fails.
        let candidate = ImageReferenceParts(request.candidateReference)
        let pullReference = request.candidateDigest.map { candidate.pinned(to: $0) } ?? request.candidateReference
        var pulled: ImageInspectFacts?
        if let failure = try await run.step(.pull, "pulling \(pullReference)", {
            let auth = await credentials?(candidate.registryHost)
            try await engine.pullImage(pullReference, credentials: auth)
            guard let image = try await engine.inspectImage(pullReference) else {
                throw UpdateStepFailure(message: "\(pullReference) is not present after the pull")
            }
            let facts = try await engine.facts()
            if let os = image.os, let engineOS = facts.os, os != engineOS {
                throw UpdateStepFailure(message: "the image is for \(os), the engine runs \(engineOS)")
            }
            if let arch = image.architecture, let engineArch = facts.architecture, !Self.sameArchitecture(arch, engineArch) {
                throw UpdateStepFailure(message: "the image is for \(arch), the engine runs \(engineArch)")
            }
            // The new container names the candidate by its tag (what update detection follows); the
            // tag is pointed at exactly what was pulled.
            if request.candidateDigest != nil, let tag = candidate.tag {
                try await engine.tagImage(image.id, repository: candidate.repository, tag: tag)
            }
            pulled = image
            try await run.learn { $0.candidateImageID = image.id }
            return "pulled \(image.id) (\(image.os ?? "?")/\(image.architecture ?? "?"))"
        }) {
            return try await run.finish(.failed, "pull failed, nothing was changed: \(failure)")
        }
        guard let pulled else { return try await run.finish(.failed, "pull failed, nothing was changed") }

        // Rollback target pinned and verified before anything stops.
        let stamp = String(Int(clock.now().timeIntervalSince1970))
        let rollbackRepository = "unity-rollback/\(Self.repositoryComponent(old.name))"
        if let failure = try await run.step(.pinRollback, "tagging \(old.imageID) as \(rollbackRepository):\(stamp)", {
            try await engine.tagImage(old.imageID, repository: rollbackRepository, tag: stamp)
            guard let pinned = try await engine.inspectImage("\(rollbackRepository):\(stamp)"), pinned.id == old.imageID else {
                throw UpdateStepFailure(message: "the rollback tag does not resolve to \(old.imageID)")
            }
            try await run.learn { $0.rollbackReference = "\(rollbackRepository):\(stamp)" }
            return "old image \(old.imageID) kept as \(rollbackRepository):\(stamp)"
        }) {
            return try await run.finish(.failed, "the rollback image could not be pinned, nothing was changed: \(failure)")
        }

        if options.requireBackup {
            if let failure = try await run.step(.backup, "backing up \(old.name)", {
                guard let backups else { throw UpdateStepFailure(message: "the policy requires a backup and no backup service is configured") }
                let backup = try await backups.backUp(hostID: request.hostID, engineContainerID: old.id, reason: "before update to \(request.candidateReference)")
                try await run.learn { $0.backupID = backup.id }
                return "backup \(backup.id): \(backup.parts.joined(separator: ", ")) (\(backup.sizeBytes) bytes)"
            }) {
                return try await run.finish(.failed, "the backup was refused, nothing was changed: \(failure)")
            }
        } else {
            try await run.line(.backup, .skipped, "the policy does not require a backup")
        }

        // The plan is pure and made before the first change, so a plan that cannot be made touches nothing.
        let plan: RecreatePlan
        // Config.Image names the candidate by its tag when it has one (pointed at the pulled digest above).
        let configuredImage = request.candidateDigest != nil && candidate.tag == nil ? pullReference : request.candidateReference
        if let compose, let service = Self.composeService(old),
           let state = try await composeForward(run, old: old, service: service, compose: compose, candidateImage: configuredImage,
                                                gate: options.healthGate) {
            return state
        }
        do { plan = try await makePlan(old: old, candidate: pulled, candidateImage: configuredImage) } catch {
            try await run.line(.renameOld, .skipped, "no recreate plan: \(UpdateRun.describe(error))")
            return try await run.finish(.failed, "nothing was changed: \(UpdateRun.describe(error))")
        }

        let parked = "\(old.name)-unity-old-\(stamp)"
        try await run.learn { $0.parkedName = parked }
        if let failure = try await run.step(.renameOld, "renaming \(old.name) to \(parked)", {
            try await engine.renameContainer(old.id, to: parked)
            return "old container parked as \(parked)"
        }) { return try await rollBack(run, reason: "rename failed: \(failure)", gate: options.healthGate) }

        if let failure = try await run.step(.createNew, "creating \(old.name) on \(request.candidateReference)" + Self.notes(plan), {
            let id = try await engine.createContainer(name: old.name, body: plan.createBody)
            try await run.learn { $0.newContainerID = id }
            for attachment in plan.connectAfter {
                try await engine.connectNetwork(attachment.network, container: id, endpoint: attachment.endpoint)
            }
            return "created \(id)"
        }) { return try await rollBack(run, reason: "create failed: \(failure)", gate: options.healthGate) }

        if let failure = try await run.step(.stopOld, "stopping \(old.id.prefix(12))", {
            try await engine.stop(old.id, timeout: stopTimeout)
            return "old container stopped"
        }) { return try await rollBack(run, reason: "stopping the old container failed: \(failure)", gate: options.healthGate) }

        return try await startAndGate(run, gate: options.healthGate)
    }

    /// start_new → health_gate → remove_old, or the rollback. Also where a resume after start_new goes.
    func startAndGate(_ run: UpdateRun, gate: HealthGateSettings) async throws -> UpdateRunState {
        guard let newID = run.facts.newContainerID else { return try await rollBack(run, reason: "the new container is not known", gate: gate) }
        if let failure = try await run.step(.startNew, "starting \(newID.prefix(12))", {
            try await engine.start(newID)
            return "new container started"
        }) { return try await rollBack(run, reason: "starting the new container failed: \(failure)", gate: gate) }

        var evidence = ""
        if let failure = try await run.step(.healthGate, Self.describe(gate), {
            let verdict = try await healthGate(newID, settings: gate)
            guard verdict.passed else {
                evidence = verdict.evidence
                throw UpdateStepFailure(message: verdict.detail + (verdict.evidence.isEmpty ? "" : "\nlast log lines:\n" + verdict.evidence))
            }
            return verdict.detail
        }) {
            let firstLine = failure.split(separator: "\n").first.map(String.init) ?? failure
            return try await rollBack(run, reason: "health gate failed: \(firstLine)" + (evidence.isEmpty ? "" : " (log lines kept in the journal)"), gate: gate)
        }
        return try await removeOld(run)
    }

    /// The update is good: the old container goes (never its anonymous volumes: the new one uses them).
    func removeOld(_ run: UpdateRun) async throws -> UpdateRunState {
        guard let oldID = run.facts.oldContainerID else { return try await run.finish(.succeeded, "updated") }
        let target = run.request.candidateReference
        if try await engine.inspectContainerRaw(oldID) == nil {
            try await run.line(.removeOld, .skipped, "the old container is already gone")
            return try await run.finish(.succeeded, "updated to \(target)")
        }
        if let failure = try await run.step(.removeOld, "removing the old container \(oldID.prefix(12)) (volumes kept)", {
            try await engine.remove(oldID, force: true, removeAnonymousVolumes: false)
            return "old container removed, its volumes kept"
        }) {
            return try await run.finish(.succeeded, "updated to \(target); the old container could not be removed: \(failure)")
        }
        return try await run.finish(.succeeded, "updated to \(target), healthy")
    }

    private func makePlan(old: RawContainerInspect, candidate: ImageInspectFacts, candidateImage: String) async throws -> RecreatePlan {
        let oldImage = try await engine.inspectImage(old.imageID)
        var names: [String: String] = [:]
        for key in ["NetworkMode", "PidMode", "IpcMode"] {
            guard let mode = old.json.at("HostConfig", key)?.string, mode.hasPrefix("container:") else { continue }
            let target = String(mode.dropFirst("container:".count))
            if let other = try await engine.inspectContainerRaw(target) { names[target] = other.name }
        }
        return RecreatePlan.make(old: old, oldImageConfig: oldImage?.config ?? .object([:]), candidateImage: candidateImage,
                                 candidateImageID: candidate.id, apiVersion: try await engine.negotiatedAPIVersion(), containerNames: names)
    }

    static func notes(_ plan: RecreatePlan) -> String { plan.notes.isEmpty ? "" : "; " + plan.notes.joined(separator: "; ") }

    static func describe(_ gate: HealthGateSettings) -> String {
        "HEALTHCHECK healthy within \(gate.healthyTimeoutSeconds) s, else running and stable for \(gate.stableSeconds) s"
    }

    /// `amd64` = `x86_64`, `arm64` = `aarch64` (the engine's /version and the image may differ in naming).
    static func sameArchitecture(_ a: String, _ b: String) -> Bool {
        let aliases = ["x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm"]
        return (aliases[a] ?? a) == (aliases[b] ?? b)
    }

    /// A container name as a repository path component: lowercase, `[a-z0-9._-]`.
    static func repositoryComponent(_ name: String) -> String {
        let mapped = name.lowercased().map { $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "-" }
        let trimmed = String(mapped).trimmingCharacters(in: CharacterSet(charactersIn: "._-"))
        return trimmed.isEmpty ? "container" : trimmed
    }
}
