import Vapor

/// `/alert-rules`: list, one rule's form, save (admin) and dry run (operator).
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
            let saved = try await request.callAPI("alert_rules.update", body: try body(form, rule: rule, complete: false), AlertRulesController.update)
            return (WebActions.path("/alert-rules", saved.id), "Saved \(saved.name).")
        }, failure: { error in
            try await render(request, rule: rule, form: state(form, error: error), dryRun: nil, status: error.status)
        })
    }

    /// What the rule as typed (not yet saved) would do against the latest values.
    static func dryRun(_ request: Request) async throws -> Response {
        let rule = try await AlertRulesController.get(request)
        let form = request.webForm()
        do {
            let result = try await request.callAPI("alert_rules.dry_run_new", body: try body(form, rule: rule, complete: true), AlertRulesController.dryRunNew)
            return try await render(request, rule: rule, form: state(form, error: nil), dryRun: result, status: .ok)
        } catch {
            let mapped = UnityErrorMiddleware.map(error)
            guard WebActions.isCorrectable(mapped) else { throw error }
            return try await render(request, rule: rule, form: state(form, error: mapped), dryRun: nil, status: mapped.status)
        }
    }

    static func render(_ request: Request, rule: AlertRuleDTO, form: FormState, dryRun: DryRunDTO?, status: HTTPResponseStatus) async throws -> Response {
        let channels = try await NotificationChannelRecord.query(on: request.db).sort(\.$name).all().map(NotificationChannelDTO.init)
        return try WebLayout.respond(request, title: rule.name, section: .alerts, status: status) { viewer in
            AlertRulesView.edit(rule, channels: channels, form: form, dryRun: dryRun, viewer: viewer)
        }
    }

    private static func state(_ form: WebForm, error: APIError?) -> FormState {
        var values = form.kept(["threshold", "clear_threshold", "for_duration", "severity", "enabled"])
        values["channel_ids"] = form.values("channel_ids").joined(separator: ",")
        return FormState(values: values, error: error, fields: AlertRulesView.formFields)
    }

    /// The form as the API body. `complete` fills the fields the form does not edit from the
    /// stored rule (a dry run of an unsaved rule needs them all).
    static func body(_ form: WebForm, rule: AlertRuleDTO, complete: Bool) throws -> AlertRuleBody {
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
        return AlertRuleBody(name: complete ? rule.name : nil, metric: complete ? rule.metric : nil, operator: complete ? rule.operator : nil,
                             threshold: threshold, clearThreshold: try number("clear_threshold") ?? (complete ? rule.clearThreshold : nil),
                             forDuration: try number("for_duration"), severity: form.text("severity"),
                             target: complete ? rule.target : nil, channelIds: channels, enabled: form.flag("enabled"),
                             messageTemplate: complete ? rule.messageTemplate : nil)
    }
}
