#!/usr/bin/env bash
# Builds one app's image and prints its digest-pinned reference (what ORCH_ENGINE_IMAGE takes):
#   scripts/build-image.sh engine      → localhost/agentplane-engine@sha256:…
# Bundles the app (pnpm build), then builds the root Dockerfile around the bundle with Podman
# (or docker when there is no podman). With no BASE set and no way to pull, the base is made
# locally from this checkout's Node 24 (scripts/make-base-image.sh).
set -euo pipefail

APP=${1:?usage: build-image.sh <app>}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLI=${CONTAINER_CLI:-$(command -v podman >/dev/null 2>&1 && echo podman || echo docker)}
case $APP in
  engine) PORT=8000 ;;
  orchestratord) PORT=8080 ;;
  agent-manager) PORT=3000 ;;
  *) echo "unknown app: $APP" >&2; exit 2 ;;
esac

cd "$ROOT"
pnpm --filter "@agentplane/$APP" build >&2
if [[ -z ${BASE:-} ]]; then
  if [[ $CLI == podman ]]; then
    BASE=$("$ROOT/scripts/make-base-image.sh")
  else
    BASE=node:24-bookworm-slim
  fi
fi
IMAGE="localhost/agentplane-$APP"
format=()
# Podman's default OCI format drops HEALTHCHECK; the docker format keeps it.
[[ $CLI == podman ]] && format=(--format docker)
# The image runs main.js with the flags the app's `start` script gives node (heap sizing).
NODE_FLAGS=$(node -e 'const s = require(process.argv[1]).scripts.start.split(/\s+/);
console.log(s.slice(1, -1).filter((a) => a.startsWith("--")).join(" "))' "$ROOT/apps/$APP/package.json")
"$CLI" build -q "${format[@]}" --build-arg "BASE=$BASE" --build-arg "APP=$APP" \
  --build-arg "PORT=$PORT" --build-arg "NODE_FLAGS=$NODE_FLAGS" -t "$IMAGE:dev" "$ROOT" >&2
digest=$("$CLI" image inspect --format '{{.Digest}}' "$IMAGE:dev")
if [[ -z $digest || $digest == "<no value>" ]]; then
  # Docker records a digest only for pushed images: fall back to the image id.
  digest=$("$CLI" image inspect --format '{{.Id}}' "$IMAGE:dev")
fi
echo "$IMAGE@$digest"
