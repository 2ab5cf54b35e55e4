import Testing
@testable import UnityParsers

@Suite("/proc/loadavg, /proc/uptime and the uptime command")
struct LoadavgUptimeTests {
    static let covered = [
        "proc-loadavg-uptime/jc-loadavg.txt", "proc-loadavg-uptime/jc-proc-uptime.txt",
        "proc-loadavg-uptime/jc-uptime-cmd-centos7-hours.txt", "proc-loadavg-uptime/jc-uptime-cmd-ubuntu1804-days.txt",
        "proc-loadavg-uptime/node-exporter-loadavg.txt", "proc-loadavg-uptime/procfs-loadavg.txt",
    ]

    @Test func everyFixtureIsCovered() throws {
        #expect(try FixtureLoader.files(in: "proc-loadavg-uptime") == Self.covered.sorted())
    }

    @Test(arguments: [
        ("proc-loadavg-uptime/procfs-loadavg.txt", LoadAverage(one: 0.02, five: 0.04, fifteen: 0.05, runnableTasks: 1, totalTasks: 497, lastPID: 11947)),
        ("proc-loadavg-uptime/node-exporter-loadavg.txt", LoadAverage(one: 0.21, five: 0.37, fifteen: 0.39, runnableTasks: 1, totalTasks: 719, lastPID: 19737)),
        ("proc-loadavg-uptime/jc-loadavg.txt", LoadAverage(one: 0.00, five: 0.01, fifteen: 0.03, runnableTasks: 2, totalTasks: 111, lastPID: 2039)),
    ])
    func loadAverages(path: String, expected: LoadAverage) throws {
        #expect(try ProcLoadavg.parse(FixtureLoader.text(path)) == expected)
    }

    @Test func procUptime() throws {
        let uptime = try ProcUptime.parse(FixtureLoader.text("proc-loadavg-uptime/jc-proc-uptime.txt"))
        #expect(uptime == Uptime(seconds: 46901.13, idleSeconds: 46856.66))
        #expect(uptime.idleSeconds < uptime.seconds)
    }

    @Test func uptimeCommandUnderOneDay() throws {
        let text = try FixtureLoader.text("proc-loadavg-uptime/jc-uptime-cmd-centos7-hours.txt")
        #expect(try UptimeCommand.parse(text) == UptimeCommandOutput(
            timeOfDay: "10:25:20", uptimeSeconds: 16 * 3600 + 3 * 60, users: 2, load1: 0.00, load5: 0.01, load15: 0.05
        ))
    }

    @Test func uptimeCommandWithDays() throws {
        let text = try FixtureLoader.text("proc-loadavg-uptime/jc-uptime-cmd-ubuntu1804-days.txt")
        #expect(try UptimeCommand.parse(text) == UptimeCommandOutput(
            timeOfDay: "19:43:06", uptimeSeconds: 2 * 86400 + 19 * 3600 + 32 * 60, users: 2, load1: 0, load5: 0, load15: 0
        ))
    }

    @Test func uptimeCommandOtherShapes() throws {
        let minutes = try UptimeCommand.parse(" 09:01:02 up 5 min,  1 user,  load average: 1.50, 0.75, 0.25\n")
        #expect(minutes.uptimeSeconds == 300)
        #expect(minutes.users == 1)
        #expect(minutes.load1 == 1.5)
        let busybox = try UptimeCommand.parse(" 12:00:00 up 1 day,  3 min,  load average: 0.00, 0.00, 0.00")
        #expect(busybox.uptimeSeconds == 86400 + 180)
        #expect(busybox.users == nil)
        let bsd = try UptimeCommand.parse("10:00  up 3 days,  2:01, 4 users, load averages: 2.10 1.90 1.80")
        #expect(bsd.uptimeSeconds == 3 * 86400 + 2 * 3600 + 60)
        #expect(bsd.load15 == 1.8)
    }

    /// The collector reads /proc files; handing it `uptime` output must fail loudly, not yield 0.
    @Test func wrongCommandIsRejectedClearly() throws {
        let command = try FixtureLoader.text("proc-loadavg-uptime/jc-uptime-cmd-centos7-hours.txt")
        let asProc = #expect(throws: ParseError.self) { try ProcUptime.parse(command) }
        #expect(asProc?.reason.contains("UptimeCommand") == true)
        #expect(throws: ParseError.self) { try ProcLoadavg.parse(command) }
        #expect(throws: ParseError.self) { try UptimeCommand.parse(FixtureLoader.text("proc-loadavg-uptime/jc-proc-uptime.txt")) }
        #expect(throws: ParseError.self) { try UptimeCommand.parse(FixtureLoader.text("proc-loadavg-uptime/jc-loadavg.txt")) }
        #expect(throws: ParseError.self) { try ProcUptime.parse(FixtureLoader.text("proc-loadavg-uptime/jc-loadavg.txt")) }
    }

    @Test func rejectsMalformedValues() {
        for input in ["", "\n", "0.1 0.2 0.3 1/2", "0.1 0.2 0.3 1-2 5", "nan 0.2 0.3 1/2 5", "0.1 0.2 -0.3 1/2 5", "0x1p3 0 0 1/2 3"] {
            #expect(throws: ParseError.self, "\(input)") { try ProcLoadavg.parse(input) }
        }
        for input in ["", "1", "1 2 3", "inf 2", "-1 2"] {
            #expect(throws: ParseError.self, "\(input)") { try ProcUptime.parse(input) }
        }
        for input in ["", "up 3 min", "10:00 up 3 parsecs, load average: 0 0 0", "10:00 up 3 min, load average: 1 2"] {
            #expect(throws: ParseError.self, "\(input)") { try UptimeCommand.parse(input) }
        }
    }
}
