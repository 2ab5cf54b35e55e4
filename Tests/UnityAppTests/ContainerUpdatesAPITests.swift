import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityRegistryTestSupport
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Update detection end to end with real parts: images pushed by skopeo to a real docker-registry,
/// pulled by the real dockerd of the test support (so the repo digests are the ones Docker records),
/// discovered over the socket, checked through the API. A moved floating tag and a newer version
/// tag are each announced once through the alert rules; the registry counts one manifest request
/// per distinct reference per check; skip and pin resolve the announcements.
@Suite struct ContainerUpdatesAPITests {
    static func updateAlerts(_ client: TestClient, _ token: String) async throws -> [[String: Any]] {
        let response = try await client.send(.GET, "/api/v1/alerts?status=active&source=containers&per_page=100", token: token)
        return (response.json["items"] as? [[String: Any]] ?? []).filter { $0["resource_type"] as? String == "container_update" }
    }

    @Test func floatingAndVersionTagsAreDetectedCountedAndAnnouncedOnce() async throws {
        let registry = try TestRegistry.open()
        let engine = try TestEngine.docker()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let repository = "homelab/upd-\(tag)"
        let layout = try TestOCILayout(directory: NSTemporaryDirectory() + "unity-upd-\(tag)")
        try layout.tag(try layout.addImage(content: "1.0.0"), as: "1.0.0")
        try registry.push(layout, ref: "1.0.0", repository: repository, tag: "1.0.0")
        try registry.push(layout, ref: "1.0.0", repository: repository, tag: "stable")
        let floating = "upd-floating-\(tag)", versioned = "upd-versioned-\(tag)"
        for (name, ref) in [(floating, "stable"), (versioned, "1.0.0")] {
            try engine.cli(["pull", "\(registry.host)/\(repository):\(ref)"])
            try engine.cli(["create", "--name", name, "--network", "none", "\(registry.host)/\(repository):\(ref)", "/bin/true"])
        }
        defer {
            for name in [floating, versioned] { _ = try? engine.cli(["rm", "-f", name]) }
            for ref in ["stable", "1.0.0", "1.1.0"] { _ = try? engine.cli(["rmi", "\(registry.host)/\(repository):\(ref)"]) }
        }

        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let viewer = try await client.user(.viewer, adminToken: admin).token
            let host = try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: ["socket_path": engine.socketPath, "name": "upd-\(tag)"])
            let hostID = try #require(host.json["id"] as? String, "\(host.body)")
            // The test registry speaks plain HTTP: allowed for its host only, by an admin.
            #expect(try await client.send(.POST, "/api/v1/registries", token: admin, json: ["host": registry.host, "allow_insecure_http": true]).status == .created)
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/update-check", token: viewer).status == .forbidden)

            func check() async throws -> [String: Any] {
                let response = try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/update-check", token: admin)
                #expect(response.status == .ok, "\(response.body)")
                try await app.unity.alerts.waitUntilIdle()
                return response.json
            }
            func update(_ name: String) async throws -> [String: Any] {
                let list = try await client.send(.GET, "/api/v1/updates?host_id=\(hostID)", token: viewer).jsonArray
                return try #require(list.first { $0["container_name"] as? String == name }, "\(list)")
            }
            func registryRequests() -> Int { registry.manifestRequestCount(repository: repository, userAgentPrefix: "Unity-Registry") }

            // Other suites' containers share the daemon (and are checked too): count ours at the registry.
            let first = try await check()
            #expect((first["manifest_requests"] as? Int ?? 0) >= 2, "\(first)")
            for _ in 0..<20 where registryRequests() < 2 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(registryRequests() == 2)
            #expect(try await update(floating)["status"] as? String == "up_to_date")
            #expect(try await update(versioned)["status"] as? String == "up_to_date")
            #expect(try await Self.updateAlerts(client, admin).isEmpty)

            // A rebuild under the floating tag and a newer version tag.
            let next = try TestOCILayout(directory: NSTemporaryDirectory() + "unity-upd-\(tag)-2")
            try next.tag(try next.addImage(content: "1.1.0"), as: "1.1.0")
            try registry.push(next, ref: "1.1.0", repository: repository, tag: "1.1.0")
            let rebuilt = try registry.push(next, ref: "1.1.0", repository: repository, tag: "stable")
            _ = try await check()
            let floatingUpdate = try await update(floating)
            #expect(floatingUpdate["status"] as? String == "update_available" && floatingUpdate["kind"] as? String == "digest", "\(floatingUpdate)")
            #expect(floatingUpdate["candidate_digest"] as? String == rebuilt)
            let versionUpdate = try await update(versioned)
            #expect(versionUpdate["status"] as? String == "update_available" && versionUpdate["kind"] as? String == "minor", "\(versionUpdate)")
            #expect(versionUpdate["candidate_tag"] as? String == "1.1.0")
            let announced = try await Self.updateAlerts(client, admin)
            #expect(Set(announced.compactMap { $0["rule"] as? String }) == ["Container image rebuilt", "Container version update available"], "\(announced)")

            // The pages show the same: the list's Update column, the updates page, its buttons for operators only.
            let browser = try await WebPagesTests.Browser.signIn(client, "admin", TestClient.adminPassword)
            let listPage = try await browser.get("/containers?update=update_available")
            #expect(listPage.body.contains("1.1.0 (minor)") && listPage.body.contains(">rebuilt<"), "\(listPage.body)")
            let updatesPage = try await browser.get("/updates")
            #expect(updatesPage.body.contains(floating) && updatesPage.body.contains(versioned) && updatesPage.body.contains("Skip this version"))
            let viewerBrowser = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let viewerPage = try await viewerBrowser.get("/updates")
            #expect(viewerPage.status == .ok && viewerPage.body.contains(versioned) && !viewerPage.body.contains("Skip this version"))
            #expect(try await viewerBrowser.post("/updates/check", []).status == .forbidden)
            #expect(try await viewerBrowser.get("/admin/registries").status == .forbidden)
            let stored = try await browser.post("/admin/registries", [("host", "ghcr.io"), ("username", "bot"), ("password", "UNITYCANARY-ghcr")])
            #expect(stored.status == .seeOther, "\(stored.body)")
            let registriesPage = try await browser.get("/admin/registries")
            #expect(registriesPage.body.contains("ghcr.io") && registriesPage.body.contains("stored") && !registriesPage.body.contains("UNITYCANARY"))
            #expect(try await browser.post("/admin/registries", [("host", "not a host")]).status == .unprocessableEntity)

            // Checked again: the same two alerts (announced once), one manifest request per reference.
            let before = registryRequests()
            let third = try await check()
            #expect(third["new_candidates"] as? Int == 0, "\(third)")
            for _ in 0..<20 where registryRequests() < before + 2 { try await Task.sleep(for: .milliseconds(100)) }
            #expect(registryRequests() == before + 2)
            #expect(Set(try await Self.updateAlerts(client, admin).compactMap { $0["id"] as? String }) == Set(announced.compactMap { $0["id"] as? String }))

            // Skip the version, pin the floating one: both announcements resolve.
            let versionedID = try #require(versionUpdate["container_id"] as? String)
            let floatingID = try #require(floatingUpdate["container_id"] as? String)
            #expect(try await client.send(.POST, "/api/v1/containers/\(versionedID)/update/skip", token: viewer).status == .forbidden)
            let skipped = try await client.send(.POST, "/api/v1/containers/\(versionedID)/update/skip", token: admin)
            #expect(skipped.json["skipped_tag"] as? String == "1.1.0" && skipped.json["status"] as? String == "up_to_date", "\(skipped.body)")
            #expect(try await client.send(.POST, "/api/v1/containers/\(versionedID)/update/skip", token: admin).status == .conflict)
            let pinned = try await client.send(.PUT, "/api/v1/containers/\(floatingID)/update/pin", token: admin, json: ["pinned": true])
            #expect(pinned.json["status"] as? String == "pinned", "\(pinned.body)")
            #expect(try await client.send(.PUT, "/api/v1/containers/\(floatingID)/update/pin", token: admin, json: [String: String]()).errorField == "pinned")
            try await app.unity.alerts.waitUntilIdle()
            #expect(try await Self.updateAlerts(client, admin).isEmpty)

            #expect(try await client.send(.GET, "/api/v1/updates?status=bogus", token: viewer).errorField == "status")
            #expect(try await client.send(.GET, "/api/v1/updates?kind=huge", token: viewer).errorField == "kind")
            #expect(try await client.send(.GET, "/api/v1/updates?status=pinned", token: viewer).jsonArray.compactMap { $0["container_name"] as? String }.contains(floating))
        }
    }
}
