import Fluent
import Foundation
import Logging
import UnityAlerts
import UnityInfrastructure
import UnitySSH

/// One collection cycle of one server: the composed script over the pooled SSH connection, the
/// snapshot assembled against the previous one, history samples, and observations for alerts.
/// A failing section is recorded and the rest still count; a server that does not answer
/// becomes `offline` and reports `server.down`.
enum ServerCollector {
    struct Outcome: Sendable {
        var serverID: UUID
        var status: MonitoredServer.Status
        var durationMS: Int
        var sectionErrors: [CollectionError]
        var error: String?
    }

    static let commandTimeout: Duration = .seconds(120)

    static func collect(_ server: MonitoredServer, services: UnityServices, database: any Database) async throws -> Outcome {
        let serverID = try server.requireID()
        let started = ContinuousClock.now
        let now = Date()
        server.lastCollectionAt = now
        guard server.statusValue != .hostKeyChanged else {
            try await server.save(on: database)
            return Outcome(serverID: serverID, status: .hostKeyChanged, durationMS: 0, sectionErrors: [],
                           error: "host key changed: an admin must accept the new key before collection resumes")
        }
        if let jump = try await JumpHostPins.heldJumpServer(of: server, database: database) {
            server.status = MonitoredServer.Status.error.rawValue
            server.lastError = "the host key of jump host \(jump.name) changed: an admin must accept it before collection resumes"
            try await server.save(on: database)
            return Outcome(serverID: serverID, status: .error, durationMS: 0, sectionErrors: [], error: server.lastError)
        }
        let target = try await ServerTargets.target(for: server, database: database, secrets: services.secrets)
        let script = CollectionScript(sudo: server.useSudo ? .nonInteractive : .none)
        let result: CommandResult
        do {
            result = try await services.ssh.run(RemoteCommand("sh -s").withInput(Data(script.text.utf8)), on: target,
                                                timeout: commandTimeout, maxOutput: 32 << 20)
        } catch let error as SSHError {
            try await ServerConnectivity.record(error, on: server, database: database, alerts: services.alerts)
            // A refused bastion is not a server that is down: the jump server's own row carries that alert.
            if server.statusValue != .hostKeyChanged, !error.isJumpHostKeyRefusal {
                try await services.alerts.observe([Observation(
                    resource: try ServerConnectivity.resource(server), tags: Set(JSONList.decode(server.tags)),
                    key: InfrastructureAlerts.serverDown, value: 1, detail: "\(server.name) does not answer over SSH: \(error.description)", at: now)])
            }
            return Outcome(serverID: serverID, status: server.statusValue, durationMS: milliseconds(since: started), sectionErrors: [], error: error.description)
        }
        try await ServerConnectivity.pinOnFirstContact(server, target: target, result: result, database: database)
        try await KeyUsage.record(server, at: now, on: database)

        let sections = CollectionOutput.split(result.stdoutText, nonce: script.nonce.value, expected: script.expectedSections)
        let stored = try await ServerSnapshotRecord.find(serverID, on: database)
        let previous = stored?.hostSnapshot
        let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: previous)
        let duration = milliseconds(since: started)
        let record = stored ?? ServerSnapshotRecord()
        record.id = serverID
        try record.update(snapshot, errors: errors, at: now, duration: duration)
        try await record.save(on: database)

        server.status = MonitoredServer.Status.online.rawValue
        server.lastSeenAt = now
        server.lastError = errors.isEmpty ? nil : errors.map(\.description).joined(separator: "; ").prefix(2_000).description
        try await server.save(on: database)

        // Observations carry the moment the result was in hand: the start of the alert latency measure.
        let metrics = SnapshotMetrics(snapshot: snapshot, previous: previous, serverID: serverID, serverName: server.name,
                                      tags: Set(JSONList.decode(server.tags)), at: Date())
        let probes = try await DatabaseProbes.run(for: server, target: target, services: services, database: database, at: Date())
        try await MetricStore.record(metrics.samples + probes.samples, server: serverID, at: now, on: database)
        try await services.alerts.observe(metrics.observations + probes.observations)
        return Outcome(serverID: serverID, status: .online, durationMS: duration, sectionErrors: errors, error: nil)
    }

    /// Collects many servers at once, at most `concurrency` at a time; one failure never stops the others.
    static func collectAll(_ servers: [MonitoredServer], services: UnityServices, database: any Database, logger: Logger,
                           concurrency: Int = 16) async -> [Outcome] {
        await withTaskGroup(of: Outcome?.self) { group in
            var outcomes: [Outcome] = []
            var iterator = servers.makeIterator()
            func addNext() -> Bool {
                guard let server = iterator.next() else { return false }
                group.addTask {
                    do {
                        return try await collect(server, services: services, database: database)
                    } catch {
                        logger.error("collection of \(server.name) failed: \(String(describing: error))")
                        return Outcome(serverID: server.id ?? UUID(), status: .error, durationMS: 0, sectionErrors: [], error: String(describing: error))
                    }
                }
                return true
            }
            for _ in 0..<concurrency where addNext() {}
            while let outcome = await group.next() {
                if let outcome { outcomes.append(outcome) }
                _ = addNext()
            }
            return outcomes
        }
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Int { (ContinuousClock.now - start).wholeMilliseconds }
}
