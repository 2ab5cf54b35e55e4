import Fluent
import Foundation
import UnityContainers
import UnityCore
import UnityRegistry
import Vapor

/// The one registry client of the process (created in `configure`): its token cache, per-registry
/// rate limits and back-offs are shared by the scheduled check and every "check now".
final class ContainerUpdateService: Sendable {
    let client: RegistryClient

    init(database: @escaping @Sendable () -> any Database, secrets: SecretBox, logger: Logger) {
        client = RegistryClient(access: RegistryAccessLookup.make(database: database, secrets: secrets, logger: logger), logger: logger)
    }

    func shutdown() async { await client.shutdown() }
}

struct ContainerUpdateServiceShutdown: LifecycleHandler {
    let service: ContainerUpdateService

    func shutdownAsync(_ application: Application) async { await service.shutdown() }
}

extension Application {
    private struct ContainerUpdateServiceKey: StorageKey { typealias Value = ContainerUpdateService }

    var containerUpdates: ContainerUpdateService {
        get {
            guard let service = storage[ContainerUpdateServiceKey.self] else { fatalError("configure() sets up containerUpdates before any request") }
            return service
        }
        set { storage[ContainerUpdateServiceKey.self] = newValue }
    }
}

/// One update check (all containers, one host, or one container): check, store, announce.
enum ContainerUpdateChecks {
    struct Summary: Content, Equatable, APIExample {
        var checked: Int
        var upToDate: Int
        var updateAvailable: Int
        var unknown: Int
        var skippedOrPinned: Int
        /// Registry requests made: one manifest per distinct image reference, one tag list per repository.
        var manifestRequests: Int
        var tagRequests: Int
        /// Candidates seen for the first time (announced through the alert rules).
        var newCandidates: Int

        static var example: Summary {
            Summary(checked: 42, upToDate: 35, updateAvailable: 4, unknown: 1, skippedOrPinned: 2, manifestRequests: 17, tagRequests: 6, newCandidates: 1)
        }
    }

    static func run(application: Application, database: any Database, hostID: UUID? = nil, containerID: UUID? = nil) async throws -> Summary {
        let before = try await knownCandidates(on: database, containerID: containerID)
        let cycle = UpdateCheckCycle(registry: application.containerUpdates.client, now: { Date() })
        let (outcome, notices) = try await UpdateStore.runCycle(cycle, on: database, hostID: hostID, containerID: containerID)
        let ids = Array(outcome.verdicts.keys)
        let rows = ids.isEmpty ? [] : try await ContainerRecord.query(on: database).filter(\.$id ~~ ids).all()
        let hosts = try await ContainerHostRecord.query(on: database).all()
        let hostByID = Dictionary(hosts.compactMap { host in host.id.map { ($0, host) } }, uniquingKeysWith: { first, _ in first })
        var names: [UUID: String] = [:], servers: [UUID: String] = [:]
        for row in rows {
            guard let id = row.id else { continue }
            let host = hostByID[row.hostID]
            names[id] = "\(host?.name ?? "?")/\(row.name)"
            servers[id] = host?.serverID?.uuidString
        }
        let observations = ContainerUpdateAlerts.observations(verdicts: outcome.verdicts, before: before, names: names, servers: servers, at: outcome.checkedAt)
        try await application.unity.alerts.observe(observations)
        let statuses = outcome.verdicts.values.map(\.status)
        func count(_ status: UpdateStatus) -> Int { statuses.filter { $0 == status }.count }
        return Summary(checked: statuses.count, upToDate: count(.upToDate), updateAvailable: count(.updateAvailable), unknown: count(.unknown),
                       skippedOrPinned: count(.skipped) + count(.pinned), manifestRequests: outcome.manifestRequests,
                       tagRequests: outcome.tagRequests, newCandidates: notices.count)
    }

    /// The candidate each container had before this check (a stale row: its last good one).
    static func knownCandidates(on database: any Database, containerID: UUID?) async throws -> [UUID: ContainerUpdateAlerts.Known] {
        var query = ContainerUpdateStatusRecord.query(on: database)
        if let containerID { query = query.filter(\.$containerID == containerID) }
        var known: [UUID: ContainerUpdateAlerts.Known] = [:]
        for row in try await query.all() {
            let (status, kind, tag, digest) = row.stale
                ? (row.lastGoodStatus, row.lastGoodKind, row.lastGoodCandidateTag, row.lastGoodCandidateDigest)
                : (row.status, row.kind, row.candidateTag, row.candidateDigest)
            guard status == UpdateStatus.updateAvailable.rawValue else { continue }
            let verdict = UpdateVerdict(status: .updateAvailable, kind: kind.flatMap(UpdateKind.init(rawValue:)), currentTag: row.currentTag,
                                        candidateTag: tag, candidateDigest: digest)
            if let key = ContainerUpdateAlerts.key(of: verdict) {
                known[row.containerID] = ContainerUpdateAlerts.Known(key: key, name: ContainerUpdateAlerts.describe(verdict))
            }
        }
        return known
    }

    /// Every 6 hours (jittered by up to 30 minutes; `UNITY_TASK_CONTAINER_UPDATE_CHECK_INTERVAL` overrides it).
    static let task = ScheduledTask(name: "container-update-check", summary: "Ask the registries whether the images of every container have updates",
                                    interval: 21_600, jitter: 1_800) { context in
        let summary = try await run(application: context.application, database: context.database)
        return "checked \(summary.checked) containers with \(summary.manifestRequests) manifest and \(summary.tagRequests) tag requests: "
            + "\(summary.updateAvailable) with updates (\(summary.newCandidates) new), \(summary.unknown) unknown"
    }
}

/// Registry credentials from the database at request time (so a change applies to the next check),
/// the password opened from its sealed column, the CA from the certificate inventory.
enum RegistryAccessLookup {
    static func make(database: @escaping @Sendable () -> any Database, secrets: SecretBox, logger: Logger) -> RegistryClient.AccessLookup {
        { host in
            do {
                guard let row = try await RegistryCredentialRecord.query(on: database()).filter(\.$host == host.lowercased()).first() else { return nil }
                let password = try row.sealedPassword.map { try RegistryCredentialRecord.passwordColumn.open($0, id: row.requireID(), in: secrets) }
                let ca = try await row.caCertificateID.asyncMap { try await CertificateRecord.find($0, on: database())?.certificatePEM } ?? nil
                return RegistryAccess(username: row.username, password: password, caCertificatePEM: ca, allowInsecureHTTP: row.allowInsecureHTTP)
            } catch {
                // Checked anonymously then; the registry's refusal will say what is wrong.
                logger.warning("registry credential could not be read", metadata: ["registry": "\(host)", "error": "\(type(of: error))"])
                return nil
            }
        }
    }
}

private extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
