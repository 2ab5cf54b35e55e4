import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// `/metrics` names the inventory (servers, disks, mounts, databases, certificates): those series
/// need a bearer unless `UNITY_METRICS_PUBLIC` opens them; the platform's own series stay open.
@Suite struct MetricsAccessTests {
    /// The inventory families (not `unity_certificate_deployments_total` and the other outcome counters,
    /// which name no server or certificate).
    static let inventoryPrefixes = ["unity_host_", "unity_disk_", "unity_zpool_", "unity_md_", "unity_db_",
                                    "unity_certificate_expiry", "unity_certificates", "unity_ssh_keys", "unity_container_"]

    static func inventoryLines(_ body: String) -> [Substring] {
        body.split(separator: "\n").filter { line in
            let name = line.hasPrefix("# ") ? line.split(separator: " ").dropFirst(2).first ?? "" : line
            return inventoryPrefixes.contains { name.hasPrefix($0) }
        }
    }

    /// A server and an issued certificate, so both kinds of inventory series exist.
    static func addInventory(_ client: TestClient, admin: String) async throws {
        let server = try await client.send(.POST, "/api/v1/servers", token: admin, json: ["name": "nas-secret-name", "address": "192.168.1.10", "username": "root"])
        #expect(server.status == .created)
        let issued = try await client.send(.POST, "/api/v1/certificates/issue", token: admin, json: ["dns_names": ["vault.home.arpa"], "validity_days": 90])
        #expect(issued.status == .created, "\(issued.body)")
    }

    @Test(arguments: TestDatabase.available)
    func anonymousScrapesGetOnlyPlatformSeries(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            try await Self.addInventory(client, admin: admin)
            let readKey = try await client.apiKey(scopes: ["read"], token: admin)

            let anonymous = try await client.send(.GET, "/metrics")
            #expect(anonymous.status == .ok)
            #expect(Self.inventoryLines(anonymous.body).isEmpty, "\(Self.inventoryLines(anonymous.body))")
            #expect(!anonymous.body.contains("nas-secret-name") && !anonymous.body.contains("vault.home.arpa"))
            #expect(anonymous.body.contains("unity_build_info") && anonymous.body.contains("unity_http_requests_total"))
            #expect(try CollectionTests.promtoolAccepts(anonymous.body))

            let keyed = try await client.send(.GET, "/metrics", token: readKey)
            #expect(keyed.body.contains(#"unity_host_up{server="nas-secret-name""#))
            #expect(keyed.body.contains(#"unity_certificate_expiry_timestamp_seconds{name="vault.home.arpa""#))
            #expect(keyed.body.contains("unity_build_info"))
            #expect(try CollectionTests.promtoolAccepts(keyed.body))

            // A viewer's access token works too; a wrong bearer is refused, not served the anonymous subset.
            let viewer = try await client.user(.viewer, adminToken: admin)
            do { let value = try await client.send(.GET, "/metrics", token: viewer.token).body; #expect(value.contains("nas-secret-name")) }
            do { let value = try await client.send(.GET, "/metrics", token: "unity_notARealKey").status; #expect(value == .unauthorized) }
        }
    }

    @Test func theSettingOpensTheInventorySeries() async throws {
        try await withUnityApp(settings: ["UNITY_METRICS_PUBLIC": "true"]) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            try await Self.addInventory(client, admin: admin)
            let anonymous = try await client.send(.GET, "/metrics")
            #expect(anonymous.body.contains(#"unity_host_up{server="nas-secret-name""#))
            #expect(anonymous.body.contains(#"unity_certificate_expiry_timestamp_seconds{name="vault.home.arpa""#))
        }
    }
}
