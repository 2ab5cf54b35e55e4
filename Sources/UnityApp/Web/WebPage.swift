import Vapor

/// The HTML skeleton shared by Unity's server-rendered pages. Everything is served by Unity itself:
/// no CDN, fonts or scripts from elsewhere, so the UI works on an isolated network.
enum WebPage {
    static func prefersHTML(_ request: Request) -> Bool {
        guard !request.url.path.hasPrefix("/api/"), request.url.path != "/metrics" else { return false }
        return request.headers.accept.contains { $0.mediaType == .html }
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `body` must already be escaped HTML.
    static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(escape(title)) · Unity</title>
        <link rel="stylesheet" href="/assets/unity.css">
        </head>
        <body>
        \(body)
        </body>
        </html>
        """
    }

    static func errorPage(status: HTTPResponseStatus, message: String) -> String {
        document(title: "\(status.code)", body: """
        <main class="narrow"><h1>\(status.code) \(escape(status.reasonPhrase))</h1>
        <p>\(escape(message))</p><p><a href="/">Back to Unity</a></p></main>
        """)
    }

    /// The error page inside the signed-in layout (navigation, who is signed in).
    static func errorPage(status: HTTPResponseStatus, message: String, viewer: WebViewer) -> String {
        WebLayout.page(title: "\(status.code)", section: nil, viewer: viewer, body: """
        <h1>\(status.code) \(escape(status.reasonPhrase))</h1>
        <p>\(escape(message))</p><p><a href="/">Back to the dashboard</a></p>
        """)
    }

    static func html(_ text: String, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .html
        // CSP, nosniff and the referrer policy are added to every HTML response by `WebSecurityHeaders`.
        return Response(status: status, headers: headers, body: .init(string: text))
    }

    static let stylesheet = """
    :root { color-scheme: light dark; --bg: #f7f7f8; --fg: #1b1d21; --muted: #5f6673; --card: #fff; --line: #d9dce1; --accent: #2457c5; --bad: #b42318; }
    @media (prefers-color-scheme: dark) { :root { --bg: #111317; --fg: #e6e8eb; --muted: #9aa3af; --card: #1a1d23; --line: #2c313a; --accent: #7aa2ff; --bad: #ff8a80; } }
    * { box-sizing: border-box; }
    body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
    header.top { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; border-bottom: 1px solid var(--line); background: var(--card); }
    header.top .brand { font-weight: 700; margin-right: auto; }
    main { padding: 1rem; max-width: 72rem; margin: 0 auto; }
    main.narrow { max-width: 26rem; margin-top: 10vh; }
    a { color: var(--accent); }
    .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; margin-bottom: 1rem; }
    label { display: block; margin: .6rem 0 .2rem; font-weight: 600; }
    input, select { width: 100%; padding: .5rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); font: inherit; }
    button { margin-top: 1rem; padding: .5rem 1rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; font: inherit; cursor: pointer; }
    button.link { background: none; color: var(--accent); padding: 0; margin: 0; }
    .error { color: var(--bad); }
    .muted { color: var(--muted); }
    table { width: 100%; border-collapse: collapse; }
    th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    code { font-family: ui-monospace, "SF Mono", Menlo, monospace; font-size: .9em; }
    .badge { display: inline-block; padding: 0 .4rem; border-radius: 4px; border: 1px solid var(--line); font-size: .8em; }
    """
}
