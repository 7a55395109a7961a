#!/usr/bin/env bash
# container-check.sh - build the Dockerfile with podman and prove what the README's "Run in CI" section promises:
#   the image runs as a non-root user and starts `sandbox serve --host 0.0.0.0 --port 8080`;
#   /_sandbox/health answers within 2 s of `run`, and the image's own HEALTHCHECK passes;
#   SIGTERM (`stop`) ends it within 2 s with exit code 0, once ready and also mid-startup;
#   SANDBOX_* environment variables are read; a fixtures directory mounted at /fixtures is served.
# It also reports the image's size.
#
# The build uses ../shared/tools/container-smoke.sh (a local Debian stand-in for python:3.12-slim, no registry)
# with KEEP=1, then runs these checks in the same podman storage and removes all of it at the end.
# Run as root. Exit code 0 only if every check passed.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SMOKE=${CONTAINER_SMOKE:-$(dirname "$REPO")/shared/tools/container-smoke.sh}
IMAGE=${IMAGE:-localhost/affiliate-sandbox:ci}
BASE=docker.io/library/python:3.12-slim   # the smoke script tags its stand-in base under this name
MAX_READY_MS=2000
MAX_STOP_MS=2000
FROZEN=2026-06-15T12:00:00Z
FIXTURE_KEY=lj_pk_mounted_fixture_0001
FIXTURE_MERCHANT="Mounted Fixtures Ltd"

if [ ! -f "$SMOKE" ]; then
  echo "container-check: FAILED: the smoke script is missing: $SMOKE" >&2
  echo "  (CI keeps shared/ beside the clone; elsewhere set CONTAINER_SMOKE=/path/to/container-smoke.sh)" >&2
  exit 2
fi

W=$(mktemp -d /tmp/ctr-check.XXXXXX)
RUN=chk-$$
FAILED=0

step() { echo "== [$(date +%T)] +${SECONDS}s $*"; }
ok()   { echo "   ok   $*"; }
bad()  { echo "   FAIL $*"; FAILED=1; }
ms()   { echo $(( $(date +%s%N) / 1000000 )); }

cleanup() {
  local conf="$W/conf/containers.conf" storage="$W/conf/storage.conf"
  # Only ever reset the storage this run made: both config files must exist and point under $W.
  if [ -f "$conf" ] && [ -f "$storage" ] && grep -q "graphroot = \"$W/storage\"" "$storage"; then
    export CONTAINERS_CONF="$conf" CONTAINERS_STORAGE_CONF="$storage"
    for c in $(podman ps -aq --filter "name=^$RUN-" 2>/dev/null); do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
    podman system reset -f >/dev/null 2>&1 || true
  fi
  rm -rf "$W"
}
trap cleanup EXIT

# 1. Build (the smoke script also proves /_sandbox/health answers). BUILDAH_FORMAT=docker keeps the
#    Dockerfile's HEALTHCHECK, which the default OCI format drops.
step "build with $SMOKE"
BUILDAH_FORMAT=docker KEEP=1 CTR_WORK="$W" PROJECT_DIR="$REPO" IMAGE="$IMAGE" bash "$SMOKE"
export CONTAINERS_CONF="$W/conf/containers.conf" CONTAINERS_STORAGE_CONF="$W/conf/storage.conf"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start NAME PORT [podman run options...]: run the image detached with 127.0.0.1:PORT -> 8080.
start() {
  local name=$1 port=$2; shift 2
  # podman without systemd logs harmless healthcheck-timer errors: keep them out of the output.
  podman run -d --name "$name" --network slirp4netns:port_handler=slirp4netns \
    -p "127.0.0.1:$port:8080" "$@" "$IMAGE" >/dev/null 2>>"$W/podman.err"
}

# wait_healthy PORT T0_MS: milliseconds from T0_MS until /_sandbox/health answers 200 (gives up after 15 s).
wait_healthy() {
  local port=$1 t0=$2
  while [ $(( $(ms) - t0 )) -lt 15000 ]; do
    if curl -fsS --max-time 1 -o /dev/null "http://127.0.0.1:$port/_sandbox/health" 2>/dev/null; then
      echo $(( $(ms) - t0 )); return 0
    fi
    sleep 0.05
  done
  return 1
}

# stop_timed NAME: `podman stop` (SIGTERM, SIGKILL only after 10 s); prints "MILLISECONDS EXIT_CODE".
stop_timed() {
  local t0 t1
  t0=$(ms); podman stop -t 10 "$1" >/dev/null 2>>"$W/podman.err" || true; t1=$(ms)
  echo "$(( t1 - t0 )) $(podman inspect -f '{{.State.ExitCode}}' "$1" 2>/dev/null || echo '?')"
}

show_log() { echo "   --- log of $1:"; podman logs "$1" 2>&1 | tail -20 | sed 's/^/   | /'; }

# 2. What the image declares.
step "image config"
user=$(podman image inspect -f '{{.Config.User}}' "$IMAGE")
cmd=$(podman image inspect -f '{{json .Config.Cmd}}' "$IMAGE")
health=$(podman image inspect -f '{{json .Config.Healthcheck}}' "$IMAGE")
ports=$(podman image inspect -f '{{json .Config.ExposedPorts}}' "$IMAGE")
case "${user%%:*}" in ""|0|root) bad "image USER is '${user}' (root)";; *) ok "USER $user";; esac
[ "$cmd" = '["sandbox","serve","--host","0.0.0.0","--port","8080"]' ] && ok "CMD $cmd" || bad "CMD is $cmd"
[[ "$health" == *'/_sandbox/health'* ]] && ok "HEALTHCHECK on /_sandbox/health" || bad "HEALTHCHECK is $health"
[[ "$ports" == *'8080/tcp'* ]] && ok "EXPOSE 8080" || bad "exposed ports: $ports"

# 3. Plain start: ready time, user, command, HEALTHCHECK, clean stop.
step "start, health, SIGTERM"
name=$RUN-plain; port=$(free_port)
t0=$(ms)
start "$name" "$port"
up=$(( $(ms) - t0 ))
# Measured from calling `podman run`, so podman's own start-up counts against the limit too.
if ready=$(wait_healthy "$port" "$t0"); then
  [ "$ready" -le "$MAX_READY_MS" ] && ok "healthy ${ready} ms after podman run was called (run returned after ${up} ms)" \
    || bad "healthy only ${ready} ms after podman run was called (limit $MAX_READY_MS; run returned after ${up} ms)"
  uid=$(podman exec "$name" id -u 2>&1 || true)
  [[ "$uid" =~ ^[1-9][0-9]*$ ]] && ok "processes run as uid $uid" || bad "id -u in the container: $uid"
  top=$(podman top "$name" user args 2>&1 || true)
  echo "$top" | sed 's/^/   | /'
  if echo "$top" | tail -n +2 | awk '{print $1}' | grep -qx root; then bad "a process runs as root"; fi
  echo "$top" | grep -qF 'sandbox serve --host 0.0.0.0 --port 8080' \
    && ok "runs sandbox serve --host 0.0.0.0 --port 8080" || bad "the serve command is not running"
  podman logs "$name" 2>&1 | grep -qF 'affiliate-sandbox listening on http://0.0.0.0:8080' \
    && ok "logged its listening line" || bad "no 'listening on http://0.0.0.0:8080' line"
  # `healthcheck run` runs the image's HEALTHCHECK command once in the container (exit code 0: healthy).
  if podman healthcheck run "$name" >/dev/null 2>>"$W/podman.err"; then hc_rc=0; else hc_rc=$?; fi
  hc=$(podman inspect -f '{{.State.Health.Status}}' "$name" 2>/dev/null || true)
  { [ "$hc_rc" = 0 ] && [ "$hc" = healthy ]; } && ok "the image's HEALTHCHECK passes (status: $hc)" \
    || bad "HEALTHCHECK: exit code $hc_rc, status '$hc'"
  read -r took code < <(stop_timed "$name")
  { [ "$took" -le "$MAX_STOP_MS" ] && [ "$code" = 0 ]; } && ok "SIGTERM: stopped in ${took} ms, exit code 0" \
    || { bad "SIGTERM: stopped in ${took} ms with exit code $code (limit $MAX_STOP_MS ms, code 0)"; show_log "$name"; }
  if podman logs "$name" 2>&1 | grep -q Traceback; then bad "traceback in the log"; show_log "$name"; fi
else
  bad "never healthy"; show_log "$name"
fi

# 4. SIGTERM during startup (PID 1 would ignore it without tini: a 10 s wait, then SIGKILL).
step "SIGTERM during startup"
name=$RUN-early
start "$name" "$(free_port)"
read -r took code < <(stop_timed "$name")
{ [ "$took" -le "$MAX_STOP_MS" ] && [ "$code" = 0 ]; } && ok "stopped in ${took} ms, exit code 0" \
  || { bad "stopped in ${took} ms with exit code $code (limit $MAX_STOP_MS ms, code 0)"; show_log "$name"; }

# 5. SANDBOX_* variables and a mounted fixtures directory whose key and merchant only it has.
step "SANDBOX_* environment and mounted fixtures"
fix="$W/my-fixtures"
mkdir -p "$fix"
cp "$REPO"/fixtures/default/*.yaml "$fix/"
sed -i -e "s/lj_pk_sandbox_ultimate_0001/$FIXTURE_KEY/" -e "s/name: Acme Analytics/name: $FIXTURE_MERCHANT/" \
  "$fix/linkjolt.yaml"
grep -qF "$FIXTURE_KEY" "$fix/linkjolt.yaml" && grep -qF "$FIXTURE_MERCHANT" "$fix/linkjolt.yaml" \
  || bad "could not make the custom fixture (fixtures/default/linkjolt.yaml changed shape?)"
chmod -R a+rX "$fix"   # the image's user (uid 10001) must be able to read it
name=$RUN-env; port=$(free_port)
t0=$(ms)
start "$name" "$port" -v "$fix:/fixtures:ro" -e SANDBOX_FIXTURES=/fixtures \
  -e SANDBOX_CLOCK="frozen:$FROZEN" -e SANDBOX_SEED=42 -e SANDBOX_NO_AUTO_TENANTS=1
if wait_healthy "$port" "$t0" >/dev/null; then
  base="http://127.0.0.1:$port"
  tenants=$(curl -sS "$base/_sandbox/tenants")
  python3 - "$tenants" "$FROZEN" "$FIXTURE_KEY" <<'EOF' && ok "/_sandbox/tenants: frozen at $FROZEN, seed 42, the mounted key" \
    || bad "/_sandbox/tenants: $tenants"
import json, sys
tenant = json.loads(sys.argv[1])["data"][0]
sys.exit(not (tenant["clock"] == "frozen" and tenant["now"] == sys.argv[2] and tenant["seed"] == 42
              and sys.argv[3] in tenant["keys"]["linkjolt"]))
EOF
  me=$(curl -sS -w ' %{http_code}' "$base/linkjolt/api/v1/me" -H "Authorization: Bearer $FIXTURE_KEY")
  [[ "$me" == *"\"name\":\"$FIXTURE_MERCHANT\""*" 200" ]] \
    && ok "GET /linkjolt/api/v1/me with the mounted key: 200, merchant '$FIXTURE_MERCHANT'" || bad "GET /me: $me"
  code=$(curl -sS -o /dev/null -w '%{http_code}' "$base/linkjolt/api/v1/me" \
    -H 'Authorization: Bearer lj_pk_sandbox_ultimate_0001')
  [ "$code" = 401 ] && ok "the packaged default key gets 401 (SANDBOX_NO_AUTO_TENANTS=1, fixtures replaced)" \
    || bad "the packaged default key got $code, expected 401"
else
  bad "never healthy"; show_log "$name"
fi
podman rm -f -t 0 "$name" >/dev/null 2>>"$W/podman.err"

# 6. Size.
step "size"
size=$(podman image inspect -f '{{.Size}}' "$IMAGE")
base_size=$(podman image inspect -f '{{.Size}}' "$BASE")
echo "   image $IMAGE: $(( size / 1000000 )) MB; the layers it adds to its base: $(( (size - base_size) / 1000000 )) MB" \
  "(stand-in base: $(( base_size / 1000000 )) MB)"

if [ "$FAILED" != 0 ]; then step "container check FAILED"; exit 1; fi
step "container check passed"
