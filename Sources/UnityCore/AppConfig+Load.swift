import Foundation

extension AppConfig {
    /// Reads the environment, layered over the `UNITY_CONFIG` file when one is named.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> AppConfig {
        var values: [String: String] = [:]
        if let file = environment["UNITY_CONFIG"], !file.isEmpty {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ConfigError(setting: "UNITY_CONFIG", reason: "cannot read the file \(file)")
            }
            values = try parseConfigFile(text)
        }
        values.merge(environment) { _, fromEnvironment in fromEnvironment }
        return try parse(values)
    }

    /// `NAME=value` lines; `#` starts a comment; values may be wrapped in single or double quotes.
    public static func parseConfigFile(_ text: String) throws(ConfigError) -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigError(setting: "UNITY_CONFIG", reason: "line \(index + 1) is not NAME=value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            values[name] = value
        }
        return values
    }

    /// Pure: the same values always give the same configuration or the same error.
    public static func parse(_ values: [String: String]) throws(ConfigError) -> AppConfig {
        func value(_ name: String) -> String? {
            guard let raw = values[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigError) -> Int {
            guard let raw = value(name) else { return fallback }
            guard let number = Int(raw), range.contains(number) else {
                throw ConfigError(setting: name, reason: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(raw)\"")
            }
            return number
        }
        func flag(_ name: String, default fallback: Bool) throws(ConfigError) -> Bool {
            guard let raw = value(name)?.lowercased() else { return fallback }
            if ["true", "on", "1", "yes"].contains(raw) { return true }
            if ["false", "off", "0", "no"].contains(raw) { return false }
            throw ConfigError(setting: name, reason: "expected true or false, got \"\(raw)\"")
        }

        let dataDirectory = value("UNITY_DATA_DIR") ?? "./unity-data"
        let (host, port) = try parseBind(value("UNITY_BIND") ?? "127.0.0.1:8080", setting: "UNITY_BIND")
        let database = try parseDatabase(value("DATABASE_URL"), dataDirectory: dataDirectory)

        let masterKey = value("UNITY_MASTER_KEY")
        if let masterKey { try MasterKey.validate(masterKey, setting: "UNITY_MASTER_KEY") }
        let previous = (value("UNITY_MASTER_KEY_PREVIOUS") ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for key in previous { try MasterKey.validate(key, setting: "UNITY_MASTER_KEY_PREVIOUS") }

        let adminPassword = value("UNITY_ADMIN_PASSWORD")
        if let adminPassword, adminPassword.count < PasswordPolicy.defaultMinimumLength {
            throw ConfigError(setting: "UNITY_ADMIN_PASSWORD", reason: "must be at least \(PasswordPolicy.defaultMinimumLength) characters")
        }

        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        let logLevel = (value("UNITY_LOG_LEVEL") ?? "info").lowercased()
        guard levels.contains(logLevel) else {
            throw ConfigError(setting: "UNITY_LOG_LEVEL", reason: "expected one of \(levels.joined(separator: ", ")), got \"\(logLevel)\"")
        }

        let scheduler = (value("UNITY_SCHEDULER") ?? "on").lowercased()
        guard ["on", "off", "true", "false", "1", "0"].contains(scheduler) else {
            throw ConfigError(setting: "UNITY_SCHEDULER", reason: "expected on or off, got \"\(scheduler)\"")
        }

        let cookieRaw = (value("UNITY_COOKIE_SECURE") ?? "auto").lowercased()
        guard let cookieSecurity = CookieSecurity(rawValue: cookieRaw) else {
            throw ConfigError(setting: "UNITY_COOKIE_SECURE", reason: "expected auto, always or never, got \"\(cookieRaw)\"")
        }

        var taskIntervals: [String: Int] = [:]
        for (name, raw) in values where name.hasPrefix("UNITY_TASK_") && name.hasSuffix("_INTERVAL") {
            let task = name.dropFirst("UNITY_TASK_".count).dropLast("_INTERVAL".count)
                .lowercased().replacingOccurrences(of: "_", with: "-")
            guard !task.isEmpty, let seconds = Int(raw.trimmingCharacters(in: .whitespaces)), seconds >= 1 else {
                throw ConfigError(setting: name, reason: "expected an interval of at least 1 second, got \"\(raw)\"")
            }
            taskIntervals[task] = seconds
        }

        return AppConfig(
            dataDirectory: dataDirectory,
            bindHost: host,
            bindPort: port,
            database: database,
            masterKey: masterKey,
            previousMasterKeys: previous,
            adminPassword: adminPassword,
            logLevel: logLevel,
            accessTokenTTL: try integer("UNITY_ACCESS_TOKEN_TTL", default: 900, range: 60...86_400),
            refreshTokenTTL: try integer("UNITY_REFRESH_TOKEN_TTL", default: 30 * 86_400, range: 300...(365 * 86_400)),
            maxBodySize: try parseSize(value("UNITY_MAX_BODY_SIZE") ?? "1mb", setting: "UNITY_MAX_BODY_SIZE"),
            schedulerEnabled: ["on", "true", "1"].contains(scheduler),
            auditRetentionDays: try integer("UNITY_AUDIT_RETENTION_DAYS", default: 365, range: 1...36_500),
            backupsKept: try integer("UNITY_BACKUPS_KEPT", default: 7, range: 0...1_000),
            metricsPublic: try flag("UNITY_METRICS_PUBLIC", default: false),
            cookieSecurity: cookieSecurity,
            loginMaxFailuresPerUser: try integer("UNITY_LOGIN_MAX_FAILURES", default: 5, range: 1...1_000),
            loginMaxFailuresPerAddress: try integer("UNITY_LOGIN_MAX_FAILURES_PER_ADDRESS", default: 20, range: 1...10_000),
            loginThrottleWindow: try integer("UNITY_LOGIN_THROTTLE_WINDOW", default: 900, range: 10...86_400),
            taskIntervals: taskIntervals,
            replicaID: value("UNITY_REPLICA_ID"),
            publicURL: try publicURL(value("UNITY_PUBLIC_URL")),
            notificationBurst: try integer("UNITY_NOTIFY_BURST", default: 5, range: 1...10_000),
            notificationWindow: try integer("UNITY_NOTIFY_WINDOW", default: 60, range: 1...3_600),
            dnsHooksDirectory: try hooksDirectory(value("UNITY_DNS_HOOKS_DIR")),
            loginMaxFailuresPerUserTotal: try integer("UNITY_LOGIN_MAX_FAILURES_PER_USER_TOTAL", default: 50, range: 1...100_000)
        )
    }

    static func hooksDirectory(_ raw: String?) throws(ConfigError) -> String? {
        guard let raw else { return nil }
        guard raw.hasPrefix("/") else { throw ConfigError(setting: "UNITY_DNS_HOOKS_DIR", reason: "expected an absolute path, got \"\(raw)\"") }
        return raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    }

    static func publicURL(_ raw: String?) throws(ConfigError) -> String? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let url = URL(string: raw), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ConfigError(setting: "UNITY_PUBLIC_URL", reason: "expected an http:// or https:// address, got \"\(raw)\"")
        }
        return raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    }

    static func parseBind(_ raw: String, setting: String) throws(ConfigError) -> (String, Int) {
        // "[::1]:8080", "127.0.0.1:8080", "0.0.0.0:80", or a bare port.
        if let port = Int(raw) {
            guard (1...65_535).contains(port) else { throw ConfigError(setting: setting, reason: "port \(port) is outside 1-65535") }
            return ("127.0.0.1", port)
        }
        guard let colon = raw.lastIndex(of: ":") else {
            throw ConfigError(setting: setting, reason: "expected HOST:PORT, got \"\(raw)\"")
        }
        var host = String(raw[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(raw[raw.index(after: colon)...]), (1...65_535).contains(port) else {
            throw ConfigError(setting: setting, reason: "expected HOST:PORT with a port from 1 to 65535, got \"\(raw)\"")
        }
        return (host, port)
    }

    static func parseDatabase(_ raw: String?, dataDirectory: String) throws(ConfigError) -> Database {
        guard let raw else { return .sqlite(path: dataDirectory + "/unity.sqlite") }
        if raw == "sqlite::memory:" { return .sqliteInMemory }
        if raw.hasPrefix("sqlite://") { return .sqlite(path: String(raw.dropFirst("sqlite://".count))) }
        guard raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://"),
              let url = URL(string: raw), url.host != nil else {
            throw ConfigError(setting: "DATABASE_URL", reason: "expected postgres://user:password@host:port/database, sqlite://PATH or sqlite::memory:")
        }
        return .postgres(url: raw)
    }

    static func parseSize(_ raw: String, setting: String) throws(ConfigError) -> Int {
        let lower = raw.lowercased()
        let units: [(String, Int)] = [("kb", 1024), ("mb", 1024 * 1024), ("k", 1024), ("m", 1024 * 1024), ("b", 1)]
        for (suffix, multiplier) in units where lower.hasSuffix(suffix) {
            if let number = Int(lower.dropLast(suffix.count)), number > 0, number <= 1024 * 1024 * 1024 / multiplier {
                return number * multiplier
            }
            throw ConfigError(setting: setting, reason: "expected a size such as 512kb or 2mb, got \"\(raw)\"")
        }
        guard let bytes = Int(lower), bytes > 0 else {
            throw ConfigError(setting: setting, reason: "expected a size such as 512kb or 2mb, got \"\(raw)\"")
        }
        return bytes
    }
}
