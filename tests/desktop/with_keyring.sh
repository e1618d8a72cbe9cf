#!/usr/bin/env bash
# Runs a command with a real system keyring: gnome-keyring's Secret Service in a private D-Bus
# session, unlocked with a throwaway password, its files in a temporary home that is removed
# afterwards. Both daemons end with the command (dbus-run-session stops the bus, and the keyring
# daemon leaves with it).
set -euo pipefail
home=$(mktemp -d "${TMPDIR:-/tmp}/tickwire-keyring.XXXXXX")
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
  XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# Not exec: the EXIT trap above must run after the command to remove the temporary home.
dbus-run-session -- sh -c '
  printf "throwaway" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' keyring "$@"
