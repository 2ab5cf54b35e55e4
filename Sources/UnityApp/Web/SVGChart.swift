import Foundation

/// A line chart drawn on the server as inline SVG: no chart library, no script, readable by
/// screen readers through its title, and styled by the stylesheet (light and dark).
struct SVGChart: Sendable {
    struct Point: Sendable, Equatable {
        var t: Date
        var value: Double
    }

    var title: String
    var unit: String
    var points: [Point]
    var from: Date
    var to: Date
    /// Fixed top of the scale (100 for percentages); nil scales to the data.
    var maximum: Double?

    static let width = 600.0, height = 200.0
    static let left = 44.0, right = 8.0, top = 10.0, bottom = 22.0

    func render(id: String) -> String {
        let esc = WebHTML.esc
        guard !points.isEmpty else {
            return "<figure class=\"chart\" id=\"\(esc(id))\"><figcaption>\(esc(title))</figcaption><p class=\"muted\">No data for this range yet.</p></figure>"
        }
        let top = scaleTop()
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        let span = max(1, to.timeIntervalSince(from))
        func x(_ t: Date) -> Double { Self.left + min(1, max(0, t.timeIntervalSince(from) / span)) * plotW }
        func y(_ v: Double) -> Double { Self.top + plotH - min(1, max(0, v / top)) * plotH }
        let path = points.map { String(format: "%.1f,%.1f", x($0.t), y($0.value)) }.joined(separator: " ")
        let grid = [0.0, 0.5, 1.0].map { fraction -> String in
            let value = top * fraction
            let py = y(value)
            return String(format: "<line class=\"chart-grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>", Self.left, Self.width - Self.right, py, py)
                + String(format: "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", Self.left - 4, py + 4) + esc(label(value)) + "</text>"
        }.joined()
        let latest = points.last.map { label($0.value) } ?? ""
        let summary = "\(title): \(points.count) points, latest \(latest)"
        let single = points.count == 1
            ? String(format: "<circle class=\"chart-line\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>", x(points[0].t), y(points[0].value)) : ""
        return """
        <figure class="chart" id="\(esc(id))"><figcaption>\(esc(title)) <span class="muted">latest \(esc(latest))</span></figcaption>
        <svg viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" aria-label="\(esc(summary))" data-points="\(points.count)"><title>\(esc(summary))</title>
        \(grid)<polyline class="chart-line" points="\(path)"/>\(single)
        <text x="\(Int(Self.left))" y="\(Int(Self.height - 6))">\(esc(WebFormat.date(from)))</text>
        <text x="\(Int(Self.width - Self.right))" y="\(Int(Self.height - 6))" text-anchor="end">\(esc(WebFormat.date(to)))</text>
        </svg></figure>
        """
    }

    func scaleTop() -> Double {
        if let maximum { return maximum }
        let highest = points.map(\.value).max() ?? 1
        guard highest > 0 else { return 1 }
        // A round number above the highest value: 0.73 → 1, 3.2 → 4, 37 → 40.
        let magnitude = pow(10, floor(log10(highest)))
        return ceil(highest / magnitude) * magnitude
    }

    func label(_ value: Double) -> String {
        let text = value >= 10 || value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.2f", value)
        return unit.isEmpty ? text : "\(text)\(unit)"
    }
}
