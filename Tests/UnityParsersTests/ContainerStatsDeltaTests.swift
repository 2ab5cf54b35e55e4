import Foundation
import Testing
import UnityParsers

/// CPU % between two one-shot samples (Docker's one-shot answer has no previous sample of its own).
@Suite struct ContainerStatsDeltaTests {
    static func sample(total: UInt64, system: UInt64, cpus: Int = 2) throws -> ContainerStatsSample {
        try ContainerStatsSample.decode(Data("""
        {"read":"2026-12-07T10:00:00Z","cpu_stats":{"cpu_usage":{"total_usage":\(total)},"system_cpu_usage":\(system),"online_cpus":\(cpus)},
         "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":0},"memory_stats":{"usage":1000,"limit":2000}}
        """.utf8))
    }

    @Test func cpuPercentBetweenTwoSamplesAsDockerStatsComputesIt() throws {
        let earlier = try Self.sample(total: 1_000_000_000, system: 100_000_000_000)
        #expect(earlier.cpuPercent == nil, "one-shot: no previous sample")
        let later = try Self.sample(total: 1_500_000_000, system: 102_000_000_000)
        // 0.5 s of CPU over 2 s of the host's (2 CPUs: 1 s of wall time) = 25 % × 2 CPUs = 50 %.
        #expect(later.cpuPercent(since: earlier) == 50)
    }

    @Test func aRestartedContainersCountersGiveNoPercent() throws {
        let earlier = try Self.sample(total: 9_000_000_000, system: 100_000_000_000)
        let restarted = try Self.sample(total: 10_000_000, system: 101_000_000_000)
        #expect(restarted.cpuPercent(since: earlier) == nil)
        #expect(earlier.cpuPercent(since: earlier) == nil, "no time passed on the host")
    }
}
