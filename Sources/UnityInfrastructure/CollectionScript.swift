/// Builds the one POSIX `sh` script that collects everything about a host in a single SSH round
/// trip.
///
/// How to run it: send `text` on the standard input of `sh -s` (not as an argument), so the
/// nonce never shows up in the remote process list, and read standard output. Every section is
/// framed as
///
///     @@UNITY-<nonce> BEGIN <name>
///     <stdout bytes><newline added by the script>
///     @@UNITY-<nonce> STDERR <name>
///     <stderr bytes><newline added by the script>
///     @@UNITY-<nonce> END <exit status> <-|timeout|notinstalled> <name>
///
/// and the run ends with `@@UNITY-<nonce> DONE`. `CollectionOutput.split` reverses this.
/// Each command's output goes through files in a private `mktemp -d` directory (removed on
/// exit), so stdout and stderr stay apart and a section is printed only once it is finished.
public struct CollectionScript: Sendable, Equatable {
    public var nonce: CollectionNonce
    public var sudo: SudoMode
    public var groups: Set<CollectionGroup>
    /// Per-command limit for quick reads and listings.
    public var timeoutSeconds: Int
    /// Per-device limit for `smartctl -x`, which can take several seconds on SAS/USB disks.
    public var smartTimeoutSeconds: Int

    public init(
        nonce: CollectionNonce = .random(), sudo: SudoMode = .none,
        groups: Set<CollectionGroup> = Set(CollectionGroup.allCases),
        timeoutSeconds: Int = 20, smartTimeoutSeconds: Int = 60
    ) {
        self.nonce = nonce
        self.sudo = sudo
        self.groups = groups
        self.timeoutSeconds = max(1, timeoutSeconds)
        self.smartTimeoutSeconds = max(1, smartTimeoutSeconds)
    }

    /// Fixed section names this script always prints, in order, for `CollectionOutput.split`'s
    /// `expected:` so that a stream cut before them reports them as missing.
    public var expectedSections: [String] {
        CollectionGroup.allCases.filter(groups.contains).flatMap(SectionName.fixed(for:))
    }

    /// The script text.
    public var text: String {
        var lines = prologue
        for group in CollectionGroup.allCases where groups.contains(group) {
            lines += body(for: group)
        }
        lines.append(#"printf '%s DONE\n' "$u_m""#)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `sudo -n ` or nothing; only privileged commands get it, never plain file reads.
    var sudoPrefix: String { sudo == .nonInteractive ? "sudo -n " : "" }

    private var prologue: [String] {
        [
            "# Unity collection script. Run with: sh -s < script",
            "umask 077",
            "LC_ALL=C; export LC_ALL",
            // Non-root SSH sessions on Debian lack the sbin directories where smartctl,
            // mdadm and zpool live.
            #"PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"; export PATH"#,
            "u_m='@@UNITY-\(nonce.value)'",
            #"u_d=$(mktemp -d 2>/dev/null) || { u_d="${TMPDIR:-/tmp}/unity-\#(nonce.value)-$$"; mkdir -m 700 "$u_d" || exit 70; }"#,
            #"trap 'rm -rf "$u_d"' EXIT"#,
            "trap 'exit 129' HUP INT TERM",
            // Probe instead of trusting `command -v`: BusyBox before 1.30 has a `timeout`
            // with a different syntax (-t SECS).
            "if timeout -k 1 5 true >/dev/null 2>&1; then u_to=1; else u_to=; fi",
            "u_run() {",
            "  u_s=$1; shift",
            #"  if [ -z "$u_to" ]; then "$@"; return $?; fi"#,
            #"  timeout -k 5 "$u_s" "$@"; u_r=$?"#,
            #"  if [ "$u_r" -eq 124 ] || [ "$u_r" -eq 137 ]; then u_t=timeout; fi"#,
            #"  return "$u_r""#,
            "}",
            // stdin from /dev/null: the script itself arrives on stdin, and a command that
            // reads it would swallow the rest of the script.
            "u_sec() {",
            "  u_n=$1; shift; u_t=-",
            #"  "$@" </dev/null >"$u_d/o" 2>"$u_d/e"; u_rc=$?"#,
            #"  printf '%s BEGIN %s\n' "$u_m" "$u_n"; cat "$u_d/o"; printf '\n'"#,
            #"  printf '%s STDERR %s\n' "$u_m" "$u_n"; cat "$u_d/e"; printf '\n'"#,
            #"  printf '%s END %s %s %s\n' "$u_m" "$u_rc" "$u_t" "$u_n""#,
            "}",
            "u_absent() {",
            #"  printf '%s BEGIN %s\n\n%s STDERR %s\n%s\n' "$u_m" "$1" "$u_m" "$1" "$2""#,
            #"  printf '%s END 127 notinstalled %s\n' "$u_m" "$1""#,
            "}",
            #"u_has() { command -v "$1" >/dev/null 2>&1; }"#,
        ]
    }

    private func body(for group: CollectionGroup) -> [String] {
        let t = timeoutSeconds
        switch group {
        case .host:
            return [
                "u_sec os-release u_run \(t) cat /etc/os-release",
                "u_sec uname u_run \(t) uname -srm",
                "u_sec hostname u_run \(t) uname -n",
                "u_sec proc-stat u_run \(t) cat /proc/stat",
                "u_sec proc-meminfo u_run \(t) cat /proc/meminfo",
                "u_sec proc-loadavg u_run \(t) cat /proc/loadavg",
                "u_sec proc-uptime u_run \(t) cat /proc/uptime",
            ]
        case .filesystems:
            return ["u_sec df u_run \(t) df -P -B1"]
        case .blockDevices:
            let columns = "NAME,KNAME,PATH,TYPE,SIZE,ROTA,TRAN,MODEL,SERIAL,FSTYPE,MOUNTPOINT"
            return [
                // util-linux before 2.28 rejects some of these columns: retry with the defaults.
                "u_lsblk() { u_run \(t) lsblk --json -b -o \(columns) || u_run \(t) lsblk --json -b; }",
                "if u_has lsblk; then u_sec lsblk u_lsblk; else u_absent lsblk 'lsblk: not installed'; fi",
            ]
        case .smart:
            return smartBody
        case .zfs:
            return zfsBody
        case .mdadm:
            return mdadmBody
        case .databases:
            let s = sudoPrefix
            return [
                // Without root, ss -p cannot name other users' processes; the plain listing
                // still lets discovery work by port.
                "u_ss() { u_run \(t) \(s)ss -H -ltnp || u_run \(t) ss -H -ltn || u_run \(t) ss -ltn; }",
                "if u_has ss; then u_sec listeners u_ss",
                "elif u_has netstat; then u_sec listeners u_run \(t) \(s)netstat -ltnp",
                "else u_absent listeners 'ss, netstat: not installed'; fi",
                // BusyBox ps has no -e.
                "u_ps() { u_run \(t) ps -eo pid,comm,args || u_run \(t) ps -o pid,comm,args; }",
                "u_sec processes u_ps",
            ]
        }
    }
}
