/// Splits the collection script's standard output back into sections.
///
/// Pure and total: any byte sequence gives an answer, never a trap. Lines count as markers only
/// when they are exactly `@@UNITY-<nonce> …` with this run's nonce (a trailing CR from a pty is
/// tolerated); anything else, including marker look-alikes with another nonce, is content.
public enum CollectionOutput {
    /// Sections in the order they arrived. Names listed in `expected` that never began are
    /// appended as `.missing`, so a run cut short reports every section it lost.
    public static func split(_ text: String, nonce: String, expected: [String] = []) -> [SectionResult] {
        guard let valid = CollectionNonce(nonce) else {
            return expected.map { SectionResult(name: $0, state: .missing) }
        }
        var splitter = Splitter(prefix: "@@UNITY-\(valid.value) ")
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            // The piece after the last newline was cut mid-line: even if it starts like a
            // marker, it may be a prefix of one ("BEGIN sec" of "BEGIN second"), so it is content.
            splitter.consume(line, mayBeMarker: index < lines.count - 1)
        }
        var results = splitter.finish()
        let seen = Set(results.map(\.name))
        results += expected.filter { !seen.contains($0) }.map { SectionResult(name: $0, state: .missing) }
        return results
    }

    /// True when the run printed its final DONE marker, i.e. the stream was not cut short.
    public static func isComplete(_ text: String, nonce: String) -> Bool {
        guard let valid = CollectionNonce(nonce) else { return false }
        let done = Array("@@UNITY-\(valid.value) DONE".utf8)
        // Compared as bytes, newest line first: the marker ends the output, and a String per line
        // of a 100 KB answer costs more than the check is worth.
        return text.utf8.split(separator: UInt8(ascii: "\n")).reversed().contains { line in
            (line.last == UInt8(ascii: "\r") ? line.dropLast() : line).elementsEqual(done)
        }
    }
}

/// The state machine behind `split`: idle → stdout (after BEGIN) → stderr (after STDERR) →
/// idle (after END). Out-of-order markers close the open section as truncated. Buffers live in
/// plain stored properties (not enum payloads) so appending never copies them.
private struct Splitter {
    enum Marker {
        case begin(String)
        case stderr(String)
        case end(status: Int?, flag: String, name: String)
        case done
    }

    let prefix: String
    /// Name of the open section; `nil` when idle.
    var open: String?
    var inStderr = false
    var out: [String] = []
    var err: [String] = []
    var results: [SectionResult] = []

    init(prefix: String) { self.prefix = prefix }

    mutating func consume(_ bytes: Substring.UTF8View, mayBeMarker: Bool) {
        let line = String(decoding: bytes, as: UTF8.self)
        guard mayBeMarker, let marker = marker(in: line) else {
            if open != nil {
                if inStderr { err.append(line) } else { out.append(line) }
            }
            // Idle: unframed noise such as a shell warning belongs to no section.
            return
        }
        switch marker {
        case .stderr(let name) where name == open && !inStderr:
            inStderr = true
        case .end(let status, let flag, let name) where name == open && inStderr:
            results.append(completed(name: name, status: status, flag: flag))
            reset()
        case .begin(let name):
            closeTruncated()
            open = name
        default:
            // STDERR/END for another section, or DONE while a section is open: the frame is
            // broken, so keep what arrived and mark it incomplete.
            closeTruncated()
        }
    }

    mutating func finish() -> [SectionResult] {
        closeTruncated()
        return results
    }

    static func stripCR(_ line: String) -> String {
        line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    private mutating func reset() {
        open = nil
        inStderr = false
        out = []
        err = []
    }

    private mutating func closeTruncated() {
        if let open {
            results.append(SectionResult(
                name: open, stdout: out.joined(separator: "\n"), stderr: err.joined(separator: "\n"),
                state: .truncated))
        }
        reset()
    }

    private func completed(name: String, status: Int?, flag: String) -> SectionResult {
        // The script adds one newline after each stream, so the lines between two markers
        // are exactly the stream split on "\n": joining them restores it byte for byte.
        let state: SectionState = switch flag {
        case "notinstalled": .notInstalled
        case "timeout": .timedOut
        default: .completed
        }
        return SectionResult(
            name: name, stdout: out.joined(separator: "\n"), stderr: err.joined(separator: "\n"),
            exitStatus: status, state: state)
    }

    private func marker(in rawLine: String) -> Marker? {
        let line = Self.stripCR(rawLine)
        guard line.hasPrefix(prefix) else { return nil }
        let rest = line.dropFirst(prefix.count)
        if rest == "DONE" { return .done }
        if rest.hasPrefix("BEGIN "), let name = sectionName(rest.dropFirst(6)) { return .begin(name) }
        if rest.hasPrefix("STDERR "), let name = sectionName(rest.dropFirst(7)) { return .stderr(name) }
        guard rest.hasPrefix("END ") else { return nil }
        let fields = rest.dropFirst(4).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let name = sectionName(fields[2]),
              ["-", "timeout", "notinstalled"].contains(fields[1])
        else { return nil }
        return .end(status: Int(fields[0]), flag: String(fields[1]), name: name)
    }

    private func sectionName(_ text: Substring) -> String? {
        text.isEmpty ? nil : String(text)
    }
}
