import Foundation

extension Peers {
    /// Every peer mode, each in its strongest configuration; masters are ended by pid after each mode.
    func runAll(cycles: Int) -> [Measurement] {
        var rows: [Measurement] = []
        rows.append(pssh("parallel-ssh cold", curve: false, warm: false, cycles: cycles))
        rows.append(pssh("parallel-ssh cold, curve25519", curve: true, warm: false, cycles: cycles))
        rows.append(pssh("parallel-ssh warm (ControlPersist)", curve: true, warm: true, cycles: cycles))
        if FileManager.default.isExecutableFile(atPath: ansible) {
            rows.append(ansibleRun("Ansible \(ansibleModuleName) cold", warm: false, cycles: cycles))
            rows.append(ansibleRun("Ansible \(ansibleModuleName) warm (ControlPersist)", warm: true, cycles: cycles))
        }
        return rows
    }

    private func progress(_ m: Measurement, _ r: (wall: Double, cpu: Double, rss: Double, answered: Int)) {
        FileHandle.standardError.write(Data(("  \(m.tool): wall \(Report.f(r.wall, 2)) s, cpu \(Report.f(r.cpu, 3)) s, "
            + "rss \(Report.f(r.rss, 0)) MB, answered \(r.answered)\n").utf8))
    }

    private func pssh(_ name: String, curve: Bool, warm: Bool, cycles: Int) -> Measurement {
        var m = Measurement(tool: name)
        let control = "\(work)/cm-pssh"
        try? FileManager.default.createDirectory(atPath: control, withIntermediateDirectories: true)
        if warm {
            let out = "\(work)/pssh-prime"
            _ = freshScript()
            Spawn.run("/usr/bin/parallel-ssh", psshArguments(curve: curve, controlDir: control, out: out), stdinPath: psshStdin)
        }
        for index in 0..<cycles {
            let out = "\(work)/pssh-\(warm)-\(curve)-\(index)"
            let script = freshScript()
            let args = psshArguments(curve: curve, controlDir: warm ? control : nil, out: out)
            let r = cycle("/usr/bin/parallel-ssh", args, stdin: psshStdin, marker: warm ? control : nil, log: "\(out).log") { _ in
                Peers.countPssh(out, script: script)
            }
            m.walls.append(r.wall); m.cpus.append(r.cpu); m.answered.append(r.answered)
            m.peakRSSMB = max(m.peakRSSMB, r.rss)
            progress(m, r)
        }
        if warm { killMarked(control) }
        m.command = "parallel-ssh " + psshArguments(curve: curve, controlDir: warm ? control : nil, out: "OUT").map(shellWord).joined(separator: " ")
            + (workload.isScript ? " < \(scriptPath)" : "")
        return m
    }

    private func ansibleRun(_ name: String, warm: Bool, cycles: Int) -> Measurement {
        var m = Measurement(tool: name)
        let base = "\(work)/cm-ansible"
        if warm {
            let env = ansibleEnvironment(controlDir: base)
            _ = freshScript()
            guard let pid = Spawn.start(ansible, ansibleArguments(), env: env, stdoutPath: "\(work)/ansible-prime.log") else { return m }
            _ = Spawn.wait(pid)
        }
        for index in 0..<cycles {
            // Cold: a fresh control directory, so every host gets a new connection (and a new master).
            let control = warm ? base : "\(work)/cm-ansible-cold-\(index)"
            let log = "\(work)/ansible-\(warm)-\(index).log"
            let script = freshScript()
            let r = cycle(ansible, ansibleArguments(), env: ansibleEnvironment(controlDir: control), marker: control, log: log) {
                Peers.countAnsible($0, script: script)
            }
            m.walls.append(r.wall); m.cpus.append(r.cpu); m.answered.append(r.answered)
            m.peakRSSMB = max(m.peakRSSMB, r.rss)
            progress(m, r)
            if !warm { killMarked(control) }
        }
        if warm { killMarked(base) }
        let env = ansibleEnvironment(controlDir: warm ? base : "FRESH_DIR")
        m.command = env.sorted { $0.key < $1.key }.map { "\($0.key)=\(shellWord($0.value))" }.joined(separator: " ")
            + " ansible " + ansibleArguments().map(shellWord).joined(separator: " ")
        return m
    }
}

func shellWord(_ word: String) -> String {
    word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:%,".contains($0) } ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
