import Vapor

/// `/servers/:id/history`: every series and metric Unity keeps for a server (the API's
/// `servers.series`), and the chart of the chosen one over a range (`servers.metrics`).
enum ServerHistoryPages {
    static func page(_ request: Request) async throws -> Response {
        let server = try ServerDTO(try await ServersController.find(request))
        let all = try await CollectionController.series(request)
        let range = request.query[String.self, at: "range"].flatMap { ServerDetailView.ranges.contains($0) ? $0 : nil } ?? "24h"
        var chart: SVGChart?
        var problem: String?
        if let metric = request.query[String.self, at: "metric"], !metric.isEmpty {
            let series = request.query[String.self, at: "series"] ?? "host"
            do {
                let result = try await CollectionController.metrics(request)
                let percent = metric.hasSuffix("percent")
                chart = SVGChart(title: "\(metric) · \(series)", unit: percent ? "%" : "", points: result.points.map { .init(t: $0.t, value: $0.avg) },
                                 from: result.from, to: result.to, maximum: percent ? 100 : nil)
            } catch let error as APIError where error.status == .unprocessableEntity {
                problem = error.message
            }
        }
        let selection = (series: request.query[String.self, at: "series"] ?? "host", metric: request.query[String.self, at: "metric"] ?? "")
        return try WebLayout.respond(request, title: "History of \(server.name)", section: .servers) { _ in
            ServerHistoryView.body(server, series: all, selection: selection, range: range, chart: chart, problem: problem)
        }
    }
}

enum ServerHistoryView {
    static func body(_ server: ServerDTO, series: [SeriesDTO], selection: (series: String, metric: String), range: String,
                     chart: SVGChart?, problem: String?) -> String {
        let esc = WebHTML.esc
        let base = "/servers/\(server.id.uuidString.lowercased())"
        func link(_ item: SeriesDTO, range: String) -> String {
            "\(base)/history?series=\(ServersView.urlEncode(item.series))&amp;metric=\(ServersView.urlEncode(item.metric))&amp;range=\(range)"
        }
        let rows = series.map { item -> [String] in
            let current = item.series == selection.series && item.metric == selection.metric
            return ["<code>\(esc(item.series))</code>", "<a href=\"\(link(item, range: range))\"\(current ? " aria-current=\"true\"" : "")>\(esc(item.metric))</a>"]
        }
        var chosen = ""
        if !selection.metric.isEmpty {
            let item = SeriesDTO(series: selection.series, metric: selection.metric)
            let ranges = ServerDetailView.ranges.map { "<a href=\"\(link(item, range: $0))\"\($0 == range ? " aria-current=\"true\"" : "")>\($0)</a>" }.joined()
            chosen = """
            <section class="card" aria-labelledby="chosen-h" id="metric-chart"><h2 id="chosen-h">\(esc(selection.metric)) <small class="muted">\(esc(selection.series))</small></h2>
            <p class="ranges">Range: \(ranges)</p>
            \(problem.map { "<p class=\"error\" role=\"alert\">\(esc($0))</p>" } ?? "")\(chart?.render(id: "chart-metric") ?? "")</section>
            """
        }
        return """
        <p><a href="\(base)">← \(esc(server.name))</a></p>
        <h1>History of \(esc(server.name))</h1>
        \(chosen)
        <section class="card" aria-labelledby="series-h"><h2 id="series-h">Everything recorded</h2>
        \(WebHTML.table(headers: ["Series", "Metric"], rows: rows, empty: "Nothing recorded yet: collect the server first."))</section>
        """
    }
}
