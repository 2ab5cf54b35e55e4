/// Jiffies (USER_HZ ticks, normally 1/100 s) one CPU, or all CPUs together, spent in each state
/// since boot, as listed on a `cpu` line of `/proc/stat`.
///
/// Columns an old kernel does not print (iowait..guest_nice arrived between 2.5.41 and 2.6.33)
/// read as 0: the kernel did not account that time separately, so 0 is the honest value.
public struct CPUTimes: Sendable, Equatable, Codable {
    public var user: UInt64
    public var nice: UInt64
    public var system: UInt64
    public var idle: UInt64
    public var iowait: UInt64
    public var irq: UInt64
    public var softirq: UInt64
    public var steal: UInt64
    /// Time running guests; already included in `user` by the kernel.
    public var guest: UInt64
    /// Time running niced guests; already included in `nice` by the kernel.
    public var guestNice: UInt64

    public init(
        user: UInt64, nice: UInt64, system: UInt64, idle: UInt64, iowait: UInt64 = 0,
        irq: UInt64 = 0, softirq: UInt64 = 0, steal: UInt64 = 0, guest: UInt64 = 0, guestNice: UInt64 = 0
    ) {
        self.user = user
        self.nice = nice
        self.system = system
        self.idle = idle
        self.iowait = iowait
        self.irq = irq
        self.softirq = softirq
        self.steal = steal
        self.guest = guest
        self.guestNice = guestNice
    }

    /// All accounted time. Guest columns are left out because the kernel already counts them in
    /// user/nice; adding them again would understate how busy a VM host is.
    public var total: UInt64 {
        TextScanning.saturatingSum(user, nice, system, idle, iowait, irq, softirq, steal)
    }

    /// Time the CPU had nothing to run. iowait counts as idle: the CPU was free, a disk was not.
    public var idleTotal: UInt64 {
        TextScanning.saturatingSum(idle, iowait)
    }
}

/// One `cpuN` line of `/proc/stat`.
public struct PerCPUTimes: Sendable, Equatable, Codable {
    /// N in `cpuN`; not necessarily contiguous (offline CPUs are left out by the kernel).
    public var index: Int
    public var times: CPUTimes

    public init(index: Int, times: CPUTimes) {
        self.index = index
        self.times = times
    }
}
