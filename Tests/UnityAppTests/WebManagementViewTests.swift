import Foundation
import Testing
import UnityCore
import UnityParsers
@testable import UnityApp

/// The management views from fixed models: escaping, kept input, and what each role is offered.
@Suite struct WebManagementViewTests {
    typealias Views = WebViewTests
    static let hostile = WebViewTests.hostile

    @Test func serverEditKeepsTypedValuesAndEscapesNames() {
        var server = Views.server(Self.hostile)
        server.enabled = true
        let choices = ServerEditChoices(keys: [(id: UUID(), name: Self.hostile)], logins: [], servers: [])
        let fresh = ServerEditView.editPage(server, choices: choices, form: .empty, viewer: Views.operatorUser)
        Views.expectEscaped(fresh)
        #expect(fresh.contains("name=\"enabled\" value=\"on\" checked"))
        // A failed submit without the box ticked shows it unticked, with the typed port and its error.
        let failed = FormState(values: ["submitted": "1", "port": "70000"], error: .validation("port", "expected 1 to 65535"), fields: ServerEditView.formFields)
        let html = ServerEditView.editPage(server, choices: choices, form: failed, viewer: Views.operatorUser)
        #expect(!html.contains("name=\"enabled\" value=\"on\" checked") && html.contains("value=\"70000\"") && html.contains("id=\"f-port-error\">expected 1 to 65535"))
        Views.expectEscaped(ServerEditView.confirmDelete(server, viewer: Views.operatorUser))
    }

    @Test func serverListOffersFleetActionsToOperatorsOnly() {
        let model = ServerListModel(servers: [Views.server("nas")], allTags: [], selectedTag: nil, sshKeys: [])
        let forViewer = ServersView.body(model, viewer: Views.viewer)
        #expect(!forViewer.contains("servers-bulk") && !forViewer.contains("/servers/collect") && !forViewer.contains("/servers/import"))
        let forOperator = ServersView.body(model, viewer: Views.operatorUser)
        #expect(forOperator.contains("form=\"servers-bulk\"") && forOperator.contains("action=\"/servers/bulk-enabled\"") && forOperator.contains("href=\"/servers/import\""))
    }

    @Test func importPreviewTicksNewServersOnlyAndCarriesTheText() {
        let preview = ImportPreviewDTO(servers: [ImportedServer(name: Self.hostile, address: "10.0.0.1"), ImportedServer(name: "old", address: "10.0.0.2")],
                                       warnings: [Self.hostile], existing: ["old"])
        let form = FormState(values: ["format": "ansible", "text": "[lab]\n" + Self.hostile])
        let html = ServerImportView.page(form: form, preview: preview, keys: [], viewer: Views.operatorUser)
        Views.expectEscaped(html)
        #expect(html.components(separatedBy: "name=\"pick\"").count - 1 == 1 && html.contains("badge-muted\">exists"))
        #expect(html.contains("<option value=\"ansible\" selected>") && html.contains("id=\"import-warnings\""))
    }

    @Test func alertRuleFormIsReadOnlyBelowAdminAndDryRunsForOperators() {
        let rule = AlertRuleDTO.example
        let metrics = [AlertMetricDTO.example]
        let forViewer = AlertRuleFormView.form(rule, metrics: metrics, channels: [], form: .empty, viewer: Views.viewer)
        #expect(forViewer.contains("<fieldset disabled>") && !forViewer.contains("Save rule") && !forViewer.contains("Dry run"))
        let forOperator = AlertRuleFormView.form(rule, metrics: metrics, channels: [], form: .empty, viewer: Views.operatorUser)
        #expect(forOperator.contains("formaction=\"/alert-rules/\(rule.id.uuidString.lowercased())/dry-run\"") && !forOperator.contains("Save rule"))
        let forAdmin = AlertRuleFormView.form(nil, metrics: metrics, channels: [], form: .empty, viewer: Views.admin)
        #expect(forAdmin.contains("action=\"/alert-rules\"") && forAdmin.contains("Create rule") && forAdmin.contains("formaction=\"/alert-rules/dry-run\""))
        let edit = AlertRulesView.edit(rule, metrics: metrics, channels: [], form: .empty, dryRun: nil, viewer: Views.admin)
        #expect(rule.builtin && !edit.contains("/delete\""))
    }

    @Test func channelEditNeverShowsTheURLAndTemplatesEscape() throws {
        var channel = NotificationChannelDTO.example
        channel.url = "ntfy://alice:***@ntfy.home.arpa/unity"; channel.name = Self.hostile
        let html = ChannelEditView.editPage(channel, form: .empty, viewer: Views.admin)
        Views.expectEscaped(html)
        #expect(html.contains("id=\"f-url\" name=\"url\" type=\"password\" value=\"\"") && html.contains("alice:***@"))
        let templates = NotificationTemplatesDTO(templates: ["fired": TemplateDTO(title: Self.hostile, body: "{{message}}")], customized: ["fired"], placeholders: ["message"])
        let page = ChannelEditView.templatesPage(templates, form: .empty, viewer: Views.admin)
        Views.expectEscaped(page)
        #expect(page.contains("name=\"reset.fired\"") && page.contains("Save templates") && !page.contains("name=\"reset.resolved\""))
        #expect(ChannelEditView.templatesPage(templates, form: .empty, viewer: Views.operatorUser).contains("<fieldset disabled>"))
    }
}
