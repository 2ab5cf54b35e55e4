import Fluent
import Foundation
import UnityAlerts
import UnityCore
import UnityInfrastructure
import UnitySSH

/// Probes a server's configured databases after its collection, over the same SSH connection:
/// version, uptime, connections, size, cache hit ratio; `database.down` for the alert rule.
enum DatabaseProbes {
    static func run(for server: MonitoredServer, target: SSHTarget, services: UnityServices, database: any Database,
                    at: Date) async throws -> (samples: [MetricStore.Value], observations: [Observation]) {
        let serverID = try server.requireID()
        let configured = try await MonitoredDatabase.query(on: database).filter(\.$serverID == serverID).all()
        var samples: [MetricStore.Value] = []
        var observations: [Observation] = []
        for row in configured {
            guard let engine = row.engineValue else { continue }
            let status = await probe(row, engine: engine, target: target, services: services, database: database)
            row.probedAt = at
            switch status {
            case .success(let value):
                row.lastStatus = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
                row.lastError = nil
                let series = "db:\(row.label)"
                let resource = ResourceRef(type: "database", id: try row.requireID().uuidString, name: "\(server.name) \(row.label)",
                                           serverID: serverID.uuidString)
                let values: [(String, Double?)] = [
                    (SnapshotMetricCatalogue.databaseConnections, Double(value.connections ?? 0)),
                    (SnapshotMetricCatalogue.databaseSize, value.sizeBytes.map(Double.init)),
                    (SnapshotMetricCatalogue.databaseCacheHitRatio, value.cacheHitRatio),
                ]
                // Charted and alertable alike (SnapshotMetricCatalogue).
                for (metric, number) in values {
                    guard let number, number.isFinite else { continue }
                    samples.append(.init(series: series, metric: metric, value: number))
                    observations.append(Observation(resource: resource, tags: Set(JSONList.decode(server.tags)), key: metric, value: number, at: at))
                }
            case .failure(let message):
                row.lastError = message
            }
            try await row.save(on: database)
            let down: Bool = if case .failure = status { true } else { false }
            observations.append(Observation(
                resource: ResourceRef(type: "database", id: try row.requireID().uuidString, name: "\(server.name) \(row.label)", serverID: serverID.uuidString),
                tags: Set(JSONList.decode(server.tags)), key: InfrastructureAlerts.databaseDown, value: down ? 1 : 0,
                detail: row.lastError.map { "\(server.name) \(row.label) does not answer: \($0)" }, at: at))
        }
        return (samples, observations)
    }

    enum Outcome { case success(DatabaseStatus), failure(String) }

    static func probe(_ row: MonitoredDatabase, engine: DatabaseEngine, target: SSHTarget, services: UnityServices,
                      database: any Database) async -> Outcome {
        do {
            var user = row.username
            var password: String?
            if let credentialID = row.credentialID, let credential = try await ServerCredential.find(credentialID, on: database) {
                user = credential.username
                password = try credential.sealedPassword.map { try ServerCredential.passwordColumn.open($0, id: credential.requireID(), in: services.secrets) }
            }
            let probe = try DatabaseProbe.command(for: DatabaseProbeTarget(engine: engine, host: row.host, port: row.port, user: user,
                                                                          database: row.databaseName), password: password)
            // The password travels on stdin only (see ProbeCommand); the command line holds none.
            let command = RemoteCommand(argv: ["sh", "-c", probe.command]).withInput(Data(probe.stdin.utf8))
            let result = try await services.ssh.run(command, on: target, timeout: .seconds(30), maxOutput: 1 << 20)
            guard result.exitStatus == 0 else {
                let reason = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
                return .failure("exit \(result.exitStatus): \(String(reason.prefix(300)))")
            }
            return .success(try DatabaseStatusParser.parse(result.stdoutText, engine: engine))
        } catch {
            return .failure(String(describing: error).prefix(300).description)
        }
    }
}
