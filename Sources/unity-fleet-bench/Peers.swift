import Foundation

/// parallel-ssh (Debian pssh) and Ansible running the same workload on the same fleet.
/// With the collection script: parallel-ssh sends the script file on every host's stdin (`-I`)
/// to `sh -s`, exactly Unity's one round trip; Ansible uses its script module, which copies the
/// local script to each host (SFTP) and runs it with `/bin/sh` (Ansible's way to run a local
/// script; `raw` cannot send stdin, and inlining the script into the command line would put it in
/// every process listing, which on this one-machine fleet every host's `ps` section would carry).
struct Peers {
    let fleet: Fleet
    let workload: Workload
    let work: String
    let ansible: String

    private var hostsFile: String { "\(work)/pssh-hosts" }
    private var inventory: String { "\(work)/inventory.ini" }
    /// The local script file of the current cycle (fresh nonce each cycle).
    var scriptPath: String { "\(work)/collection.sh" }

    private var remoteCommand: String {
        switch workload {
        case .collectionScript: "sh -s"
        case .fixed(let command): command.commandLine
        }
    }

    func prepare() throws {
        try (0..<fleet.count).map { "\(fleet.address($0)):\(fleet.port)" }.joined(separator: "\n").write(toFile: hostsFile, atomically: true, encoding: .utf8)
        let lines = (0..<fleet.count).map { "h\($0) ansible_host=\(fleet.address($0)) ansible_port=\(fleet.port)" }
        try (["[fleet]"] + lines).joined(separator: "\n").write(toFile: inventory, atomically: true, encoding: .utf8)
    }

    /// A fresh script file for the next run (script mode), or nil (fixed command).
    func freshScript() -> PeerScript? {
        workload.isScript ? try? PeerScript(path: scriptPath) : nil
    }

    /// parallel-ssh reads the script from its own stdin (`-I`) and sends it to every host.
    var psshStdin: String { workload.isScript ? scriptPath : "/dev/null" }

    /// The exact parallel-ssh argv for a mode.
    func psshArguments(curve: Bool, controlDir: String?, out: String) -> [String] {
        var args = ["-h", hostsFile, "-l", Fleet.user, "-p", String(fleet.count), "-t", "120", "-o", out,
                    "-O", "IdentityFile=\(fleet.clientKeyPath)", "-O", "IdentitiesOnly=yes",
                    "-O", "UserKnownHostsFile=\(fleet.knownHostsPath)", "-O", "StrictHostKeyChecking=yes", "-O", "BatchMode=yes"]
        if curve { args += ["-O", "KexAlgorithms=curve25519-sha256"] }
        if let controlDir {
            args += ["-O", "ControlMaster=auto", "-O", "ControlPath=\(controlDir)/%C", "-O", "ControlPersist=300"]
        }
        if workload.isScript { args.append("-I") }
        return args + [remoteCommand]
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

    var ansibleModuleName: String { workload.isScript ? "script" : "raw" }

    func ansibleArguments() -> [String] {
        let module: [String] = switch workload {
        case .collectionScript: ["-m", "script", "-a", "executable=/bin/sh \(scriptPath)"]
        case .fixed(let command): ["-m", "raw", "-a", command.commandLine]
        }
        return ["all", "-i", inventory] + module + ["-f", String(fleet.count)]
    }

    /// One timed cycle of an external tool: wall, CPU (its tree plus detached masters), peak RSS, answered.
    func cycle(_ path: String, _ args: [String], env: [String: String] = [:], stdin: String = "/dev/null", marker: String?,
               log: String, answered: (String) -> Int) -> (wall: Double, cpu: Double, rss: Double, answered: Int) {
        let mastersBefore = marker.map(markerCPU) ?? 0
        let start = Date()
        guard let pid = Spawn.start(path, args, env: env, stdoutPath: log, stdinPath: stdin) else { return (.nan, .nan, 0, 0) }
        let sampler = TreeSampler()
        sampler.start(root: pid, marker: marker)
        let (_, childCPU) = Spawn.wait(pid)
        let wall = Date().timeIntervalSince(start)
        let rss = sampler.stop()
        let masters = (marker.map(markerCPU) ?? 0) - mastersBefore
        return (wall, childCPU + max(0, masters), rss, answered(log))
    }

    /// parallel-ssh `-o DIR`: one file per host with its stdout.
    static func countPssh(_ directory: String, script: PeerScript?) -> Int {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { name in
            guard let data = FileManager.default.contents(atPath: "\(directory)/\(name)"), !data.isEmpty else { return false }
            guard let script else { return true }
            return script.answered(String(decoding: data, as: UTF8.self))
        }.count
    }

    /// Ansible's default (minimal) ad-hoc output: `hN | CHANGED | rc=0 >>` + stdout for raw,
    /// `hN | CHANGED => {json}` for other modules (stdout in the JSON).
    static func countAnsible(_ log: String, script: PeerScript?) -> Int {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard let script else { return text.components(separatedBy: "| CHANGED | rc=0 >>").count - 1 }
        var answered = 0
        for chunk in ansibleChunks(text) where chunk.header.contains("| CHANGED =>") || chunk.header.contains("| SUCCESS =>") {
            guard let data = ("{" + chunk.body).data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let stdout = object["stdout"] as? String else { continue }
            // The script module runs under a pty: CRLF line ends.
            if script.answered(stdout.replacingOccurrences(of: "\r\n", with: "\n")) { answered += 1 }
        }
        return answered
    }

    /// Splits the log at host header lines (`h<digits> | …`).
    static func ansibleChunks(_ text: String) -> [(header: String, body: String)] {
        var chunks: [(header: String, body: String)] = []
        var header: String?
        var body: [Substring] = []
        func isHeader(_ line: Substring) -> Bool {
            guard line.first == "h", let bar = line.range(of: " | ") else { return false }
            let digits = line[line.index(after: line.startIndex)..<bar.lowerBound]
            return !digits.isEmpty && digits.allSatisfy(\.isNumber)
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if isHeader(line) {
                if let header { chunks.append((header, body.joined(separator: "\n"))) }
                header = String(line)
                body = []
            } else {
                body.append(line)
            }
        }
        if let header { chunks.append((header, body.joined(separator: "\n"))) }
        return chunks
    }
}
