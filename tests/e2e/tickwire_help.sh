#!/usr/bin/env bash
# The shipped desktop binary carries no test code: `tickwire --help` lists the user's options and
# nothing of the e2e run, the e2e options are rejected as unknown (gone, not just hidden from the
# help), and the e2e driver's class is nowhere in the binary. The e2e run lives in the test-only
# tickwire-e2e (tests/e2e/driver/). No display is needed: Qt's offscreen platform is enough for
# QCommandLineParser, which answers --help and unknown options before any window exists.
set -euo pipefail
tickwire=${1:?usage: tickwire_help.sh path/to/tickwire}
export QT_QPA_PLATFORM=offscreen

# argv[0] is plain "tickwire": Qt prints it in the usage line, and the path of a build tree (say
# /work/wt-e2e/build/...) could contain the very words looked for.
status=0
help=$(timeout 30 bash -c 'exec -a tickwire "$0" --help' "$tickwire" 2>&1) || status=$?
if [ "$status" -ne 0 ]; then
  echo "tickwire --help exited with $status:"; echo "$help"; exit 1
fi
for option in --backend --settings --version; do  # the help was really printed
  grep -q -- "$option" <<<"$help" || { echo "tickwire --help does not list $option:"; echo "$help"; exit 1; }
done
if grep -i -n -E 'e2e|screenshot|report' <<<"$help"; then
  echo "tickwire --help mentions test options (lines above); full output:"; echo "$help"; exit 1
fi

status=0
out=$(timeout 30 "$tickwire" --e2e-report /dev/null 2>&1) || status=$?
if [ "$status" -eq 0 ] || ! grep -q 'Unknown option' <<<"$out"; then
  echo "tickwire accepted --e2e-report (exit $status):"; echo "$out"; exit 1
fi

if grep -q E2eDriver "$tickwire"; then
  echo "$tickwire contains the e2e driver (E2eDriver)"; exit 1
fi
echo "tickwire --help:"; echo "$help"
