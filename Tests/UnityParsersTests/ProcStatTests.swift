import Testing
@testable import UnityParsers

@Suite("/proc/stat")
struct ProcStatTests {
    static let covered = [
        "proc-stat/gopsutil-stat-4cpu.txt", "proc-stat/jc-stat-2cpu.txt",
        "proc-stat/node-exporter-stat-8cpu-guest.txt", "proc-stat/procfs-stat-8cpu-huge-intr.txt",
    ]

    @Test func everyFixtureIsCovered() throws {
        #expect(try FixtureLoader.files(in: "proc-stat") == Self.covered.sorted())
    }

    @Test func eightCPUsWithHugeInterruptLine() throws {
        let sample = try ProcStat.parse(FixtureLoader.text("proc-stat/procfs-stat-8cpu-huge-intr.txt"))
        #expect(sample.total == CPUTimes(
            user: 301854, nice: 612, system: 111922, idle: 8979004, iowait: 3552, irq: 2, softirq: 3944,
            steal: 0, guest: 0, guestNice: 0
        ))
        #expect(sample.cpus.map(\.index) == Array(0...7))
        #expect(sample.cpus.last?.times == CPUTimes(
            user: 29098, nice: 268, system: 10164, idle: 1139282, iowait: 555, irq: 0, softirq: 31
        ))
        #expect(sample.bootTime == 1418183276)
        #expect(sample.contextSwitches == 38014093)
        #expect(sample.processesCreated == 26442)
        #expect(sample.processesRunning == 2)
        #expect(sample.processesBlocked == 1)
    }

    @Test func guestColumnsAreRead() throws {
        let sample = try ProcStat.parse(FixtureLoader.text("proc-stat/node-exporter-stat-8cpu-guest.txt"))
        #expect(sample.total.guest == 44)
        #expect(sample.total.guestNice == 36)
        #expect(sample.cpus.count == 8)
        #expect(sample.cpus[7].times.guest == 9)
        #expect(sample.cpus[7].times.guestNice == 8)
        #expect(sample.processesBlocked == 0)
        // Same machine as the procfs copy: guest time is inside user, so totals must agree.
        let procfs = try ProcStat.parse(FixtureLoader.text("proc-stat/procfs-stat-8cpu-huge-intr.txt"))
        #expect(sample.total.total == procfs.total.total)
    }

    @Test func twoCPUVirtualMachine() throws {
        let sample = try ProcStat.parse(FixtureLoader.text("proc-stat/jc-stat-2cpu.txt"))
        #expect(sample.total == CPUTimes(user: 6002, nice: 152, system: 8398, idle: 3444436, iowait: 448, irq: 0, softirq: 1174))
        #expect(sample.cpus.count == 2)
        #expect(sample.cpus[1].times.softirq == 953)
        #expect(sample.bootTime == 1662154781)
        #expect(sample.contextSwitches == 4622716)
        #expect(sample.processesCreated == 9831)
        #expect(sample.processesRunning == 1)
    }

    @Test func stealColumnWithoutTrailingNewline() throws {
        let text = try FixtureLoader.text("proc-stat/gopsutil-stat-4cpu.txt")
        #expect(!text.hasSuffix("\n"))
        let sample = try ProcStat.parse(text)
        #expect(sample.total.steal == 5892)
        #expect(sample.cpus.map(\.times.steal) == [1046, 1765, 1546, 1534])
        #expect(sample.bootTime == 1505515383)
        #expect(sample.contextSwitches == 41317767)
        #expect(sample.processesCreated == 41562)
    }

    @Test func oldKernelWithFourColumns() throws {
        let sample = try ProcStat.parse("cpu  10 20 30 40\ncpu0 10 20 30 40\nbtime 5\n")
        #expect(sample.total == CPUTimes(user: 10, nice: 20, system: 30, idle: 40))
        #expect(sample.cpus.count == 1)
        #expect(sample.bootTime == 5)
        #expect(sample.contextSwitches == nil)
    }

    @Test func crlfLinesAreAccepted() throws {
        let sample = try ProcStat.parse("cpu 1 2 3 4 5 6 7 8 9 10\r\nctxt 42\r\n")
        #expect(sample.total.guestNice == 10)
        #expect(sample.contextSwitches == 42)
    }

    @Test func rejectsWhatIsNotProcStat() throws {
        #expect(throws: ParseError.self) { try ProcStat.parse("") }
        #expect(throws: ParseError.self) { try ProcStat.parse(FixtureLoader.text("proc-meminfo/jc-meminfo-modern-kernel.txt")) }
        let short = #expect(throws: ParseError.self) { try ProcStat.parse("cpu 1 2 3\n") }
        #expect(short?.line == 1)
        let bad = #expect(throws: ParseError.self) { try ProcStat.parse("cpu 1 2 3 4\ncpu0 1 2 x 4\n") }
        #expect(bad?.line == 2)
        #expect(throws: ParseError.self) { try ProcStat.parse("cpu 1 2 3 -4\n") }
        #expect(throws: ParseError.self) { try ProcStat.parse("cpu 1 2 3 99999999999999999999999\n") }
        #expect(throws: ParseError.self) { try ProcStat.parse("cpu 1 2 3 4\nbtime\n") }
        #expect(throws: ParseError.self) { try ProcStat.parse("cpu 1 2 3 4\ncpu 1 2 3 4\n") }
    }
}

@Suite("CPU usage between samples")
struct CPUUsageTests {
    @Test func busyShareOfElapsedTime() {
        let before = CPUTimes(user: 100, nice: 0, system: 50, idle: 800, iowait: 50)
        let after = CPUTimes(user: 150, nice: 10, system: 90, idle: 880, iowait: 70)
        // busy 50+10+40 = 100, idle 80+20 = 100
        #expect(CPUUsage.percent(previous: before, current: after) == 50)
    }

    @Test func sinceBootFromRealSample() throws {
        let sample = try ProcStat.parse(FixtureLoader.text("proc-stat/jc-stat-2cpu.txt"))
        let boot = CPUTimes(user: 0, nice: 0, system: 0, idle: 0)
        let percent = try #require(CPUUsage.percent(previous: boot, current: sample.total))
        // busy 6002+152+8398+1174 = 15726 of 3460610 jiffies
        #expect(abs(percent - 15726.0 / 3460610.0 * 100) < 1e-9)
    }

    @Test func guestTimeIsNotCountedTwice() {
        let before = CPUTimes(user: 100, nice: 0, system: 0, idle: 100)
        let after = CPUTimes(user: 200, nice: 0, system: 0, idle: 200, guest: 100)
        #expect(CPUUsage.percent(previous: before, current: after) == 50)
    }

    @Test func noElapsedTimeOrRebootGivesNil() {
        let sample = CPUTimes(user: 500, nice: 0, system: 100, idle: 1000)
        #expect(CPUUsage.percent(previous: sample, current: sample) == nil)
        let afterReboot = CPUTimes(user: 5, nice: 0, system: 1, idle: 10)
        #expect(CPUUsage.percent(previous: sample, current: afterReboot) == nil)
    }

    @Test func iowaitGoingBackwardsIsClamped() {
        let before = CPUTimes(user: 100, nice: 0, system: 0, idle: 100, iowait: 50)
        let after = CPUTimes(user: 200, nice: 0, system: 0, idle: 200, iowait: 40)
        #expect(CPUUsage.percent(previous: before, current: after) == 50)
    }

    @Test func saturatedCountersDoNotTrap() {
        let huge = CPUTimes(user: .max, nice: .max, system: .max, idle: .max, iowait: .max, irq: .max, softirq: .max, steal: .max)
        #expect(CPUUsage.percent(previous: CPUTimes(user: 0, nice: 0, system: 0, idle: 0), current: huge) != nil)
        #expect(CPUUsage.percent(previous: huge, current: huge) == nil)
    }
}
