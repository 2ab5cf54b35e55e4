import UnityParsers

/// Parses the probe outputs of `DatabaseProbe.command`.
public enum DatabaseStatusParser {
    public static func parse(_ output: String, engine: DatabaseEngine) throws(ParseError) -> DatabaseStatus {
        switch engine {
        case .postgresql: try postgres(output)
        case .mysql, .mariadb: try mysql(output, engine: engine)
        case .redis: try redis(output)
        case .mongodb, .minio:
            throw ParseError(source: "database probe", reason: "no probe for \(engine.rawValue)")
        }
    }

    /// `version|uptime|connections|size|ratio`; split from the right because only the version
    /// is free text. Empty fields are SQL NULL.
    static func postgres(_ output: String) throws(ParseError) -> DatabaseStatus {
        let source = "psql probe"
        let lines = output.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        guard let line = lines.first else { throw ParseError(source: source, reason: "empty output") }
        let fields = line.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count >= 5 else {
            throw ParseError(source: source, line: 1, reason: "expected 5 '|'-separated fields, found \(fields.count)")
        }
        let tail = fields.suffix(4).map { $0.trimmingWhitespace }
        let version = fields.dropLast(4).joined(separator: "|").trimmingWhitespace
        guard !version.isEmpty else { throw ParseError(source: source, line: 1, reason: "empty server version") }
        return DatabaseStatus(
            engine: .postgresql, version: version, uptimeSeconds: Int(tail[0]), connections: Int(tail[1]),
            sizeBytes: UInt64(tail[2]), cacheHitRatio: ratio(Double(tail[3])))
    }

    static func mysql(_ output: String, engine: DatabaseEngine) throws(ParseError) -> DatabaseStatus {
        let source = "mysql probe"
        var values: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let pair = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            values[pair[0].lowercased()] = pair[1].trimmingWhitespace
        }
        guard let version = values["version"], !version.isEmpty else {
            throw ParseError(source: source, reason: "no 'version' row; not the probe's output")
        }
        let requests = values["innodb_buffer_pool_read_requests"].flatMap { Double($0) }
        let misses = values["innodb_buffer_pool_reads"].flatMap { Double($0) }
        var hitRatio: Double?
        if let requests, let misses, requests > 0 { hitRatio = ratio(1 - misses / requests) }
        // MariaDB reports itself in the version string even when its binary is called mysqld.
        let detected: DatabaseEngine = version.lowercased().contains("mariadb") ? .mariadb : engine
        return DatabaseStatus(
            engine: detected, version: version, uptimeSeconds: values["uptime"].flatMap { Int($0) },
            connections: values["threads_connected"].flatMap { Int($0) },
            sizeBytes: values["size_bytes"].flatMap { UInt64($0) }, cacheHitRatio: hitRatio)
    }

    /// `INFO`: `key:value` lines with CRLF endings and `# Section` headers.
    static func redis(_ output: String) throws(ParseError) -> DatabaseStatus {
        let source = "redis-cli INFO"
        var values: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            values[String(line[..<colon])] = line[line.index(after: colon)...].trimmingWhitespace
        }
        guard let version = values["redis_version"] ?? values["valkey_version"], !version.isEmpty else {
            let first = output.split(whereSeparator: \.isNewline).first.map { String($0.prefix(80)) } ?? ""
            throw ParseError(source: source, reason: "no redis_version field; got '\(first)'")
        }
        return DatabaseStatus(
            engine: .redis, version: version, uptimeSeconds: values["uptime_in_seconds"].flatMap { Int($0) },
            connections: values["connected_clients"].flatMap { Int($0) },
            sizeBytes: values["used_memory"].flatMap { UInt64($0) })
    }

    /// Keeps only meaningful ratios; NaN or out-of-range values (counter resets) become nil.
    private static func ratio(_ value: Double?) -> Double? {
        guard let value, value.isFinite, value >= 0, value <= 1 else { return nil }
        return value
    }
}

extension StringProtocol {
    /// Index-based: a process listing has thousands of long command lines, and reversing each
    /// one twice (the obvious spelling) was most of the collector's CPU in the fleet bench.
    var trimmingWhitespace: String {
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[start...end])
    }
}
