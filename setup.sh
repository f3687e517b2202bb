#!/bin/sh
# setup.sh - everything from a fresh Debian 12 machine, in one command.
#
#   ./setup.sh          install what is missing, build camarch, and compile
#                       the example estate (examples/acme) into out/<env>/
#   ./setup.sh test     install what is missing, build, and run the whole test
#                       suite twice: a plain build, then an ASan/UBSan build
#
# Packages come from Debian's own archive (apt-get); nothing is downloaded
# from anywhere else.  Run as root, or as a user who may sudo.
set -eu
cd "$(dirname "$0")"
mode=${1:-example}
case $mode in example|test) ;; *) echo "usage: ./setup.sh [example|test]" >&2; exit 2 ;; esac

packages="gcc make cmake pkg-config flex bison libyaml-dev libjansson-dev libcmocka-dev systemd ansible-core ansible-lint
          python3 python3-yaml python3-jsonschema"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "setup: installing$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCAMARCH_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

if [ "$mode" = example ]; then
  ./build/camarch build examples/acme/estate.camarch -o out
  echo "setup: the example estate's artefacts are in out/ (one directory per environment)"
  exit 0
fi

(cd build && ctest --output-on-failure -j"$jobs")
cmake -S . -B build-asan -DCAMARCH_SANITIZE=ON -DCAMARCH_WERROR=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure -j"$jobs")
echo "setup: all tests passed (plain and ASan/UBSan builds)"
