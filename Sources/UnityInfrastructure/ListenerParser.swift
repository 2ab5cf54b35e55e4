/// One listening socket from `ss -ltnp` or `netstat -ltnp`.
struct Listener: Equatable {
    var address: ListenAddress
    var processName: String?
    var pid: Int?
}

/// One row of `ps -eo pid,comm,args`.
struct ProcessRow: Equatable {
    var pid: Int
    var name: String
    var args: String
}

/// Reads `ss -H -ltnp` (with or without header, Netid column or process column) and
/// `netstat -ltnp`. Unknown lines are skipped: this feeds a best-effort discovery.
enum ListenerParser {
    static func parse(_ text: String) -> [Listener] {
        // Split as bytes (see `processes`); each field is then read as text.
        text.utf8.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }).compactMap { line in
            let fields = line.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 }).map { Substring($0) }
            guard let first = fields.first else { return nil }
            // netstat: tcp Recv-Q Send-Q Local Foreign State PID/Program
            if first.hasPrefix("tcp"), fields.count >= 6, fields[5] == "LISTEN" {
                guard let address = address(fields[3]) else { return nil }
                let program = fields.count > 6 ? fields[6] : "-"
                let parts = program.split(separator: "/", maxSplits: 1)
                let pid = parts.first.flatMap { Int($0) }
                let name = parts.count == 2 ? String(parts[1]) : nil
                return Listener(address: address, processName: name, pid: pid)
            }
            // ss, optionally with a Netid column: [tcp] LISTEN Recv-Q Send-Q Local Peer [users:…]
            let offset = first == "LISTEN" ? 0 : (fields.count > 1 && fields[1] == "LISTEN" ? 1 : -1)
            guard offset >= 0, fields.count >= offset + 5, let address = address(fields[offset + 3]) else { return nil }
            let process = fields.dropFirst(offset + 5).joined(separator: " ")
            let owner = ssUser(process)
            return Listener(address: address, processName: owner?.name, pid: owner?.pid)
        }
    }

    /// "127.0.0.1:5432", "[::1]:6379", "*:3306", ":::5432", "127.0.0.53%lo:53".
    static func address(_ field: Substring) -> ListenAddress? {
        guard let colon = field.lastIndex(of: ":"), let port = Int(field[field.index(after: colon)...]),
              (0...65535).contains(port)
        else { return nil }
        var host = field[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if let percent = host.firstIndex(of: "%") { host = host[..<percent] }
        guard !host.isEmpty else { return nil }
        return ListenAddress(host: String(host), port: port)
    }

    /// First `("name",pid=N,…)` of `users:((…),(…))`.
    static func ssUser(_ text: String) -> (name: String, pid: Int?)? {
        guard let open = text.firstRange(of: "((\"") else { return nil }
        let afterName = text[open.upperBound...]
        guard let quote = afterName.firstIndex(of: "\"") else { return nil }
        let name = String(afterName[..<quote])
        var pid: Int?
        if let pidRange = afterName.firstRange(of: "pid=") {
            pid = Int(afterName[pidRange.upperBound...].prefix(while: \.isNumber))
        }
        return (name, pid)
    }

    /// Rows of `ps -eo pid,comm,args`; the header and unreadable lines are skipped. comm is
    /// taken as one word: database servers never have spaces in it.
    static func processes(_ text: String) -> [ProcessRow] {
        // Read as bytes: a host may list thousands of processes, and splitting by Character
        // (grapheme clusters) was most of the collector's parsing time in the fleet bench.
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0B || $0 == 0x0C }
        var rows: [ProcessRow] = []
        for line in text.utf8.split(separator: 0x0A) {
            guard let pidStart = line.firstIndex(where: { !isBlank($0) }) else { continue }
            let pidEnd = line[pidStart...].firstIndex(where: isBlank) ?? line.endIndex
            guard let pid = Int(Substring(line[pidStart..<pidEnd])),
                  let nameStart = line[pidEnd...].firstIndex(where: { !isBlank($0) }) else { continue }
            let nameEnd = line[nameStart...].firstIndex(where: isBlank) ?? line.endIndex
            // The rest is the command line without the column padding around it, or
            // "postgres: checkpointer" would not be recognised as a child process.
            var args = line[nameEnd...].drop(while: isBlank)
            while let last = args.last, isBlank(last) { args = args.dropLast() }
            rows.append(ProcessRow(pid: pid, name: String(Substring(line[nameStart..<nameEnd])), args: String(Substring(args))))
        }
        return rows
    }
}
