import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The monitoring cycle end to end against a real sshd on loopback. The server is this machine,
/// so the collected memory total must equal /proc/meminfo and the root filesystem size must
/// equal df's. A server that stops answering goes offline and raises the default alert.
@Suite(.enabled(if: TestSSHServer.enabled)) struct CollectionTests {
    static func memTotalBytes() throws -> UInt64 {
        let text = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("MemTotal:") })
        let kib = try #require(UInt64(line.split(separator: " ")[1]))
        return kib * 1024
    }

    static func rootSizeBytes() throws -> UInt64 {
        let output = try TestSSHServer.run("/bin/df", ["-P", "-B1", "/"])
        let fields = try #require(output.split(separator: "\n").last?.split(separator: " ", omittingEmptySubsequences: true))
        return try #require(UInt64(fields[1]))
    }

    /// `promtool check metrics` on the text; under CI promtool must exist (scripts/test.sh installs it).
    static func promtoolAccepts(_ text: String) throws -> Bool {
        let promtool = "/usr/bin/promtool"
        guard FileManager.default.isExecutableFile(atPath: promtool) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { throw TestSupportError("promtool is missing") }
            return true
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 { Issue.record("promtool: \(report)") }
        return process.terminationStatus == 0
    }

    @Test func collectsThisMachineAndGoesOfflineWhenSSHDStops() async throws {
        let key = try SSHKeygen.newKey(type: "ed25519")
        let sshd = try TestSSHServer(authorizedKey: key.publicLine)
        try await sshd.start()
        defer { sshd.stop() }
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "k", "private_key": key.privateKey]).json["id"] as? String)
            let created = try await client.send(.POST, "/api/v1/servers", token: admin, json: [
                "name": "self", "address": sshd.address, "port": sshd.port, "username": "root", "ssh_key_id": keyID, "tags": ["lab"],
            ])
            let id = try #require(created.json["id"] as? String, "\(created.body)")

            // First cycle through the scheduler's task (what runs every minute under `serve`).
            let run = try await client.send(.POST, "/api/v1/tasks/server-collection/run", token: admin)
            #expect(run.status == .ok, "\(run.body)")
            let snapshot = try await client.send(.GET, "/api/v1/servers/\(id)/snapshot", token: admin)
            let host = try #require(snapshot.json["snapshot"] as? [String: Any], "\(snapshot.body)")
            let memory = try #require(host["memory"] as? [String: Any])
            #expect((memory["total_bytes"] as? NSNumber)?.uint64Value == (try Self.memTotalBytes()))
            let filesystems = try #require(host["filesystems"] as? [[String: Any]])
            let root = try #require(filesystems.first { $0["mount_point"] as? String == "/" })
            #expect((root["size_bytes"] as? NSNumber)?.uint64Value == (try Self.rootSizeBytes()))
            #expect((host["hostname"] as? String) == ProcessInfo.processInfo.hostName)
            #expect(try await client.send(.GET, "/api/v1/servers/\(id)", token: admin).json["status"] as? String == "online")

            // The first cycle has no CPU delta yet, so no CPU ratio on /metrics...
            #expect(try await client.send(.GET, "/metrics", token: admin).body.contains("unity_host_memory_total_bytes{server=\"self\""))
            #expect(!(try await client.send(.GET, "/metrics", token: admin).body.contains("unity_host_cpu_usage_ratio{server=\"self\"")))
            // A second cycle gives the CPU delta; history has points for the charts.
            let second = try await client.send(.POST, "/api/v1/servers/\(id)/collect", token: admin)
            #expect(second.json["status"] as? String == "online", "\(second.body)")
            let cpu = try await client.send(.GET, "/api/v1/servers/\(id)/metrics?metric=cpu.percent&range=1h&step=1", token: admin)
            #expect((cpu.json["points"] as? [[String: Any]])?.count == 1, "\(cpu.body)")
            let used = try await client.send(.GET, "/api/v1/servers/\(id)/metrics?metric=filesystem.used_percent&series=fs:/&range=1h&step=1", token: admin)
            #expect((used.json["points"] as? [[String: Any]])?.count == 2, "\(used.body)")
            #expect(try await client.send(.GET, "/api/v1/servers/\(id)/metrics?metric=cpu.percent&range=2d", token: admin).errorField == "range")

            // Collected values are on /metrics for Prometheus, and promtool accepts the whole page.
            let scrape = try await client.send(.GET, "/metrics", token: admin)
            #expect(scrape.body.contains("unity_host_memory_total_bytes{server=\"self\",server_id=\"\(id.lowercased())\"} \(try Self.memTotalBytes())"))
            #expect(scrape.body.contains("unity_host_filesystem_size_bytes{server=\"self\""))
            // ...the scrape after the second cycle has it: a scrape never shows a stale snapshot.
            #expect(scrape.body.contains("unity_host_cpu_usage_ratio{server=\"self\""))
            #expect(try Self.promtoolAccepts(scrape.body))

            // The server stops answering: offline at once; the default rule fires once its for-duration
            // has passed (shortened here to 0 s so the test does not wait 10 minutes).
            let rules = try await client.send(.GET, "/api/v1/alert-rules?per_page=200", token: admin)
            let unreachable = try #require((rules.json["items"] as? [[String: Any]])?.first { $0["name"] as? String == "Server unreachable" }?["id"] as? String)
            #expect(try await client.send(.PATCH, "/api/v1/alert-rules/\(unreachable)", token: admin, json: ["for_duration": 0]).status == .ok)
            sshd.stop()
            await app.unity.ssh.shutdown()
            let down = try await client.send(.POST, "/api/v1/servers/\(id)/collect", token: admin)
            #expect(down.json["status"] as? String == "offline", "\(down.body)")
            let alerts = try await client.send(.GET, "/api/v1/alerts?status=firing&rule_id=\(unreachable)", token: admin)
            let alert = try #require((alerts.json["items"] as? [[String: Any]])?.first, "\(alerts.body)")
            #expect(alert["resource_id"] as? String == id.uppercased() || alert["resource_id"] as? String == id)
            #expect(alert["severity"] as? String == "critical")

            // Back: online again and the alert resolves on its own.
            try await sshd.start()
            await app.unity.ssh.shutdown()  // forget the pool's reconnect backoff; the next cycle would be minutes later
            let back = try await client.send(.POST, "/api/v1/servers/\(id)/collect", token: admin)
            #expect(back.json["status"] as? String == "online", "\(back.body)")
            #expect(try await client.send(.GET, "/api/v1/alerts?status=resolved&rule_id=\(unreachable)", token: admin).json["total"] as? Int == 1)
        }
    }
}
