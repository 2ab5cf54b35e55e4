import Fluent
import Vapor

/// `/channels`: list with delivery log, create from a URL, send a test, delete.
enum ChannelPages {
    static func list(_ request: Request) async throws -> Response { try await render(request, form: .empty, status: .ok) }

    static func render(_ request: Request, form: FormState, status: HTTPResponseStatus) async throws -> Response {
        let channels = try await NotificationChannelRecord.query(on: request.db).sort(\.$name).all().map { try NotificationChannelDTO($0, for: request) }
        // The delivery log through the API's filters (channel, outcome); a bad filter is just ignored.
        let channelFilter = request.query[String.self, at: "channel_id"].flatMap { UUID(uuidString: $0) }
        let outcomeFilter = request.query[String.self, at: "outcome"].flatMap { NotificationLogEntry.Outcome(rawValue: $0)?.rawValue }
        request.url.query = (["per_page=50"] + [channelFilter.map { "channel_id=\($0.uuidString)" }, outcomeFilter.map { "outcome=\($0)" }].compactMap { $0 })
            .joined(separator: "&")
        let log = try await NotificationChannelsController.log(request)
        var model = ChannelsModel(channels: channels, deliveries: log.items, form: form)
        model.logFilter = (channel: channelFilter?.uuidString.lowercased() ?? "", outcome: outcomeFilter ?? "", total: log.total)
        return try WebLayout.respond(request, title: "Notification channels", section: .alerts, status: status) { ChannelsView.body(model, viewer: $0) }
    }

    static func create(_ request: Request) async throws -> Response {
        let form = request.webForm()
        return try await WebActions.submit(request, success: {
            let body = NotificationChannelBody(name: form.text("name") ?? "", url: form.text("url") ?? "", enabled: true, events: nil,
                                               allRules: true, tlsVerify: nil, trustedCaPem: nil)
            let response = try await request.callAPI("notification_channels.create", body: body, NotificationChannelsController.create)
            let channel = try response.content.decode(NotificationChannelDTO.self)
            return ("/channels", "Added \(channel.name) (\(channel.url)).")
        }, failure: { error in
            // The URL holds secrets: it is never echoed back into the page, only the name is kept.
            try await render(request, form: FormState(values: form.kept(["name"]), error: error, fields: ChannelsView.formFields), status: error.status)
        })
    }

    static func test(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/channels") {
            let result = try await request.callAPI("notification_channels.test", body: Optional<String>.none, NotificationChannelsController.test)
            return result.ok ? "Test message delivered." : "Test failed: \(result.error ?? result.httpStatus.map { "HTTP \($0)" } ?? "unknown error")"
        }
    }

    static func delete(_ request: Request) async throws -> Response {
        try await WebActions.perform(request, back: "/channels") {
            _ = try await request.callAPI("notification_channels.delete", body: Optional<String>.none, NotificationChannelsController.delete)
            return "Channel deleted."
        }
    }
}
