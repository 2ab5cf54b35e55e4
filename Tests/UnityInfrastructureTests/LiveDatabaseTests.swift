import Foundation
import Testing
import UnityParsers
@testable import UnityInfrastructure

/// Real PostgreSQL, MariaDB and Redis on loopback: discovery from real `ss`/`ps` output, and the
/// probe commands run through `/bin/sh -c` (standing in for the SSH exec channel) with the
/// password on stdin. Under CI a missing binary fails these tests instead of skipping them.
@Suite(.serialized) struct LiveDatabaseTests {
    func probe(_ target: DatabaseProbeTarget) throws -> DatabaseStatus {
        let command = try DatabaseProbe.command(for: target, password: LiveServers.password)
        #expect(!command.command.contains("w$HOME"), "the password must never be in the command text")
        let run = try Shell.sh(command.command, stdin: command.stdin)
        #expect(run.status == 0, "probe stderr: \(run.stderr)")
        return try DatabaseStatusParser.parse(run.stdout, engine: target.engine)
    }

    @Test(.enabled(if: LiveServers.runPostgres && LiveServers.runMariaDB && LiveServers.runRedis))
    func discoveryFindsRealServersFromRealSsAndPs() throws {
        try LiveServers.withPostgres { pg in
            try LiveServers.withMariaDB { maria in
                try LiveServers.withRedis { redis in
                    let ss = try Shell.sh("ss -H -ltnp").stdout
                    let ps = try Shell.sh("ps -eo pid,comm,args").stdout
                    let found = DatabaseDiscovery.detect(ss: ss, ps: ps)
                    let expected: [(DatabaseEngine, LiveServers.Server)] = [(.postgresql, pg), (.mariadb, maria), (.redis, redis)]
                    for (engine, server) in expected {
                        let instance = found.first { $0.pid == server.pid }
                        #expect(instance?.engine == engine, "\(engine) pid \(server.pid) in \(found)")
                        #expect(instance?.listenAddresses == [ListenAddress(host: "127.0.0.1", port: server.port)])
                    }
                    // Only the postmaster, not its checkpointer/walwriter children.
                    #expect(!found.contains { $0.commandLine?.hasPrefix("postgres:") == true })

                    // The same through the collection script's own sections.
                    let script = CollectionScript(groups: [.databases])
                    let run = try Shell.run("/bin/sh", ["-s"], stdin: script.text)
                    let sections = CollectionOutput.split(run.stdout, nonce: script.nonce.value, expected: script.expectedSections)
                    let (snapshot, errors) = HostSnapshot.assemble(sections: sections, previous: nil)
                    #expect(errors == [])
                    for (engine, server) in expected {
                        #expect(snapshot.databases.contains { $0.pid == server.pid && $0.engine == engine && $0.ports == [server.port] })
                    }
                }
            }
        }
    }

    @Test(.enabled(if: LiveServers.runPostgres))
    func postgresProbeReadsTheRealServer() throws {
        try LiveServers.withPostgres { pg in
            let status = try probe(DatabaseProbeTarget(
                engine: .postgresql, host: "127.0.0.1", port: pg.port, user: "unity", database: "unity"))
            let serverVersion = try Shell.sh("\(LiveServers.postgresBin ?? "")/postgres --version").stdout
            let number = try #require(status.version.split(separator: " ").first)
            #expect(serverVersion.contains(" \(number)"), "\(status.version) vs \(serverVersion)")
            #expect((status.connections ?? 0) >= 1)
            #expect((status.sizeBytes ?? 0) > 1_000_000)
            #expect((status.uptimeSeconds ?? -1) >= 0)
            #expect(status.cacheHitRatio.map { $0 > 0 && $0 <= 1 } == true)
        }
    }

    @Test(.enabled(if: LiveServers.runMariaDB))
    func mariadbProbeReadsTheRealServer() throws {
        try LiveServers.withMariaDB { maria in
            let status = try probe(DatabaseProbeTarget(engine: .mysql, host: "127.0.0.1", port: maria.port, user: "unity"))
            let serverVersion = try Shell.sh("mariadbd --version").stdout
            let number = try #require(status.version.split(separator: "-").first)
            #expect(serverVersion.contains(String(number)), "\(status.version) vs \(serverVersion)")
            #expect(status.engine == .mariadb)
            #expect((status.connections ?? 0) >= 1)
            #expect((status.sizeBytes ?? 0) > 0)
            #expect(status.cacheHitRatio.map { $0 >= 0 && $0 <= 1 } == true)

            // A wrong password fails with the client's own message, never a parsed status.
            let bad = try DatabaseProbe.command(
                for: DatabaseProbeTarget(engine: .mysql, host: "127.0.0.1", port: maria.port, user: "unity"), password: "nope")
            let run = try Shell.sh(bad.command, stdin: bad.stdin)
            #expect(run.status != 0 && run.stderr.contains("Access denied"))
        }
    }

    @Test(.enabled(if: LiveServers.runRedis))
    func redisProbeReadsTheRealServer() throws {
        try LiveServers.withRedis { redis in
            let status = try probe(DatabaseProbeTarget(engine: .redis, host: "127.0.0.1", port: redis.port))
            let serverVersion = try Shell.sh("redis-server --version").stdout
            #expect(serverVersion.contains("v=\(status.version) "), "\(status.version) vs \(serverVersion)")
            #expect((status.connections ?? 0) >= 1)
            #expect((status.sizeBytes ?? 0) > 0)
            #expect(status.cacheHitRatio == nil)
        }
    }
}
