#!/usr/bin/env bash
# The sanitizer stage of the test command: builds the backend tests twice more and runs them
# under the sanitizers. Fails on any test failure and on any sanitizer report, including one
# from a tickwired child process that a test started (reports go to files, see below).
#
# Which tests run where (the selection lives in the test presets of CMakePresets.json, so
# `ctest --preset debug|tsan` runs the same):
#   debug preset (ASan + UBSan, clang -O0, build-debug/): every unit and integration test of
#     unit_shared, unit_backend, unit_auth, integration_backend and integration_fake_providers.
#     Memory errors and UB can hide in any code path, and these tests are cheap under ASan.
#   tsan preset (ThreadSanitizer, clang -O0, build-tsan/): the tests that cross threads:
#     StreamHubTest, Metrics (unit: shard inboxes, counters written from many threads),
#     DispatcherNumbering (the dispatcher and the embedded cache tier posting to each other),
#     Stream/Quotes/Symbols/WebSocket/Polling/Conformance (the in-process backend: io pool
#     shards, the hub, the embedded cache tier, the dispatcher), UpstreamFault and
#     Faults/BrokenUpstream (the dispatcher's upstream reconnects while shards fan out),
#     RedisLink and ExclusiveLease (the Redis link's thread against its callers), Tickwired (a TSan-built tickwired process: signals, shutdown
#     of every tier). Not under TSan: single-threaded logic (the other unit tests) and the TLS
#     edge and provider tests (they cross the same threads as the tests above; OpenSSL is not
#     instrumented, so TSan sees little more there).
#   Under neither (they run in the default preset): the fleet and bounded-memory executables and
#     Tickwired.ReaderThatStopsReading... / AReaderThatPauses...: their bounds (failover within
#     the lease + 2 s, RSS and 500 ms delivery windows at 20,000 ticks/s, a server that outruns a
#     stalled reader) are set for an optimised build and failed under both sanitizers here.
#   Tickwired.ConnectionsPastTheFileLimitAreRefusedGracefully runs under TSan, not ASan+UBSan: it
#     exhausts the server's 96 descriptors, and UBSan's vptr check probes memory through a pipe,
#     so at EMFILE it calls a valid boost::system::error_category's vptr invalid (and cannot open
#     its log file to say so).
#
# The ASan+UBSan tree also carries libFuzzer's coverage hooks: packaging/test.sh then runs
# tests/fuzz/run.sh on it (fuzz_targets is in the debug build preset).
#
# Measured on this machine from empty build dirs (2 cores, shared with two other people's -j2
# builds the whole time, load average ~4; an unshared machine should need about half):
#   debug stage 623 s (configure + build ~528 s, ctest 95 s; 255 tests, 76 s when rerun)
#   tsan  stage 419 s (configure + build ~376 s, ctest 43 s; 52 tests)
#   whole script 17 min 22 s wall, 15 min 11 s of CPU (user + sys).
#
# Every process this script starts (cmake, ctest) runs in its own process group and is ended by
# its PID if the script is interrupted; the tests themselves stop the redis-server and tickwired
# processes they start.
set -euo pipefail
cd "$(dirname "$0")/../.."

jobs="${TICKWIRE_SANITIZER_JOBS:-2}"

current=""
stop_current() {
  if [[ -n "$current" ]] && kill -0 "$current" 2>/dev/null; then
    kill -TERM -- "-$current" 2>/dev/null || true
    wait "$current" 2>/dev/null || true
  fi
}
trap 'stop_current; exit 130' INT TERM
trap 'stop_current' EXIT

# Runs a command in its own process group (job control: the group's id is the command's PID,
# so an interrupt ends it and the tests and servers under it through that PID) and waits for it.
set -m
run() {
  "$@" &
  current=$!
  local rc=0
  wait "$current" || rc=$?
  current=""
  return "$rc"
}

# Reports from every process (the test executables and the tickwired they start) go to files
# under $1 (log_path=<dir>/<sanitizer>.<pid>): a child's report cannot be lost in a log nobody
# reads. Any such file fails the stage.
check_reports() {
  local dir=$1 found=0
  for f in "$dir"/*; do
    [[ -e "$f" ]] || continue
    found=1
    echo "=== sanitizer report: $f" >&2
    cat "$f" >&2
  done
  if [[ $found -ne 0 ]]; then
    echo "sanitizers: reports found in $dir" >&2
    return 1
  fi
}

stage() {
  local preset=$1
  shift
  local start=$SECONDS reports
  run cmake --preset "$preset"
  run cmake --build --preset "$preset" -j "$jobs"
  reports="$PWD/build-$preset/sanitizer-reports"
  rm -rf "$reports"
  mkdir -p "$reports"
  local rc=0
  ASAN_OPTIONS="log_path=$reports/asan" UBSAN_OPTIONS="log_path=$reports/ubsan" \
    TSAN_OPTIONS="log_path=$reports/tsan" \
    run ctest --preset "$preset" -j "$jobs" "$@" || rc=$?
  check_reports "$reports" || rc=1
  echo "sanitizers: $preset stage took $((SECONDS - start)) s (rc $rc)"
  return "$rc"
}

status=0
stage debug || status=1
stage tsan || status=1
exit "$status"
