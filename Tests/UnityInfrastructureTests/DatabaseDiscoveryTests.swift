import Testing
@testable import UnityInfrastructure

/// Shapes the live test cannot produce on this machine: netstat, no `-p` rights, IPv6, clashes.
@Suite struct DatabaseDiscoveryTests {
    static let ps = """
          PID COMMAND         COMMAND
          812 postgres        /usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main
          830 postgres        postgres: 15/main: checkpointer
          901 mariadbd        /usr/sbin/mariadbd
          950 redis-server    /usr/bin/redis-server 127.0.0.1:6379
          990 php-fpm8.2      php-fpm: master process (/etc/php/8.2/fpm/php-fpm.conf)
         1001 mongod          /usr/bin/mongod --config /etc/mongod.conf
        """

    @Test func ssWithProcessesGroupsAddressesPerPid() {
        let ss = """
            LISTEN 0      244        127.0.0.1:5432      0.0.0.0:*    users:(("postgres",pid=812,fd=6))
            LISTEN 0      244            [::1]:5432         [::]:*    users:(("postgres",pid=812,fd=5))
            LISTEN 0      80         127.0.0.1:3307      0.0.0.0:*    users:(("mariadbd",pid=901,fd=21))
            LISTEN 0      511          0.0.0.0:9000      0.0.0.0:*    users:(("php-fpm8.2",pid=990,fd=9))
            LISTEN 0      511   127.0.0.53%lo:53         0.0.0.0:*    users:(("systemd-resolve",pid=5,fd=14))
            """
        let found = DatabaseDiscovery.detect(ss: ss, ps: Self.ps)
        #expect(found.map(\.engine) == [.postgresql, .mariadb, .mongodb, .redis])
        #expect(found[0].listenAddresses == [ListenAddress(host: "127.0.0.1", port: 5432), ListenAddress(host: "::1", port: 5432)])
        #expect(found[0].commandLine == "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main")
        #expect(found[1].ports == [3307])  // a moved port is still MariaDB: the process says so
        // Seen only in ps (sockets not listed): present without addresses.
        #expect(found[3].pid == 950 && found[3].listenAddresses.isEmpty)
        #expect(!found.contains { $0.pid == 830 || $0.pid == 990 })
    }

    @Test func withoutProcessRightsPortsDecideAndPsFillsThePid() {
        let ss = """
            State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process
            LISTEN 0      244        127.0.0.1:5432      0.0.0.0:*
            LISTEN 0      80           0.0.0.0:3306      0.0.0.0:*
            LISTEN 0      511          0.0.0.0:6379      0.0.0.0:*
            LISTEN 0      511                *:9000            *:*
            """
        let found = DatabaseDiscovery.detect(ss: ss, ps: Self.ps)
        #expect(found.map(\.engine) == [.postgresql, .mariadb, .redis, .minio, .mongodb])
        #expect(found.map(\.pid) == [812, 901, 950, nil, 1001])
        #expect(found[3].listenAddresses == [ListenAddress(host: "*", port: 9000)])
    }

    @Test func netstatOutputWorksToo() {
        let netstat = """
            Active Internet connections (only servers)
            Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
            tcp        0      0 127.0.0.1:6379          0.0.0.0:*               LISTEN      950/redis-server 12
            tcp6       0      0 :::27017                :::*                    LISTEN      1001/mongod
            tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      600/sshd: /usr/sbin
            """
        let found = DatabaseDiscovery.detect(ss: netstat, ps: "")
        #expect(found == [
            DatabaseInstance(engine: .redis, pid: 950, processName: "redis-server",
                             listenAddresses: [ListenAddress(host: "127.0.0.1", port: 6379)]),
            DatabaseInstance(engine: .mongodb, pid: 1001, processName: "mongod",
                             listenAddresses: [ListenAddress(host: "::", port: 27017)]),
        ])
    }

    @Test func garbageFindsNothingAndNeverTraps() {
        #expect(DatabaseDiscovery.detect(ss: "", ps: "").isEmpty)
        #expect(DatabaseDiscovery.detect(ss: "LISTEN 0 0 :99999999999999999999 x users:((\"", ps: "x\n1\n-5 a").isEmpty)
        #expect(ListenerParser.address("[::1]:") == nil && ListenerParser.address(":80") == nil)
    }

    /// The byte-level ps reader keeps what the column layout means: padding around fields goes,
    /// spaces inside the command line stay, CRLF (a pty) and non-ASCII arguments are fine.
    @Test func psRowsAreReadFieldByField() {
        let text = "  PID COMMAND  COMMAND\r\n   7 postgres   postgres: 15/main: checkpointer   \r\n"
            + "\t12\tredis-server\t/usr/bin/redis-server  café:6379\n  13 kworker\n\n  x bash bash\n  14\n"
        #expect(ListenerParser.processes(text) == [
            ProcessRow(pid: 7, name: "postgres", args: "postgres: 15/main: checkpointer"),
            ProcessRow(pid: 12, name: "redis-server", args: "/usr/bin/redis-server  café:6379"),
            ProcessRow(pid: 13, name: "kworker", args: ""),
        ])
    }
}
