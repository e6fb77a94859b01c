#!/usr/bin/env bash
# Prometheus (with promtool) and Alertmanager (with amtool) of the versions that
# tools/monitoring-tools.json pins, taken from Debian's newer suite and unpacked into .tools/
# (git-ignored). The system's apt sources and installed packages stay as they are: apt runs with
# its own sources.list, lists and cache under .tools/apt. Once unpacked, a run only checks the
# versions the binaries report.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
pin() { node -p "require(process.argv[1]).$1" "$root/tools/monitoring-tools.json"; }
suite="$(pin debianSuite)"
prometheus_version="$(pin prometheus)"
alertmanager_version="$(pin alertmanager)"
dir="$root/$(pin dir)"
apt_dir="$root/.tools/apt"

fail() {
  echo "monitoring-tools: $*" >&2
  exit 1
}

# "prometheus, version 3.5.3+ds1 (branch: ...)" -> 3.5.3
reported() { "$1/usr/bin/$2" --version 2>&1 | sed -n '1s/^[^,]*, version \([0-9][0-9.]*\).*/\1/p'; }

# Every binary in $1 reports its pinned version.
pinned_in() {
  [ "$(reported "$1" prometheus)" = "$prometheus_version" ] &&
    [ "$(reported "$1" promtool)" = "$prometheus_version" ] &&
    [ "$(reported "$1" prometheus-alertmanager)" = "$alertmanager_version" ] &&
    [ "$(reported "$1" amtool)" = "$alertmanager_version" ]
}

# Debian's Alertmanager reads its default notification templates from /usr/share/prometheus/alertmanager
# (a Debian patch; upstream embeds them) and exits 1 without them. Put the unpacked release's
# there, unless a Debian package owns that folder (then the system's prometheus-alertmanager has
# put its own): a fresh machine has none.
share=/usr/share/prometheus/alertmanager
alertmanager_templates() {
  if dpkg -S "$share" >/dev/null 2>&1; then return 0; fi
  if [ ! -w "$(dirname "$(dirname "$share")")" ]; then
    fail "Alertmanager needs its templates in $share: run as root, or copy $1$share there"
  fi
  mkdir -p "$share"
  cp "$1$share"/*.tmpl "$share"/
}

if [ -d "$dir" ] && pinned_in "$dir" 2>/dev/null; then
  alertmanager_templates "$dir"
  exit 0
fi

for tool in apt-get apt-cache dpkg-deb; do
  command -v "$tool" >/dev/null ||
    fail "needs $tool (Debian or Ubuntu) to fetch Prometheus $prometheus_version and Alertmanager $alertmanager_version"
done

# The machine's own Debian mirror (deb822 sources first, then the one-line format).
mirror="$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
  grep -v security | head -n 1 || true)"
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)"
fi
[ -n "$mirror" ] || fail "found no Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || fail "needs Debian's archive keyring ($keyring, package debian-archive-keyring)"

echo "monitoring-tools: fetching Prometheus $prometheus_version and Alertmanager $alertmanager_version from Debian $suite into ${dir#"$root/"}"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
echo "deb [signed-by=$keyring] $mirror $suite main" >"$apt_dir/sources.list"
apt_options=(
  -o "Dir::Etc::sourcelist=$apt_dir/sources.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Sandbox::User=$(id -un)"
)
apt-get "${apt_options[@]}" -qq update ||
  fail "apt-get update for Debian $suite from $mirror failed (is the mirror reachable?)"

# The Debian version of package $1 whose upstream part is $2 (3.5.3+ds1-6 for 3.5.3).
debian_version() {
  apt-cache "${apt_options[@]}" madison "$1" |
    awk -F' *[|] *' -v want="$2" '{ v = $2; sub(/^[0-9]+:/, "", v); sub(/[+~-].*$/, "", v); if (v == want) { print $2; exit } }'
}
packages=()
for spec in "prometheus $prometheus_version" "promtool $prometheus_version" \
  "prometheus-alertmanager $alertmanager_version"; do
  read -r package version <<<"$spec"
  found="$(debian_version "$package" "$version")"
  if [ -z "$found" ]; then
    available="$(apt-cache "${apt_options[@]}" madison "$package" | awk -F' *[|] *' '{ print $2 }' | paste -sd, -)"
    fail "Debian $suite has $package ${available:-in no version}, not $version as tools/monitoring-tools.json pins: pin what $suite carries and check the deployed images against it (docs/decisions/0008-tested-and-deployed-versions.md)"
  fi
  packages+=("$package=$found")
done

debs="$apt_dir/debs"
rm -rf "$debs" && mkdir -p "$debs"
(cd "$debs" && apt-get "${apt_options[@]}" -qq download "${packages[@]}") ||
  fail "apt-get download ${packages[*]} failed"

unpacked="$(mktemp -d "$root/.tools/unpack.XXXXXX")"
chmod 755 "$unpacked"
trap 'rm -rf "$unpacked"' EXIT
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$unpacked"; done
pinned_in "$unpacked" ||
  fail "the fetched binaries report prometheus $(reported "$unpacked" prometheus), promtool $(reported "$unpacked" promtool), alertmanager $(reported "$unpacked" prometheus-alertmanager), amtool $(reported "$unpacked" amtool); expected $prometheus_version and $alertmanager_version"
rm -rf "$dir" "$debs"
mv "$unpacked" "$dir"
alertmanager_templates "$dir"
echo "monitoring-tools: ${packages[*]} in ${dir#"$root/"}/usr/bin"
