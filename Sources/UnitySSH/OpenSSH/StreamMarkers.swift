/// The wrapper around a command streamed through the system ssh, and the reading of its markers.
/// Through a ControlMaster, ssh hands our pipes to the master, so neither killing the client nor
/// closing the pipes reliably stops the remote command: the wrapper reports its process group
/// (the login shell sshd started is a session leader) and its exit status on stderr, framed by a
/// per-stream nonce, and `close()` kills that group with a second exec.
struct StreamMarkers: Sendable {
    let nonce: String

    init(nonce: String = (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()) {
        self.nonce = nonce
    }

    /// `line` (already quoted, sudo applied) between the two marker lines.
    func wrap(_ line: String) -> String {
        """
        printf '%s pgid %s\\n' \(nonce) "$$" >&2
        \(line)
        unity_status=$?
        printf '%s exit %s\\n' \(nonce) "$unity_status" >&2
        exit "$unity_status"
        """
    }

    enum Event: Equatable {
        case started(processGroup: Int)
        case exited(status: Int32)
    }

    /// Splits stderr into marker events and the command's own bytes (everything else, unchanged).
    /// Keeps an incomplete line back only while it could still become a marker.
    struct Filter {
        let prefix: [UInt8]
        private var pending: [UInt8] = []

        init(nonce: String) {
            prefix = Array("\(nonce) ".utf8)
        }

        mutating func feed(_ bytes: [UInt8]) -> (events: [Event], passed: [UInt8]) {
            pending += bytes
            var events: [Event] = [], passed: [UInt8] = []
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                if let event = parse(line) { events.append(event) } else { passed += line + [UInt8(ascii: "\n")] }
            }
            // A partial line that cannot be a marker goes through now (a prompt without newline).
            let couldBeMarker = pending.count <= prefix.count ? prefix.starts(with: pending) : pending.starts(with: prefix)
            if !couldBeMarker || pending.count > 256 {
                passed += pending
                pending = []
            }
            return (events, passed)
        }

        private func parse(_ line: [UInt8]) -> Event? {
            guard line.starts(with: prefix) else { return nil }
            let words = String(decoding: line.dropFirst(prefix.count), as: UTF8.self).split(separator: " ")
            guard words.count == 2 else { return nil }
            switch words[0] {
            case "pgid": return Int(words[1]).flatMap { $0 > 1 ? .started(processGroup: $0) : nil }
            case "exit": return Int32(words[1]).map { .exited(status: $0) }
            default: return nil
            }
        }
    }
}
