#!/usr/bin/env bash
# The packages as a new user gets them: in a brand-new Debian root (debootstrap, minbase),
# `apt-get install ./tickwired_*.deb ./tickwire_*.deb` must resolve every dependency from the
# Debian archive, and the installed programs must run (tickwired --version and --check, the
# service user and the conffile in place, tickwire --help and a few seconds of the app with
# its QML views loaded, offscreen); then a reinstall and a purge of tickwired run its
# maintainer scripts.
#
# packaging/test.sh runs it after packaging/build-deb.sh (not ctest: it needs the packages,
# which are built after the tests). It downloads a Debian base system and Qt (a few hundred MB)
# and takes about two minutes. By hand, as root, after packaging/build-deb.sh:
#   bash tests/packaging/debian_install.sh [build/packages]
# It uses the mirror this machine's apt is configured with (/etc/apt/sources.list*), and says
# SKIPPED (exit 0) when debootstrap is missing, it is not root, or that mirror is unreachable.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
packages=$(cd "${1:-$here/../../build/packages}" && pwd)
skip() { echo "debian_install: SKIPPED: $*"; exit 0; }

command -v debootstrap >/dev/null || skip "debootstrap is not installed (apt-get install debootstrap)"
[ "$(id -u)" -eq 0 ] || skip "debootstrap and chroot need root"
debs=("$packages"/tickwired_*.deb "$packages"/tickwire_*.deb)
for deb in "${debs[@]}"; do
  [ -f "$deb" ] || { echo "debian_install: no $deb; run packaging/build-deb.sh first"; exit 1; }
done

# The suite and mirror of this machine: its codename, and the first URI apt uses for it
# (deb822 .sources files or one-line sources.list entries).
. /etc/os-release
suite=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
mirror=$(/usr/bin/python3 - "$suite" <<'PY'
import glob, re, sys
suite = sys.argv[1]
for path in sorted(glob.glob("/etc/apt/sources.list") + glob.glob("/etc/apt/sources.list.d/*")):
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        continue
    if path.endswith(".sources"):
        for stanza in re.split(r"\n\s*\n", text):
            fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.M))
            if suite in fields.get("Suites", "").split() and "deb" in fields.get("Types", "").split():
                print(fields["URIs"].split()[0]); sys.exit(0)
    else:
        for line in text.splitlines():
            m = re.match(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)", line)
            if m and m.group(2) == suite:
                print(m.group(1)); sys.exit(0)
PY
)
[ -n "$mirror" ] || skip "no apt source for $suite in /etc/apt/sources.list*"
curl -sf --max-time 15 -o /dev/null "$mirror/dists/$suite/Release" || skip "$mirror is not reachable"

root=$(mktemp -d /var/tmp/tickwire-debian-root.XXXXXX)
chmod 755 "$root"  # mktemp's 0700 would keep apt's unprivileged _apt user out
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT

started=$SECONDS
echo "debian_install: debootstrap --variant=minbase $suite from $mirror"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
  { tail -n 30 "$root.debootstrap.log"; rm -f "$root.debootstrap.log"; exit 1; }
rm -f "$root.debootstrap.log"
echo "debian_install: base system in $((SECONDS - started)) s"
mount -t proc proc "$root/proc"
# As in a container: nothing is started by maintainer scripts (ours start nothing anyway).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mkdir -p "$root/tmp/debs"
cp "${debs[@]}" "$root/tmp/debs/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  DEBIAN_FRONTEND=noninteractive "$@"; }

in_root apt-get update -q >/dev/null
step=$SECONDS
in_debs=()
for deb in "${debs[@]}"; do in_debs+=("/tmp/debs/$(basename "$deb")"); done
in_root apt-get install -y -q --no-install-recommends "${in_debs[@]}" \
  >"$root/tmp/install.log" 2>&1 || { tail -n 40 "$root/tmp/install.log"; exit 1; }
echo "debian_install: apt-get install of both packages in $((SECONDS - step)) s ($(grep -c '^Setting up' "$root/tmp/install.log") packages set up)"

echo "--- tickwired --version"; in_root tickwired --version
echo "--- tickwired --check"; in_root tickwired --check
echo "--- the shipped config checked for a role (its secret files do not exist yet: refused, naming them)"
status=0; out=$(in_root tickwired --config /etc/tickwire/tickwired.toml --role frontend --check 2>&1) || status=$?
echo "$out (exit $status)"
[ "$status" -ne 0 ] && grep -q '/etc/tickwire/' <<<"$out" || { echo "unexpected answer"; exit 1; }
echo "--- service user, conffile, units"
in_root getent passwd tickwire
in_root dpkg-query -W -f='${Conffiles}\n' tickwired | grep -q '/etc/tickwire/tickwired.toml' ||
  { echo "tickwired.toml is not a conffile"; exit 1; }
ls "$root/lib/systemd/system/" | grep tickwired
echo "--- tickwire --help (offscreen)"
in_root env QT_QPA_PLATFORM=offscreen tickwire --help | head -n 5
echo "--- tickwire running offscreen for 8 s (its QML views must load)"
status=0
in_root env QT_QPA_PLATFORM=offscreen HOME=/tmp timeout 8 tickwire --settings /tmp/tickwire.ini \
  >"$root/tmp/app.log" 2>&1 || status=$?
if [ "$status" -ne 124 ] || grep -E -i 'is not installed|module .* not found|cannot load' "$root/tmp/app.log"; then
  echo "tickwire exited with $status (124: still running after 8 s, as it should):"
  cat "$root/tmp/app.log"; exit 1
fi
echo "still running after 8 s; its log:"; sed 's/^/  /' "$root/tmp/app.log"
echo "--- maintainer scripts: reinstall (postinst as on an upgrade), then purge"
# (apt's "Can not write log (Is /dev/pts mounted?)" in this chroot is harmless: only the exit
# status counts, and the log is shown when it fails.)
in_root dpkg -i "/tmp/debs/$(basename "${debs[0]}")" >"$root/tmp/scripts.log" 2>&1 &&
  in_root apt-get purge -y -q tickwired >>"$root/tmp/scripts.log" 2>&1 ||
  { cat "$root/tmp/scripts.log"; exit 1; }
[ ! -e "$root/etc/tickwire/tickwired.toml" ] || { echo "purge left the conffile"; exit 1; }
[ ! -e "$root/usr/bin/tickwired" ] || { echo "purge left the binary"; exit 1; }
in_root getent passwd tickwire >/dev/null || { echo "purge removed the user (files may still be theirs)"; exit 1; }
echo "purged: binary and conffile gone, user tickwire kept"
echo "debian_install: PASSED in $((SECONDS - started)) s"
