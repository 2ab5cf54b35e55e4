import Vapor

/// What the API description and the audit log know about a route, declared next to the route.
struct EndpointDoc: Sendable {
    static let userInfoKey = "unity.endpoint"

    /// Stable id, also the audit action (`users.create`).
    var operation: String
    var summary: String
    var tag: String
    var requestBody: (any APIExample.Type)?
    var responseBody: (any APIExample.Type)?
    var successStatus: HTTPResponseStatus
    /// Media type of the success response when it is not a JSON body described by example.
    var produces: String
    var query: [QueryParameter]
    /// The kind of object the route acts on, for audit events (`user`, `api_key`, `task`).
    var target: String?
}

struct QueryParameter: Sendable {
    enum Kind: String, Sendable { case string, integer, dateTime = "date-time", boolean }
    var name: String
    var kind: Kind
    var description: String

    static let paging: [QueryParameter] = [
        .init(name: "page", kind: .integer, description: "1-based page number"),
        .init(name: "per_page", kind: .integer, description: "items per page, 1 to 200 (default 50)"),
    ]
}

extension Route {
    var endpointDoc: EndpointDoc? { userInfo[EndpointDoc.userInfoKey] as? EndpointDoc }
}

extension RoutesBuilder {
    /// Declares a JSON endpoint with its documentation. Every API route goes through here, so the
    /// OpenAPI document and the audit log describe exactly the routes that exist.
    @discardableResult
    func endpoint<Output: AsyncResponseEncodable>(
        _ method: HTTPMethod,
        _ path: PathComponent...,
        operation: String,
        summary: String,
        tag: String,
        body: (any APIExample.Type)? = nil,
        query: [QueryParameter] = [],
        target: String? = nil,
        status: HTTPResponseStatus = .ok,
        produces: String = "application/json",
        responds: (any APIExample.Type)? = nil,
        use handler: @escaping @Sendable (Request) async throws -> Output
    ) -> Route {
        endpoint(method, path, operation: operation, summary: summary, tag: tag, body: body, query: query,
                 target: target, status: status, produces: produces, responds: responds, use: handler)
    }

    @discardableResult
    func endpoint<Output: AsyncResponseEncodable>(
        _ method: HTTPMethod,
        _ path: [PathComponent],
        operation: String,
        summary: String,
        tag: String,
        body: (any APIExample.Type)? = nil,
        query: [QueryParameter] = [],
        target: String? = nil,
        status: HTTPResponseStatus = .ok,
        produces: String = "application/json",
        /// The documented body when the handler builds a `Response` itself (to set a status).
        responds: (any APIExample.Type)? = nil,
        use handler: @escaping @Sendable (Request) async throws -> Output
    ) -> Route {
        let route = on(method, path, use: handler)
        route.userInfo[EndpointDoc.userInfoKey] = EndpointDoc(
            operation: operation, summary: summary, tag: tag, requestBody: body,
            responseBody: responds ?? Output.self as? any APIExample.Type, successStatus: status, produces: produces, query: query, target: target)
        return route
    }
}
