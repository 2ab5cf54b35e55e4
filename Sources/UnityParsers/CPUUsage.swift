/// Busy percentage between two `/proc/stat` samples. Counters are cumulative since boot, so a
/// single sample only tells the average since boot; the delta between two tells "now".
public enum CPUUsage {
    /// Percent (0...100) of the elapsed CPU time that was not idle or iowait, or nil when the two
    /// samples cannot be compared: no time passed, or the host rebooted between them (total
    /// went backwards).
    ///
    /// Each column's delta is clamped at 0 rather than rejecting the pair, because the kernel's
    /// iowait counter is documented to go backwards occasionally on NOHZ systems.
    public static func percent(previous: CPUTimes, current: CPUTimes) -> Double? {
        guard current.total >= previous.total else { return nil }
        func delta(_ old: UInt64, _ new: UInt64) -> UInt64 { new > old ? new - old : 0 }
        let busy = TextScanning.saturatingSum(
            delta(previous.user, current.user), delta(previous.nice, current.nice),
            delta(previous.system, current.system), delta(previous.irq, current.irq),
            delta(previous.softirq, current.softirq), delta(previous.steal, current.steal)
        )
        let idle = TextScanning.saturatingSum(delta(previous.idle, current.idle), delta(previous.iowait, current.iowait))
        let elapsed = TextScanning.saturatingSum(busy, idle)
        guard elapsed > 0 else { return nil }
        return min(100, max(0, Double(busy) / Double(elapsed) * 100))
    }
}
