import Foundation
import Testing
import UnityContainers
import UnityTestSupport
import Vapor
@testable import UnityApp

/// The container page's "Update now" form and the run page, with a SCRIPTED update engine
/// (`ScriptedUpdateApplier`): what each role sees, the confirmation's statement of what will happen,
/// the form starting a run like the API, the run page refreshing while it runs and showing the journal.
@Suite("container update runs: pages", .serialized, .timeLimit(.minutes(3)))
struct ContainerUpdateRunsWebTests {
    typealias Browser = WebPagesTests.Browser

    @Test func updateNowFormAndRunPage() async throws {
        try await withUnityApp { app in
            let (_, containerID) = try await UpdateRunFixtures.seed(on: app.db)
            let applier = ScriptedUpdateApplier(held: true)
            app.containerUpdateApply.applier = { _ in applier }
            let client = TestClient(app)
            let admin = try await client.login("admin", TestClient.adminPassword)
            let adminBrowser = try await Browser.signIn(client, "admin", TestClient.adminPassword)
            let operatorBrowser = try await WebCredentialPagesTests.signIn(client, role: "operator", admin: admin)
            let viewerBrowser = try await WebCredentialPagesTests.signIn(client, role: "viewer", admin: admin)
            let page = "/containers/\(containerID.uuidString.lowercased())"

            let adminPage = try await adminBrowser.get(page)
            #expect(adminPage.status == .ok)
            #expect(adminPage.body.contains("Update now") && adminPage.body.contains("name=\"override_window\""))
            #expect(adminPage.body.contains("value=\"registry.example/app:1.1.0\""))
            // The confirmation states backup, health gate (the defaults: no policies installed).
            #expect(adminPage.body.contains("data-confirm=\"Update web to registry.example/app:1.1.0? Backup: no. Health gate: the new container must be healthy within 300 s"))
            #expect(adminPage.body.contains("No update has run on this container yet."))
            let operatorPage = try await operatorBrowser.get(page)
            #expect(operatorPage.body.contains("Update now") && !operatorPage.body.contains("name=\"override_window\""))
            #expect(operatorPage.body.contains("only an admin can override the window"))
            let viewerPage = try await viewerBrowser.get(page)
            #expect(viewerPage.status == .ok && !viewerPage.body.contains("Update now"))
            #expect(try await viewerBrowser.post("\(page)/update", []).status == .forbidden)
            #expect(try await operatorBrowser.post("\(page)/update", [("override_window", "true")]).status == .forbidden)

            // The form starts a run and goes to its page, which refreshes while the engine works.
            let started = try await operatorBrowser.post("\(page)/update", [("candidate", "registry.example/app:1.1.0")])
            #expect(started.status == .seeOther, "\(started.body)")
            let location = WebCredentialPagesTests.location(started)
            #expect(location.hasPrefix("/update-runs/"))
            let runID = String(location.dropFirst("/update-runs/".count))
            // The held engine has written its first line once the run shows three.
            for _ in 0..<400 {
                let steps = try await client.send(.GET, "/api/v1/update-runs/\(runID)", token: admin).json["steps"] as? [Any]
                if (steps?.count ?? 0) >= 3 { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            let running = try await viewerBrowser.get(location)
            #expect(running.status == .ok && running.body.contains("http-equiv=\"refresh\"") && running.body.contains("pull started"), "\(running.body)")
            #expect(try await operatorBrowser.get(page).body.contains("An update is running"))
            // A second submit while it runs: back to the container with the conflict as a notice.
            let again = try await operatorBrowser.post("\(page)/update", [])
            #expect(again.status == .seeOther && WebCredentialPagesTests.location(again).hasPrefix(page))

            applier.release()
            _ = try await ContainerUpdateRunsAPITests.finished(client, admin, runID)
            let done = try await viewerBrowser.get(location)
            #expect(!done.body.contains("http-equiv=\"refresh\"") && done.body.contains("succeeded"))
            #expect(done.body.contains("health gate") && done.body.contains("scripted remove_old"))
            let history = try await viewerBrowser.get(page)
            #expect(history.body.contains("/update-runs/\(runID)") && history.body.contains("registry.example/app:1.1.0"))
            #expect(try await viewerBrowser.get("/update-runs/\(UUID().uuidString.lowercased())").status == .notFound)
        }
    }
}
