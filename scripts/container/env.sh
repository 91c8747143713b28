# Sourced by the container scripts: the tools, the storage and the runtime flags that work on a
# machine without a Docker engine or registry access (CI here). Needs root.
#   - buildah and podman from Debian's packages; debootstrap for the local base image;
#   - runc with the cgroupfs manager (crun and the systemd manager fail on this cgroup setup), and
#     lowered nofile/nproc limits (podman's defaults are above what this machine allows);
#   - containers/storage on kernel overlayfs when the kernel allows an overlay mount under
#     /var/lib/containers, else on vfs (slower: it copies every layer in full). Each driver has its
#     own graph root, so switching never trips over the other's images;
#   - chroot isolation for build steps (OCI isolation fails: "cgroups in hybrid mode not supported").

container_tools_missing=()
for tool in buildah podman podman-compose debootstrap runc; do
  command -v "$tool" >/dev/null 2>&1 || container_tools_missing+=("$tool")
done
if [ "${#container_tools_missing[@]}" -gt 0 ]; then
  echo "container: installing ${container_tools_missing[*]} (Debian packages)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah podman podman-compose debootstrap runc >/dev/null
fi

container_storage_driver() {
  local probe
  probe="$(mktemp -d /var/lib/containers/.overlay-probe.XXXXXX 2>/dev/null)" || { echo vfs; return; }
  mkdir -p "$probe"/{lower,upper,work,merged}
  if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    umount "$probe/merged"
    echo overlay
  else
    echo vfs
  fi
  rm -rf "$probe"
}

mkdir -p /var/lib/containers /etc/containers
CONTAINER_STORAGE_DRIVER="${CONTAINER_STORAGE_DRIVER:-$(container_storage_driver)}"
export CONTAINERS_STORAGE_CONF="/etc/containers/entra-backup-storage-$CONTAINER_STORAGE_DRIVER.conf"
cat >"$CONTAINERS_STORAGE_CONF" <<CONF
[storage]
driver = "$CONTAINER_STORAGE_DRIVER"
runroot = "/run/containers/storage-$CONTAINER_STORAGE_DRIVER"
graphroot = "/var/lib/containers/storage-$CONTAINER_STORAGE_DRIVER"
CONF
# Plain `podman run`, `podman build` and `podman-compose` work with these settings (the README's
# commands, as CI runs them): runc with cgroupfs, events in a file (no journald), rlimits this
# machine allows, chroot isolation for build steps, and the Docker image format, which keeps
# HEALTHCHECK (the OCI format drops it).
export CONTAINERS_CONF=/etc/containers/entra-backup-containers.conf
cat >"$CONTAINERS_CONF" <<CONF
[containers]
default_ulimits = ["nofile=16384:16384", "nproc=8192:8192"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export BUILDAH_ISOLATION=chroot
export BUILDAH_FORMAT=docker
