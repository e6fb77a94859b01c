#!/usr/bin/env bash
# Installs what the tests and the local stack need beyond npm, from Debian's packages:
# PostgreSQL 15 and what builds and runs the service's image without Docker (buildah, podman,
# debootstrap, runc, uidmap, CNI plugins) with apt-get install; Prometheus with promtool and
# Alertmanager with amtool of the tested versions (monitoring-tools.sh: Debian's newer suite,
# unpacked into .tools/).
set -euo pipefail

bash "$(dirname "$0")/monitoring-tools.sh"

missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
for tool in buildah podman debootstrap runc; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
command -v newuidmap >/dev/null || missing+=(uidmap)
ls /usr/lib/cni/host-local >/dev/null 2>&1 || missing+=(containernetworking-plugins)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "ensure-tools: installing ${missing[*]} from Debian's packages (apt-get)"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "ensure-tools: cannot install ${missing[*]}: run as root on Debian 12, or install them yourself:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the packages from starting their system services: we run our own instances.
printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ensure-tools: installed ${missing[*]}"
