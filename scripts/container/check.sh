#!/usr/bin/env bash
# Builds the container image from the committed Dockerfile and proves what the README's
# "Container" section promises (CI runs this after the test suites; `npm run container:check`):
#   1. the image builds from nothing but the Dockerfile, this machine's Debian mirror and npm
#      registry (a local stand-in for node:20-bookworm-slim, see node-base-image.sh);
#   2. it carries no build leftovers (toolchain, sources, better-sqlite3's build tree, dev packages);
#   3. it starts in demo mode: /api/health answers 200, the image's HEALTHCHECK passes, the portal is
#      served at /, and sign-in leads to the emulator's page through the published port;
#   4. the service runs as the unprivileged `node` user and cannot write its own code;
#   5. data lands in the /data volume and survives a restart (a tenant added before is there after);
#      a root-owned host directory mounted at /data is refused with a message saying what to do;
#   6. `stop` ends the container within 2 seconds with exit code 0, without an init process;
#   7. compose.yaml comes up healthy with its named volume, stops in time and goes down.
# Prints the image size and the timings. Needs root (podman).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=env.sh
source scripts/container/env.sh

IMAGE="${IMAGE:-entra-backup}"
NAME=entra-backup-check
VOLUME=entra-backup-check-data
COMPOSE_PROJECT=entra-backup-check
STOP_LIMIT_MS=2000
started=$(date +%s)
say() { echo "container: $*"; }
fail() {
  echo "container: FAILED: $*" >&2
  podman logs --tail 30 "$NAME" >&2 2>/dev/null || true
  exit 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

npmconf="$(mktemp -d)"
cleanup() {
  podman rm -f -t 0 entra-backup-check "${COMPOSE_PROJECT}_entra-backup_1" >/dev/null 2>&1 || true
  podman volume rm -f "$VOLUME" "${COMPOSE_PROJECT}_entra-backup-data" >/dev/null 2>&1 || true
  rm -rf "$npmconf"
  # Earlier builds' images that no tag holds any more (the tagged image, the tagged build stage and
  # the base image keep their cached steps).
  podman image prune -f >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
mkdir -p "$npmconf"

say "storage driver $CONTAINER_STORAGE_DRIVER"
base="$(bash scripts/container/node-base-image.sh)"
say "base image $base ($(($(date +%s) - started)) s)"

# npm inside the build uses this machine's registry and CA bundle, and its package cache, all
# mounted into the RUN steps only: none of it lands in a layer of the image.
cafile="$(npm config get cafile)"
if [ "$cafile" = "null" ] || [ "$cafile" = "undefined" ] || [ ! -f "$cafile" ]; then cafile=/etc/ssl/certs/ca-certificates.crt; fi
cp "$cafile" "$npmconf/ca-certificates.crt"
printf 'cafile=/usr/local/etc/ca-certificates.crt\nregistry=%s\n' "$(npm config get registry)" >"$npmconf/npmrc"
npmcache="$(npm config get cache)"
mkdir -p "$npmcache"

build_started=$(date +%s)
say "building $IMAGE from the Dockerfile"
# The README's `docker build -t entra-backup .`, plus what a machine without registry access needs:
# the local base image and the npm configuration above. Each step's result is kept (podman's
# default), so a later build on this machine with the same lockfile reuses the toolchain and
# `npm ci` steps. BUILDAH_FORMAT=docker (env.sh) keeps HEALTHCHECK.
build_log="${CONTAINER_BUILD_LOG:-/tmp/entra-backup-container-build.log}"
build_args=(--pull=never --build-arg NODE_IMAGE="$base" -v "$npmconf:/usr/local/etc:ro" -v "$npmcache:/root/.npm")
# The build stage is tagged too, so that pruning old images below keeps its chain of cached steps.
{ podman build "${build_args[@]}" --target build -t localhost/entra-backup-build-cache . &&
  podman build "${build_args[@]}" -t "$IMAGE" .; } >"$build_log" 2>&1 || {
  tail -40 "$build_log" >&2
  fail "the image did not build (log: $build_log)"
}
build_seconds=$(($(date +%s) - build_started))
size_bytes="$(podman image inspect --format '{{.Size}}' "$IMAGE")"
say "built in ${build_seconds} s; image size $((size_bytes / 1000000)) MB ($size_bytes bytes)"

# 2. No build leftovers.
[ "$(podman image inspect --format '{{.Config.Healthcheck}}' "$IMAGE")" != "<nil>" ] ||
  fail "the image has no HEALTHCHECK (built in the OCI format?)"
leftovers="$(podman run --rm --entrypoint sh "$IMAGE" 2>/dev/null -c '
  for p in /app/node_modules/better-sqlite3/deps /app/node_modules/better-sqlite3/src \
    /app/node_modules/better-sqlite3/build/Release/obj.target \
    /app/node_modules/better-sqlite3/build/Release/test_extension.node \
    /app/node_modules/better-sqlite3/build/deps /app/apps /app/libs /app/.angular /root/.npm \
    /app/node_modules/typescript /app/node_modules/@angular/cli /app/node_modules/jest \
    /usr/bin/g++ /usr/bin/make /usr/bin/python3; do
    [ -e "$p" ] && echo "$p"
  done
  test -f /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node || echo "missing better_sqlite3.node"
  true')"
[ -z "$leftovers" ] || fail "build leftovers in the image: $leftovers"
say "no build leftovers; HEALTHCHECK present"

# A host directory owned by root, mounted at /data, is refused with a message that says what to do.
mkdir -p "$npmconf/root-owned-data"
refused=0
refusal="$(timeout 60 podman run --rm -v "$npmconf/root-owned-data:/data" "$IMAGE" 2>&1)" || refused=$?
[ "$refused" = "1" ] && grep -q 'ENTRA_BACKUP_DATA_DIR /data cannot be created or written by this process (uid 1000)' <<<"$refusal" ||
  fail "a root-owned /data was not refused with a clear message (exit $refused): $(tail -3 <<<"$refusal")"
say "a root-owned /data is refused: exit 1, naming the directory, the uid and the fix"

# 3. Start in demo mode. The emulator's URLs name 127.0.0.1:<its port>, so that port is published
# under the same number; the API under any.
api_port="$(free_port)"
demo_port="$(free_port)"
podman volume create "$VOLUME" >/dev/null
run_started=$(now_ms)
podman run -d --name "$NAME" \
  -p "127.0.0.1:$api_port:3000" -p "127.0.0.1:$demo_port:$demo_port" \
  -e ENTRA_BACKUP_DEMO_PORT="$demo_port" -e ENTRA_BACKUP_PUBLIC_URL="http://localhost:$api_port" \
  -v "$VOLUME:/data" "$IMAGE" >/dev/null 2>"$npmconf/run.log" || { cat "$npmconf/run.log" >&2; fail "podman run failed"; }

wait_healthy() {
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$api_port/api/health" 2>/dev/null; then return 0; fi
    [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = "true" ] || fail "the container exited while starting"
    sleep 0.5
  done
  fail "/api/health did not answer 200 within 60 s"
}
wait_healthy
say "/api/health 200 after $(($(now_ms) - run_started)) ms"
podman healthcheck run "$NAME" >/dev/null 2>&1 || fail "the image's HEALTHCHECK failed"
say "HEALTHCHECK passes"

portal="$(curl -fsS -D - "http://127.0.0.1:$api_port/")" || fail "GET / failed"
grep -qi '^content-type: text/html' <<<"$portal" || fail "GET / is not HTML"
grep -q '<eb-root' <<<"$portal" || fail "GET / is not the portal"
say "portal served at /"

# On the public URL's host, as a browser arrives after the service moved it there.
login="$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$api_port/api/auth/login")"
authorize="${login#* }"
[[ "$login" == 302\ https://127.0.0.1:$demo_port/* ]] || fail "sign-in did not redirect to the emulator: $login"
podman exec "$NAME" cat /data/emulator/emulator-ca/ca.pem >"$npmconf/emulator-ca.pem"
sign_in_page="$(curl -fsS --cacert "$npmconf/emulator-ca.pem" "$authorize")" || fail "the emulator's sign-in page is not reachable at $authorize"
grep -qi '<form' <<<"$sign_in_page" || fail "the emulator's sign-in page has no form"
say "sign-in leads to the emulator's page at https://127.0.0.1:$demo_port"

# 4. Unprivileged.
uid="$(podman exec "$NAME" sh -c "awk '/^Uid:/ { print \$2 }' /proc/1/status")"
[ "$uid" != "0" ] || fail "the service runs as root"
podman exec "$NAME" sh -c 'touch /app/dist/written 2>/dev/null' && fail "the service user can write its own code"
say "runs as uid $uid ($(podman exec "$NAME" id -un)); /app is read-only to it"

# 5. Data in the volume, kept across a restart.
tenant_id="$(cat /proc/sys/kernel/random/uuid)"
podman exec "$NAME" entra-backup tenant add "$tenant_id" --name "Container check" >/dev/null ||
  fail "entra-backup tenant add failed in the container"
volume_dir="$(podman volume inspect --format '{{.Mountpoint}}' "$VOLUME")"
[ -f "$volume_dir/entra-backup.sqlite" ] || fail "no database in the /data volume ($volume_dir)"
[ "$(stat -c '%u' "$volume_dir/entra-backup.sqlite")" = "$uid" ] || fail "the database in the volume is not owned by uid $uid"
say "database in the volume, owned by uid $uid, mode $(stat -c '%a' "$volume_dir/entra-backup.sqlite"); the volume holds $(du -sk "$volume_dir" | cut -f1) KB"

# 6. Stop: within 2 s, exit 0 (podman would wait 10 s, then kill with exit 137).
stop_and_check() {
  local t0 elapsed code
  t0=$(now_ms)
  podman stop -t 10 "$NAME" >/dev/null 2>&1
  elapsed=$(($(now_ms) - t0))
  code="$(podman inspect --format '{{.State.ExitCode}}' "$NAME")"
  [ "$code" = "0" ] || fail "stop ended the container with exit code $code after $elapsed ms"
  [ "$elapsed" -le "$STOP_LIMIT_MS" ] || fail "stop took $elapsed ms (limit $STOP_LIMIT_MS ms)"
  say "stopped in $elapsed ms, exit code $code"
}
stop_and_check

run_started=$(now_ms)
podman start "$NAME" >/dev/null 2>&1
wait_healthy
say "restarted: /api/health 200 after $(($(now_ms) - run_started)) ms"
podman exec "$NAME" entra-backup tenant list --json | grep -q "$tenant_id" ||
  fail "the tenant added before the restart is gone"
say "the tenant added before the restart is still there"
stop_and_check

# 7. The compose file, with the README's commands (ports moved aside so a local server on 3000 or
# 8443 does not collide). The image built above is the one it names, so it is not built again.
podman rm -f -t 0 "$NAME" >/dev/null 2>&1
compose_env=(ENTRA_BACKUP_HOST_PORT="$api_port" ENTRA_BACKUP_DEMO_PORT="$demo_port"
  ENTRA_BACKUP_PUBLIC_URL="http://localhost:$api_port" NODE_IMAGE="$base")
run_started=$(now_ms)
env "${compose_env[@]}" podman-compose -p "$COMPOSE_PROJECT" up -d >"$npmconf/compose.log" 2>&1 ||
  { cat "$npmconf/compose.log" >&2; fail "podman-compose up failed"; }
NAME="${COMPOSE_PROJECT}_entra-backup_1"
wait_healthy
say "compose: /api/health 200 after $(($(now_ms) - run_started)) ms"
podman healthcheck run "$NAME" >/dev/null 2>&1 || fail "the compose health check failed"
[ "$(podman inspect --format '{{range .Mounts}}{{.Destination}}={{.Name}} {{end}}' "$NAME")" = "/data=${COMPOSE_PROJECT}_entra-backup-data " ] ||
  fail "compose did not mount its named volume at /data: $(podman inspect --format '{{json .Mounts}}' "$NAME")"
stop_and_check
env "${compose_env[@]}" podman-compose -p "$COMPOSE_PROJECT" down >>"$npmconf/compose.log" 2>&1 ||
  { cat "$npmconf/compose.log" >&2; fail "podman-compose down failed"; }
podman volume rm -f "${COMPOSE_PROJECT}_entra-backup-data" >/dev/null
say "compose: up, healthy, named volume at /data, stop in time, down"

say "all checks passed in $(($(date +%s) - started)) s"
