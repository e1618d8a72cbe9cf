# Sourced by the desktop e2e scripts. run_app OUT TICKWIRE_E2E [ARGS...]: runs the app's scripted
# e2e pass (the test-only build of the app, tickwire-e2e) under Xvfb with a settings file of its
# own (never the user's), its log and report in OUT; on failure prints the log's tail and the
# report, and exits 1.
run_app() {
  local out=$1 tickwire_e2e=$2
  shift 2
  local status=0
  xvfb-run -a -s "-screen 0 1400x900x24" \
    "$tickwire_e2e" --settings "$out/settings.ini" --e2e-report "$out/report.json" \
    --screenshot-dir "$out/screenshots" "$@" >"$out/app.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "tickwire-e2e exited with $status; log:"; tail -40 "$out/app.log"
    [ -f "$out/report.json" ] && cat "$out/report.json"
    exit 1
  fi
}
