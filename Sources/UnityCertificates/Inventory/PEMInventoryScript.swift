import Foundation
import UnitySSH

/// The one remote script that lists certificate files under configured directories.
///
/// Run as `sh -s` with the script on stdin (`command`), so neither the nonce nor the directory
/// list shows in the remote process list. Output, each line starting with the marker
/// `@@UNITY-CERTS-<nonce>`:
///
///     <marker> MISSING <dir>            a configured directory that does not exist
///     <marker> FILE <path>              then the file's text, private-key blocks removed
///     <marker> ENDFILE
///     <marker> TOOBIG <bytes> <path>    skipped: larger than `maxFileBytes`
///     <marker> LIMIT <count>            stopped after `maxFiles` files
///     <marker> DONE
///
/// Files are chosen by content (`BEGIN CERTIFICATE`), not by name: haproxy's combined `.pem`,
/// nginx's `.crt` and Let's Encrypt's `fullchain.pem` all count.
public struct PEMInventoryScript: Sendable, Equatable {
    public static let defaultDirectories = ["/etc/letsencrypt/live", "/etc/nginx", "/etc/haproxy"]
    /// Distribution trust stores: hundreds of public roots that say nothing about this host's services.
    public static let systemTrustStores = ["/etc/ssl/certs", "/usr/share/ca-certificates", "/etc/pki/ca-trust", "/etc/ca-certificates"]

    public var directories: [String]
    public var nonce: String
    public var maxFiles: Int
    public var maxFileBytes: Int

    public init(
        directories: [String] = PEMInventoryScript.defaultDirectories, nonce: String = PEMInventoryScript.randomNonce(),
        maxFiles: Int = 200, maxFileBytes: Int = 256 * 1024
    ) {
        self.directories = directories
        self.nonce = nonce
        self.maxFiles = max(1, maxFiles)
        self.maxFileBytes = max(1, maxFileBytes)
    }

    public static func randomNonce() -> String {
        Hex.encode((0..<12).map { _ in UInt8.random(in: 0...255) })
    }

    public var marker: String { "@@UNITY-CERTS-\(nonce)" }

    /// Configured directories minus relative paths and anything inside a system trust store.
    public var effectiveDirectories: [String] {
        directories.filter { directory in
            directory.hasPrefix("/") && !Self.systemTrustStores.contains { directory == $0 || directory.hasPrefix($0 + "/") }
        }
    }

    /// `sh -s` with the script on stdin, privileged: `/etc/letsencrypt/live` is root-only.
    public var command: RemoteCommand {
        RemoteCommand("sh -s", privileged: true).withInput(Data(text.utf8))
    }

    public var text: String {
        let prune = Self.systemTrustStores.map { "-path \(ShellQuote.quote($0))" }.joined(separator: " -o ")
        let dirs = effectiveDirectories.map(ShellQuote.quote).joined(separator: " ")
        return [
            "# Unity certificate inventory. Run with: sh -s < script",
            "LC_ALL=C; export LC_ALL",
            "u_m='\(marker)'",
            // A directory list may be empty after filtering: the loop then does nothing.
            #"for u_d in \#(dirs); do [ -d "$u_d" ] || printf '%s MISSING %s\n' "$u_m" "$u_d"; done"#,
            "for u_d in \(dirs); do",
            // Symlinks count (Let's Encrypt's live/ holds only links); trust stores are pruned.
            #"  [ -d "$u_d" ] && find "$u_d" \( \#(prune) \) -prune -o \( -type f -o -type l \) -print 2>/dev/null"#,
            "done | sort -u | {",
            "u_n=0",
            #"while IFS= read -r u_f; do"#,
            #"  [ -f "$u_f" ] && [ -r "$u_f" ] || continue"#,
            #"  grep -q -e '-----BEGIN CERTIFICATE-----' "$u_f" 2>/dev/null || continue"#,
            #"  u_s=$(wc -c < "$u_f" 2>/dev/null | tr -d ' ') || continue"#,
            #"  if [ "$u_s" -gt \#(maxFileBytes) ]; then printf '%s TOOBIG %s %s\n' "$u_m" "$u_s" "$u_f"; continue; fi"#,
            #"  if [ "$u_n" -ge \#(maxFiles) ]; then printf '%s LIMIT %s\n' "$u_m" "$u_n"; break; fi"#,
            "  u_n=$((u_n + 1))",
            #"  printf '%s FILE %s\n' "$u_m" "$u_f""#,
            // Private keys never leave the host: combined haproxy PEMs hold the key too.
            #"  sed -e '/-----BEGIN [A-Z ]*PRIVATE KEY-----/,/-----END [A-Z ]*PRIVATE KEY-----/d' "$u_f""#,
            #"  printf '\n%s ENDFILE\n' "$u_m""#,
            "done",
            "}",
            #"printf '%s DONE\n' "$u_m""#,
        ].joined(separator: "\n") + "\n"
    }
}
