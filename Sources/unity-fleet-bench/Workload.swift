import Foundation
import UnityInfrastructure
import UnitySSH

/// What every tool runs on every host, once per host per cycle.
enum Workload: Sendable {
    /// Unity's real collection script (`CollectionScript`, every group, no sudo) on the standard
    /// input of `sh -s`: one round trip per host. The default.
    case collectionScript
    /// The earlier fixed command line (`--fixed-command`), kept to compare with old tables.
    case fixed(RemoteCommand)

    static let fixedCommand = RemoteCommand("cat /proc/stat /proc/meminfo /proc/loadavg /proc/uptime; df -P -B1; lsblk --json -b")

    var isScript: Bool {
        if case .collectionScript = self { return true }
        return false
    }

    var label: String {
        switch self {
        case .collectionScript: "Unity's collection script (`sh -s`, script on stdin)"
        case .fixed(let command): "`\(command.commandLine)`"
        }
    }
}

/// One collection script for the peers' cycle: written to a local file that parallel-ssh sends
/// on stdin (`-I`) and Ansible's script module copies to each host. A fresh nonce per cycle.
struct PeerScript {
    let script: CollectionScript
    let path: String

    init(path: String) throws {
        script = CollectionScript(sudo: .none)
        self.path = path
        try script.text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    var nonce: String { script.nonce.value }
    var base64: String { Data(script.text.utf8).base64EncodedString() }

    /// The same check Unity's side applies: complete run, snapshot with memory.
    func answered(_ text: String) -> Bool {
        CollectionCheck.evaluate(text, nonce: nonce, expected: script.expectedSections, previous: nil).answered
    }
}

/// "Answered" for the collection script, the same for every tool: the run printed its DONE
/// marker (`CollectionOutput.isComplete`) and the assembled snapshot has memory.
enum CollectionCheck {
    static func evaluate(_ text: String, nonce: String, expected: [String], previous: HostSnapshot?)
        -> (answered: Bool, snapshot: HostSnapshot) {
        let sections = CollectionOutput.split(text, nonce: nonce, expected: expected)
        let (snapshot, _) = HostSnapshot.assemble(sections: sections, previous: previous)
        return (CollectionOutput.isComplete(text, nonce: nonce) && snapshot.memory != nil, snapshot)
    }
}
