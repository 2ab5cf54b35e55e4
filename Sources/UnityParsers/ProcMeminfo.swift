/// Parser for `cat /proc/meminfo`.
public enum ProcMeminfo {
    static let source = "/proc/meminfo"

    /// Keys whose values we use. Only these are validated: other lines (HugePages_* counts,
    /// the legacy 2.4-style "total: used:" table some embedded kernels still print first)
    /// are skipped rather than rejected.
    private static let wanted: Set<Substring> = [
        "MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
        "SwapTotal", "SwapFree", "Shmem", "SReclaimable",
    ]

    public static func parse(_ output: String) throws(ParseError) -> MemoryInfo {
        var bytes: [Substring: UInt64] = [:]
        for line in TextScanning.lines(output) {
            guard let colon = line.text.utf8.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = line.text[line.text.startIndex..<colon]
            guard wanted.contains(key), bytes[key] == nil else { continue }
            let rest = line.text[line.text.utf8.index(after: colon)...]
            bytes[key] = try kibibytesAsBytes(TextScanning.fields(rest), key: key, line: line.number)
        }

        guard let total = bytes["MemTotal"], let free = bytes["MemFree"] else {
            throw ParseError(source: source, reason: "MemTotal and MemFree are required; not /proc/meminfo output")
        }
        let available: UInt64
        let estimated: Bool
        if let reported = bytes["MemAvailable"] {
            available = reported
            estimated = false
        } else {
            // Same approximation free(1) and htop used before the kernel exported MemAvailable:
            // page cache and reclaimable slab can be dropped, shared memory (tmpfs) cannot.
            let reclaimable = TextScanning.saturatingSum(
                free, bytes["Buffers"] ?? 0, bytes["Cached"] ?? 0, bytes["SReclaimable"] ?? 0
            )
            let shmem = bytes["Shmem"] ?? 0
            available = min(total, reclaimable > shmem ? reclaimable - shmem : 0)
            estimated = true
        }
        return MemoryInfo(
            totalBytes: total, freeBytes: free, availableBytes: available, availableIsEstimated: estimated,
            buffersBytes: bytes["Buffers"], cachedBytes: bytes["Cached"],
            swapTotalBytes: bytes["SwapTotal"], swapFreeBytes: bytes["SwapFree"]
        )
    }

    /// "16115528 kB" → bytes. The kernel always prints the kB unit for these keys; a value
    /// without it would be a different format, so it is rejected rather than guessed.
    private static func kibibytesAsBytes(_ fields: [Substring], key: Substring, line: Int) throws(ParseError) -> UInt64 {
        guard fields.count == 2, fields[1] == "kB", let kib = TextScanning.unsigned(fields[0]) else {
            throw ParseError(source: source, line: line, reason: "\(key) should be '<number> kB'")
        }
        guard let value = TextScanning.multiply(kib, 1024) else {
            throw ParseError(source: source, line: line, reason: "\(key) overflows 64 bits")
        }
        return value
    }
}
