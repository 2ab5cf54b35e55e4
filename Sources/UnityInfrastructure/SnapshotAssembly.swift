import UnityParsers

/// Bookkeeping while turning sections into a snapshot: finds sections by name, decides which
/// output is usable, and records one `CollectionError` per problem.
struct SnapshotAssembly {
    private var byName: [String: SectionResult] = [:]
    let sections: [SectionResult]
    var errors: [CollectionError] = []
    var unavailable: [String: String] = [:]

    init(sections: [SectionResult]) {
        self.sections = sections
        // First occurrence wins; a duplicate can only come from a broken stream.
        for section in sections where byName[section.name] == nil { byName[section.name] = section }
    }

    func section(_ name: String) -> SectionResult? { byName[name] }

    mutating func fail(_ name: String, exitStatus: Int? = nil, kind: CollectionFailureKind = .failed, _ message: String) {
        errors.append(CollectionError(
            section: name, command: SectionName.command(for: name), exitStatus: exitStatus, message: message, kind: kind))
    }

    /// stdout worth parsing, or nil. A section that was not requested is silently nil; a
    /// missing, cut or timed-out one is an error; a non-zero exit is an error, but its stdout is
    /// still used when there is some (df exits 1 when one mount is unreadable and prints the
    /// rest). `acceptExit` lets a section decide itself what its exit status means.
    mutating func output(_ name: String, acceptExit: (Int) -> Bool = { $0 == 0 }) -> String? {
        guard let section = byName[name] else { return nil }
        let detail = Self.summary(section.stderr)
        switch section.state {
        case .notInstalled:
            unavailable[name] = detail.isEmpty ? "not installed" : detail
            return nil
        case .missing:
            fail(name, kind: .incomplete, "no output: the run ended before this section (connection dropped or script killed)")
            return nil
        case .truncated:
            fail(name, kind: .incomplete, "output cut short: the run ended inside this section")
            return nil
        case .timedOut:
            fail(name, exitStatus: section.exitStatus, kind: .timedOut, "timed out" + (detail.isEmpty ? "" : ": \(detail)"))
            return nil
        case .completed:
            let status = section.exitStatus ?? -1
            let blank = section.stdout.allSatisfy(\.isWhitespace)
            // An accepted non-zero status (smartctl's health bits) still needs an answer to read:
            // nothing at all means the command itself did not run (sudo refused, not found).
            if !acceptExit(status) || (status != 0 && blank) {
                fail(name, exitStatus: section.exitStatus, kind: CollectionFailureKind.classify(detail, exitStatus: status),
                     detail.isEmpty ? "exited with status \(status)" : detail)
            }
            return blank ? nil : section.stdout
        }
    }

    /// Runs a parser on a section's usable output; a parse failure becomes an error.
    mutating func parse<T>(
        _ name: String, acceptExit: (Int) -> Bool = { $0 == 0 }, _ parser: (String) throws(ParseError) -> T
    ) -> T? {
        guard let text = output(name, acceptExit: acceptExit) else { return nil }
        do {
            return try parser(text)
        } catch {
            fail(name, exitStatus: byName[name]?.exitStatus, kind: .unreadableOutput, "unreadable output: \(error.description)")
            return nil
        }
    }

    /// Parser warnings (skipped rows) are reported too: data was dropped.
    mutating func warn(_ name: String, _ warnings: [String]) {
        for warning in warnings { fail(name, exitStatus: byName[name]?.exitStatus, kind: .unreadableOutput, "skipped: \(warning)") }
    }

    /// Last non-empty stderr lines, capped, for a readable message.
    static func summary(_ stderr: String) -> String {
        let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
        return String(lines.suffix(3).joined(separator: " | ").prefix(500))
    }
}
