import Foundation

/// Reads an Ansible INI inventory: hosts under `[group]` sections (groups become tags), variables on
/// host lines and in `[group:vars]`, `[group:children]` nesting, and numeric/alphabetic ranges such
/// as `web[01:03].lab`. Uses `ansible_host`, `ansible_port` and `ansible_user`.
public enum AnsibleInventoryImport {
    /// Range expansion is capped: a typo like `[1:999999]` must not produce a million servers.
    static let maxHostsPerLine = 1_000

    /// Without limits: for trusted text (tests, files the operator reads locally).
    public static func parse(_ text: String) -> ImportResult {
        (try? parse(text, limits: .unlimited)) ?? ImportResult(servers: [], warnings: [])
    }

    /// Throws `ImportLimitExceeded` as soon as the hosts named so far pass `limits`; a range is
    /// counted before it is expanded, so `n[1:999][1:999]` costs one multiplication, not a million names.
    public static func parse(_ text: String, limits: ImportLimits) throws -> ImportResult {
        var entries = 0
        var hostOrder: [String] = []
        var hostVars: [String: [String: String]] = [:]
        var groupsOfHost: [String: [String]] = [:]
        var groupVars: [String: [String: String]] = [:]
        var children: [String: [String]] = [:]
        var warnings: [String] = []
        var section = "ungrouped", kind = "hosts"

        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = String(line.dropFirst().dropLast())
                let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
                section = parts.first ?? name
                kind = parts.count > 1 ? parts[1] : "hosts"
                if !["hosts", "vars", "children"].contains(kind) { warnings.append("line \(index + 1): unknown section kind \(kind)") }
                continue
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let first = fields.first else { continue }
            switch kind {
            case "vars":
                if let (key, value) = keyValue(line.replacingOccurrences(of: " = ", with: "=")) { groupVars[section, default: [:]][key] = value }
            case "children":
                children[section, default: []].append(first)
            default:
                let count = expansionCount(first)
                guard count <= limits.maxHosts else { throw ImportLimitExceeded.hosts(limits) }
                entries = entries.addingReportingOverflow(count).overflow ? .max : entries + count
                guard entries <= limits.maxHostEntries else { throw ImportLimitExceeded.hostEntries(limits) }
                if count > maxHostsPerLine {
                    warnings.append("line \(index + 1): \(first) expands to more than \(maxHostsPerLine) hosts; skipped")
                    continue
                }
                let names = expand(first)
                var vars: [String: String] = [:]
                for field in fields.dropFirst() { if let (key, value) = keyValue(field) { vars[key] = value } }
                for name in names {
                    if hostVars[name] == nil { hostOrder.append(name); hostVars[name] = [:] }
                    hostVars[name]?.merge(vars) { $1 }
                    if section != "ungrouped" { groupsOfHost[name, default: []].append(section) }
                }
                guard hostOrder.count <= limits.maxHosts else { throw ImportLimitExceeded.hosts(limits) }
            }
        }

        var servers: [ImportedServer] = []
        // Hosts mostly share their groups: walk the `:children` graph once per distinct set.
        var groupsOf: [[String]: [String]] = [:]
        for name in hostOrder {
            let direct = Array(Set(groupsOfHost[name] ?? [])).sorted()
            let groups = groupsOf[direct] ?? allGroups(of: direct, children: children)
            groupsOf[direct] = groups
            var vars: [String: String] = groupVars["all"] ?? [:]
            for group in groups { vars.merge(groupVars[group] ?? [:]) { $1 } }
            vars.merge(hostVars[name] ?? [:]) { $1 }
            var port: Int?
            if let raw = vars["ansible_port"] ?? vars["ansible_ssh_port"] {
                if let number = Int(raw), (1...65_535).contains(number) { port = number } else { warnings.append("\(name): invalid ansible_port \(raw)") }
            }
            servers.append(ImportedServer(
                name: name, address: vars["ansible_host"] ?? vars["ansible_ssh_host"] ?? name, port: port,
                username: vars["ansible_user"] ?? vars["ansible_ssh_user"],
                identityFile: vars["ansible_ssh_private_key_file"], tags: groups.sorted()))
        }
        return ImportResult(servers: servers, warnings: warnings)
    }

    static func keyValue(_ field: String) -> (String, String)? {
        guard let equals = field.firstIndex(of: "=") else { return nil }
        let key = field[..<equals].trimmingCharacters(in: .whitespaces)
        var value = field[field.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        if value.count >= 2, let q = value.first, q == value.last, q == "\"" || q == "'" { value = String(value.dropFirst().dropLast()) }
        return key.isEmpty ? nil : (key, value)
    }

    /// A host's groups plus every parent group reached through `:children`, without looping on cycles.
    static func allGroups(of direct: [String], children: [String: [String]]) -> [String] {
        var result = Set(direct)
        var changed = true
        while changed {
            changed = false
            for (parent, kids) in children where !result.contains(parent) && kids.contains(where: result.contains) {
                result.insert(parent)
                changed = true
            }
        }
        return Array(result)
    }

    /// `web[01:03].lab` → web01.lab, web02.lab, web03.lab (zero padding kept); `db-[a:c]` → a, b, c.
    static func expand(_ pattern: String) -> [String] {
        guard let open = pattern.firstIndex(of: "["), let close = pattern[open...].firstIndex(of: "]") else { return [pattern] }
        let inner = pattern[pattern.index(after: open)..<close]
        let bounds = inner.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else { return [pattern] }
        let prefix = String(pattern[..<open]), rest = expand(String(pattern[pattern.index(after: close)...]))
        let step = bounds.count == 3 ? max(1, Int(bounds[2]) ?? 1) : 1
        var middles: [String] = []
        if let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high {
            let (span, overflow) = high.subtractingReportingOverflow(low)
            guard !overflow, span / step < maxHostsPerLine * 2 else { return Array(repeating: pattern, count: maxHostsPerLine + 1) }
            let width = bounds[0].count
            for value in stride(from: low, through: high, by: step) {
                let digits = String(value)
                middles.append(String(repeating: "0", count: max(0, width - digits.count)) + digits)
            }
        } else if let low = bounds[0].unicodeScalars.first, let high = bounds[1].unicodeScalars.first,
                  bounds[0].count == 1, bounds[1].count == 1, low.value <= high.value {
            for value in stride(from: low.value, through: high.value, by: step) {
                if let scalar = Unicode.Scalar(value) { middles.append(String(Character(scalar))) }
            }
        } else {
            return [pattern]
        }
        return middles.flatMap { middle in rest.map { prefix + middle + $0 } }
    }

    /// How many names `expand(pattern)` gives, without building them (saturating at `Int.max`).
    static func expansionCount(_ pattern: String) -> Int {
        guard let open = pattern.firstIndex(of: "["), let close = pattern[open...].firstIndex(of: "]") else { return 1 }
        let bounds = pattern[pattern.index(after: open)..<close].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else { return 1 }
        let step = bounds.count == 3 ? max(1, Int(bounds[2]) ?? 1) : 1
        let here: Int
        if let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high {
            let (span, overflow) = high.subtractingReportingOverflow(low)
            here = overflow || span / step == .max ? .max : span / step + 1
        } else if let low = bounds[0].unicodeScalars.first, let high = bounds[1].unicodeScalars.first,
                  bounds[0].count == 1, bounds[1].count == 1, low.value <= high.value {
            here = Int((high.value - low.value) / UInt32(min(step, Int(UInt32.max)))) + 1
        } else {
            return 1
        }
        let (total, overflow) = here.multipliedReportingOverflow(by: expansionCount(String(pattern[pattern.index(after: close)...])))
        return overflow ? .max : total
    }
}
