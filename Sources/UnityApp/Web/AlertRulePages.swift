import Vapor

/// `/alert-rules`: list, one rule's full form, save (admin), dry run (operator); a new rule's
/// form, create (admin) and dry run; delete a rule you added, and restore the defaults (admin).
enum AlertRulePages {
    static func list(_ request: Request) async throws -> Response {
        request.url.query = "per_page=200"
        let rules = try await AlertRulesController.list(request).items
        return try WebLayout.respond(request, title: "Alert rules", section: .alerts) { AlertRulesView.list(rules, viewer: $0) }
    }

    static func edit(_ request: Request) async throws -> Response {
        try await render(request, rule: try await AlertRulesController.get(request), form: .empty, dryRun: nil, status: .ok)
    }

    static func update(_ request: Request) async throws -> Response {
        let rule = try await AlertRulesController.get(request)
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            // The form shows the current values: a field emptied on purpose removes that value.
            let nulls = ["clear_threshold", "message_template"].filter { form.text($0) == nil }
            let saved = try await request.callAPI("alert_rules.update", body: PatchBody(body: try body(form, rule: rule), nulls: nulls), AlertRulesController.update)
            return (WebActions.path("/alert-rules", saved.id), "Saved \(saved.name).")
        }, failure: { error in
            try await render(request, rule: rule, form: state(form, error: error), dryRun: nil, status: error.status)
        })
    }

    /// What the rule as typed (not yet saved) would do against the latest values.
    static func dryRun(_ request: Request) async throws -> Response {
        let rule = try await AlertRulesController.get(request)
        let form = request.webForm()
        return try await runDry(request, form: form, rule: rule) { form, result, status in
            try await render(request, rule: rule, form: form, dryRun: result, status: status)
        }
    }

    static func render(_ request: Request, rule: AlertRuleDTO, form: FormState, dryRun: DryRunDTO?, status: HTTPResponseStatus) async throws -> Response {
        let channels = try await NotificationChannelRecord.query(on: request.db).sort(\.$name).all().map { try NotificationChannelDTO($0, for: request) }
        let metrics = try await AlertRulesController.metrics(request)
        return try WebLayout.respond(request, title: rule.name, section: .alerts, status: status) { viewer in
            AlertRulesView.edit(rule, metrics: metrics, channels: channels, form: form, dryRun: dryRun, viewer: viewer)
        }
    }

    static func newForm(_ request: Request) async throws -> Response { try await renderNew(request, form: .empty, dryRun: nil, status: .ok) }

    static func renderNew(_ request: Request, form: FormState, dryRun: DryRunDTO?, status: HTTPResponseStatus) async throws -> Response {
        let channels = try await NotificationChannelRecord.query(on: request.db).sort(\.$name).all().map { try NotificationChannelDTO($0, for: request) }
        let metrics = try await AlertRulesController.metrics(request)
        return try WebLayout.respond(request, title: "New alert rule", section: .alerts, status: status) { viewer in
            AlertRulesView.new(metrics: metrics, channels: channels, form: form, dryRun: dryRun, viewer: viewer)
        }
    }

    static func create(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let response = try await request.callAPI("alert_rules.create", body: try body(form, rule: nil), AlertRulesController.create)
            let saved = try response.content.decode(AlertRuleDTO.self)
            return (WebActions.path("/alert-rules", saved.id), "Created \(saved.name).")
        }, failure: { error in
            try await renderNew(request, form: state(form, error: error), dryRun: nil, status: error.status)
        })
    }

    static func dryRunNew(_ request: Request) async throws -> Response {
        try await runDry(request, form: request.webForm(), rule: nil) { form, result, status in
            try await renderNew(request, form: form, dryRun: result, status: status)
        }
    }

    private static func runDry(_ request: Request, form: WebForm, rule: AlertRuleDTO?,
                               render: (FormState, DryRunDTO?, HTTPResponseStatus) async throws -> Response) async throws -> Response {
        do {
            let result = try await request.callAPI("alert_rules.dry_run_new", body: try body(form, rule: rule), AlertRulesController.dryRunNew)
            return try await render(state(form, error: nil), result, .ok)
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            return try await render(state(form, error: mapped), nil, mapped.status)
        }
    }

    static func delete(_ request: Request) async throws -> Response {
        let rule = try await AlertRulesController.get(request)
        do {
            _ = try await request.callAPI("alert_rules.delete", body: Optional<String>.none, AlertRulesController.delete)
            return WebFlash.redirect(request, to: "/alert-rules", notice: "Deleted \(rule.name).")
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            return WebFlash.redirect(request, to: WebActions.path("/alert-rules", rule.id), notice: mapped.message, isError: true)
        }
    }

    static func reset(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/alert-rules") {
            _ = try await request.callAPI("alert_rules.reset", body: Optional<String>.none, AlertRulesController.reset)
            return "Restored the default rules as Unity ships them; your own rules are unchanged."
        }
    }

    private static func state(_ form: WebForm, error: APIError?) -> FormState {
        var values = form.kept(AlertRuleFormView.formFields + ["enabled", "submitted"])
        values["channel_ids"] = form.values("channel_ids").joined(separator: ",")
        return FormState(values: values, error: error, fields: AlertRuleFormView.formFields)
    }

    /// The form as the API body. Every field is on the form; a blank clear threshold or message
    /// template keeps the stored one (the API treats a missing value as "keep").
    static func body(_ form: WebForm, rule: AlertRuleDTO?) throws -> AlertRuleBody {
        func number(_ name: String) throws -> Double? {
            guard let text = form.text(name) else { return nil }
            guard let value = Double(text), value.isFinite else { throw APIError.validation(name, "expected a number") }
            return value
        }
        guard let threshold = try number("threshold") else { throw APIError.validation("threshold", "is required") }
        var channels: [UUID] = []
        for raw in form.values("channel_ids") {
            guard let id = UUID(uuidString: raw) else { throw APIError.validation("channel_ids", "\(raw) is not a notification channel") }
            channels.append(id)
        }
        let resources = (form["target.resources"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let targetType = form.text("target.type") ?? rule?.target.type ?? "all"
        let target = RuleTargetDTO(type: targetType, tag: targetType == "tag" ? form.text("target.tag") : nil,
                                   resources: targetType == "resources" ? resources : nil)
        return AlertRuleBody(name: form.text("name") ?? rule?.name, metric: form.text("metric") ?? rule?.metric,
                             operator: form.text("operator") ?? rule?.operator, threshold: threshold,
                             clearThreshold: try number("clear_threshold"),
                             forDuration: try number("for_duration"), severity: form.text("severity"),
                             target: target, channelIds: channels, enabled: form.flag("enabled"),
                             messageTemplate: form.text("message_template"))
    }
}
