import Foundation

/// parallel-ssh (Debian pssh) and Ansible running the same command on the same fleet.
struct Peers {
    let fleet: Fleet
    let command: String
    let work: String
    let ansible: String

    private var hostsFile: String { "\(work)/pssh-hosts" }
    private var inventory: String { "\(work)/inventory.ini" }

    func prepare() throws {
        try (0..<fleet.count).map { "\(fleet.address($0)):\(fleet.port)" }.joined(separator: "\n").write(toFile: hostsFile, atomically: true, encoding: .utf8)
        let lines = (0..<fleet.count).map { "h\($0) ansible_host=\(fleet.address($0)) ansible_port=\(fleet.port)" }
        try (["[fleet]"] + lines).joined(separator: "\n").write(toFile: inventory, atomically: true, encoding: .utf8)
    }

    /// The exact parallel-ssh argv for a mode.
    func psshArguments(curve: Bool, controlDir: String?, out: String) -> [String] {
        var args = ["-h", hostsFile, "-l", Fleet.user, "-p", String(fleet.count), "-t", "120", "-o", out,
                    "-O", "IdentityFile=\(fleet.clientKeyPath)", "-O", "IdentitiesOnly=yes",
                    "-O", "UserKnownHostsFile=\(fleet.knownHostsPath)", "-O", "StrictHostKeyChecking=yes", "-O", "BatchMode=yes"]
        if curve { args += ["-O", "KexAlgorithms=curve25519-sha256"] }
        if let controlDir {
            args += ["-O", "ControlMaster=auto", "-O", "ControlPath=\(controlDir)/%C", "-O", "ControlPersist=300"]
        }
        return args + [command]
    }

    func ansibleEnvironment(controlDir: String) -> [String: String] {
        [
            "ANSIBLE_HOST_KEY_CHECKING": "True",
            "ANSIBLE_SSH_ARGS": "-o ControlMaster=auto -o ControlPersist=300s -o KexAlgorithms=curve25519-sha256 -o UserKnownHostsFile=\(fleet.knownHostsPath) -o StrictHostKeyChecking=yes",
            "ANSIBLE_SSH_CONTROL_PATH_DIR": controlDir,
            "ANSIBLE_PRIVATE_KEY_FILE": fleet.clientKeyPath,
            "ANSIBLE_REMOTE_USER": Fleet.user,
            "ANSIBLE_HOME": "\(work)/ansible-home",
            "ANSIBLE_LOCAL_TEMP": "\(work)/ansible-tmp",
            "ANSIBLE_PYTHON_INTERPRETER": "/usr/bin/python3",
        ]
    }

    func ansibleArguments() -> [String] {
        ["all", "-i", inventory, "-m", "raw", "-a", command, "-f", String(fleet.count)]
    }

    /// One timed cycle of an external tool: wall, CPU (its tree plus detached masters), peak RSS, answered.
    func cycle(_ path: String, _ args: [String], env: [String: String] = [:], marker: String?, log: String,
               answered: (String) -> Int) -> (wall: Double, cpu: Double, rss: Double, answered: Int) {
        let mastersBefore = marker.map(markerCPU) ?? 0
        let start = Date()
        guard let pid = Spawn.start(path, args, env: env, stdoutPath: log) else { return (.nan, .nan, 0, 0) }
        let sampler = TreeSampler()
        sampler.start(root: pid, marker: marker)
        let (_, childCPU) = Spawn.wait(pid)
        let wall = Date().timeIntervalSince(start)
        let rss = sampler.stop()
        let masters = (marker.map(markerCPU) ?? 0) - mastersBefore
        return (wall, childCPU + max(0, masters), rss, answered(log))
    }

    static func countNonEmptyFiles(_ directory: String) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { ((try? FileManager.default.attributesOfItem(atPath: "\(directory)/\($0)"))?[.size] as? Int ?? 0) > 0 }.count
    }

    static func countAnsibleSuccess(_ log: String) -> Int {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(separatedBy: "| CHANGED | rc=0 >>").count - 1
    }
}
