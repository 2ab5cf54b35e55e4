import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// Import previews bound their work: at most 5,000 hosts and 1,000 wildcard patterns, refused with a
/// 422 naming `text`, and within the limits exact aliases are looked up, not globbed. No timing
/// assertions: the limits' 422s are asserted here, the work counts in `SSHConfigImportTests`.
@Suite struct ServerImportLimitsTests {
    /// `hosts` exact Host blocks and `wildcards` wildcard blocks, the shape of the issue's 600 KB file.
    /// The last wildcard block matches the hosts whose name starts with `host4`.
    static func sshConfig(hosts: Int, wildcards: Int) -> String {
        var text = ""
        for index in 0..<hosts { text += "Host host\(index).lab\n  HostName 10.0.\(index / 250).\(index % 250)\n" }
        for index in 0..<wildcards { text += "Host \(index == wildcards - 1 ? "host4*" : "*.zone\(index).lab")\n  User u\(index)\n" }
        return text
    }

    static func preview(_ client: TestClient, _ token: String, format: String, _ text: String) async throws -> TestResponse {
        try await client.send(.POST, "/api/v1/servers/import/preview", token: token, json: ["format": format, "text": text])
    }

    @Test func anSSHConfigAtTheLimitsIsPreviewed() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let response = try await Self.preview(client, admin, format: "ssh_config", Self.sshConfig(hosts: 5_000, wildcards: 1_000))
            #expect(response.status == .ok)
            let servers = response.json["servers"] as? [[String: Any]]
            #expect(servers?.count == 5_000)
            // Hosts still get the options of the wildcard block that matches them, and only those.
            #expect(servers?.first?["username"] == nil)
            #expect(servers?.last?["username"] as? String == "u999" && servers?.last?["address"] as? String == "10.0.19.249")
        }
    }

    @Test func theIssuesSSHConfigIsRefusedNamingTheField() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let text = Self.sshConfig(hosts: 20_000, wildcards: 2_000)
            #expect(text.utf8.count > 600_000)
            let response = try await Self.preview(client, admin, format: "ssh_config", text)
            #expect(response.status == .unprocessableEntity && response.errorField == "text", "\(response.status) \(response.errorMessage ?? "")")
            #expect(response.errorMessage?.contains("at most 5000 hosts") == true, "\(response.errorMessage ?? "")")
        }
    }

    @Test func overLimitSSHConfigsAreRefusedNamingTheField() async throws {
        try await Self.expectRefused([
            ("ssh_config", Self.sshConfig(hosts: 5_001, wildcards: 0), "at most 5000 hosts"),
            ("ssh_config", Self.sshConfig(hosts: 1, wildcards: 1_001), "at most 1000 wildcard patterns"),
        ])
    }

    @Test func overLimitAnsibleInventoriesAreRefusedNamingTheField() async throws {
        try await Self.expectRefused([
            ("ansible", (0..<6).map { "[g\($0)]\nweb\($0)-[1:1000].lab\n" }.joined(), "at most 5000 hosts"),
            ("ansible", "[all]\nn[1:999][1:999].lab\n", "at most 5000 hosts"),
        ])
    }

    static func expectRefused(_ cases: [(format: String, text: String, message: String)]) async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            for (format, text, message) in cases {
                let response = try await Self.preview(client, admin, format: format, text)
                #expect(response.status == .unprocessableEntity && response.errorField == "text", "\(format): \(response.status) \(response.body.prefix(200))")
                #expect(response.errorMessage?.contains(message) == true, "\(response.errorMessage ?? "")")
            }
        }
    }
}
