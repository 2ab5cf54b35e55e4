import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

@Suite struct ServersAPITests {
    @Test(arguments: TestDatabase.available)
    func serversAreValidatedFilteredAndBulkToggled(database: TestDatabase) async throws {
        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let nas = try await client.send(.POST, "/api/v1/servers", token: admin,
                                            json: ["name": "nas", "address": "192.168.1.10", "username": "unity", "tags": ["storage", "lab"],
                                                   "host_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl backup"])
            #expect(nas.status == .created)
            #expect(nas.json["status"] as? String == "unknown" && nas.json["port"] as? Int == 22 && nas.json["interval_seconds"] as? Int == 300)
            #expect((nas.json["host_key_fingerprints"] as? [String])?.first?.hasPrefix("SHA256:") == true)
            let pve = try await client.send(.POST, "/api/v1/servers", token: admin, json: ["name": "pve", "address": "pve.lan", "port": 2222, "username": "root"])
            #expect(pve.status == .created)

            for (body, field) in [
                (["name": "x", "address": "-oProxyCommand=evil", "username": "u"], "address"),
                (["name": "x", "address": "a b", "username": "u"], "address"),
                (["name": "x", "address": "h", "username": "u; rm -rf /"], "username"),
                (["name": "x", "address": "h", "username": "u", "port": 70000], "port"),
                (["name": "x", "address": "h", "username": "u", "interval_seconds": 1], "interval_seconds"),
                (["name": "x", "address": "h", "username": "u", "ssh_key_id": UUID().uuidString], "ssh_key_id"),
                (["name": "x", "address": "h", "username": "u", "host_key": "nonsense"], "host_key"),
            ] as [([String: Any], String)] {
                let refused = try await client.send(.POST, "/api/v1/servers", token: admin, json: body)
                #expect(refused.status == .unprocessableEntity, "\(body)")
                #expect(refused.errorField == field, "\(body): \(refused.body)")
            }
            #expect(try await client.send(.POST, "/api/v1/servers", token: admin, json: ["name": "nas", "address": "h", "username": "u"]).status == .conflict)

            #expect(try await client.send(.GET, "/api/v1/servers?tag=storage", token: admin).json["total"] as? Int == 1)
            #expect(try await client.send(.GET, "/api/v1/servers?status=unknown", token: admin).json["total"] as? Int == 2)
            #expect(try await client.send(.GET, "/api/v1/servers?status=bogus", token: admin).errorField == "status")

            let ids = [nas.json["id"], pve.json["id"]].compactMap { $0 as? String }
            let bulk = try await client.send(.POST, "/api/v1/servers/bulk/enabled", token: admin, json: ["ids": ids, "enabled": false])
            #expect(bulk.json["updated"] as? Int == 2)
            #expect(try await client.send(.GET, "/api/v1/servers?enabled=false", token: admin).json["total"] as? Int == 2)
            let renamed = try await client.send(.PATCH, "/api/v1/servers/\(ids[1])", token: admin, json: ["name": "pve1", "jump_server_id": ids[0]])
            #expect(renamed.json["name"] as? String == "pve1" && renamed.json["jump_server_id"] as? String == ids[0])
            #expect(try await client.send(.PATCH, "/api/v1/servers/\(ids[1])", token: admin, json: ["jump_server_id": ids[1]]).errorField == "jump_server_id")
            // JSON merge patch: a missing key keeps the jump server, `null` removes it.
            #expect(try await client.send(.PATCH, "/api/v1/servers/\(ids[1])", token: admin, json: ["port": 2222]).json["jump_server_id"] as? String == ids[0])
            let direct = try await client.send(.PATCH, "/api/v1/servers/\(ids[1])", token: admin, json: ["jump_server_id": NSNull()])
            #expect(direct.status == .ok && direct.json["jump_server_id"] == nil, "\(direct.body)")
        }
    }

    @Test func importPreviewReadsSSHConfigAndAnsibleAndFlagsExistingNames() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            _ = try await client.send(.POST, "/api/v1/servers", token: admin, json: ["name": "nas", "address": "h", "username": "u"])
            let preview = try await client.send(.POST, "/api/v1/servers/import/preview", token: admin,
                                                json: ["format": "ssh_config", "text": "Host nas pve\n  User root\nHost *\n  Port 2200\n"])
            let servers = try #require(preview.json["servers"] as? [[String: Any]])
            #expect(servers.compactMap { $0["name"] as? String } == ["nas", "pve"])
            #expect(servers.first?["port"] as? Int == 2200)
            #expect(preview.json["existing"] as? [String] == ["nas"])
            let ansible = try await client.send(.POST, "/api/v1/servers/import/preview", token: admin,
                                                json: ["format": "ansible", "text": "[web]\nweb[1:2] ansible_user=deploy\n"])
            #expect((ansible.json["servers"] as? [[String: Any]])?.count == 2)
            #expect(try await client.send(.POST, "/api/v1/servers/import/preview", token: admin, json: ["format": "yaml", "text": ""]).errorField == "format")
        }
    }
}
