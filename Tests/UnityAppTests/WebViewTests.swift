import Foundation
import Testing
import UnityCore
@testable import UnityApp

/// Pages rendered from fixed view models: structure, escaping, and what each role is offered.
@Suite struct WebViewTests {
    static let hostile = "<script>alert(1)</script>\"'&"
    static let viewer = WebViewer(username: "vera", role: .viewer, csrf: "csrf-viewer")
    static let operatorUser = WebViewer(username: "otto", role: .operator, csrf: "csrf-operator")
    static let admin = WebViewer(username: "ada", role: .admin, csrf: "csrf-admin")

    static func expectEscaped(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!html.contains("<script>alert(1)"), sourceLocation: sourceLocation)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"), sourceLocation: sourceLocation)
    }

    static func server(_ name: String, tags: [String] = [], status: MonitoredServer.Status = .online) -> ServerDTO {
        var server = ServerDTO.example
        server.id = UUID(); server.name = name; server.tags = tags; server.status = status
        return server
    }

    @Test func layoutShowsNavigationForTheRoleAndSignsEveryForm() {
        let forViewer = WebLayout.page(title: "T", section: .servers, viewer: Self.viewer, body: "<p>x</p>")
        #expect(forViewer.contains("href=\"/servers\" aria-current=\"page\""))
        #expect(!forViewer.contains("/admin/users"))
        #expect(forViewer.contains("name=\"csrf_token\" value=\"csrf-viewer\""))
        #expect(forViewer.contains("<script src=\"/assets/unity.js\" defer></script>"))
        #expect(!forViewer.contains("onclick") && !forViewer.contains("<script>"))
        let forAdmin = WebLayout.page(title: "T", section: .admin, viewer: Self.admin, body: "")
        #expect(forAdmin.contains("href=\"/admin/users\" aria-current=\"page\""))
        Self.expectEscaped(WebLayout.page(title: Self.hostile, section: nil, viewer: WebViewer(username: Self.hostile, role: .viewer, csrf: ""), body: ""))
    }

    @Test func serverListHasARowPerServerEscapesNamesAndHidesTheFormFromViewers() {
        let model = ServerListModel(servers: [Self.server("nas", tags: ["storage"]), Self.server(Self.hostile, status: .offline)],
                                    allTags: ["storage"], selectedTag: nil, sshKeys: [])
        let html = ServersView.body(model, viewer: Self.viewer)
        #expect(html.components(separatedBy: "<tr>").count - 1 == 3)  // header + 2 servers
        #expect(html.contains("badge-ok\">online") && html.contains("badge-bad\">offline"))
        #expect(html.contains("href=\"/servers?tag=storage\""))
        Self.expectEscaped(html)
        #expect(!html.contains("method=\"post\" action=\"/servers\"") && !html.contains("<button type=\"submit\">Add server"))
        #expect(ServersView.body(model, viewer: Self.operatorUser).contains("<form method=\"post\" action=\"/servers\">"))
    }

    @Test func invalidInputIsShownNextToItsFieldWithTheValueKept() {
        let error = APIError.validation("port", "expected 1 to 65535")
        let form = FormState(values: ["name": Self.hostile, "port": "99999"], error: error, fields: ServersView.formFields)
        let html = ServersView.addForm(ServerListModel(servers: [], allTags: [], selectedTag: nil, sshKeys: [], form: form), viewer: Self.operatorUser)
        #expect(html.contains("id=\"f-port\" name=\"port\" type=\"number\" value=\"99999\""))
        #expect(html.contains("aria-invalid=\"true\" aria-describedby=\"f-port-error\""))
        #expect(html.contains("<p class=\"field-error\" id=\"f-port-error\">expected 1 to 65535</p>"))
        Self.expectEscaped(html)
        let conflict = FormState(values: [:], error: .conflict("a server named nas already exists"), fields: ServersView.formFields)
        #expect(conflict.message == "a server named nas already exists" && conflict.errors.isEmpty)
    }

    @Test func serverDetailShowsMemoryChartsAndRoleAwareButtons() {
        var snapshot = SnapshotDTO.example
        snapshot.snapshot.hostname = Self.hostile
        let now = Date()
        let chart = SVGChart(title: "CPU busy", unit: "%", points: [.init(t: now.addingTimeInterval(-600), value: 10), .init(t: now, value: 50)],
                             from: now.addingTimeInterval(-3600), to: now, maximum: 100)
        let hostKey = HostKeyDTO.example
        let model = ServerDetailModel(server: Self.server("nas"), snapshot: snapshot, range: "1h", charts: [chart], hostKey: hostKey)
        let html = ServerDetailView.body(model, viewer: Self.viewer)
        #expect(html.contains("<dd id=\"memory-total\" data-bytes=\"\(16 << 30)\">16.0 GiB</dd>"))
        #expect(html.contains("<polyline class=\"chart-line\"") && html.contains("data-points=\"2\""))
        #expect(html.contains("?range=1h\" aria-current=\"true\""))
        Self.expectEscaped(html)
        #expect(!html.contains("Collect now") && !html.contains("Test connection") && !html.contains("Accept new host key"))
        let forOperator = ServerDetailView.body(model, viewer: Self.operatorUser)
        #expect(forOperator.contains("action=\"/servers/\(model.server.id.uuidString.lowercased())/collect\""))
        #expect(!forOperator.contains("Accept new host key"))
        let forAdmin = ServerDetailView.body(model, viewer: Self.admin)
        #expect(forAdmin.contains("Accept new host key") && forAdmin.contains("name=\"fingerprint\""))
    }

    @Test func chartsScaleAndSayWhenThereIsNoData() {
        let empty = SVGChart(title: "Load", unit: "", points: [], from: Date(), to: Date(), maximum: nil).render(id: "c")
        #expect(empty.contains("No data for this range yet."))
        let chart = SVGChart(title: "Load", unit: "", points: [.init(t: Date(), value: 3.2)], from: Date().addingTimeInterval(-60), to: Date(), maximum: nil)
        #expect(chart.scaleTop() == 4)
        #expect(chart.render(id: "c").contains("<circle"))
    }

    @Test func alertListOffersActionsToOperatorsOnly() {
        var alert = AlertDTO.example
        alert.status = "firing"; alert.resourceName = Self.hostile
        let model = AlertListModel(alerts: [alert], total: 1, status: "active", severity: "", source: "")
        let html = AlertsView.body(model, viewer: Self.viewer)
        Self.expectEscaped(html)
        #expect(html.contains("<option value=\"active\" selected>"))
        #expect(!html.contains("Acknowledge") && !html.contains("/snooze"))
        let forOperator = AlertsView.body(model, viewer: Self.operatorUser)
        #expect(forOperator.contains("action=\"/alerts/\(alert.id.uuidString.lowercased())/acknowledge\""))
        #expect(forOperator.contains("name=\"csrf_token\" value=\"csrf-operator\""))
    }

    @Test func channelsShowOnlyRedactedURLsAndAdminOnlyDelete() {
        var channel = NotificationChannelDTO.example
        channel.name = Self.hostile
        let model = ChannelsModel(channels: [channel], deliveries: [])
        let html = ChannelsView.body(model, viewer: Self.operatorUser)
        #expect(html.contains("ntfy://alice:***@ntfy.home.arpa/***") && html.contains(channel.fingerprint))
        #expect(html.contains("Send test") && !html.contains(">Delete<") && !html.contains("Add a channel"))
        Self.expectEscaped(html)
        #expect(ChannelsView.body(model, viewer: Self.admin).contains(">Delete<"))
    }

    @Test func credentialsHideImportAndRevealFromViewers() {
        var key = SSHKeyDTO.example
        key.name = Self.hostile
        let html = CredentialsView.body([key], form: .empty, viewer: Self.viewer)
        #expect(html.contains(key.fingerprint) && html.contains("data-copy=\"pub-"))
        #expect(!html.contains("Import a private key") && !html.contains("/reveal"))
        Self.expectEscaped(html)
        let forOperator = CredentialsView.body([key], form: .empty, viewer: Self.operatorUser)
        #expect(forOperator.contains("action=\"/credentials/ssh-keys\"") && forOperator.contains("/reveal\">Reveal private key"))
    }

    @Test func dashboardCountsServersAndListsWhatNeedsAttention() {
        var model = DashboardModel()
        model.serversUp = 3; model.serversDown = 1
        model.attention = [.init(serverID: UUID(), serverName: Self.hostile, kind: "ZFS pool", name: "tank", state: "DEGRADED", detail: "one disk faulted")]
        let html = DashboardView.body(model, viewer: Self.viewer)
        #expect(html.contains("<strong id=\"servers-up\">3</strong>") && html.contains("<strong id=\"servers-down\">1</strong>"))
        #expect(html.contains("data-live-alerts=\"/dashboard/alerts\"") && html.contains("DEGRADED"))
        #expect(!html.contains("Recent audit events"))
        Self.expectEscaped(html)
    }

    @Test func formatsReadTheWayTheEndToEndTestRecomputesThem() {
        #expect(WebFormat.bytes(UInt64(16) << 30) == "16.0 GiB")
        #expect(WebFormat.bytes(UInt64(8_046_580) * 1024) == "7.7 GiB")
        #expect(WebFormat.bytes(UInt64(512)) == "512 B")
        #expect(WebForm(encoded: "a=1+2&b=%3Cx%3E&c&a=3").values("a") == ["1 2", "3"])
    }
}
