#!/usr/bin/env bash
# Builds the Debian packages into build/packages/ and checks them with lintian:
#   tickwired_VERSION_ARCH.deb  the server, systemd units per role, /etc/tickwire/tickwired.toml,
#                               tickwired(1), the Grafana dashboard and Prometheus alert rules
#   tickwire_VERSION_ARCH.deb   the desktop app, its launcher entry, icons, AppStream metadata,
#                               tickwire(1)
# What goes in each is described in packaging/CMakeLists.txt.
#
# Why CPack's DEB generator rather than debhelper: the packages are made from the default build
# tree that `cmake --build --preset default` (and CI) already has, in about a minute. debhelper
# (dpkg-buildpackage) builds from a clean source tree through its own configure and build
# steps: another full build, over 10 minutes on this project's 2-core machines, and a debian/
# directory at the top level that would duplicate the CMake install rules. CPack still computes
# library dependencies with dpkg-shlibdeps (CPACK_DEBIAN_PACKAGE_SHLIBDEPS), and what debhelper
# would have generated (maintainer scripts for the units, the changelog, stripping, gzipped man
# pages) is written out in packaging/debian/ and packaging/CMakeLists.txt.
#
# Needs: the build dependencies (packaging/install-deps.sh) plus dpkg-dev, help2man,
# librsvg2-bin, qt6-declarative-dev-tools (qmlimportscanner) and lintian.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
for tool in help2man rsvg-convert dpkg-shlibdeps lintian /usr/lib/qt6/libexec/qmlimportscanner; do
  command -v "$tool" >/dev/null || { echo "build-deb: $tool is missing (bash packaging/install-deps.sh)"; exit 1; }
done

cmake --preset default >/dev/null
cmake --build --preset default --target tickwired tickwire package_files

# The QML modules the app imports at run time: dpkg-shlibdeps cannot see them (qml-depends.sh).
qml_depends=$(bash packaging/qml-depends.sh qml)
echo "build-deb: tickwire's QML runtime dependencies: $qml_depends"

rm -rf build/packages
cpack --config build/CPackConfig.cmake -D "CPACK_DEBIAN_TICKWIRE_PACKAGE_DEPENDS=$qml_depends"
rm -rf build/packages/_CPack_Packages  # CPack's staging trees
debs=(build/packages/*.deb)
[ ${#debs[@]} -eq 2 ] || { echo "build-deb: expected 2 packages, got: ${debs[*]}"; exit 1; }

# lintian: errors and warnings fail the build, and there are none to override. What it still
# reports at the informational level (lintian -I), and why it stays:
#   hardening-no-bindnow, hardening-no-fortify-functions: the project's compile flags are its
#     own (CMakePresets.json), not dpkg-buildflags'; adding -D_FORTIFY_SOURCE=2 and -z now is a
#     build-wide change for the project, not something the packaging should slip in.
#   binary-has-unneeded-section .comment: CPack strips with plain `strip`; dh_strip would also
#     drop the compiler's version note. Harmless.
#   package-supports-alternative-init-but-no-init.d-script: tickwired ships systemd units only;
#     the units' hardening (ProtectSystem=strict, ...) has no sysvinit equivalent.
echo "build-deb: lintian ${debs[*]}"
lintian --fail-on error,warning --info "${debs[@]}"

for deb in "${debs[@]}"; do
  echo "== $deb"
  dpkg-deb --field "$deb" Package Version Architecture Installed-Size Depends Suggests
done
echo "build-deb: done in $((SECONDS - started)) s"
