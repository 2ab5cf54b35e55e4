/// Finds database servers from a host's listening sockets and process list.
///
/// Rules, and why:
/// 1. A listener owned by a known database process (ss -p / netstat -p name) is that engine,
///    whatever its port: people move databases off their default ports.
/// 2. A listener owned by a known *other* process is never a database, even on 9000 or 3306
///    (php-fpm and Portainer love 9000).
/// 3. A listener with no owner (no root rights for -p) is classified by well-known port.
/// 4. Listeners are grouped per pid (a server on 127.0.0.1 and ::1 is one instance), or per
///    engine and port when the pid is unknown.
/// 5. ps adds servers whose sockets were not seen (e.g. Unix-socket only) and fills in the pid
///    of a port-only instance when exactly one process of that engine is unaccounted for.
///    PostgreSQL's children ("postgres: checkpointer") are not servers.
public enum DatabaseDiscovery {
    public static func detect(ss: String, ps: String) -> [DatabaseInstance] {
        let processes = ListenerParser.processes(ps)
        var instances: [DatabaseInstance] = []
        for listener in ListenerParser.parse(ss) {
            guard let engine = engine(of: listener, processes: processes) else { continue }
            let index = instances.firstIndex { instance in
                if let pid = listener.pid { return instance.pid == pid }
                return instance.pid == nil && instance.engine == engine
                    && instance.listenAddresses.contains { $0.port == listener.address.port }
            }
            if let index {
                if !instances[index].listenAddresses.contains(listener.address) {
                    instances[index].listenAddresses.append(listener.address)
                }
            } else {
                let row = listener.pid.flatMap { pid in processes.first { $0.pid == pid } }
                instances.append(DatabaseInstance(
                    engine: engine, pid: listener.pid, processName: listener.processName ?? row?.name,
                    commandLine: row?.args, listenAddresses: [listener.address]))
            }
        }
        addProcessOnlyServers(processes, to: &instances)
        return instances
    }

    private static func engine(of listener: Listener, processes: [ProcessRow]) -> DatabaseEngine? {
        if let name = listener.processName { return DatabaseEngine.forProcess(name) }
        if let pid = listener.pid, let row = processes.first(where: { $0.pid == pid }) {
            return serverEngine(row)
        }
        return DatabaseEngine.forPort(listener.address.port)
    }

    /// Engine of a ps row that is a server's main process, by comm or the executable's name.
    static func serverEngine(_ row: ProcessRow) -> DatabaseEngine? {
        // Only the executable's file name matters, read as bytes: this runs for every process of
        // every host in every cycle.
        let args = row.args.utf8
        let firstWord = args[..<(args.firstIndex(of: 0x20) ?? args.endIndex)]
        let executable = firstWord[(firstWord.lastIndex(of: 0x2F).map(firstWord.index(after:)) ?? firstWord.startIndex)...]
        guard let engine = DatabaseEngine.forProcess(row.name)
                ?? (executable.count <= DatabaseEngine.longestProcessName ? DatabaseEngine.forProcess(String(Substring(executable))) : nil)
        else { return nil }
        // Backends and auxiliary processes retitle themselves "postgres: …".
        if engine == .postgresql, row.args.hasPrefix("postgres:") || row.args.hasPrefix("postmaster:") {
            return nil
        }
        return engine
    }

    private static func addProcessOnlyServers(_ processes: [ProcessRow], to instances: inout [DatabaseInstance]) {
        // Classified once: a host lists thousands of processes and only a handful are servers.
        let servers = processes.compactMap { row in serverEngine(row).map { (row: row, engine: $0) } }
        for engine in DatabaseEngine.allCases {
            // Recomputed per engine: a MariaDB process attached to a port-3306 ".mysql"
            // instance must not come back as a separate ".mariadb" one.
            let known = Set(instances.compactMap(\.pid))
            let unmatched = servers.filter { !known.contains($0.row.pid) }
            let rows = unmatched.filter { $0.engine == engine || ($0.engine == .mariadb && engine == .mysql) }
            let portOnly = instances.indices.filter { instances[$0].pid == nil && instances[$0].engine == engine }
            if portOnly.count == 1, rows.count == 1, let index = portOnly.first, let match = rows.first {
                instances[index].pid = match.row.pid
                instances[index].processName = match.row.name
                instances[index].commandLine = match.row.args
                instances[index].engine = match.engine
            } else if portOnly.isEmpty {
                for match in unmatched where match.engine == engine {
                    instances.append(DatabaseInstance(
                        engine: engine, pid: match.row.pid, processName: match.row.name, commandLine: match.row.args))
                }
            }
        }
    }
}
