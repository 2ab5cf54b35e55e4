import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one place a child process's environment is decided. Unity's own environment holds the
/// master key, the first admin's password and the database URL, and a long-lived child (an OpenSSH
/// ControlPersist master) would keep them readable in `/proc/<pid>/environ`; so no child inherits
/// it. Every child gets a fixed PATH, the Unity user's HOME and LANG, plus what its caller passes
/// for that child in code.
public enum ChildEnvironment {
    /// Enough for ssh, a shell hook and the tools it calls; never taken from Unity's own PATH.
    public static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    public static let lang = "C.UTF-8"

    /// `PATH`, `HOME`, `LANG` and `extra`, as `NAME=value` strings for `posix_spawn`. A caller can
    /// neither replace the three nor set variables that make a loader or a shell run other code.
    public static func make(_ extra: [String: String] = [:]) throws(ProcessError) -> [String] {
        var values = ["PATH": path, "HOME": home, "LANG": lang]
        for (name, value) in extra {
            guard isAllowed(name) else { throw .cannotStart("the environment variable \(name) is not passed to programs") }
            values[name] = value
        }
        return values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// Names a caller may add: not the fixed three, nothing the dynamic loader or a shell reads as code.
    public static func isAllowed(_ name: String) -> Bool {
        guard !name.isEmpty, !name.contains("="), !name.contains("\0") else { return false }
        let refused: Set = ["PATH", "HOME", "LANG", "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "IFS", "PS4", "PROMPT_COMMAND"]
        return !refused.contains(name) && !name.hasPrefix("LD_") && !name.hasPrefix("BASH_FUNC_") && !name.hasPrefix("GCONV_")
    }

    /// From the password database, not from `$HOME`: nothing of the parent's environment is read.
    private static let home: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let text = buffer.withUnsafeMutableBufferPointer { storage -> String? in
            var entry = passwd(), result: UnsafeMutablePointer<passwd>?
            guard let base = storage.baseAddress, getpwuid_r(getuid(), &entry, base, storage.count, &result) == 0, result != nil,
                  let directory = entry.pw_dir else { return nil }
            return String(cString: directory)
        }
        return text.flatMap { $0.isEmpty ? nil : $0 } ?? "/"
    }()
}
