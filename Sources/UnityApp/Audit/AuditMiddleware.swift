import Vapor

/// Records an audit event for every mutating request on the route it guards, whatever the outcome:
/// denied attempts are as interesting as successful ones. It runs outside authentication so that a
/// refused request is recorded too.
struct AuditMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !request.method.isSafe else { return try await next.respond(to: request) }
        do {
            let response = try await next.respond(to: request)
            await record(request, status: response.status)
            return response
        } catch {
            await record(request, status: UnityErrorMiddleware.map(error).status)
            throw error
        }
    }

    private func record(_ request: Request, status: HTTPResponseStatus) async {
        let context = request.audit
        guard !context.skip else { return }
        let doc = request.route?.endpointDoc
        let principal = request.auth.get(Principal.self)
        var details = context.details
        details["method"] = request.method.rawValue
        if let apiKey = principal?.apiKeyID { details["api_key_id"] = apiKey.uuidString }
        let entry = AuditLog.Entry(
            actorType: principal?.actorType ?? "anonymous",
            actorID: principal?.userID ?? context.actorID,
            actorName: principal?.username ?? context.actorName,
            action: context.action ?? doc?.operation ?? "\(request.method.rawValue) \(request.url.path)",
            targetType: context.targetType ?? doc?.target,
            targetID: context.targetID ?? request.parameters.get("id") ?? request.parameters.get("name"),
            outcome: AuditLog.outcome(for: status),
            statusCode: Int(status.code),
            clientAddress: request.remoteAddress?.ipAddress,
            userAgent: request.headers.first(name: .userAgent),
            requestID: request.id,
            details: details)
        do {
            try await AuditLog.record(entry, on: request.db)
        } catch {
            // Losing an audit row is serious but must not turn a completed change into an error.
            request.logger.error("could not write audit event", metadata: ["action": "\(entry.action)", "error": "\(error)"])
        }
    }
}
