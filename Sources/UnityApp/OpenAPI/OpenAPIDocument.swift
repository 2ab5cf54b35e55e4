import UnityCore
import Vapor

/// Builds the OpenAPI 3.1 description from the registered routes and their `EndpointDoc`s.
/// Routes without a doc are left out on purpose: the completeness test then fails, naming them.
enum OpenAPIDocument {
    static func build(routes: [Route]) -> JSONValue {
        var paths: [String: [String: JSONValue]] = [:]
        for route in routes {
            guard let doc = route.endpointDoc, let access = route.accessRule else { continue }
            paths[openAPIPath(route.path), default: [:]][route.method.rawValue.lowercased()] = operation(route: route, doc: doc, access: access)
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Unity API",
                "version": .string(UnityVersion.current),
                "description": "Unity, the homelab control plane. JSON with snake_case keys and ISO-8601 UTC timestamps. Errors are {\"error\": {\"code\", \"message\", \"field\"}}.",
                "license": ["name": "Apache-2.0", "identifier": "Apache-2.0"],
            ],
            "paths": .object(paths.mapValues { .object($0) }),
            "components": [
                "securitySchemes": [
                    "bearerAuth": ["type": "http", "scheme": "bearer", "description": "An access token from /api/v1/auth/login or an API key (unity_…)."],
                    "cookieAuth": ["type": "apiKey", "in": "cookie", "name": .string(Authenticate.sessionCookie)],
                ],
                "schemas": ["Error": errorSchema],
            ],
        ]
    }

    /// `/api/v1/users/:id` → `/api/v1/users/{id}`; the same string the completeness test computes.
    static func openAPIPath(_ components: [PathComponent]) -> String {
        "/" + components.map { component in
            switch component {
            case .constant(let value): value
            case .parameter(let name): "{\(name)}"
            case .anything: "{any}"
            case .catchall: "{path}"
            }
        }.joined(separator: "/")
    }

    private static func operation(route: Route, doc: EndpointDoc, access: AccessRule) -> JSONValue {
        var parameters: [JSONValue] = route.path.compactMap { component in
            guard case .parameter(let name) = component else { return nil }
            return ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]]
        }
        parameters += doc.query.map { query in
            var schema: [String: JSONValue] = ["type": query.kind == .dateTime ? "string" : .string(query.kind.rawValue)]
            if query.kind == .dateTime { schema["format"] = "date-time" }
            return ["name": .string(query.name), "in": "query", "required": false, "description": .string(query.description), "schema": .object(schema)]
        }

        var responses: [String: JSONValue] = [String(doc.successStatus.code): successResponse(doc)]
        var errors = ["400": "Malformed request"]
        if doc.requestBody != nil { errors["413"] = "Body too large"; errors["422"] = "A field is missing or invalid" }
        if route.path.contains(where: { if case .parameter = $0 { true } else { false } }) { errors["404"] = "Not found" }
        if case .role = access { errors["401"] = "Not signed in"; errors["403"] = "Role or scope too low" }
        for (status, description) in errors { responses[status] = errorResponse(description, html: doc.produces == "text/html") }

        var result: [String: JSONValue] = [
            "operationId": .string(doc.operation),
            "summary": .string(doc.summary),
            "tags": [.string(doc.tag)],
            "responses": .object(responses),
            "x-unity-access": .string(access.description),
        ]
        if !parameters.isEmpty { result["parameters"] = .array(parameters) }
        if let body = doc.requestBody {
            result["requestBody"] = ["required": true, "content": ["application/json": ["schema": SchemaInference.schema(for: body)]]]
        }
        switch access {
        case .open: result["security"] = []
        case .role: result["security"] = [["bearerAuth": []], ["cookieAuth": []]]
        }
        return .object(result)
    }

    private static func successResponse(_ doc: EndpointDoc) -> JSONValue {
        if doc.successStatus == .noContent { return ["description": "Done, no content"] }
        if let body = doc.responseBody {
            return ["description": "Success", "content": ["application/json": ["schema": SchemaInference.schema(for: body)]]]
        }
        var content: [String: JSONValue] = [doc.produces: ["schema": ["type": "string"]]]
        // A browser route that serves a file (an archive download) still answers a signed-out
        // browser with the sign-in page.
        if doc.tag == "web", doc.produces != "text/html" { content["text/html"] = ["schema": ["type": "string"]] }
        return ["description": "Success", "content": .object(content)]
    }

    /// Pages answer browsers' errors with an HTML page, API callers' with the JSON error.
    private static func errorResponse(_ description: String, html: Bool = false) -> JSONValue {
        let json: JSONValue = ["schema": ["$ref": "#/components/schemas/Error"]]
        if html { return ["description": .string(description), "content": ["application/json": json, "text/html": ["schema": ["type": "string"]]]] }
        return ["description": .string(description), "content": ["application/json": json]]
    }

    private static let errorSchema: JSONValue = [
        "type": "object",
        "required": ["error"],
        "properties": [
            "error": [
                "type": "object",
                "required": ["code", "message"],
                "properties": [
                    "code": ["type": "string"],
                    "message": ["type": "string"],
                    "field": ["type": "string"],
                    "request_id": ["type": "string"],
                ],
            ],
        ],
    ]
}
