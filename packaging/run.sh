#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and run tickwired (all tiers in one
# process, frontend on http://127.0.0.1:8080). Arguments go to tickwired (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target tickwired
exec build/backend/app/tickwired "$@"
