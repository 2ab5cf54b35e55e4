import Foundation

/// The markdown table: per-cycle wall time, collector CPU, peak RSS, hosts answered, then ratios.
enum Report {
    static func table(size: Int, rows: [Measurement], cycles: Int) -> String {
        var text = "### N = \(size) hosts (median of \(cycles) cycles)\n\n"
        text += "| Tool / mode | wall per cycle (s) | collector CPU per cycle (s) | CPU per host (ms) | peak RSS (MB) | hosts answered (min) |\n"
        text += "|---|---:|---:|---:|---:|---:|\n"
        for row in rows {
            text += "| \(row.tool) | \(f(row.wall, 2)) | \(f(row.cpu, 3)) | \(f(row.cpu * 1000 / Double(size), 2)) | \(f(row.peakRSSMB, 0)) | \(row.minAnswered)/\(size) |\n"
        }
        func find(_ prefix: String) -> Measurement? { rows.first { $0.tool.hasPrefix(prefix) } }
        guard let cold = find("Unity cold"), let warm = find("Unity warm") else { return text }
        text += "\nRatios (peer ÷ Unity; > 1 means Unity is faster / cheaper):\n\n"
        text += "| Comparison | wall | CPU |\n|---|---:|---:|\n"
        let pairs: [(String, Measurement, String)] = [
            ("Unity cold vs parallel-ssh cold", cold, "parallel-ssh cold"),
            ("Unity cold vs parallel-ssh cold, curve25519", cold, "parallel-ssh cold, curve25519"),
            ("Unity warm vs parallel-ssh warm", warm, "parallel-ssh warm"),
            ("Unity cold vs Ansible cold", cold, "Ansible raw cold"),
            ("Unity warm vs Ansible warm", warm, "Ansible raw warm"),
        ]
        for (label, unity, peerName) in pairs {
            guard let peer = rows.first(where: { $0.tool == peerName || $0.tool.hasPrefix(peerName + " (") }) else { continue }
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
