import Vapor

/// `/alerts`: the list (filters are the API's query parameters) and the per-alert actions.
enum AlertPages {
    static func list(_ request: Request) async throws -> Response {
        // A filter left on "any" arrives as `status=`; the API reads only the filters that are set.
        let filters = ["status", "severity", "source"]
        let kept = (request.url.query ?? "").split(separator: "&").filter { !$0.hasSuffix("=") }
        request.url.query = kept.isEmpty ? nil : kept.joined(separator: "&")
        let page: Page<AlertDTO>
        do {
            page = try await AlertsController.list(request)
        } catch let error as APIError where error.status == .unprocessableEntity {
            return WebFlash.redirect(request, to: "/alerts", notice: error.message, isError: true)
        }
        let values = Dictionary(uniqueKeysWithValues: filters.map { ($0, request.query[String.self, at: $0] ?? "") })
        let model = AlertListModel(alerts: page.items, total: page.total, status: values["status"] ?? "",
                                   severity: values["severity"] ?? "", source: values["source"] ?? "",
                                   maintenance: try await AlertBulkPages.model(request))
        return try WebLayout.respond(request, title: "Alerts", section: .alerts) { AlertsView.body(model, viewer: $0) }
    }

    static func acknowledge(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: "/alerts") {
            let body = AcknowledgeBody(note: form.text("note"), untilValueChanges: form.flag("until_value_changes"))
            let alert = try await request.callAPI("alerts.acknowledge", body: body, AlertsController.acknowledge)
            return "Acknowledged: \(alert.resourceName)."
        }
    }

    static func snooze(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.perform(request, back: "/alerts") {
            guard let minutes = form.text("minutes").flatMap(Int.init) else { throw APIError.validation("minutes", "choose how long") }
            let alert = try await request.callAPI("alerts.snooze", body: SnoozeBody(until: nil, minutes: minutes), AlertsController.snooze)
            return "Snoozed: \(alert.resourceName) until \(WebFormat.date(alert.snoozedUntil))."
        }
    }

    static func resolve(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/alerts") {
            let alert = try await request.callAPI("alerts.resolve", body: Optional<String>.none, AlertsController.resolve)
            return "Resolved: \(alert.resourceName)."
        }
    }
}
