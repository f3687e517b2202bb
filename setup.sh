#!/bin/sh
# setup.sh - everything from a fresh Debian 12 machine, in one command.
#
#   ./setup.sh          install what is missing, build camarch, and compile
#                       the example estate (examples/acme) into out/<env>/
#   ./setup.sh test     install what is missing, build, and run the whole test
#                       suite twice: a plain build, then an ASan/UBSan build;
#                       then run each libFuzzer target for a short, bounded
#                       time (a clang build; CAMARCH_FUZZ_SECONDS, default 20)
#
# Packages come from Debian's own archive (apt-get); nothing is downloaded
# from anywhere else.  Run as root, or as a user who may sudo.
set -eu
cd "$(dirname "$0")"
mode=${1:-example}
case $mode in example|test) ;; *) echo "usage: ./setup.sh [example|test]" >&2; exit 2 ;; esac

packages="gcc make cmake pkg-config flex bison libyaml-dev libjansson-dev libcmocka-dev systemd ansible-core ansible-lint
          python3 python3-yaml python3-jsonschema"
[ "$mode" = test ] && packages="$packages clang libclang-rt-14-dev"
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
# the fuzzers, briefly: a regression of the pipeline or of what camarch reads
# back shows here (docs/reliability.md has the long runs)
CC=clang cmake -S . -B build-fuzz -DCAMARCH_FUZZ=ON -DCAMARCH_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_camarch fuzz_readback fuzz_dict
sh tests/fuzz/run.sh build-fuzz "${CAMARCH_FUZZ_SECONDS:-20}"
echo "setup: all tests passed (plain and ASan/UBSan builds, and the fuzzers)"
