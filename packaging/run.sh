#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build, and run the main job: the desktop app
# with its bundled backend when there is a display (DISPLAY or WAYLAND_DISPLAY; `xvfb-run -a`
# counts), otherwise tickwired headless (all tiers, frontend on http://127.0.0.1:8080).
# Arguments go to the program started (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/install-deps.sh
cmake --preset default >/dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  cmake --build --preset default --target tickwire
  exec build/desktop/tickwire "$@"
fi
echo "run.sh: no display, so starting the headless backend (tickwired); for the desktop app use"
echo "        a desktop session or: xvfb-run -a bash packaging/run.sh"
cmake --build --preset default --target tickwired
exec build/backend/app/tickwired "$@"
