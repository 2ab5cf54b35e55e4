import Foundation
import Testing
import UnityTestSupport
import Vapor
@testable import UnityApp

/// One alert's page and the delivery log filters, through the real app.
@Suite struct WebAlertDetailPagesTests {
    typealias Browser = WebPagesTests.Browser

    @Test func anAlertHasItsOwnPageWithActionsForOperators() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            // A certificate 5 days from expiry fires an alert.
            _ = try await adminBrowser.post("/certificates/issue", [("dns_names", "soon.home.arpa"), ("validity_days", "5")])
            let alert = try #require((try await client.send(.GET, "/api/v1/alerts?status=firing", token: admin).json["items"] as? [[String: Any]])?.first)
            let id = try #require(alert["id"] as? String).lowercased()
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            #expect(try await viewer.get("/alerts").body.contains("href=\"/alerts/\(id)\""))
            let page = try await viewer.get("/alerts/\(id)")
            #expect(page.status == .ok && page.body.contains("id=\"alert-message\"") && page.body.contains(alert["message"] as? String ?? "?"))
            #expect(page.body.contains("href=\"/alert-rules/") && !page.body.contains("/acknowledge\""))
            let forOperator = try await operatorBrowser.get("/alerts/\(id)")
            #expect(forOperator.body.contains("action=\"/alerts/\(id)/acknowledge\"") && forOperator.body.contains("action=\"/alerts/\(id)/resolve\""))
            #expect(try await viewer.get("/alerts/\(UUID().uuidString.lowercased())").status == .notFound)
        }
    }

    @Test func theDeliveryLogIsFilteredByChannelAndOutcome() async throws {
        try await withUnityApp { app in
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let created = try await client.send(.POST, "/api/v1/notification-channels", token: admin, json: ["name": "phone", "url": "ntfy://ntfy.home.arpa/unity"])
            let channel = try #require(created.json["id"] as? String).lowercased()
            let viewer = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let page = try await viewer.get("/channels")
            #expect(page.body.contains("name=\"outcome\"") && page.body.contains("<option value=\"\(channel)\">phone</option>") && page.body.contains("id=\"log-total\">0 deliveries"))
            let filtered = try await viewer.get("/channels?channel_id=\(channel)&outcome=failed")
            #expect(filtered.status == .ok && filtered.body.contains("<option value=\"\(channel)\" selected>") && filtered.body.contains("<option value=\"failed\" selected>"))
            // A filter the API would refuse is ignored by the page instead of failing it.
            #expect(try await viewer.get("/channels?channel_id=nope&outcome=lost").status == .ok)
        }
    }
}
