extension CollectionScript {
    /// `smartctl --scan-open --json`, then one `smartctl --json -x` per scanned device. Device
    /// names and `-d` types are cut out of the scan's JSON (smartctl prints one key per line)
    /// with awk, tab-separated, and only ever used as quoted arguments. The section name carries
    /// the type (`SectionName.smartDevice`): disks behind a RAID controller share one node. An
    /// entry without a type is kept (queried without `-d`), a repeated name + type only once.
    var smartBody: [String] {
        let s = sudoPrefix
        let t = timeoutSeconds
        let d = smartTimeoutSeconds
        let awk = #"function p(a,b){k=a "\t" b; if(!(k in s)){s[k]=1; print k}} "#
            + #"/^ *"name": /{if(n!="")p(n,""); n=$4} /^ *"type": /{if(n!=""){p(n,$4); n=""}} END{if(n!="")p(n,"")}"#
        return [
            "if u_has smartctl; then",
            "  u_sec smartctl-scan u_run \(t) \(s)smartctl --scan-open --json",
            "  awk -F'\"' '\(awk)' \"$u_d/o\" >\"$u_d/devs\"",
            #"  while IFS="$(printf '\t')" read -r u_dev u_typ; do"#,
            #"    [ -n "$u_dev" ] || continue"#,
            #"    if [ -n "$u_typ" ]; then u_sec "smartctl:$u_dev -d $u_typ" u_run \#(d) \#(s)smartctl --json -x -d "$u_typ" "$u_dev""#,
            #"    else u_sec "smartctl:$u_dev" u_run \#(d) \#(s)smartctl --json -x "$u_dev"; fi"#,
            #"  done <"$u_d/devs""#,
            "else u_absent smartctl-scan 'smartctl: not installed'; fi",
        ]
    }

    /// `zpool` may be installed while the kernel module is not (containers, fresh installs):
    /// without /dev/zfs every zpool command fails, which is "no ZFS here", not an error.
    var zfsBody: [String] {
        let s = sudoPrefix
        let t = timeoutSeconds
        return [
            // zpool status -p (exact counters) needs OpenZFS 0.8+.
            "u_zst() { u_run \(t) \(s)zpool status -p || u_run \(t) \(s)zpool status; }",
            "if ! u_has zpool; then",
            "  u_absent zpool-list 'zpool: not installed'; u_absent zpool-status 'zpool: not installed'",
            "elif [ ! -e /dev/zfs ]; then",
            "  u_absent zpool-list 'zpool: ZFS kernel module not loaded (no /dev/zfs)'",
            "  u_absent zpool-status 'zpool: ZFS kernel module not loaded (no /dev/zfs)'",
            "else",
            "  u_sec zpool-list u_run \(t) \(s)zpool list -Hp",
            "  u_sec zpool-status u_zst",
            "fi",
        ]
    }

    /// /proc/mdstat, then `mdadm --detail` for every array it lists.
    var mdadmBody: [String] {
        let s = sudoPrefix
        let t = timeoutSeconds
        return [
            "if [ -r /proc/mdstat ]; then",
            "  u_sec mdstat u_run \(t) cat /proc/mdstat",
            #"  awk '/^md[^ ]* : /{print $1}' "$u_d/o" >"$u_d/mds""#,
            #"  if [ -s "$u_d/mds" ] && ! u_has mdadm; then u_absent mdadm 'mdadm: not installed'; fi"#,
            "  if u_has mdadm; then",
            #"    while read -r u_md; do u_sec "mdadm:/dev/$u_md" u_run \#(t) \#(s)mdadm --detail "/dev/$u_md"; done <"$u_d/mds""#,
            "  fi",
            "else u_absent mdstat 'md: kernel driver not loaded (no /proc/mdstat)'; fi",
        ]
    }
}
