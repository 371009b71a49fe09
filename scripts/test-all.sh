#!/usr/bin/env bash
# Runs every test of the project. Installs the test tools it needs (Debian packages) when missing:
# promtool (prometheus), amtool (prometheus-alertmanager), chromium + chromedriver for the UI tests,
# redis-server and PostgreSQL's initdb/pg_ctl (postgresql) for the jdbc/redis/demo tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<version>/bin
command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test tools: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# install, not just verify: the modules land in the local Maven repository in reactor order, so the
# projects that cli's GeneratedServiceIT generates (and builds offline) find bom, parent, core, http, ...
mvn -B -ntp install "$@"

# The benchmark build (benchmarks/scripts/build.sh, used by run-overhead.sh and loghub.sh) on a clean
# copy of this checkout (tracked and new files, no target/): a fresh clone must build it without
# anything from this build. Builds only, runs no benchmark. SKIP_BENCHMARK_BUILD=1 skips it.
if [ "${SKIP_BENCHMARK_BUILD:-0}" != 1 ]; then
  offline=(); for a in "$@"; do case "$a" in -o|--offline) offline=(-o) ;; esac; done
  clean="$(mktemp -d)"
  trap 'rm -rf "$clean"' EXIT
  git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - | tar -xf - -C "$clean"
  echo "Building the benchmarks on a clean copy ($clean): benchmarks/scripts/build.sh ${offline[*]}"
  "$clean/benchmarks/scripts/build.sh" "${offline[@]}"
  test -f "$clean/benchmarks/target/benchmarks.jar"
  echo "benchmark build OK"
fi
