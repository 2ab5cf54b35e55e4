import Fluent
import Foundation
import Testing
import UnityContainers
import UnityTestSupport
@testable import UnityApp

/// `unity_container_*` and `unity_container_host_*` on `/metrics`, rendered from inventory rows
/// seeded straight into the database (the values are then known exactly): present with the right
/// values for a bearer, absent for an anonymous scrape, label values escaped, promtool-clean.
@Suite struct ContainerMetricsTests {
    /// A host whose name needs escaping, with four containers (one removed, which must not appear),
    /// and a second host that is unreachable.
    static func seed(on db: any Database) async throws -> (up: ContainerHostRecord, down: ContainerHostRecord) {
        let now = Date()
        let up = ContainerHostRecord(name: #"edge "one" \ lab"#, transport: .socket, serverID: nil, socketPath: "/run/x.sock", now: now)
        up.status = ContainerHostRecord.Status.up.rawValue
        up.engineKind = "docker"; up.engineVersion = "20.10.24"; up.apiVersion = "1.41"; up.lastDiscoveredAt = now
        try await up.create(on: db)
        let down = ContainerHostRecord(name: "attic", transport: .socket, serverID: nil, socketPath: "/run/y.sock", now: now)
        down.status = ContainerHostRecord.Status.unreachable.rawValue
        down.lastErrorCode = "container_engine_socket_not_found"
        try await down.create(on: db)
        let hostID = try up.requireID()
        func container(_ name: String, state: String, health: String? = nil, restarts: Int = 0, exit: Int? = nil, removed: Bool = false) async throws {
            let row = ContainerRecord()
            row.hostID = hostID; row.engineID = String(repeating: "a", count: 12) + name; row.name = name
            row.repoDigestsJSON = "[]"; row.state = state; row.health = health; row.restartCount = restarts; row.exitCode = exit
            row.oomKilled = false; row.portsJSON = "[]"; row.mountsJSON = "[]"; row.networksJSON = "[]"; row.labelsJSON = "{}"
            row.composeConfigFilesJSON = "[]"; row.envNamesJSON = "[]"; row.firstSeenAt = now; row.updatedAt = now
            row.removedAt = removed ? now : nil
            try await row.create(on: db)
        }
        try await container("web", state: "running", health: "healthy", restarts: 2)
        try await container("db", state: "running", health: "unhealthy")
        try await container("job", state: "exited", restarts: 7, exit: 3)
        try await container("old-gone", state: "exited", removed: true)
        return (up, down)
    }

    @Test(arguments: TestDatabase.available)
    func containerFamiliesFromTheInventoryNeedTheBearer(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            _ = try await Self.seed(on: app.db)
            let readKey = try await client.apiKey(scopes: ["read"], token: admin)

            let anonymous = try await client.send(.GET, "/metrics").body
            #expect(!anonymous.contains("unity_container_"), "container names are inventory: bearer only")
            #expect(!anonymous.contains("edge"))

            let body = try await client.send(.GET, "/metrics", token: readKey).body
            let host = #"host="edge \"one\" \\ lab""#
            for line in [
                #"unity_container_state{\#(host),container="web",state="running"} 1"#,
                #"unity_container_state{\#(host),container="job",state="exited"} 1"#,
                #"unity_container_health{\#(host),container="web",health="healthy"} 1"#,
                #"unity_container_health{\#(host),container="db",health="unhealthy"} 1"#,
                #"unity_container_restarts_total{\#(host),container="web"} 2"#,
                #"unity_container_restarts_total{\#(host),container="job"} 7"#,
                #"unity_container_exit_code{\#(host),container="job"} 3"#,
                #"unity_container_host_up{\#(host),engine="docker"} 1"#,
                #"unity_container_host_up{host="attic",engine=""} 0"#,
                #"unity_container_host_api_version_info{\#(host),engine="docker",engine_version="20.10.24",api_version="1.41"} 1"#,
                #"unity_container_host_containers{\#(host),state="running"} 2"#,
                #"unity_container_host_containers{\#(host),state="exited"} 1"#,
                #"unity_container_host_containers{\#(host),state="paused"} 0"#,
                "# TYPE unity_container_restarts_total counter",
                "# TYPE unity_container_state gauge",
            ] {
                #expect(body.contains(line), "missing: \(line)")
            }
            // Removed rows are history, not live series; a container without a health check has no health series.
            #expect(!body.contains("old-gone"))
            #expect(!body.contains(#"container="job",health="#))
            #expect(try CollectionTests.promtoolAccepts(body))
        }
    }
}
