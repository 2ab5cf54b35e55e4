import Foundation

/// The markdown table: per-cycle wall time, collector CPU, peak RSS, hosts answered, then ratios.
enum Report {
    static func table(size: Int, rows: [Measurement], cycles: Int, workload: Workload) -> String {
        var text = "### N = \(size) hosts (median of \(cycles) cycles)\n\nWorkload: \(workload.label)\n\n"
        text += "| Tool / mode | wall per cycle (s) | collector CPU per cycle (s) | CPU per host (ms) | peak RSS (MB) | hosts answered (min) |\n"
        text += "|---|---:|---:|---:|---:|---:|\n"
        for row in rows {
            text += "| \(row.tool) | \(f(row.wall, 2)) | \(f(row.cpu, 3)) | \(f(row.cpu * 1000 / Double(size), 2)) | \(f(row.peakRSSMB, 0)) | \(row.minAnswered)/\(size) |\n"
        }
        for row in rows where !row.bytesPerHost.isEmpty {
            text += "\n\(row.tool): output per host \(f(Measurement.median(row.bytesPerHost) / 1024, 1)) KiB; "
                + "split + assemble \(f(Measurement.median(row.parseCPUs), 3)) s per cycle "
                + "(\(f(Measurement.median(row.parseCPUs) * 1000 / Double(size), 2)) ms/host) of the collector CPU (medians of cycles)"
        }
        text += "\n"
        func find(_ prefix: String) -> Measurement? { rows.first { $0.tool.hasPrefix(prefix) } }
        guard let cold = find("Unity cold"), let warm = find("Unity warm"),
              rows.contains(where: { !$0.tool.hasPrefix("Unity") }) else { return text }
        text += "\nRatios (peer ÷ Unity; > 1 means Unity is faster / cheaper):\n\n"
        text += "| Comparison | wall | CPU |\n|---|---:|---:|\n"
        for peer in rows where !peer.tool.hasPrefix("Unity") {
            let isWarm = peer.tool.contains("warm")
            let unity = isWarm ? warm : cold
            let label = "\(isWarm ? "Unity warm" : "Unity cold") vs \(peer.tool)"
            text += "| \(label) | \(f(peer.wall / unity.wall, 2))× | \(f(peer.cpu / unity.cpu, 1))× |\n"
        }
        let commands = rows.filter { !$0.command.isEmpty }
        if !commands.isEmpty {
            text += "\nExact peer commands:\n\n```\n" + commands.map { "# \($0.tool)\n\($0.command)" }.joined(separator: "\n") + "\n```\n"
        }
        return text
    }

    static func f(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "–"
    }
}
