import Testing
import UnityParsers
@testable import UnityInfrastructure

@Suite struct DatabaseProbeTests {
    static let prelude = #"IFS= read -r u_pw || :; if [ -n "$u_pw" ]; then VAR=$u_pw; export VAR; fi; unset u_pw; "#
        + "PGCONNECT_TIMEOUT=10; export PGCONNECT_TIMEOUT; LC_ALL=C; export LC_ALL; "
        + "if timeout -k 1 5 true >/dev/null 2>&1; then set -- timeout -k 5 15; else set --; fi; "

    static func prelude(_ variable: String) -> String { prelude.replacingOccurrences(of: "VAR", with: variable) }

    @Test func postgresCommandIsExactAndQuotesEveryValue() throws {
        let command = try DatabaseProbe.command(
            for: DatabaseProbeTarget(engine: .postgresql, host: "db'; rm -rf /", port: 5433, user: "$(id)", database: "a b"),
            password: "s'e\"c$r\\t")
        let query = DatabaseProbe.postgresQuery.replacingOccurrences(of: "'", with: #"'\''"#)
        #expect(command.command == Self.prelude("PGPASSWORD")
            + #"exec "$@" psql -X -A -t -F '|' -h 'db'\''; rm -rf /' -p '5433' -U '$(id)' -d 'a b' -c '"#
            + query + "' </dev/null")
        #expect(command.stdin == "s'e\"c$r\\t\n")
        #expect(!command.command.contains("c$r"))
    }

    @Test func mysqlAndRedisCommandsAreExact() throws {
        let mysql = try DatabaseProbe.command(
            for: DatabaseProbeTarget(engine: .mariadb, host: "127.0.0.1", port: 3306, user: "monitor"), password: nil)
        let query = DatabaseProbe.mysqlQuery.replacingOccurrences(of: "'", with: #"'\''"#)
        #expect(mysql.command == Self.prelude("MYSQL_PWD")
            + #"exec "$@" mysql --batch --skip-column-names --connect-timeout=10 -h '127.0.0.1' -P '3306' -u 'monitor' -e '"#
            + query + "' </dev/null")
        #expect(mysql.stdin == "\n")
        let redis = try DatabaseProbe.command(
            for: DatabaseProbeTarget(engine: .redis, host: "::1", port: 6380, user: "default"), password: "pw", timeoutSeconds: 5)
        #expect(redis.command == Self.prelude("REDISCLI_AUTH").replacingOccurrences(of: "-k 5 15", with: "-k 5 5")
            + #"exec "$@" redis-cli -h '::1' -p '6380' --user 'default' INFO </dev/null"#)
        let local = try DatabaseProbe.command(for: DatabaseProbeTarget(engine: .redis), password: nil)
        #expect(local.command.hasSuffix(#"exec "$@" redis-cli INFO </dev/null"#))
    }

    @Test func valuesThatCannotTravelSafelyAreRefused() {
        #expect(throws: DatabaseProbeError.invalidValue(field: "password")) {
            try DatabaseProbe.command(for: DatabaseProbeTarget(engine: .redis), password: "two\nlines")
        }
        #expect(throws: DatabaseProbeError.invalidValue(field: "user")) {
            try DatabaseProbe.command(for: DatabaseProbeTarget(engine: .postgresql, user: "a\u{0}b"), password: nil)
        }
        #expect(throws: DatabaseProbeError.unsupportedEngine(.mongodb)) {
            try DatabaseProbe.command(for: DatabaseProbeTarget(engine: .mongodb), password: nil)
        }
    }

    @Test func quotedValuesSurviveTheShellUnchanged() throws {
        for value in ["plain", "it's", #"a"b"#, "$(id)", "`id`", "a\\b", " lead", "*", "ü"] {
            let echoed = try Shell.sh("printf %s \(ShellQuote.quote(value))").stdout
            #expect(echoed == value)
        }
    }

    @Test func probeOutputsParse() throws {
        let pg = try DatabaseStatusParser.parse("15.18 (Debian 15.18-0+deb12u1)|42|3|7537199|0.9935\n", engine: .postgresql)
        #expect(pg == DatabaseStatus(engine: .postgresql, version: "15.18 (Debian 15.18-0+deb12u1)", uptimeSeconds: 42,
                                     connections: 3, sizeBytes: 7_537_199, cacheHitRatio: 0.9935))
        let fresh = try DatabaseStatusParser.parse("16.2|0|1|100|\n", engine: .postgresql)
        #expect(fresh.cacheHitRatio == nil)
        let mysql = try DatabaseStatusParser.parse("""
            version\t8.0.36
            Innodb_buffer_pool_read_requests\t1000
            Innodb_buffer_pool_reads\t10
            Threads_connected\t2
            Uptime\t3600
            size_bytes\t65536
            """, engine: .mysql)
        #expect(mysql == DatabaseStatus(engine: .mysql, version: "8.0.36", uptimeSeconds: 3600, connections: 2,
                                        sizeBytes: 65536, cacheHitRatio: 0.99))
        let redis = try DatabaseStatusParser.parse(
            "# Server\r\nredis_version:7.0.15\r\nuptime_in_seconds:12\r\n# Clients\r\nconnected_clients:1\r\nused_memory:873264\r\n",
            engine: .redis)
        #expect(redis == DatabaseStatus(engine: .redis, version: "7.0.15", uptimeSeconds: 12, connections: 1, sizeBytes: 873_264))
        #expect(throws: ParseError.self) { try DatabaseStatusParser.parse("NOAUTH Authentication required.\n", engine: .redis) }
        #expect(throws: ParseError.self) { try DatabaseStatusParser.parse("", engine: .postgresql) }
        #expect(throws: ParseError.self) { try DatabaseStatusParser.parse("ERROR 1045 (28000)", engine: .mysql) }
    }
}
