import Fluent
import Foundation
import Testing
import UnityACME
import UnityTestSupport
import Vapor
@testable import UnityApp

/// ACME through the API against a real Pebble + pebble-challtestsrv on loopback: account
/// registration, HTTP-01 issuance with Unity's own listener, DNS-01 through the exec provider
/// (a script that talks to challtestsrv), the inventory entry, renewal by the API and by the
/// `acme-renewal` task, a failing renewal that raises `acme.renewal_failed`, and revocation.
@Suite("ACME API against real Pebble", .enabled(if: PebbleServer.shouldRun), .timeLimit(.minutes(4)))
struct ACMEAPITests {
    static func account(_ client: TestClient, _ pebble: PebbleServer, token: String) async throws -> String {
        let created = try await client.send(.POST, "/api/v1/acme/accounts", token: token, json: [
            "name": "pebble", "preset": "custom", "directory_url": pebble.directoryURL, "email": "ops@homelab.test",
            "trusted_roots_pem": pebble.listenerCertPEM, "terms_of_service_agreed": true,
        ])
        #expect(created.status == .created, "\(created.body)")
        #expect(created.json["status"] as? String == "valid")
        #expect((created.json["account_url"] as? String)?.contains("/my-account/") == true)
        #expect(!created.body.contains("PRIVATE KEY"))
        return try #require(created.json["id"] as? String)
    }

    static func certificate(_ client: TestClient, _ id: String, token: String) async throws -> [String: Any] {
        try await client.send(.GET, "/api/v1/certificates/\(id)", token: token).json
    }

    static func serial(_ certificate: [String: Any]) throws -> String {
        try CertificateInfo(pemChain: certificate["certificate_pem"] as? String ?? "").serialHex
    }

    /// Issuance runs in the background: follow the order until its latest attempt has ended,
    /// checking every phase seen is one the API documents.
    static func finished(_ client: TestClient, _ orderID: String, token: String) async throws -> [String: Any] {
        let phases = Set(ACMEAttemptDTO.allowedValues["phase"] ?? [])
        for _ in 0..<600 {
            let order = try await client.send(.GET, "/api/v1/acme/certificates/\(orderID)", token: token).json
            let attempt = order["attempt"] as? [String: Any] ?? [:]
            #expect(phases.contains(attempt["phase"] as? String ?? ""), "\(attempt)")
            if attempt["outcome"] as? String != "running" { return order }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("the attempt for \(orderID) never ended")
        return [:]
    }

    @Test("HTTP-01 issuance in the background, inventory, renew by API and task, failing renewal alerts, revoke",
          arguments: TestDatabase.available)
    func http01Lifecycle(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            try await PebbleServer.with { pebble in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let operatorToken = try await client.user(.operator, adminToken: admin).token
                #expect(try await client.send(.POST, "/api/v1/acme/accounts", token: operatorToken, json: ["name": "x"]).status == .forbidden)
                let accountID = try await Self.account(client, pebble, token: admin)

                let issued = try await client.send(.POST, "/api/v1/acme/certificates", token: operatorToken, json: [
                    "account_id": accountID, "names": ["web.homelab.test"], "challenge": "http-01",
                    "http_host": "127.0.0.1", "http_port": pebble.httpChallengePort,
                ])
                #expect(issued.status == .accepted, "\(issued.body)")
                #expect((issued.json["attempt"] as? [String: Any])?["outcome"] as? String == "running")
                let orderID = try #require(issued.json["id"] as? String)
                let done = try await Self.finished(client, orderID, token: operatorToken)
                #expect(done["status"] as? String == "valid", "\(done)")
                #expect(done["next_renewal_at"] != nil)
                #expect((done["attempt"] as? [String: Any])?["outcome"] as? String == "succeeded")
                let certificateID = try #require(done["certificate_id"] as? String)
                let first = try await Self.certificate(client, certificateID, token: admin)
                #expect(first["source"] as? String == "acme")
                #expect(first["has_private_key"] as? Bool == true)
                #expect((first["issuer"] as? String)?.contains("Pebble") == true)
                #expect(first["sans"] as? [String] == ["web.homelab.test"])
                #expect(try await pebble.certificateStatus(serialHex: try Self.serial(first)) == "Valid")

                // Renew by the API: same inventory entry, new serial.
                let renewed = try await client.send(.POST, "/api/v1/acme/certificates/\(orderID)/renew", token: operatorToken)
                #expect(renewed.status == .accepted, "\(renewed.body)")
                _ = try await Self.finished(client, orderID, token: operatorToken)
                let second = try await Self.certificate(client, certificateID, token: admin)
                #expect(try Self.serial(second) != (try Self.serial(first)))

                // The task: nothing is due today; far in the future it renews.
                let context = TaskContext(application: app, database: app.db, logger: app.logger)
                #expect(try await ACMERenewal.run(context, now: Date()) == "0 renewed, 0 failed, 1 not due")
                let later = Date().addingTimeInterval(5 * 365 * 86_400)
                #expect(try await ACMERenewal.run(context, now: later) == "1 renewed, 0 failed, 0 not due")

                // A renewal Pebble cannot validate (our listener on the wrong port): the attempt is
                // recorded with the CA's text and `acme.renewal_failed` fires.
                let order = try #require(try await ACMEOrderRecord.find(UUID(uuidString: orderID), on: app.db))
                order.httpPort = try TestPorts.take(1)[0]
                try await order.save(on: app.db)
                #expect(try await ACMERenewal.run(context, now: later) == "0 renewed, 1 failed, 0 not due")
                let failed = try await client.send(.GET, "/api/v1/acme/certificates/\(orderID)", token: admin)
                let lastError = try #require(failed.json["last_error"] as? String)
                #expect(lastError.contains("connection") || lastError.contains("Connection"), "\(lastError)")
                #expect(failed.json["status"] as? String == "valid", "the old certificate stays in use")
                let firing = try await client.send(.GET, "/api/v1/alerts?status=firing&source=credentials", token: admin)
                let items = firing.json["items"] as? [[String: Any]] ?? []
                #expect(items.contains { $0["rule"] as? String == "Certificate renewal failed" }, "\(firing.body)")
                #expect(firing.body.contains("web.homelab.test"))
                // "Renew now" fails the same way: the attempt ends `failed` with the CA's text.
                let direct = try await client.send(.POST, "/api/v1/acme/certificates/\(orderID)/renew", token: operatorToken)
                #expect(direct.status == .accepted, "\(direct.body)")
                let directAttempt = try await Self.finished(client, orderID, token: operatorToken)["attempt"] as? [String: Any] ?? [:]
                #expect(directAttempt["outcome"] as? String == "failed" && directAttempt["trigger"] as? String == "renew", "\(directAttempt)")
                #expect((directAttempt["error"] as? String)?.lowercased().contains("connection") == true, "\(directAttempt)")

                // Fixed: the next attempt succeeds and the alert resolves.
                order.httpPort = pebble.httpChallengePort
                try await order.save(on: app.db)
                #expect(try await ACMERenewal.run(context, now: later) == "1 renewed, 0 failed, 0 not due")
                let after = try await client.send(.GET, "/api/v1/alerts?status=firing&source=credentials", token: admin)
                #expect(!(after.json["items"] as? [[String: Any]] ?? []).contains { $0["rule"] as? String == "Certificate renewal failed" })

                // Every attempt is on record: create, renew, task, task (failed), renew (failed), task.
                let history = try await client.send(.GET, "/api/v1/acme/certificates/\(orderID)/attempts", token: admin)
                let attempts = history.json["items"] as? [[String: Any]] ?? []
                #expect(attempts.count == 6, "\(history.body)")
                #expect(attempts.filter { $0["outcome"] as? String == "failed" }.count == 2)
                #expect(attempts.last?["trigger"] as? String == "create")
                let metrics = try await client.send(.GET, "/metrics", token: admin).body
                #expect(metrics.contains(#"unity_acme_attempts_total{trigger="task",outcome="failed"} 1"#), "\(metrics)")

                // One attempt at a time: while one runs, "renew now" is a 409; one left running by a
                // stopped process is marked interrupted after 15 minutes and no longer blocks.
                let stuck = ACMEAttemptRecord(orderID: try #require(UUID(uuidString: orderID)), trigger: "renew")
                try await stuck.create(on: app.db)
                #expect(try await client.send(.POST, "/api/v1/acme/certificates/\(orderID)/renew", token: operatorToken).status == .conflict)
                // The database itself refuses a second running attempt (two replicas, a double click)...
                await #expect(throws: (any Error).self) {
                    try await ACMEAttemptRecord(orderID: try #require(UUID(uuidString: orderID)), trigger: "task").create(on: app.db)
                }
                // ...and a revocation waits for the running attempt, which would otherwise un-revoke it.
                #expect(try await client.send(.POST, "/api/v1/acme/certificates/\(orderID)/revoke", token: operatorToken,
                                              json: ["reason": "superseded"]).status == .conflict)
                stuck.startedAt = Date().addingTimeInterval(-16 * 60)
                try await stuck.save(on: app.db)
                #expect(try await client.send(.POST, "/api/v1/acme/certificates/\(orderID)/renew", token: operatorToken).status == .accepted)
                _ = try await Self.finished(client, orderID, token: operatorToken)
                #expect(try await ACMEAttemptRecord.find(stuck.id, on: app.db)?.outcome == "interrupted")

                // Revoke: Pebble says Revoked; the order stops renewing.
                let current = try await Self.certificate(client, certificateID, token: admin)
                let revoked = try await client.send(.POST, "/api/v1/acme/certificates/\(orderID)/revoke", token: operatorToken,
                                                    json: ["reason": "superseded"])
                #expect(revoked.json["status"] as? String == "revoked", "\(revoked.body)")
                #expect(try await pebble.certificateStatus(serialHex: try Self.serial(current)) == "Revoked")
                #expect(try await ACMERenewal.run(context, now: later) == "0 renewed, 0 failed, 0 not due")

                // The account is in use until its orders are gone.
                #expect(try await client.send(.DELETE, "/api/v1/acme/accounts/\(accountID)", token: admin).status == .conflict)
                #expect(try await client.send(.DELETE, "/api/v1/acme/certificates/\(orderID)", token: operatorToken).status == .noContent)
                #expect(try await client.send(.DELETE, "/api/v1/acme/accounts/\(accountID)", token: admin).status == .noContent)
            }
        }
    }

    @Test("DNS-01 wildcard through an admin's exec hook (script → challtestsrv) with exactly the fixed environment plus HOOK_ secrets; secrets sealed, never returned",
          arguments: TestDatabase.available)
    func dns01Exec(database: TestDatabase) async throws {
        let hooks = FileManager.default.temporaryDirectory.appendingPathComponent("unity-hooks-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: hooks, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: hooks) }
        let seen = hooks.appendingPathComponent("environment").path
        // lego's exec convention: `present|cleanup <fqdn> <value>`; the endpoint comes from the
        // provider's secrets, which Unity passes as the environment. The hook records what it got.
        let script = hooks.appendingPathComponent("challtestsrv.sh")
        try """
        #!/bin/sh
        env > '\(seen)'
        case "$1" in
          present) exec curl -sf -X POST -d "{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}" "$HOOK_CHALLTESTSRV/set-txt" ;;
          cleanup) exec curl -sf -X POST -d "{\\"host\\":\\"$2\\"}" "$HOOK_CHALLTESTSRV/clear-txt" ;;
        esac
        """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        try await withUnityApp(database, settings: ["UNITY_DNS_HOOKS_DIR": hooks.path]) { app in
            try await PebbleServer.with { pebble in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let accountID = try await Self.account(client, pebble, token: admin)
                let issued = try await client.send(.POST, "/api/v1/acme/certificates", token: admin, json: [
                    "account_id": accountID, "names": ["*.lab.test", "lab.test"], "challenge": "dns-01", "key_type": "rsa-2048",
                    "dns_provider": ["type": "exec", "settings": ["hook": "challtestsrv.sh"],
                                     "secrets": ["HOOK_CHALLTESTSRV": pebble.challTestSrvURL]],
                ])
                #expect(issued.status == .accepted, "\(issued.body)")
                #expect(issued.json["has_dns_secrets"] as? Bool == true)
                #expect(!issued.body.contains(pebble.challTestSrvURL))
                let done = try await Self.finished(client, try #require(issued.json["id"] as? String), token: admin)
                #expect(!"\(done)".contains(pebble.challTestSrvURL))
                let certificateID = try #require(done["certificate_id"] as? String, "\(done)")
                let certificate = try await Self.certificate(client, certificateID, token: admin)
                #expect(certificate["source"] as? String == "acme")
                #expect(Set(certificate["sans"] as? [String] ?? []) == ["*.lab.test", "lab.test"])
                #expect((certificate["key_type"] as? String)?.contains("2048") == true, "\(certificate["key_type"] ?? "")")

                // sh adds PWD (and SHLVL on some shells) itself; everything else is what Unity passed.
                let environment = Set(try String(contentsOfFile: seen, encoding: .utf8).split(separator: "\n").map { String($0.prefix { $0 != "=" }) })
                #expect(environment.subtracting(["PWD", "SHLVL", "_", "OLDPWD"]) == ["PATH", "HOME", "LANG", "EXEC_MODE", "HOOK_CHALLTESTSRV"],
                        "\(environment)")

                // A wildcard over HTTP-01 is refused before the CA is asked.
                let wildcard = try await client.send(.POST, "/api/v1/acme/certificates", token: admin, json: [
                    "account_id": accountID, "names": ["*.lab.test"], "challenge": "http-01",
                ])
                #expect(wildcard.status == .unprocessableEntity && wildcard.errorField == "challenge")
            }
        }
    }
    @Test("External Account Binding (as ZeroSSL requires) through the API; the HMAC is sealed and never returned")
    func externalAccountBinding() async throws {
        try await withUnityApp { app in
            try await PebbleServer.with(PebbleServer.Options(externalAccountBinding: true)) { pebble in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let base: [String: Any] = ["preset": "custom", "directory_url": pebble.directoryURL, "email": "ops@homelab.test",
                                           "trusted_roots_pem": pebble.listenerCertPEM, "terms_of_service_agreed": true]
                // Without EAB the CA refuses, and says so.
                let refused = try await client.send(.POST, "/api/v1/acme/accounts", token: admin, json: base.merging(["name": "no-eab"]) { $1 })
                #expect(refused.status == .badGateway, "\(refused.body)")
                #expect(refused.errorMessage?.contains("externalAccountRequired") == true, "\(refused.body)")
                #expect(try await client.send(.POST, "/api/v1/acme/accounts", token: admin,
                                              json: base.merging(["name": "half", "eab_kid": "kid-1"]) { $1 }).errorField == "eab_hmac_key")
                let hmac = try #require(PebbleServer.eabKeys["kid-1"])
                let created = try await client.send(.POST, "/api/v1/acme/accounts", token: admin,
                                                    json: base.merging(["name": "zerossl-like", "eab_kid": "kid-1", "eab_hmac_key": hmac]) { $1 })
                #expect(created.status == .created && created.json["status"] as? String == "valid", "\(created.body)")
                #expect(created.json["has_eab_hmac"] as? Bool == true && created.json["eab_kid"] as? String == "kid-1")
                let listed = try await client.send(.GET, "/api/v1/acme/accounts", token: admin)
                #expect(!created.body.contains(hmac) && !listed.body.contains(hmac))
                let row = try #require(try await ACMEAccountRecord.query(on: app.db).filter(\.$name == "zerossl-like").first())
                #expect(row.sealedEABHMAC?.contains(hmac) == false)
            }
        }
    }
}
