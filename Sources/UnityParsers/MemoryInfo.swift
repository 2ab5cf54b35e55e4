/// Memory figures from `/proc/meminfo`, converted from the kernel's kB (really KiB) to bytes.
public struct MemoryInfo: Sendable, Equatable, Codable {
    public var totalBytes: UInt64
    public var freeBytes: UInt64
    /// `MemAvailable`, or an estimate when the kernel predates it (see `availableIsEstimated`).
    public var availableBytes: UInt64
    /// True when `MemAvailable` was missing (kernels before 3.14) and `availableBytes` was
    /// estimated as MemFree + Buffers + Cached + SReclaimable - Shmem, capped at MemTotal.
    public var availableIsEstimated: Bool
    /// nil when the line is absent (truncated or minimal captures), not when it is 0.
    public var buffersBytes: UInt64?
    public var cachedBytes: UInt64?
    public var swapTotalBytes: UInt64?
    public var swapFreeBytes: UInt64?

    public init(
        totalBytes: UInt64, freeBytes: UInt64, availableBytes: UInt64, availableIsEstimated: Bool,
        buffersBytes: UInt64?, cachedBytes: UInt64?, swapTotalBytes: UInt64?, swapFreeBytes: UInt64?
    ) {
        self.totalBytes = totalBytes
        self.freeBytes = freeBytes
        self.availableBytes = availableBytes
        self.availableIsEstimated = availableIsEstimated
        self.buffersBytes = buffersBytes
        self.cachedBytes = cachedBytes
        self.swapTotalBytes = swapTotalBytes
        self.swapFreeBytes = swapFreeBytes
    }

    /// Swap in use, when both swap lines were present.
    public var swapUsedBytes: UInt64? {
        guard let total = swapTotalBytes, let free = swapFreeBytes else { return nil }
        return total > free ? total - free : 0
    }
}
