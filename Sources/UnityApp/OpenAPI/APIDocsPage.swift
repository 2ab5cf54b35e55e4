import Vapor

/// `/api/docs`: the OpenAPI document rendered as one readable page by the server itself.
enum APIDocsPage {
    static func render(_ request: Request) async throws -> Response {
        let document = OpenAPIDocument.build(routes: request.application.routes.all)
        guard case .object(let paths)? = document["paths"] else { return WebPage.html(WebPage.document(title: "API", body: "")) }
        var byTag: [String: [(String, String, [String: JSONValue])]] = [:]
        for (path, item) in paths {
            guard case .object(let methods) = item else { continue }
            for (method, operation) in methods {
                guard case .object(let fields) = operation else { continue }
                let tag = fields["tags"].flatMap { value -> String? in
                    if case .array(let tags) = value, case .string(let first)? = tags.first { return first }
                    return nil
                } ?? "other"
                byTag[tag, default: []].append((method.uppercased(), path, fields))
            }
        }
        var sections = ""
        for tag in byTag.keys.sorted() {
            let rows = (byTag[tag] ?? []).sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map { method, path, fields in
                let summary = string(fields["summary"]) ?? ""
                let access = string(fields["x-unity-access"]) ?? ""
                let body = fields["requestBody"].flatMap(schemaText).map { "<details><summary>request body</summary><pre>\(WebPage.escape($0))</pre></details>" } ?? ""
                return "<tr><td><code>\(method)</code></td><td><code>\(WebPage.escape(path))</code></td><td>\(WebPage.escape(summary))\(body)</td><td><span class=\"badge\">\(WebPage.escape(access))</span></td></tr>"
            }.joined(separator: "\n")
            sections += "<section class=\"card\"><h2>\(WebPage.escape(tag))</h2><table><thead><tr><th>Method</th><th>Path</th><th>What it does</th><th>Who</th></tr></thead><tbody>\(rows)</tbody></table></section>"
        }
        let body = """
        <header class="top"><span class="brand">Unity API</span><a href="/api/v1/openapi.json">openapi.json</a></header>
        <main><section class="card"><p>JSON under <code>/api/v1</code>, snake_case keys, ISO-8601 UTC timestamps. Authenticate with
        <code>Authorization: Bearer</code> and an access token from <code>POST /api/v1/auth/login</code> or an API key
        (<code>unity_…</code>). Errors are <code>{"error": {"code", "message", "field"}}</code>.</p></section>\(sections)</main>
        """
        return WebPage.html(WebPage.document(title: "API", body: body))
    }

    private static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    private static func schemaText(_ requestBody: JSONValue) -> String? {
        guard let schema = requestBody["content"]?["application/json"]?["schema"] else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(schema)).map { String(decoding: $0, as: UTF8.self) }
    }
}
