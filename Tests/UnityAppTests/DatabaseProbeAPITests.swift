import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Database probes run over the server's SSH connection against a real PostgreSQL on loopback
/// (the one scripts/test.sh starts): version and connections are reported; a database that does
/// not answer reports `database.down`.
@Suite(.enabled(if: TestSSHServer.enabled && TestDatabase.available.contains(.postgres)))
struct DatabaseProbeAPITests {
    @Test func postgresIsProbedOverSSHAndAnUnreachableOneIsDown() async throws {
        let url = try #require(TestDatabase.postgresAdminURL.flatMap(URLComponents.init(string:)), "UNITY_TEST_POSTGRES_URL")
        let key = try SSHKeygen.newKey(type: "ed25519")
        let sshd = try TestSSHServer(authorizedKey: key.publicLine)
        try await sshd.start()
        defer { sshd.stop() }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            let serverID = try #require(try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "db-host", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID]).json["id"] as? String)
            let live = try await client.send(.POST, "/api/v1/servers/\(serverID)/databases", token: admin, json: [
                "engine": "postgresql", "host": url.host ?? "127.0.0.1", "port": url.port ?? 5432, "username": url.user ?? "postgres", "database_name": "postgres"])
            #expect(live.status == .created, "\(live.body)")
            _ = try await client.send(.POST, "/api/v1/servers/\(serverID)/databases", token: admin, json: [
                "engine": "postgresql", "host": "127.0.0.1", "port": 1, "username": "postgres"])
            #expect(try await client.send(.POST, "/api/v1/servers/\(serverID)/databases", token: admin, json: ["engine": "oracle"]).errorField == "engine")

            let collected = try await client.send(.POST, "/api/v1/servers/\(serverID)/collect", token: admin)
            #expect(collected.json["status"] as? String == "online", "\(collected.body)")
            let list = try await client.send(.GET, "/api/v1/servers/\(serverID)/databases", token: admin)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]], "\(list.body)")
            let up = try #require(rows.first { $0["port"] as? Int == url.port })
            #expect((up["version"] as? String)?.isEmpty == false, "\(up)")
            #expect((up["connections"] as? Int ?? 0) >= 1)
            let down = try #require(rows.first { $0["port"] as? Int == 1 })
            #expect(down["last_error"] != nil && down["version"] == nil)
            let series = try await client.send(.GET, "/api/v1/servers/\(serverID)/series", token: admin)
            #expect(series.body.contains("database.connections"))
        }
    }
}
