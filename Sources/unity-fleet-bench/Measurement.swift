import Foundation

/// One tool in one mode: a row of the fleet table.
struct Measurement {
    let tool: String
    var walls: [Double] = []
    var cpus: [Double] = []
    var answered: [Int] = []
    var peakRSSMB: Double = 0
    var command = ""
    /// Mean stdout bytes per host, per cycle (Unity rows only).
    var bytesPerHost: [Double] = []
    /// Unity rows: thread CPU seconds per cycle spent in `CollectionOutput.split` + `HostSnapshot.assemble`.
    var parseCPUs: [Double] = []

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    var wall: Double { Self.median(walls) }
    var cpu: Double { Self.median(cpus) }
    var minAnswered: Int { answered.min() ?? 0 }
}

/// Samples the summed RSS of a process tree (plus detached ssh masters) every 20 ms on a plain thread.
final class TreeSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peakKB = 0
    private var running = true

    func start(root: pid_t, marker: String?) {
        Thread {
            while self.isRunning {
                let table = Proc.all()
                let total = Proc.tree(root, marker: marker, in: table).reduce(0) { $0 + (table[$1]?.rssKB ?? 0) }
                self.lock.lock()
                self.peakKB = max(self.peakKB, total)
                self.lock.unlock()
                Thread.sleep(forTimeInterval: 0.02)
            }
        }.start()
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    func stop() -> Double {
        lock.lock()
        defer { lock.unlock() }
        running = false
        return Double(peakKB) / 1024
    }
}

/// CPU seconds of every process whose command line contains `marker` (the peers' ssh masters).
func markerCPU(_ marker: String) -> Double {
    Proc.all().values.filter { $0.cmdline.contains(marker) }.reduce(0) { $0 + $1.cpu }
}

/// Ends detached ssh masters of a peer run, by pid.
func killMarked(_ marker: String) {
    for (pid, info) in Proc.all() where info.cmdline.contains(marker) { kill(pid, SIGTERM) }
    Thread.sleep(forTimeInterval: 0.3)
}
