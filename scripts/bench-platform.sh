#!/usr/bin/env bash
# Platform benchmarks (release build): cold start to the first 200 from /healthz, idle RSS, and wrk
# against an authenticated list endpoint (API key, 200 rows) next to /healthz as the framework's own
# ceiling. Prints markdown for docs/benchmarks.md.
#   scripts/bench-platform.sh [UNITY_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build-release/release/unity}
[ -x "$BIN" ] || swift build -c release --product unity --scratch-path .build-release
BIN=$(realpath "$BIN")
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
W=$(mktemp -d /tmp/unity-bench.XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
now_ms() { date +%s%3N; }

ELAPSED=0
start() {  # start DATA_DIR: starts unity; sets PID and ELAPSED (ms until /healthz answered 200)
  local t0; t0=$(now_ms)
  UNITY_DATA_DIR="$1" UNITY_BIND="127.0.0.1:$PORT" UNITY_ADMIN_PASSWORD="bench-admin-password" UNITY_LOG_LEVEL=warning \
    "$BIN" serve > "$W/server.log" 2>&1 &
  PID=$!
  until curl -fs -o /dev/null "$BASE/healthz"; do sleep 0.005; done
  ELAPSED=$(( $(now_ms) - t0 ))
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "## Platform ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r))"
echo
cold=(); warm=()
for i in 1 2 3 4 5; do start "$W/cold$i"; cold+=("$ELAPSED"); stop; done
for i in 1 2 3 4 5; do start "$W/cold1"; warm+=("$ELAPSED"); stop; done
echo "| Start-up to first 200 from /healthz (SQLite) | median of 5 | all runs (ms) |"
echo "|---|---|---|"
echo "| fresh data folder (creates database, migrates, hashes the admin password) | $(printf '%s\n' "${cold[@]}" | median) ms | ${cold[*]} |"
echo "| existing data folder | $(printf '%s\n' "${warm[@]}" | median) ms | ${warm[*]} |"
echo

start "$W/data"
sleep 3
rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
echo "Idle RSS 3 s after start: **$((rss / 1024)) MB** ($rss kB VmRSS)."
echo

TOKEN=$(curl -fsS -X POST -H 'content-type: application/json' -d '{"username":"admin","password":"bench-admin-password"}' "$BASE/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
KEY=""
for i in $(seq 1 200); do
  out=$(curl -fsS -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d "{\"name\":\"key-$i\",\"scopes\":[\"admin\"]}" "$BASE/api/v1/api-keys")
  [ -n "$KEY" ] || KEY=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
done
run_wrk() {  # run_wrk LABEL PATH [AUTH]
  local args=(-t2 -c32 -d15s --latency)
  [ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
  wrk "${args[@]}" "$BASE$2" > "$W/wrk.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$W/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$W/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$W/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$W/wrk.txt")
  echo "| $1 | \`$2\` | ${rps} | ${p50} | ${p99} | ${non2xx:-0} |"
}
echo "wrk 4.1, \`-t2 -c32 -d15s --latency\`, client and server on the same 2 cores, 200 API keys in the database:"
echo
echo "| Endpoint | Path | Requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
run_wrk "unauthenticated, no database (framework ceiling)" "/healthz"
run_wrk "API key + list, default page (50 rows)" "/api/v1/api-keys" "$KEY"
run_wrk "API key + list, all 200 rows" "/api/v1/api-keys?per_page=200" "$KEY"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
echo
echo "Peak RSS of the server over the whole run: $((rss / 1024)) MB (VmHWM)."
