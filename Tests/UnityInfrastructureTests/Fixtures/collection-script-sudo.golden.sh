# Unity collection script. Run with: sh -s < script
umask 077
LC_ALL=C; export LC_ALL
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"; export PATH
u_m='@@UNITY-TESTNONCE0123456789abcdefABCDEF0'
u_d=$(mktemp -d 2>/dev/null) || { u_d="${TMPDIR:-/tmp}/unity-TESTNONCE0123456789abcdefABCDEF0-$$"; mkdir -m 700 "$u_d" || exit 70; }
trap 'rm -rf "$u_d"' EXIT
trap 'exit 129' HUP INT TERM
if timeout -k 1 5 true >/dev/null 2>&1; then u_to=1; else u_to=; fi
u_run() {
  u_s=$1; shift
  if [ -z "$u_to" ]; then "$@"; return $?; fi
  timeout -k 5 "$u_s" "$@"; u_r=$?
  if [ "$u_r" -eq 124 ] || [ "$u_r" -eq 137 ]; then u_t=timeout; fi
  return "$u_r"
}
u_sec() {
  u_n=$1; shift; u_t=-
  "$@" </dev/null >"$u_d/o" 2>"$u_d/e"; u_rc=$?
  printf '%s BEGIN %s\n' "$u_m" "$u_n"; cat "$u_d/o"; printf '\n'
  printf '%s STDERR %s\n' "$u_m" "$u_n"; cat "$u_d/e"; printf '\n'
  printf '%s END %s %s %s\n' "$u_m" "$u_rc" "$u_t" "$u_n"
}
u_absent() {
  printf '%s BEGIN %s\n\n%s STDERR %s\n%s\n' "$u_m" "$1" "$u_m" "$1" "$2"
  printf '%s END 127 notinstalled %s\n' "$u_m" "$1"
}
u_has() { command -v "$1" >/dev/null 2>&1; }
u_sec os-release u_run 20 cat /etc/os-release
u_sec uname u_run 20 uname -srm
u_sec hostname u_run 20 uname -n
u_sec proc-stat u_run 20 cat /proc/stat
u_sec proc-meminfo u_run 20 cat /proc/meminfo
u_sec proc-loadavg u_run 20 cat /proc/loadavg
u_sec proc-uptime u_run 20 cat /proc/uptime
u_sec df u_run 20 df -P -B1
u_lsblk() { u_run 20 lsblk --json -b -o NAME,KNAME,PATH,TYPE,SIZE,ROTA,TRAN,MODEL,SERIAL,FSTYPE,MOUNTPOINT || u_run 20 lsblk --json -b; }
if u_has lsblk; then u_sec lsblk u_lsblk; else u_absent lsblk 'lsblk: not installed'; fi
if u_has smartctl; then
  u_sec smartctl-scan u_run 20 sudo -n smartctl --scan-open --json
  awk -F'"' 'function p(a,b){k=a "\t" b; if(!(k in s)){s[k]=1; print k}} /^ *"name": /{if(n!="")p(n,""); n=$4} /^ *"type": /{if(n!=""){p(n,$4); n=""}} END{if(n!="")p(n,"")}' "$u_d/o" >"$u_d/devs"
  while IFS="$(printf '\t')" read -r u_dev u_typ; do
    [ -n "$u_dev" ] || continue
    if [ -n "$u_typ" ]; then u_sec "smartctl:$u_dev -d $u_typ" u_run 60 sudo -n smartctl --json -x -d "$u_typ" "$u_dev"
    else u_sec "smartctl:$u_dev" u_run 60 sudo -n smartctl --json -x "$u_dev"; fi
  done <"$u_d/devs"
else u_absent smartctl-scan 'smartctl: not installed'; fi
u_zst() { u_run 20 sudo -n zpool status -p || u_run 20 sudo -n zpool status; }
if ! u_has zpool; then
  u_absent zpool-list 'zpool: not installed'; u_absent zpool-status 'zpool: not installed'
elif [ ! -e /dev/zfs ]; then
  u_absent zpool-list 'zpool: ZFS kernel module not loaded (no /dev/zfs)'
  u_absent zpool-status 'zpool: ZFS kernel module not loaded (no /dev/zfs)'
else
  u_sec zpool-list u_run 20 sudo -n zpool list -Hp
  u_sec zpool-status u_zst
fi
if [ -r /proc/mdstat ]; then
  u_sec mdstat u_run 20 cat /proc/mdstat
  awk '/^md[^ ]* : /{print $1}' "$u_d/o" >"$u_d/mds"
  if [ -s "$u_d/mds" ] && ! u_has mdadm; then u_absent mdadm 'mdadm: not installed'; fi
  if u_has mdadm; then
    while read -r u_md; do u_sec "mdadm:/dev/$u_md" u_run 20 sudo -n mdadm --detail "/dev/$u_md"; done <"$u_d/mds"
  fi
else u_absent mdstat 'md: kernel driver not loaded (no /proc/mdstat)'; fi
u_ss() { u_run 20 sudo -n ss -H -ltnp || u_run 20 ss -H -ltn || u_run 20 ss -ltn; }
if u_has ss; then u_sec listeners u_ss
elif u_has netstat; then u_sec listeners u_run 20 sudo -n netstat -ltnp
else u_absent listeners 'ss, netstat: not installed'; fi
u_ps() { u_run 20 ps -eo pid,comm,args || u_run 20 ps -o pid,comm,args; }
u_sec processes u_ps
printf '%s DONE\n' "$u_m"
