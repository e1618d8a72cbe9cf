#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build everything, run every test (unit,
# integration over loopback, end-to-end). The tests start and stop their own tickwired
# processes; no other service is needed yet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset default
cmake --build --preset default
ctest --preset default -j "$(nproc)"
