#!/usr/bin/env bash
# Installs every Debian package Tickwire needs to build, run and test. Idempotent: packages that
# are already installed are skipped, and apt is not touched at all when nothing is missing.
# Must run as root (or through sudo) on Debian 12. See ../docs/operations.md for why each is here.
set -euo pipefail

packages=(
  # build
  cmake ninja-build g++ pkg-config
  # backend libraries (Boost 1.81: Asio, Beast, JSON; never libboost-dev, which pulls in 1.74)
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libspdlog-dev libfmt-dev libcli11-dev
  libhiredis-dev  # the Redis cache tier's client (async API, driven by Asio)
  libssl-dev  # TLS (HTTPS/WSS) at the edge, through Asio's OpenSSL layer
  libjwt-dev  # client tokens (JWT); 1.10.2-1+deb12u1 fixes CVE-2024-25189
  # desktop app (Qt 6 Quick) and its QML runtime modules
  qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-websockets-dev libgl1-mesa-dev
  qml6-module-qtqml qml6-module-qtquick qml6-module-qtqml-models qml6-module-qtqml-workerscript
  qml6-module-qtquick-controls qml6-module-qtquick-layouts qml6-module-qtquick-window
  qml6-module-qtquick-templates qml6-module-qttest libqt6quicktest6
  qml6-module-qtquick-dialogs  # FileDialog: import and export of lists and positions as CSV
  qtkeychain-qt6-dev  # provider keys in the system keyring (Secret Service, KWallet)
  tzdata  # US market hours are New York time
  # tests
  libgtest-dev libgmock-dev curl python3 python3-prometheus-client
  clang-14 libclang-rt-14-dev  # the sanitizer stages (ASan+UBSan, TSan) and libFuzzer
  openssl  # the TLS tests make their certificates at test time with its CLI
  dbus-daemon gnome-keyring  # a real keyring for the secret store's test (dbus-run-session)
  dbus-bin  # dbus-monitor: the alerts e2e test watches the notifications on its own session bus
  trayer  # a system tray host under Xvfb: the alerts e2e test closes the window to the tray
  librdkafka-dev  # Kafka: the cache tier over Kafka (issue 17) and its tests' mock cluster
  redis-server  # the scale-out tests start their own on a free loopback port
  xvfb xauth libgl1-mesa-dri
  chromium  # the browser test drives Debian's own build; nothing is downloaded at test time
  # packaging: the .debs (packaging/build-deb.sh: CPack, dpkg-shlibdeps, man pages, icons) and
  # their checks (lintian; tests/packaging/: launcher entry, metainfo, alert rules)
  dpkg-dev help2man librsvg2-bin lintian desktop-file-utils appstream
  prometheus  # for promtool only: its server is kept from starting, see below
  debootstrap  # tests/packaging/debian_install.sh: the .debs in a brand-new Debian root
)

# The benchmark suite's peer (tests/bench/run_suite.sh) and the soak's plot of RSS and connections
# over time (tests/bench/soak_report.py): only with --bench.
if [ "${1:-}" = "--bench" ]; then
  packages+=(nginx libnginx-mod-nchan python3-matplotlib)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# Debian's prometheus package (wanted for promtool) starts and enables its server on install.
# A policy-rc.d that forbids every action (exit 101) keeps this install from starting anything,
# and the server is disabled afterwards; an existing policy-rc.d is left as it is.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  trap '$SUDO rm -f "$policy"' EXIT
fi
# libboost1.81-dev is named even when installed: without it apt's resolver (Debian 12) can
# reach python3-matplotlib's dependencies through python3-pythran to libboost-dev 1.74, which
# conflicts with 1.81, and gives up (seen with nginx and python3-matplotlib in one call);
# named, it is kept and the resolver goes another way.
$SUDO apt-get install -y -q --no-install-recommends libboost1.81-dev "${missing[@]}"
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus.service || true
fi
