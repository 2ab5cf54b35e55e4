import Foundation
import UnitySSH

// unity-fleet-bench --hosts 50,200 --cycles 3 [--skip-peers] [--fixed-command] [--ansible /path/to/ansible]
//                   [--concurrency N]   (Unity only: N hosts at a time, as ServerCollector.collectAll's 16)
// Starts N real sshd hosts on 127.0.1.x, times Unity (cold and warm) against parallel-ssh and Ansible
// running the same workload on the same hosts, and prints a markdown table. The workload is Unity's
// real collection script (sent on stdin of `sh -s`, parsed and assembled on Unity's side);
// --fixed-command runs the earlier fixed command line instead.

func option(_ name: String) -> String? {
    let args = CommandLine.arguments
    guard let index = args.firstIndex(of: name), index + 1 < args.count else { return nil }
    return args[index + 1]
}

let sizes = (option("--hosts") ?? "50").split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 && $0 <= 250 }
let cycles = Int(option("--cycles") ?? "3") ?? 3
let skipPeers = CommandLine.arguments.contains("--skip-peers")
let workload: Workload = CommandLine.arguments.contains("--fixed-command") ? .fixed(Workload.fixedCommand) : .collectionScript
let ansiblePath = option("--ansible") ?? "/tmp/unity-bench-venv/bin/ansible"
let root = option("--work") ?? "/tmp/unity-fleet-bench"
let concurrency = option("--concurrency").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }

var configuration = SSHPoolConfiguration()
configuration.maxConcurrentHandshakes = Int(option("--handshakes") ?? "64") ?? 64

for size in sizes {
    let work = "\(root)/n\(size)"
    try? FileManager.default.removeItem(atPath: work)
    let fleet = try Fleet(count: size, directory: work)
    try fleet.start()
    defer { fleet.stop() }
    FileHandle.standardError.write(Data("running N = \(size)\n".utf8))

    let unity = try UnityRun(fleet: fleet, workload: workload, concurrency: concurrency)
    var rows = [await unity.measureCold(cycles: cycles, configuration: configuration)]
    rows.append(await unity.measureWarm(cycles: cycles, configuration: configuration))

    if !skipPeers {
        let peers = Peers(fleet: fleet, workload: workload, work: work, ansible: ansiblePath)
        try peers.prepare()
        rows += peers.runAll(cycles: cycles)
    }
    print(Report.table(size: size, rows: rows, cycles: cycles, workload: workload))
}
