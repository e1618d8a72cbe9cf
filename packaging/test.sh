#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build everything, run every test: unit,
# integration over loopback, the desktop app's models, views (Qt Quick Test) and qmllint, and
# end-to-end (curl against tickwired; the app in a real window under Xvfb). The tests start and
# stop their own processes, by PID; no other service is needed yet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset default
cmake --build --preset default
ctest --preset default -j "$(nproc)"
