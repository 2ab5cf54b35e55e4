import Fluent
import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The step-ca page through the real app and the contract fake step-ca (no step-ca server can run
/// on this machine; the fake verifies tokens and signs as step-ca does): an admin adds the CA with
/// its encrypted provisioner key, an operator signs a TLS certificate and an SSH certificate from
/// the forms, a viewer sees them without controls; secrets typed into the forms never come back.
@Suite("step-ca page", .timeLimit(.minutes(2)))
struct WebStepCAPagesTests {
    typealias Browser = WebPagesTests.Browser

    @Test func addSignAndListFromTheForms() async throws {
        try await withUnityApp { app in
            try await StepCAFake.with(password: StepCAAPITests.password) { fake in
                let client = TestClient(app)
                let admin = try await client.login("admin", TestClient.adminPassword)
                let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
                let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
                let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)

                // A wrong fingerprint is named at its field; the encrypted key and password are not echoed.
                let bad = try await adminBrowser.post("/credentials/step-ca", [
                    ("name", "lab-ca"), ("url", fake.url), ("root_fingerprint", String(repeating: "0", count: 64)),
                    ("provisioner_name", fake.provisionerName), ("encrypted_key", fake.encryptedKey), ("password", StepCAAPITests.password)])
                #expect(bad.status == .unprocessableEntity && bad.body.contains("f-root_fingerprint-error"), "\(bad.status)")
                #expect(!bad.body.contains(fake.encryptedKey) && !bad.body.contains(StepCAAPITests.password))
                #expect(bad.body.contains("value=\"lab-ca\""))
                let added = try await adminBrowser.post("/credentials/step-ca", [
                    ("name", "lab-ca"), ("url", fake.url), ("root_fingerprint", fake.rootFingerprint),
                    ("provisioner_name", fake.provisionerName), ("encrypted_key", fake.encryptedKey), ("password", StepCAAPITests.password),
                    ("acme_provisioner", "acme")])
                #expect(added.status == .seeOther, "\(added.body)")
                #expect(try await operatorBrowser.post("/credentials/step-ca", [("name", "x")]).status == .forbidden)
                let authority = try #require(try await StepCAAuthorityRecord.query(on: app.db).first()?.id?.uuidString)

                let tls = try await operatorBrowser.post("/credentials/step-ca/x509", [("authority_id", authority), ("names", "nas.homelab.test 192.168.1.10")])
                #expect(tls.status == .seeOther && WebCredentialPagesTests.location(tls).hasPrefix("/certificates/"), "\(tls.body)")
                let certificate = try await operatorBrowser.get(WebCredentialPagesTests.location(tls))
                #expect(certificate.body.contains("step_ca") && certificate.body.contains("nas.homelab.test, 192.168.1.10"))

                let keyID = try #require(try await client.send(.POST, "/api/v1/ssh-keys", token: admin, json: ["name": "alice", "type": "ed25519"]).json["id"] as? String)
                let missing = try await operatorBrowser.post("/credentials/step-ca/ssh", [("authority_id", authority), ("ssh_key_id", keyID), ("cert_type", "user")])
                #expect(missing.status == .unprocessableEntity && (missing.body.contains("f-key_id-error") || missing.body.contains("f-principals-error")))
                let ssh = try await operatorBrowser.post("/credentials/step-ca/ssh", [
                    ("authority_id", authority), ("ssh_key_id", keyID), ("cert_type", "user"), ("key_id", "alice@laptop"), ("principals", "alice, backup")])
                #expect(ssh.status == .seeOther, "\(ssh.body)")
                let page = try await viewer.get("/credentials/step-ca")
                #expect(page.status == .ok && page.body.contains("alice@laptop") && page.body.contains("alice, backup"))
                #expect(page.body.contains("ssh-ed25519-cert-v01@openssh.com "), "the certificate line is there to copy")
                #expect(!page.body.contains("method=\"post\" action=\"/credentials/step-ca"), "viewers get no forms")
                #expect(try await viewer.post("/credentials/step-ca/x509", [("authority_id", authority), ("names", "x.homelab.test")]).status == .forbidden)
                // The ACME page offers the step-ca as an account's CA.
                #expect(try await adminBrowser.get("/credentials/acme").body.contains("name=\"step_ca_id\""))
            }
        }
    }
}
