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

    @Test("a hook is a plain name of an executable file in the admin's folder; secrets are HOOK_ names only")
    func hooksAreNamedAndTheirEnvironmentIsAllowListed() async throws {
        let hooks = FileManager.default.temporaryDirectory.appendingPathComponent("unity-hooks-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: hooks) }
        FileManager.default.createFile(atPath: hooks + "/ok.sh", contents: Data("#!/bin/sh\nexit 0\n".utf8), attributes: [.posixPermissions: 0o755])
        FileManager.default.createFile(atPath: hooks + "/notes.txt", contents: Data(), attributes: [.posixPermissions: 0o644])
        FileManager.default.createFile(atPath: hooks + "/shared.sh", contents: Data(), attributes: [.posixPermissions: 0o777])
        try await withUnityApp(settings: ["UNITY_DNS_HOOKS_DIR": hooks]) { app in
            try await PebbleServer.with { pebble in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let operatorToken = try await client.user(.operator, adminToken: admin).token
                let accountID = try await ACMEAPITests.account(client, pebble, token: admin)
                func order(_ settings: [String: String], _ secrets: [String: String] = [:]) async throws -> TestResponse {
                    try await client.send(.POST, "/api/v1/acme/certificates", token: operatorToken, json: [
                        "account_id": accountID, "names": ["hook.lab.test"], "challenge": "dns-01",
                        "dns_provider": ["type": "exec", "settings": settings, "secrets": secrets],
                    ])
                }
                for name in ["/bin/sh", "../ok.sh", "..", ".", "ok.sh/", "sub/ok.sh", "notes.txt", "shared.sh", "missing.sh", ""] {
                    let refused = try await order(["hook": name])
                    #expect(refused.status == .unprocessableEntity && refused.errorField == "dns_provider.settings.hook", "\(name): \(refused.body)")
                }
                for name in ["BASH_ENV", "ENV", "LD_PRELOAD", "PATH", "HOME", "PYTHONPATH", "HOOK_", "hook_x", "HOOK_A=B"] {
                    let refused = try await order(["hook": "ok.sh"], [name: "x"])
                    #expect(refused.status == .unprocessableEntity && refused.errorField == "dns_provider.secrets.\(name)", "\(name): \(refused.body)")
                }
                #expect(try await order(["hook": "ok.sh", "interpreter": "/bin/bash"]).errorField == "dns_provider.settings.interpreter")
                #expect(try await client.send(.GET, "/api/v1/acme/certificates", token: admin).json["total"] as? Int == 0)
                let accepted = try await order(["hook": "ok.sh"], ["HOOK_TOKEN": "t"])
                #expect(accepted.status == .accepted, "\(accepted.body)")
                if let id = accepted.json["id"] as? String { _ = try await ACMEAPITests.finished(client, id, token: admin) }
            }
        }
    }
}
