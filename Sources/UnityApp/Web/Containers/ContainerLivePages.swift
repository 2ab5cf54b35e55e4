import Fluent
import UnityContainers
import UnityParsers
import Vapor

/// The container page's live parts, read from the engine when asked: the last log lines and one
/// stats sample. Each is an HTML fragment the page script fetches (and a small page without it).
/// Engine failures become a message in the fragment, never an error page inside the page.
enum ContainerLivePages {
    static let logLines = 200
    /// A log line longer than this is cut on the page (the API returns it whole).
    static let maxLineCharacters = 2_000

    static func logs(_ request: Request) async throws -> Response {
        let (row, container) = try await readable(request)
        request.audit.details["name"] = row.name
        let body: String
        do {
            let engine = try await liveEngine(for: row, request: request)
            var lines: [ContainerLogLine] = []
            for try await line in try await engine.logs(row.engineID, tail: logLines, since: nil, follow: false, timestamps: true) {
                lines.append(line)
                if lines.count > logLines { lines.removeFirst() }
            }
            body = renderLogs(lines)
        } catch {
            body = failure(error)
        }
        return respond(request, fragment: body, title: "Logs of \(container.name)", back: ContainerPages.containerPath(request))
    }

    static func stats(_ request: Request) async throws -> Response {
        let (row, container) = try await readable(request)
        let body: String
        do {
            let engine = try await liveEngine(for: row, request: request)
            body = renderStats(try await engine.stats(row.engineID, quick: false))
        } catch {
            body = failure(error)
        }
        return respond(request, fragment: body, title: "Resource use of \(container.name)", back: ContainerPages.containerPath(request))
    }

    static func renderLogs(_ lines: [ContainerLogLine]) -> String {
        guard !lines.isEmpty else { return "<p class=\"muted\" data-log-lines=\"0\">No output yet.</p>" }
        let text = lines.map { line -> String in
            var content = ANSIEscapeStripper.strip(line.text)
            if content.count > maxLineCharacters { content = String(content.prefix(maxLineCharacters)) + " …" }
            let time = line.timestamp.map { "<time datetime=\"\(ISO8601DateFormatter().string(from: $0))\">\(WebFormat.date($0).dropLast(4))</time> " } ?? ""
            return "<span class=\"log-\(line.stream.rawValue)\">\(time)\(WebHTML.esc(content))</span>"
        }.joined(separator: "\n")
        return "<pre class=\"logs\" data-log-lines=\"\(lines.count)\">\(text)</pre>"
    }

    static func renderStats(_ sample: ContainerStatsSample) -> String {
        let cpu = sample.cpuPercent.map(WebFormat.percent) ?? "—"
        let memory = sample.memoryUsedBytes.map { used in
            WebFormat.bytes(used) + (sample.memoryLimitBytes.map { " of " + WebFormat.bytes($0) } ?? "")
                + (sample.memoryPercent.map { " (" + WebFormat.percent($0) + ")" } ?? "")
        } ?? "—"
        let network = [sample.networkReceivedBytes.map { "↓ " + WebFormat.bytes($0) }, sample.networkTransmittedBytes.map { "↑ " + WebFormat.bytes($0) }]
            .compactMap { $0 }.joined(separator: " ")
        let rows: [(String, String)] = [
            ("CPU", cpu), ("Memory", memory), ("Network", network.isEmpty ? "—" : network),
            ("Block I/O", "read \(WebFormat.bytes(sample.blockReadBytes)), written \(WebFormat.bytes(sample.blockWrittenBytes))"),
            ("Processes", sample.pids.map(String.init) ?? "—"),
        ]
        let cpuValue = sample.cpuPercent.map { String(format: "%.3f", $0) } ?? ""
        return "<dl class=\"facts\" data-cpu-percent=\"\(cpuValue)\">" + rows.map { "<dt>\($0.0)</dt><dd>\(WebHTML.esc($0.1))</dd>" }.joined() + "</dl>"
    }

    static func failure(_ error: any Error) -> String {
        let message = (error as? ContainerEngineError)?.message ?? UnityErrorMiddleware.map(error).message
        return "<p class=\"error\" data-live-error>\(WebHTML.esc(message))</p>"
    }

    /// The row, when the viewer may read its live state (viewers not for a container labelled sensitive).
    private static func readable(_ request: Request) async throws -> (ContainerRecord, ContainerDTO) {
        let row = try await ContainersController.find(request)
        let container = try ContainerDTO(row)
        guard row.removedAt == nil else { throw APIError.notFound("container") }
        guard ContainerPages.mayReadLiveState(container, viewer: try request.webViewer()) else {
            throw APIError(status: .forbidden, code: "container_sensitive",
                           message: "this container is labelled \(ContainerSensitivity.label)=true: its logs and stats are for operators and admins")
        }
        return (row, container)
    }

    private static func liveEngine(for row: ContainerRecord, request: Request) async throws -> any ContainerLiveEngine {
        guard let host = try await ContainerHostRecord.find(row.hostID, on: request.db) else { throw APIError.notFound("container host") }
        let engine = try await request.application.containerEngines.engine(for: host, application: request.application)
        guard let live = engine as? any ContainerLiveEngine else {
            throw ContainerEngineError.engineError(status: 501, message: "this host's engine client cannot read logs or stats")
        }
        return live
    }

    /// The bare fragment for the page script (`?fragment=1`), otherwise a page around it.
    private static func respond(_ request: Request, fragment: String, title: String, back: String) -> Response {
        if request.query[String.self, at: "fragment"] == "1" {
            let response = WebPage.html(fragment)
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
        let page = (try? WebLayout.respond(request, title: title, section: .containers) { _ in
            "<p><a href=\"\(WebHTML.esc(back))\">← Back</a></p><h1>\(WebHTML.esc(title))</h1><section class=\"card\">\(fragment)</section>"
        })
        return page ?? WebPage.html(fragment)
    }
}
