import Testing
@testable import UnityParsers

@Suite("/proc/meminfo")
struct ProcMeminfoTests {
    static let covered = [
        "proc-meminfo/gopsutil-meminfo-intel-core-i5.txt", "proc-meminfo/gopsutil-meminfo-legacy-header-highmem.txt",
        "proc-meminfo/gopsutil-meminfo-truncated-4-lines.txt", "proc-meminfo/jc-meminfo-modern-kernel.txt",
        "proc-meminfo/node-exporter-meminfo-swap-in-use.txt", "proc-meminfo/procfs-meminfo-zswap-no-swap.txt",
    ]

    @Test func everyFixtureIsCovered() throws {
        #expect(try FixtureLoader.files(in: "proc-meminfo") == Self.covered.sorted())
    }

    @Test func desktopWithMemAvailable() throws {
        let info = try ProcMeminfo.parse(FixtureLoader.text("proc-meminfo/gopsutil-meminfo-intel-core-i5.txt"))
        #expect(info == MemoryInfo(
            totalBytes: 16115528 * 1024, freeBytes: 8577628 * 1024, availableBytes: 11225936 * 1024,
            availableIsEstimated: false, buffersBytes: 207516 * 1024, cachedBytes: 3791568 * 1024,
            swapTotalBytes: 8065020 * 1024, swapFreeBytes: 8065020 * 1024
        ))
        #expect(info.swapUsedBytes == 0)
    }

    @Test func legacyHeaderRowsAreSkipped() throws {
        let info = try ProcMeminfo.parse(FixtureLoader.text("proc-meminfo/gopsutil-meminfo-legacy-header-highmem.txt"))
        #expect(info == MemoryInfo(
            totalBytes: 254472 * 1024, freeBytes: 121588 * 1024, availableBytes: 210156 * 1024,
            availableIsEstimated: false, buffersBytes: 4800 * 1024, cachedBytes: 91860 * 1024,
            swapTotalBytes: 0, swapFreeBytes: 0
        ))
    }

    @Test func truncatedSampleLeavesMissingFieldsNil() throws {
        let info = try ProcMeminfo.parse(FixtureLoader.text("proc-meminfo/gopsutil-meminfo-truncated-4-lines.txt"))
        #expect(info.totalBytes == 260799420 * 1024)
        #expect(info.freeBytes == 119443248 * 1024)
        #expect(info.availableBytes == 127880216 * 1024)
        #expect(!info.availableIsEstimated)
        #expect(info.buffersBytes == nil)
        #expect(info.cachedBytes == nil)
        #expect(info.swapTotalBytes == nil)
        #expect(info.swapUsedBytes == nil)
    }

    @Test func modernKernel() throws {
        let info = try ProcMeminfo.parse(FixtureLoader.text("proc-meminfo/jc-meminfo-modern-kernel.txt"))
        #expect(info.totalBytes == 3997272 * 1024)
        #expect(info.availableBytes == 3386876 * 1024)
        #expect(info.buffersBytes == 40452 * 1024)
        #expect(info.cachedBytes == 684856 * 1024)
        #expect(info.swapTotalBytes == 3996668 * 1024)
        #expect(info.swapUsedBytes == 0)
    }

    @Test func oldKernelUnderSwapPressureGetsEstimate() throws {
        let info = try ProcMeminfo.parse(FixtureLoader.text("proc-meminfo/node-exporter-meminfo-swap-in-use.txt"))
        #expect(info.availableIsEstimated)
        // MemFree 225472 + Buffers 22040 + Cached 930888 + SReclaimable 44772 - Shmem 593840
        #expect(info.availableBytes == 629332 * 1024)
        #expect(info.swapUsedBytes == (4194300 - 3155360) * 1024)
        #expect(info.totalBytes == 3742148 * 1024)
    }

    @Test func noSwapConfigured() throws {
        let info = try ProcMeminfo.parse(FixtureLoader.text("proc-meminfo/procfs-meminfo-zswap-no-swap.txt"))
        #expect(info.swapTotalBytes == 0)
        #expect(info.swapFreeBytes == 0)
        #expect(info.swapUsedBytes == 0)
        #expect(info.availableIsEstimated)
        // 440324 + 1020128 + 12007640 + 1738124 - 1308, below MemTotal 15666184
        #expect(info.availableBytes == 15204908 * 1024)
    }

    @Test func estimateNeverExceedsTotal() throws {
        let info = try ProcMeminfo.parse("MemTotal: 100 kB\nMemFree: 90 kB\nCached: 500 kB\n")
        #expect(info.availableBytes == 100 * 1024)
    }

    @Test func rejectsBadInput() throws {
        #expect(throws: ParseError.self) { try ProcMeminfo.parse("") }
        #expect(throws: ParseError.self) { try ProcMeminfo.parse("MemFree: 1 kB\n") }
        #expect(throws: ParseError.self) { try ProcMeminfo.parse(FixtureLoader.text("proc-stat/jc-stat-2cpu.txt")) }
        let unit = #expect(throws: ParseError.self) { try ProcMeminfo.parse("MemTotal: 10 kB\nMemFree: 5 MB\n") }
        #expect(unit?.line == 2)
        #expect(throws: ParseError.self) { try ProcMeminfo.parse("MemTotal: -10 kB\nMemFree: 5 kB\n") }
        #expect(throws: ParseError.self) { try ProcMeminfo.parse("MemTotal: 18014398509481984 kB\nMemFree: 5 kB\n") }
    }
}
