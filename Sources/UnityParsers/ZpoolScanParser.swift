/// Reads the `scan:` section. The wording has changed across ZFS generations, so the text is
/// read as comma-separated clauses keyed by their verbs ("scanned", "issued", "repaired",
/// "% done", "to go") rather than by fixed positions:
///
///     scrub repaired 0B in 00:01:02 with 0 errors on Sun Jan 14 00:24:01 2024     (OpenZFS)
///     resilvered 1.21T in 1 days 03:12:45 with 0 errors on Sat Mar  2 04:12:45 2024
///     scrub in progress since Sun Feb 11 11:54:20 2024
///         704G / 1.66T scanned at 5.67G/s, 0B / 1.66T issued                      (2.2+)
///         1.74T scanned at 1.23G/s, 620G issued at 440M/s, 3.55T total            (0.8–2.1)
///         0B repaired, 0.00% done, no estimated completion time
///         5.21G scanned out of 17.1G at 1.32M/s, 2h37m to go                      (ZoL 0.6/0.7)
///         0 repaired, 30.39% done
///     scrub canceled on Sun Jan 18 12:18:11 2026
///     scrub completed after 0h0m with 0 errors on Tue Feb  2 13:08:42 2010       (Solaris)
///     none requested
enum ZpoolScanParser {
    static func parse(_ lines: [String]) -> ZpoolScan {
        let text = lines.map(ZpoolText.trimmed).joined(separator: "\n")
        let headline = lines.first.map(ZpoolText.trimmed) ?? ""
        var scan = ZpoolScan(operation: operation(of: headline), state: state(of: headline), text: text)
        if scan.state == .noneRequested { scan.operation = .none }

        let words = headline.split(whereSeparator: \.isWhitespace)
        if let dateStart = words.firstIndex(where: { $0 == "on" || $0 == "since" }) {
            scan.timestamp = ZpoolTimestamp.parse(words[(dateStart + 1)...].joined(separator: " "))
        }
        if let count = words.firstIndex(of: "with").flatMap({ ZpoolText.element(words, $0 + 1) }) {
            scan.errors = ZpoolNumbers.unsignedInteger(count)
        }
        if scan.state == .finished, let start = words.firstIndex(where: { $0 == "in" || $0 == "after" }) {
            let end = words.firstIndex(of: "with") ?? words.endIndex
            if start + 1 < end { scan.durationSeconds = ZpoolNumbers.durationSeconds(words[(start + 1)..<end].joined(separator: " ")) }
        }
        // Finished scans name the amount right after the verb: "repaired 0B", "resilvered 1.2T".
        if let verb = words.firstIndex(where: { $0 == "repaired" || $0 == "resilvered" }), verb <= 1,
           let amount = ZpoolText.element(words, verb + 1) {
            scan.repairedBytes = ZpoolNumbers.size(amount)
        }
        if scan.state == .inProgress || scan.state == .paused {
            scan.progress = progress(from: lines, into: &scan)
        }
        return scan
    }

    private static func operation(of headline: String) -> ZpoolScan.Operation {
        if headline.hasPrefix("none requested") { return .none }
        if headline.hasPrefix("scrub") { return .scrub }
        if headline.hasPrefix("resilver") { return .resilver }
        return .unknown
    }

    private static func state(of headline: String) -> ZpoolScan.State {
        if headline.hasPrefix("none requested") { return .noneRequested }
        if headline.contains("in progress") { return .inProgress }
        if headline.contains(" paused") { return .paused }
        if headline.contains(" canceled") || headline.contains(" stopped") { return .canceled }
        if headline.contains("repaired") || headline.hasPrefix("resilvered") || headline.contains(" completed") {
            return .finished
        }
        return .unknown
    }

    /// Reads every clause of every line; later clauses never overwrite a value already found.
    private static func progress(from lines: [String], into scan: inout ZpoolScan) -> ZpoolScanProgress? {
        var progress = ZpoolScanProgress()
        var found = false
        for line in lines {
            for clause in line.split(separator: ",") {
                let words = clause.split(whereSeparator: \.isWhitespace)
                guard let first = words.first else { continue }
                if let verb = words.firstIndex(where: { $0 == "scanned" || $0 == "issued" }), verb > 0 {
                    let amount = ZpoolNumbers.size(first)
                    if words[verb] == "scanned" { progress.scannedBytes = progress.scannedBytes ?? amount }
                    else { progress.issuedBytes = progress.issuedBytes ?? amount }
                    // 2.2+: "704G / 1.66T scanned".
                    if ZpoolText.element(words, 1) == "/", let total = ZpoolText.element(words, 2) {
                        progress.totalBytes = progress.totalBytes ?? ZpoolNumbers.size(total)
                    }
                    // ZoL 0.6/0.7: "5.21G scanned out of 17.1G at 1.32M/s".
                    if ZpoolText.element(words, verb + 1) == "out", ZpoolText.element(words, verb + 2) == "of",
                       let total = ZpoolText.element(words, verb + 3) {
                        progress.totalBytes = progress.totalBytes ?? ZpoolNumbers.size(total)
                    }
                    found = true
                } else if words.count == 2, words.last == "total" {
                    progress.totalBytes = progress.totalBytes ?? ZpoolNumbers.size(first)
                    found = true
                } else if words.count == 2, words.last == "repaired" || words.last == "resilvered" {
                    scan.repairedBytes = scan.repairedBytes ?? ZpoolNumbers.size(first)
                    found = true
                } else if words.last == "done", let percent = words.first(where: { $0.hasSuffix("%") }) {
                    progress.percentDone = progress.percentDone ?? ZpoolNumbers.percent(percent)
                    found = true
                } else if words.count >= 3, words.suffix(2) == ["to", "go"] {
                    progress.secondsRemaining = progress.secondsRemaining
                        ?? ZpoolNumbers.durationSeconds(words.dropLast(2).joined(separator: " "))
                    found = true
                }
            }
        }
        return found ? progress : nil
    }
}
