#!/usr/bin/env bash
# Two `unity serve` processes on one PostgreSQL: a task with a 10 s interval must run exactly once
# per interval across both, never overlapping, for two minutes (issue "platform", acceptance 5).
#   scripts/two-replicas.sh [DURATION_SECONDS] [UNITY_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-120}
BIN=${2:-.build/debug/unity}
[ -x "$BIN" ] || swift build --product unity
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
W=$(mktemp -d /tmp/unity-replicas.XXXXXX); chmod 755 "$W"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  su postgres -c "$PGBIN/pg_ctl -D $W/pg -m immediate -w stop" >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

PGPORT=$(free_port)
mkdir -p "$W/pg" "$W/pgsock" && chown postgres:postgres "$W/pg" "$W/pgsock"
su postgres -c "$PGBIN/initdb -D $W/pg -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $W/pg -l $W/pgsock/pg.log -w -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k $W/pgsock -c fsync=off\" start" >/dev/null
URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"
KEY=$(openssl rand -base64 32)

for replica in a b; do
  mkdir -p "$W/$replica"
  ( cd "$W/$replica" && exec env DATABASE_URL="$URL" UNITY_MASTER_KEY="$KEY" UNITY_REPLICA_ID="replica-$replica" \
      UNITY_BIND="127.0.0.1:$(free_port)" UNITY_ADMIN_PASSWORD="two-replicas-admin" UNITY_TASK_TOKEN_CLEANUP_INTERVAL=10 \
      "$OLDPWD/$BIN" serve ) > "$W/$replica.log" 2>&1 &
  PIDS+=($!)
done
echo "two replicas started on one PostgreSQL; watching token-cleanup (10 s interval) for ${DURATION} s"
sleep "$DURATION"
for pid in "${PIDS[@]}"; do kill "$pid"; done; wait 2>/dev/null || true

Q() { psql "$URL" -tA -F ' ' -c "$1"; }
echo "runs per replica:"; Q "select replica, count(*) from task_runs where task='token-cleanup' group by replica order by replica"
runs=$(Q "select count(*) from task_runs where task='token-cleanup' and status='succeeded'")
failed=$(Q "select count(*) from task_runs where task='token-cleanup' and status<>'succeeded'")
overlaps=$(Q "select count(*) from task_runs a join task_runs b on a.task=b.task and a.id<>b.id and a.task='token-cleanup' and b.started_at>=a.started_at and b.started_at<a.finished_at")
gap=$(Q "select round(min(extract(epoch from s - p))::numeric, 2) from (select started_at s, lag(started_at) over (order by started_at) p from task_runs where task='token-cleanup') t where p is not null")
expected=$(( DURATION / 10 ))
echo "runs: $runs (expected $expected ± 1), failed: $failed, overlapping runs: $overlaps, smallest gap between starts: ${gap} s"
[ "$failed" -eq 0 ] && [ "$overlaps" -eq 0 ] && [ "$runs" -ge $((expected - 1)) ] && [ "$runs" -le $((expected + 1)) ] || { echo "FAILED"; exit 1; }
echo "OK: exactly one run per interval across both replicas"
