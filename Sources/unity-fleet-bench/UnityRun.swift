import Foundation
import UnityInfrastructure
import UnitySSH

/// Unity's side: the pooled swift-nio-ssh transport, every host pinned, one exec per host per cycle.
/// With the collection script it does what `ServerCollector` does per server: a fresh
/// `CollectionScript` (new nonce) on stdin of `sh -s`, then `CollectionOutput.split` and
/// `HostSnapshot.assemble` against that host's previous snapshot, all inside the timed cycle.
struct UnityRun {
    let targets: [SSHTarget]
    let workload: Workload
    /// Hosts collected at a time; nil is all at once. `ServerCollector.collectAll` uses 16.
    let concurrency: Int?

    init(fleet: Fleet, workload: Workload, concurrency: Int? = nil) throws {
        let key = try SSHPrivateKey(text: String(contentsOfFile: fleet.clientKeyPath, encoding: .utf8))
        targets = try (0..<fleet.count).map { index in
            SSHTarget(host: fleet.address(index), port: fleet.port, username: Fleet.user, credential: .privateKey(key),
                      hostKeyPolicy: .pinned([try HostKeyPin(line: fleet.pin(index))]), connectTimeout: .seconds(60))
        }
        self.workload = workload
        self.concurrency = concurrency
    }

    struct HostOutcome: Sendable {
        var index: Int
        var answered = false
        var snapshot: HostSnapshot?
        var bytes = 0
        /// Thread CPU seconds of split + assemble (no suspension point in between).
        var parseCPU = 0.0
    }

    struct CycleOutcome {
        var answered = 0
        /// Hosts whose snapshot has a CPU busy percentage, i.e. the previous snapshot was used.
        var withCPUPercent = 0
        var bytes = 0
        var parseCPU = 0.0
    }

    /// One host: run, and for the script split + assemble. Never throws: a failure is "not answered".
    static func collect(_ target: SSHTarget, index: Int, workload: Workload, previous: HostSnapshot?,
                        executor: NIOSSHTransport) async -> HostOutcome {
        var outcome = HostOutcome(index: index)
        switch workload {
        case .fixed(let command):
            guard let result = try? await executor.run(command, on: target, timeout: .seconds(120), maxOutput: 1 << 20) else { return outcome }
            outcome.answered = result.exitStatus == 0 && !result.stdout.isEmpty
            outcome.bytes = result.stdout.count
        case .collectionScript:
            let script = CollectionScript(sudo: .none)
            let command = RemoteCommand("sh -s").withInput(Data(script.text.utf8))
            guard let result = try? await executor.run(command, on: target, timeout: .seconds(120), maxOutput: 32 << 20) else { return outcome }
            let parseStart = Proc.threadCPU()
            let check = CollectionCheck.evaluate(result.stdoutText, nonce: script.nonce.value, expected: script.expectedSections,
                                                 previous: previous)
            outcome.parseCPU = Proc.threadCPU() - parseStart
            outcome.answered = check.answered
            outcome.snapshot = check.snapshot
            outcome.bytes = result.stdout.count
        }
        return outcome
    }

    /// Runs on `concurrency` hosts at a time (all at once when nil, as the peers are run); keeps each
    /// host's snapshot in `previous` for the next cycle.
    func cycle(_ executor: NIOSSHTransport, previous: inout [HostSnapshot?]) async -> CycleOutcome {
        let before = previous
        let workload = self.workload
        let width = min(concurrency ?? targets.count, targets.count)
        let outcomes = await withTaskGroup(of: HostOutcome.self) { group in
            var pending = targets.enumerated().makeIterator()
            func startNext() -> Bool {
                guard let (index, target) = pending.next() else { return false }
                group.addTask {
                    await UnityRun.collect(target, index: index, workload: workload, previous: before[index], executor: executor)
                }
                return true
            }
            for _ in 0..<width {
                guard startNext() else { break }
            }
            var all: [HostOutcome] = []
            while let outcome = await group.next() {
                all.append(outcome)
                _ = startNext()
            }
            return all
        }
        var result = CycleOutcome()
        for outcome in outcomes {
            if outcome.answered { result.answered += 1 }
            if outcome.snapshot?.cpuPercent != nil { result.withCPUPercent += 1 }
            result.bytes += outcome.bytes
            result.parseCPU += outcome.parseCPU
            if let snapshot = outcome.snapshot { previous[outcome.index] = snapshot }
        }
        return result
    }

    func timed(_ executor: NIOSSHTransport, previous: inout [HostSnapshot?]) async -> (wall: Double, cpu: Double, outcome: CycleOutcome) {
        let cpu = Proc.selfCPU()
        let start = ContinuousClock.now
        let outcome = await cycle(executor, previous: &previous)
        let wall = ContinuousClock.now - start
        return (Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, Proc.selfCPU() - cpu, outcome)
    }

    private func record(_ r: (wall: Double, cpu: Double, outcome: CycleOutcome), into m: inout Measurement) {
        m.walls.append(r.wall); m.cpus.append(r.cpu); m.answered.append(r.outcome.answered)
        m.bytesPerHost.append(Double(r.outcome.bytes) / Double(max(1, targets.count)))
        m.parseCPUs.append(r.outcome.parseCPU)
        let kib = Double(r.outcome.bytes) / Double(max(1, targets.count)) / 1024
        FileHandle.standardError.write(Data(("  \(m.tool): wall \(Report.f(r.wall, 2)) s, cpu \(Report.f(r.cpu, 3)) s, "
            + "of which split+assemble \(Report.f(r.outcome.parseCPU, 3)) s, answered \(r.outcome.answered), cpu% from previous \(r.outcome.withCPUPercent), \(Report.f(kib, 1)) KiB/host\n").utf8))
    }

    private var widthLabel: String { concurrency.map { ", \($0) at a time" } ?? "" }

    func measureCold(cycles: Int, configuration: SSHPoolConfiguration) async -> Measurement {
        var m = Measurement(tool: "Unity cold (new connections)" + widthLabel)
        var previous = [HostSnapshot?](repeating: nil, count: targets.count)
        Proc.resetSelfPeak()
        for _ in 0..<cycles {
            let executor = NIOSSHTransport(configuration: configuration)
            record(await timed(executor, previous: &previous), into: &m)
            await executor.shutdown()
        }
        m.peakRSSMB = Proc.selfPeakRSSMB()
        return m
    }

    func measureWarm(cycles: Int, configuration: SSHPoolConfiguration) async -> Measurement {
        var m = Measurement(tool: "Unity warm (pooled)" + widthLabel)
        var previous = [HostSnapshot?](repeating: nil, count: targets.count)
        let executor = NIOSSHTransport(configuration: configuration)
        _ = await cycle(executor, previous: &previous)  // priming cycle, not timed
        Proc.resetSelfPeak()
        for _ in 0..<cycles {
            record(await timed(executor, previous: &previous), into: &m)
        }
        m.peakRSSMB = Proc.selfPeakRSSMB()
        await executor.shutdown()
        return m
    }
}
