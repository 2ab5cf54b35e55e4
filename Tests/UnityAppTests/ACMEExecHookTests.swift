import Foundation
import Testing
import UnityACME
import UnityTestSupport
import Vapor
@testable import UnityApp

/// No API input names a program for the Unity host: the exec DNS provider runs only hooks an admin
/// put in `UNITY_DNS_HOOKS_DIR`, named by `settings.hook`.
@Suite("ACME exec hooks", .enabled(if: PebbleServer.shouldRun), .timeLimit(.minutes(3)))
struct ACMEExecHookTests {
    /// The review's reproduction: an operator asks for /bin/bash with BASH_ENV as a "secret".
    @Test("an operator's program and environment are refused (422) and nothing runs")
    func operatorCannotRunAProgram() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("unity-pwned-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        try await withUnityApp { app in
            try await PebbleServer.with { pebble in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let operatorToken = try await client.user(.operator, adminToken: admin).token
                let accountID = try await ACMEAPITests.account(client, pebble, token: admin)
                let response = try await client.send(.POST, "/api/v1/acme/certificates", token: operatorToken, json: [
                    "account_id": accountID, "names": ["pwned.lab.test"], "challenge": "dns-01",
                    "dns_provider": ["type": "exec", "settings": ["program": "/bin/bash"], "secrets": ["BASH_ENV": "$(id > \(marker))"]],
                ])
                #expect(response.status == .unprocessableEntity, "\(response.body)")
                #expect(response.errorField == "dns_provider.settings.program", "\(response.body)")
                if response.status == .accepted, let id = response.json["id"] as? String {
                    _ = try await ACMEAPITests.finished(client, id, token: admin)
                }
                #expect(!FileManager.default.fileExists(atPath: marker), "the operator's program ran on the Unity host")
                #expect(try await client.send(.GET, "/api/v1/acme/certificates", token: admin).json["total"] as? Int == 0)
            }
        }
    }
}
