import Foundation
import Testing
import UnityContainers
import UnityContainersTestSupport
import UnityTestSupport
@testable import UnityApp

/// A Docker daemon started by the test with `--tlsverify` on 127.0.0.1 and a test CA (openssl),
/// reached through the API as a TLS container host whose CA and client certificate were imported into
/// the certificate inventory; on SQLite and PostgreSQL.
@Suite(.serialized, .timeLimit(.minutes(4)))
struct ContainerHostsOverTLSTests {
    @Test(arguments: TestDatabase.available)
    func aTLSHostFromInventoryCertificates(database: TestDatabase) async throws {
        let material = try TestTLSMaterial.make()
        let (daemon, port) = try TestEngine.privateDockerWithTLS(material, importImage: true)
        defer { daemon.kill() }
        let name = "tls-run-\(UUID().uuidString.prefix(6).lowercased())"
        try daemon.cli(["run", "-d", "--name", name, "--network", "host", TestEngine.image, "sleep", "300"])
        let endpoint = "tcp://127.0.0.1:\(port)"

        try await withUnityApp(database) { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            func imported(_ json: [String: String]) async throws -> String {
                let response = try await client.send(.POST, "/api/v1/certificates", token: admin, json: json)
                return try #require(response.json["id"] as? String, "\(response.body)")
            }
            let caID = try await imported(["name": "test ca", "certificate_pem": material.caPEM])
            let clientID = try await imported(["name": "unity client", "certificate_pem": material.clientCertificatePEM,
                                               "private_key_pem": material.clientKeyPEM])
            let keyless = try await imported(["name": "stranger without key", "certificate_pem": material.strangerCertificatePEM])
            func create(_ json: [String: Any]) async throws -> TestResponse {
                try await client.send(.POST, "/api/v1/container-hosts", token: admin, json: json)
            }
            let good: [String: Any] = ["name": "tls-docker", "endpoint": endpoint, "ca_certificate_id": caID, "client_certificate_id": clientID]
            func with(_ changes: [String: Any]) -> [String: Any] { good.merging(changes) { _, new in new } }

            // Bad inputs: 422 naming the field, nothing stored.
            let badEndpoint = try await create(with(["endpoint": "http://127.0.0.1:\(port)"]))
            #expect(badEndpoint.status == .unprocessableEntity && badEndpoint.errorField == "endpoint", "\(badEndpoint.body)")
            for endpoint in ["tcp://127.0.0.1", "tcp://127.0.0.1:99999", "tcp://:2376", "tcp://host;rm -rf /:2376", "tcp://h:2376/path"] {
                #expect(try await create(with(["endpoint": endpoint])).errorField == "endpoint", "\(endpoint)")
            }
            var withoutCA = good
            withoutCA["ca_certificate_id"] = nil
            #expect(try await create(withoutCA).errorField == "ca_certificate_id")
            #expect(try await create(with(["ca_certificate_id": UUID().uuidString])).errorField == "ca_certificate_id")
            #expect(try await create(with(["ca_certificate_id": clientID])).errorField == "ca_certificate_id", "a leaf is not a CA")
            #expect(try await create(with(["client_certificate_id": UUID().uuidString])).errorField == "client_certificate_id")
            let noKey = try await create(with(["client_certificate_id": keyless]))
            #expect(noKey.status == .unprocessableEntity && noKey.errorField == "client_certificate_id", "\(noKey.body)")
            #expect(try await create(with(["insecure_plain_tcp": true])).errorField == "insecure_plain_tcp")
            #expect(try await client.send(.GET, "/api/v1/container-hosts", token: admin).jsonArray.isEmpty)

            let created = try await create(good)
            #expect(created.status == .created, "\(created.body)")
            #expect(created.json["transport"] as? String == "tls")
            #expect(created.json["status"] as? String == "up", "\(created.body)")
            #expect(created.json["engine"] as? String == "docker")
            #expect(created.json["api_version"] as? String == "1.41")
            #expect(created.json["endpoint"] as? String == endpoint)
            #expect(created.json["ca_certificate_id"] as? String == caID && created.json["client_certificate_id"] as? String == clientID)
            #expect(created.json["warning"] as? String == nil)
            #expect(!created.body.contains("PRIVATE KEY"))
            let hostID = try #require(created.json["id"] as? String)
            #expect(try await client.send(.POST, "/api/v1/container-hosts/\(hostID)/discover", token: admin).status == .ok)

            let listed = try await client.send(.GET, "/api/v1/containers?host_id=\(hostID)", token: admin)
            let row = try #require(listed.jsonArray.first { $0["name"] as? String == name }, "\(listed.body.prefix(400))")
            let containerID = try #require(row["id"] as? String)
            #expect(row["state"] as? String == "running")
            let stopped = try await client.send(.POST, "/api/v1/containers/\(containerID)/stop?timeout=0", token: admin)
            #expect(stopped.json["state"] as? String == "exited", "\(stopped.body)")
            #expect(try daemon.cli(["inspect", "-f", "{{.State.Status}}", name]).contains("exited"))
            let started = try await client.send(.POST, "/api/v1/containers/\(containerID)/start", token: admin)
            #expect(started.json["state"] as? String == "running", "\(started.body)")
            #expect(try daemon.cli(["inspect", "-f", "{{.State.Status}}", name]).contains("running"))

            // Plain TCP only opted in, and warned. (This port speaks TLS, so the engine answer is unreadable.)
            let plain = try await create(["name": "plain", "endpoint": endpoint, "insecure_plain_tcp": true])
            #expect(plain.status == .created, "\(plain.body)")
            #expect(plain.json["transport"] as? String == "tcp")
            #expect(plain.json["insecure_plain_tcp"] as? Bool == true)
            #expect((plain.json["warning"] as? String)?.contains("Plain TCP") == true, "\(plain.body)")
            #expect(plain.json["last_error_code"] as? String == "container_engine_invalid_response", "\(plain.body)")
        }
    }
}
