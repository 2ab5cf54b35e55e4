import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Monitoring end to end over a real sshd session, with the hardware simulated: sshd sets PATH to a
/// shim directory first (`SetEnv`), whose `smartctl` prints real captures of two disks behind one
/// MegaRAID controller (Scrutiny's testdata, see UnityParsersTests/Fixtures/SOURCES.md) for exactly
/// the arguments the collection script passes, and whose `lsblk` answers like a host that denies it.
/// Everything else (the script, sh, df, /proc) is this machine's.
@Suite(.enabled(if: TestSSHServer.enabled)) struct HardwareCollectionTests {
    static func shims() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unity-hw-shim-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "UnityParsersTests/Fixtures/smartctl-json").path
        let smartctl = """
        #!/bin/sh
        case "$*" in
          *--scan-open*) cat '\(fixtures)/scan-megaraid-two-disks-one-node.json' ;;
          *"-d megaraid,0 /dev/bus/0") cat '\(fixtures)/ata-wd-behind-megaraid-0.json'; exit 4 ;;
          *"-d megaraid,1 /dev/bus/0") cat '\(fixtures)/ata-wd-behind-megaraid-1-reallocated-387.json'; exit 4 ;;
          *) echo "unexpected smartctl arguments: $*" >&2; exit 1 ;;
        esac
        """
        let lsblk = "#!/bin/sh\necho 'lsblk: /dev/sda: Permission denied' >&2\nexit 1\n"
        for (name, text) in [("smartctl", smartctl), ("lsblk", lsblk)] {
            try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(dir)/\(name)")
        }
        return dir
    }

    @Test func controllerDisksAreDistinctJudgedAndAlertedAndFailuresSayWhy() async throws {
        let key = try SSHKeygen.newKey(type: "ed25519")
        let sshd = try TestSSHServer(authorizedKey: key.publicLine)
        let shim = try Self.shims()
        defer { try? FileManager.default.removeItem(atPath: shim) }
        let config = sshd.directory + "/sshd_config"
        try (try String(contentsOfFile: config, encoding: .utf8) + "SetEnv PATH=\(shim):/usr/local/bin:/usr/bin:/bin\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        try await sshd.start()
        defer { sshd.stop() }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            let created = try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "raidbox", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID,
            ])
            let id = try #require(created.json["id"] as? String, "\(created.body)")
            let collected = try await client.send(.POST, "/api/v1/servers/\(id)/collect", token: admin)
            #expect(collected.json["status"] as? String == "online", "\(collected.body)")

            let snapshot = try await client.send(.GET, "/api/v1/servers/\(id)/snapshot", token: admin)
            let host = try #require(snapshot.json["snapshot"] as? [String: Any], "\(snapshot.body)")
            let disks = try #require(host["smart"] as? [[String: Any]])
            #expect(disks.map { $0["device"] as? String } == ["/dev/bus/0", "/dev/bus/0"])
            #expect(disks.map { $0["type"] as? String } == ["megaraid,0", "megaraid,1"])
            let verdicts = disks.compactMap { $0["assessment"] as? [String: Any] }
            #expect(verdicts.map { $0["level"] as? String } == ["healthy", "critical"])
            #expect((verdicts.last?["reasons"] as? [String]) == ["387 reallocated sectors (5)"])

            // A section the host refused says so, by kind.
            let errors = try #require(snapshot.json["errors"] as? [[String: Any]])
            let lsblk = try #require(errors.first { $0["section"] as? String == "lsblk" }, "\(errors)")
            #expect(lsblk["kind"] as? String == "permission_denied")
            #expect(!errors.contains { ($0["section"] as? String)?.hasPrefix("smartctl") == true }, "\(errors)")

            // The default rule on the verdict fires for the degrading disk only, with its reasons.
            let alerts = try await client.send(.GET, "/api/v1/alerts?status=firing&rule_id=\(AlertCatalogue.ruleID(14).uuidString.lowercased())", token: admin)
            let items = try #require(alerts.json["items"] as? [[String: Any]], "\(alerts.body)")
            #expect(items.count == 1, "\(alerts.body)")
            #expect((items.first?["message"] as? String)?.contains("387 reallocated sectors (5)") == true, "\(alerts.body)")

            // The page lists both disks by slot and names the refused section.
            let browser = try await WebPagesTests.Browser.signIn(client, "admin", TestClient.adminPassword)
            let page = try await browser.get("/servers/\(id)")
            #expect(page.body.contains("permission denied") && page.body.contains("megaraid,1"))

            // A server whose collection failed says why on its page, never "Not collected yet".
            let dead = try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "dead", "address": sshd.address, "port": try TestPorts.take(1)[0], "username": "root", "ssh_key_id": keyID,
            ])
            let deadID = try #require(dead.json["id"] as? String, "\(dead.body)")
            let failed = try await client.send(.POST, "/api/v1/servers/\(deadID)/collect", token: admin)
            #expect(failed.json["status"] as? String == "offline", "\(failed.body)")
            let server = try await client.send(.GET, "/api/v1/servers/\(deadID)", token: admin)
            #expect(server.json["last_collection_at"] != nil && server.json["last_error"] as? String != nil, "\(server.body)")
            let deadPage = try await browser.get("/servers/\(deadID)")
            #expect(deadPage.body.contains("id=\"collection-failed\"") && !deadPage.body.contains("Not collected yet"))
        }
    }
}
