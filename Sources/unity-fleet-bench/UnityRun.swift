import Foundation
import UnitySSH

/// Unity's side: the pooled swift-nio-ssh transport, every host pinned, one exec per host per cycle.
struct UnityRun {
    let targets: [SSHTarget]
    let command: RemoteCommand

    init(fleet: Fleet, command: RemoteCommand) throws {
        let key = try SSHPrivateKey(text: String(contentsOfFile: fleet.clientKeyPath, encoding: .utf8))
        targets = try (0..<fleet.count).map { index in
            SSHTarget(host: fleet.address(index), port: fleet.port, username: Fleet.user, credential: .privateKey(key),
                      hostKeyPolicy: .pinned([try HostKeyPin(line: fleet.pin(index))]), connectTimeout: .seconds(60))
        }
        self.command = command
    }

    /// Runs the command on every host at once; returns how many answered with exit 0 and output.
    func cycle(_ executor: NIOSSHTransport) async -> Int {
        await withTaskGroup(of: Bool.self) { group in
            for target in targets {
                group.addTask {
                    guard let result = try? await executor.run(command, on: target, timeout: .seconds(120), maxOutput: 1 << 20) else { return false }
                    return result.exitStatus == 0 && !result.stdout.isEmpty
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    func timed(_ executor: NIOSSHTransport) async -> (wall: Double, cpu: Double, answered: Int) {
        let cpu = Proc.selfCPU()
        let start = ContinuousClock.now
        let answered = await cycle(executor)
        let wall = ContinuousClock.now - start
        return (Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, Proc.selfCPU() - cpu, answered)
    }

    func measureCold(cycles: Int, configuration: SSHPoolConfiguration) async -> Measurement {
        var m = Measurement(tool: "Unity cold (new connections)")
        Proc.resetSelfPeak()
        for _ in 0..<cycles {
            let executor = NIOSSHTransport(configuration: configuration)
            let r = await timed(executor)
            m.walls.append(r.wall); m.cpus.append(r.cpu); m.answered.append(r.answered)
            await executor.shutdown()
        }
        m.peakRSSMB = Proc.selfPeakRSSMB()
        return m
    }

    func measureWarm(cycles: Int, configuration: SSHPoolConfiguration) async -> Measurement {
        var m = Measurement(tool: "Unity warm (pooled)")
        let executor = NIOSSHTransport(configuration: configuration)
        _ = await cycle(executor)  // priming cycle, not timed
        Proc.resetSelfPeak()
        for _ in 0..<cycles {
            let r = await timed(executor)
            m.walls.append(r.wall); m.cpus.append(r.cpu); m.answered.append(r.answered)
        }
        m.peakRSSMB = Proc.selfPeakRSSMB()
        await executor.shutdown()
        return m
    }
}
