#!/usr/bin/env bash
# Builds one processor's image and records its digest in that processor's registry.yaml
# (image.platforms.<this machine's platform>; nothing else in the file changes):
#   scripts/build-processor-image.sh text_summarize             → localhost/agentplane-processor-text-summarize@sha256:…
#   scripts/build-processor-image.sh text_summarize --no-write  (prints the reference only: tests, benches)
# Bundles the processor (pnpm build → dist/), then builds apps/processors/<dir>/Dockerfile. The tag is a hash of the bundle, Dockerfile and base image, so an
# unchanged processor is not rebuilt (CI has 2 cores) and keeps its digest.
set -euo pipefail

DIR=${1:?usage: build-processor-image.sh <dir under apps/processors, e.g. text_summarize> [--no-write]}
WRITE=1
[[ ${2:-} == --no-write ]] && WRITE=0
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROC="$ROOT/apps/processors/$DIR"
[[ -f $PROC/Dockerfile && -f $PROC/registry.yaml && -f $PROC/package.json ]] ||
  { echo "not a processor: $PROC (needs Dockerfile, registry.yaml, package.json)" >&2; exit 2; }
CLI=${CONTAINER_CLI:-$(command -v podman >/dev/null 2>&1 && echo podman || echo docker)}

cd "$ROOT"
pkg=$(sed -n 's/^  "name": "\(.*\)",$/\1/p' "$PROC/package.json" | head -n1)
pnpm --filter "$pkg" build >&2
if [[ -z ${BASE:-} ]]; then
  if [[ $CLI == podman ]]; then
    BASE=$("$ROOT/scripts/make-base-image.sh")
  else
    BASE=node:24-bookworm-slim
  fi
fi
# The context is staged: the bundle, the Dockerfile and registry.yaml without its image section,
# so recording a digest in registry.yaml never changes the image (nor its digest).
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cp -r "$PROC/dist" "$ctx/dist"
cp "$PROC/Dockerfile" "$ctx/Dockerfile"
REGISTRY_IMAGE=(pnpm exec tsx packages/processor-adapters/src/cli/registry-image.ts)
"${REGISTRY_IMAGE[@]}" strip "$PROC/registry.yaml" >"$ctx/registry.yaml"
base_id=$("$CLI" image inspect --format '{{.Id}}' "$BASE" 2>/dev/null || echo "$BASE")
hash=$(
  {
    echo "$base_id"
    (cd "$ctx" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
)
IMAGE="localhost/agentplane-processor-${DIR//_/-}"
if ! "$CLI" image inspect "$IMAGE:$hash" >/dev/null 2>&1; then
  format=()
  # Podman's default OCI format drops HEALTHCHECK; the docker format keeps it.
  [[ $CLI == podman ]] && format=(--format docker)
  "$CLI" build -q "${format[@]}" --build-arg "BASE=$BASE" -t "$IMAGE:$hash" "$ctx" >&2
fi
digest=$("$CLI" image inspect --format '{{.Digest}}' "$IMAGE:$hash")
if [[ -z $digest || $digest == "<no value>" ]]; then
  # Docker records a digest only for pushed images: fall back to the image id.
  digest=$("$CLI" image inspect --format '{{.Id}}' "$IMAGE:$hash")
fi
REF="$IMAGE@$digest"
if [[ $WRITE == 1 ]]; then
  "${REGISTRY_IMAGE[@]}" pin "$PROC/registry.yaml" "$REF"
fi
echo "$REF"
