import Foundation

/// Every setting Unity reads, typed and validated once at start-up.
///
/// Values come from environment variables, optionally layered over a config file (`UNITY_CONFIG`)
/// of `NAME=value` lines using the same names, so one vocabulary serves both. The README documents
/// each setting; `AppConfig.settings` is the single list the README table is written from.
public struct AppConfig: Sendable, Equatable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case sqliteInMemory
        case postgres(url: String)
    }

    public enum CookieSecurity: String, Sendable, Equatable {
        /// Secure cookies unless Unity is reached over plain HTTP on a loopback address.
        case auto
        case always
        case never
    }

    public var dataDirectory: String
    public var bindHost: String
    public var bindPort: Int
    public var database: Database
    /// Base64 of 32 bytes; nil means "use (or create) the key file in the data directory".
    public var masterKey: String?
    /// Keys that are still accepted for reading while a rotation is in progress.
    public var previousMasterKeys: [String]
    public var adminPassword: String?
    public var logLevel: String
    public var accessTokenTTL: Int
    public var refreshTokenTTL: Int
    public var maxBodySize: Int
    public var schedulerEnabled: Bool
    public var auditRetentionDays: Int
    /// Daily database backups kept in `<data>/backups` by the `database-backup` task; 0 turns it off.
    public var backupsKept: Int
    /// `/metrics` serves the inventory series (servers, disks, certificates) without a bearer.
    public var metricsPublic: Bool
    public var cookieSecurity: CookieSecurity
    /// Failed sign-ins for one username from one client address.
    public var loginMaxFailuresPerUser: Int
    public var loginMaxFailuresPerAddress: Int
    public var loginThrottleWindow: Int
    /// Per-task interval overrides in seconds, from `UNITY_TASK_<NAME>_INTERVAL`.
    public var taskIntervals: [String: Int]
    public var replicaID: String?
    /// How people reach Unity (`https://unity.home.arpa`), for links in notifications.
    public var publicURL: String? = nil
    /// Storm grouping: at most this many notifications per channel within the window go out one by
    /// one; the rest become one summary when the window ends.
    public var notificationBurst: Int = 5
    public var notificationWindow: Int = 60
    /// The admin's folder of ACME `exec` DNS hooks; orders name a hook in it, never a program.
    public var dnsHooksDirectory: String? = nil
    /// Failed sign-ins for one username from all addresses together (the per-address limit is
    /// `loginMaxFailuresPerUser`), so guesses spread over many addresses stay bounded.
    public var loginMaxFailuresPerUserTotal: Int = 50

    public var masterKeyFile: String { dataDirectory + "/master.key" }
}

extension AppConfig {
    /// One documented setting: the README's configuration table is this list.
    public struct Setting: Sendable {
        public let name: String
        public let defaultValue: String
        public let meaning: String
    }

    public static let settings: [Setting] = [
        .init(name: "UNITY_CONFIG", defaultValue: "(none)", meaning: "Path of an optional file of NAME=value lines with any of these settings; environment variables win."),
        .init(name: "UNITY_DATA_DIR", defaultValue: "./unity-data", meaning: "Folder for the SQLite database, the master key file and `run/` (OpenSSH sockets), created with mode 0700; at most 56 characters as an absolute path (socket paths are short)."),
        .init(name: "UNITY_BIND", defaultValue: "127.0.0.1:8080", meaning: "Address and port the web UI and API listen on (`--bind` overrides)."),
        .init(name: "DATABASE_URL", defaultValue: "(SQLite in the data folder)", meaning: "`postgres://user:pass@host:port/db` to use PostgreSQL; `sqlite::memory:` for a throwaway database."),
        .init(name: "UNITY_MASTER_KEY", defaultValue: "(key file)", meaning: "Base64 of 32 random bytes that encrypts every secret at rest. Without it Unity creates `master.key` (mode 0600) in the data folder."),
        .init(name: "UNITY_MASTER_KEY_PREVIOUS", defaultValue: "(none)", meaning: "Comma-separated older master keys still accepted for reading during a rotation."),
        .init(name: "UNITY_ADMIN_PASSWORD", defaultValue: "(random, printed once)", meaning: "Password of the first `admin` user, used only when no user exists yet."),
        .init(name: "UNITY_LOG_LEVEL", defaultValue: "info", meaning: "trace, debug, info, notice, warning, error or critical."),
        .init(name: "UNITY_ACCESS_TOKEN_TTL", defaultValue: "900", meaning: "Lifetime of API access tokens (JWT) in seconds, 60 to 86400."),
        .init(name: "UNITY_REFRESH_TOKEN_TTL", defaultValue: "2592000", meaning: "Lifetime of refresh tokens and browser sessions in seconds."),
        .init(name: "UNITY_MAX_BODY_SIZE", defaultValue: "1mb", meaning: "Largest accepted request body (`kb`/`mb` suffixes); larger bodies get 413."),
        .init(name: "UNITY_SCHEDULER", defaultValue: "on", meaning: "`off` stops this process from running scheduled tasks (API-only replica)."),
        .init(name: "UNITY_METRICS_PUBLIC", defaultValue: "false", meaning: "`true` serves `/metrics`' inventory series (server, disk, mount, database and certificate names) without a bearer; by default they need an API key or access token (Prometheus: `authorization`)."),
        .init(name: "UNITY_BACKUPS_KEPT", defaultValue: "7", meaning: "Daily database backups the `database-backup` task keeps in `<data>/backups` (the oldest beyond it are deleted); `0` turns the task off."),
        .init(name: "UNITY_AUDIT_RETENTION_DAYS", defaultValue: "365", meaning: "Audit events older than this are deleted by the `audit-retention` task."),
        .init(name: "UNITY_COOKIE_SECURE", defaultValue: "auto", meaning: "`always`, `never` or `auto` (Secure unless served over plain HTTP on loopback)."),
        .init(name: "UNITY_LOGIN_MAX_FAILURES", defaultValue: "5", meaning: "Failed logins per username from one client address within the throttle window before that address gets 429 for that username."),
        .init(name: "UNITY_LOGIN_MAX_FAILURES_PER_USER_TOTAL", defaultValue: "50", meaning: "Failed logins per username from all addresses together within the window before every address gets 429 for that username."),
        .init(name: "UNITY_LOGIN_MAX_FAILURES_PER_ADDRESS", defaultValue: "20", meaning: "Failed logins per client address within the window before 429."),
        .init(name: "UNITY_LOGIN_THROTTLE_WINDOW", defaultValue: "900", meaning: "Throttle window in seconds."),
        .init(name: "UNITY_TASK_<NAME>_INTERVAL", defaultValue: "(task default)", meaning: "Interval in seconds of one scheduled task, e.g. `UNITY_TASK_AUDIT_RETENTION_INTERVAL=3600`."),
        .init(name: "UNITY_PUBLIC_URL", defaultValue: "(none)", meaning: "Address people use to reach Unity, e.g. `https://unity.home.arpa`; notifications link to alerts under it."),
        .init(name: "UNITY_NOTIFY_BURST", defaultValue: "5", meaning: "Notifications per channel sent one by one within the window; more become one summary message."),
        .init(name: "UNITY_NOTIFY_WINDOW", defaultValue: "60", meaning: "Storm-grouping window in seconds (see UNITY_NOTIFY_BURST)."),
        .init(name: "UNITY_DNS_HOOKS_DIR", defaultValue: "(none: exec off)", meaning: "Absolute path of the folder of ACME `exec` DNS hooks; an order names one by file name (`settings.hook`). Not writable by group or others."),
        .init(name: "UNITY_REPLICA_ID", defaultValue: "(host-pid)", meaning: "Name of this process in task run records and leases."),
    ]
}
