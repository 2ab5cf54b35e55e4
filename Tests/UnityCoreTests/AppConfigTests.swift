import Foundation
import Testing
@testable import UnityCore

@Suite struct AppConfigTests {
    @Test func defaultsServeOnLoopbackWithSQLiteInTheDataFolder() throws {
        let config = try AppConfig.parse([:])
        #expect(config.bindHost == "127.0.0.1" && config.bindPort == 8080)
        #expect(config.database == .sqlite(path: "./unity-data/unity.sqlite"))
        #expect(config.masterKeyFile == "./unity-data/master.key")
        #expect(config.accessTokenTTL == 900 && config.schedulerEnabled)
    }

    @Test func postgresAndBindAreRead() throws {
        let config = try AppConfig.parse(["DATABASE_URL": "postgres://u:p@db:5432/unity", "UNITY_BIND": "[::1]:9000"])
        #expect(config.database == .postgres(url: "postgres://u:p@db:5432/unity"))
        #expect(config.bindHost == "::1" && config.bindPort == 9000)
    }

    @Test(arguments: [
        ("UNITY_BIND", "localhost"),
        ("UNITY_BIND", "0.0.0.0:99999"),
        ("DATABASE_URL", "mysql://x"),
        ("UNITY_MASTER_KEY", "short"),
        ("UNITY_MASTER_KEY", "c2hvcnQ="),
        ("UNITY_ADMIN_PASSWORD", "tooshort"),
        ("UNITY_LOG_LEVEL", "loud"),
        ("UNITY_SCHEDULER", "maybe"),
        ("UNITY_ACCESS_TOKEN_TTL", "5"),
        ("UNITY_MAX_BODY_SIZE", "huge"),
        ("UNITY_COOKIE_SECURE", "sometimes"),
        ("UNITY_TASK_AUDIT_RETENTION_INTERVAL", "0"),
    ])
    func badValuesNameTheSetting(name: String, value: String) {
        #expect(throws: ConfigError.self) { try AppConfig.parse([name: value]) }
        do {
            _ = try AppConfig.parse([name: value])
        } catch {
            #expect(error.setting == name)
            #expect(!error.reason.isEmpty)
        }
    }

    @Test func theConfigFileUsesTheSameNamesAndQuotes() throws {
        let values = try AppConfig.parseConfigFile("""
        # Unity settings
        UNITY_BIND = "0.0.0.0:8443"
        UNITY_LOG_LEVEL=debug

        UNITY_TASK_TOKEN_CLEANUP_INTERVAL='60'
        """)
        let config = try AppConfig.parse(values)
        #expect(config.bindPort == 8443 && config.logLevel == "debug")
        #expect(config.taskIntervals == ["token-cleanup": 60])
        #expect(throws: ConfigError.self) { try AppConfig.parseConfigFile("no equals sign here") }
    }

    @Test func sizesAcceptUnits() throws {
        #expect(try AppConfig.parse(["UNITY_MAX_BODY_SIZE": "512kb"]).maxBodySize == 512 * 1024)
        #expect(try AppConfig.parse(["UNITY_MAX_BODY_SIZE": "2mb"]).maxBodySize == 2 * 1024 * 1024)
        #expect(try AppConfig.parse(["UNITY_MAX_BODY_SIZE": "1000"]).maxBodySize == 1000)
    }

    @Test func everySettingReadIsDocumented() {
        let documented = Set(AppConfig.settings.map(\.name))
        for name in ["UNITY_DATA_DIR", "UNITY_BIND", "DATABASE_URL", "UNITY_MASTER_KEY", "UNITY_ADMIN_PASSWORD", "UNITY_LOG_LEVEL",
                     "UNITY_ACCESS_TOKEN_TTL", "UNITY_REFRESH_TOKEN_TTL", "UNITY_MAX_BODY_SIZE", "UNITY_SCHEDULER",
                     "UNITY_AUDIT_RETENTION_DAYS", "UNITY_COOKIE_SECURE", "UNITY_LOGIN_MAX_FAILURES", "UNITY_REPLICA_ID",
                     "UNITY_MASTER_KEY_PREVIOUS", "UNITY_LOGIN_MAX_FAILURES_PER_ADDRESS", "UNITY_LOGIN_THROTTLE_WINDOW", "UNITY_CONFIG"] {
            #expect(documented.contains(name), "\(name) is read but not documented")
        }
    }
}

/// The README's configuration table must list every setting Unity reads.
@Suite struct ReadmeSettingsTests {
    @Test func everySettingIsDocumentedInTheReadme() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        for setting in AppConfig.settings {
            #expect(text.contains("| `\(setting.name)` |"), "README lacks \(setting.name)")
        }
    }
}
