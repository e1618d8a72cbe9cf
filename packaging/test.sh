#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build everything, run every test: unit,
# integration over loopback, the desktop app's models, views (Qt Quick Test) and qmllint, and
# end-to-end (curl against tickwired; the app in a real window under Xvfb), the packaging files;
# then the Debian packages (lintian), the sanitizer builds and a short fuzz run. The tests start
# and stop their own processes (redis-server, tickwired, fake providers), by PID; no other
# service is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset default
cmake --build --preset default
ctest --preset default -j "$(nproc)"
# The Debian packages from this build tree, checked with lintian (about a minute; the launcher
# entry, metainfo, alert rules and dashboard were checked by ctest's packaging tests above).
bash packaging/build-deb.sh
# ...installed as a new user would, in a brand-new Debian root (debootstrap): every dependency
# resolves and the programs run. About two minutes; says SKIPPED where the mirror is unreachable.
bash tests/packaging/debian_install.sh
# The reliability stages: the backend tests again under ASan+UBSan and TSan, then every parser
# of untrusted bytes fuzzed for 20 s (docs/reliability.md).
bash tests/sanitizers/run.sh
bash tests/fuzz/run.sh 20 build-debug  # built by the ASan+UBSan stage (coverage hooks on)
