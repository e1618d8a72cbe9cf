#!/usr/bin/env bash
# Prints the Debian packages that hold the QML modules the desktop app imports, comma-separated,
# for the `tickwire` package's Depends. The app loads them at run time (the QML engine opens
# their plugins by import name), so dpkg-shlibdeps, which reads the binary's linked libraries,
# cannot see them. Qt's own qmlimportscanner lists the imports of qml/ (recursively, styles
# included); dpkg -S names the package that ships each module's qmldir. Modules that are not
# installed here are optional imports of other modules (platform styles such as
# QtQuick.Controls.macOS) and are skipped: the app runs without them on Debian.
set -euo pipefail
qml_dir=${1:?usage: qml-depends.sh path/to/qml-sources}
scanner=/usr/lib/qt6/libexec/qmlimportscanner
qml_root=$(qtpaths6 --query QT_INSTALL_QML 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/qt6/qml)

"$scanner" -rootPath "$qml_dir" -importPath "$qml_root" |
  /usr/bin/python3 -c '
import json, sys
for module in json.load(sys.stdin):
    path = module.get("path")
    if module.get("type") == "module" and path:
        print(path + "/qmldir")
' |
  while read -r qmldir; do
    [ -e "$qmldir" ] || continue  # a module of the app itself (built in, no qmldir installed)
    dpkg-query -S "$qmldir" | cut -d: -f1
  done | sort -u | paste -sd, | sed 's/,/, /g'
