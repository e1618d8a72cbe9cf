#!/usr/bin/env bash
# Builds the `fuzz` preset if needed and runs every fuzz_* target for a while on a copy of its
# seed corpus (the source tree is never written to). One line per target with its executions
# and exec/s; the exit status is 1 when any target crashed, leaked, ran out of memory or timed
# out. Crash inputs and logs stay in the build dir:
#   <build-dir>/fuzz-artifacts/<target>/   crash-*, leak-*, timeout-*, oom-* (reproduce with
#                                          `<build-dir>/tests/fuzz/<target> <file>`)
#   <build-dir>/fuzz-logs/<target>.log     libFuzzer's output
#
# Usage: tests/fuzz/run.sh [seconds-per-target] [build-dir]    (defaults: 20, build-fuzz)
# FUZZ_TARGETS="fuzz_sse_parser fuzz_quote_json" limits the run to those targets; FUZZ_RUNS=N
# also stops each target after N executions (whichever comes first); FUZZ_MAX_LEN=N caps the
# input size (default 65536; the long runs use 4096, see docs/reliability.md); FUZZ_TIMEOUT=S is
# the per-input limit in wall-clock seconds (default 10; the long runs, which share the machine
# at a low priority, use 60 so that a starved input is not reported as a hang).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
seconds=${1:-20}
build=${2:-$src/build-fuzz}
case $build in /*) ;; *) build=$PWD/$build ;; esac
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [seconds-per-target] [build-dir]" >&2
  exit 2
fi

# Every fuzz_<name>.cpp is a target.
targets=()
for f in "$here"/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
if [[ -n ${FUZZ_TARGETS:-} ]]; then read -r -a targets <<<"$FUZZ_TARGETS"; fi

# Two cores are shared on the build machines: -j2 at most.
if [[ ! -f $build/CMakeCache.txt ]]; then
  (cd "$src" && cmake --preset fuzz -B "$build")
fi
cmake --build "$build" --target fuzz_targets -j 2

work=$(mktemp -d "${TMPDIR:-/tmp}/tickwire-fuzz.XXXXXX")
child=
cleanup() {
  if [[ -n $child ]]; then kill "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$build/fuzz-logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/$t
  [[ -x $bin ]] || { echo "$t: not built ($bin)" >&2; failed=1; continue; }
  corpus=$work/$t
  mkdir -p "$corpus"
  if [[ -d $here/corpus/$t ]]; then cp -R "$here/corpus/$t/." "$corpus/"; fi
  artifacts=$build/fuzz-artifacts/$t
  mkdir -p "$artifacts"
  args=(-max_total_time="$seconds" -max_len="${FUZZ_MAX_LEN:-65536}" -rss_limit_mb=2048 -timeout="${FUZZ_TIMEOUT:-10}"
        -print_final_stats=1 -artifact_prefix="$artifacts/")
  [[ -f $here/$t.dict ]] && args+=(-dict="$here/$t.dict")
  [[ -n ${FUZZ_RUNS:-} ]] && args+=(-runs="$FUZZ_RUNS")
  log=$build/fuzz-logs/$t.log
  # libFuzzer stops by itself after max_total_time; `timeout` is the guard should it not.
  timeout --kill-after=30 $((seconds + 120)) "$bin" "${args[@]}" "$corpus" >"$log" 2>&1 &
  child=$!
  rc=0
  wait "$child" || rc=$?
  child=
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n1)
  if [[ $rc -eq 0 ]]; then
    verdict=ok
  else
    verdict="FAILED (exit $rc; see $log and $artifacts/)"
    failed=1
  fi
  line=$(printf '%-24s %-6s %12s execs %9s exec/s  corpus %5s -> %5s files  peak %s MB' \
    "$t" "${verdict%% *}" "${runs:-?}" "${rate:-?}" \
    "$(find "$here/corpus/$t" -type f 2>/dev/null | wc -l)" "$(find "$corpus" -type f | wc -l)" \
    "${rss:-?}")
  echo "$line"
  [[ $verdict == ok ]] || echo "  $verdict"
  rm -rf "$corpus"
done
exit "$failed"
