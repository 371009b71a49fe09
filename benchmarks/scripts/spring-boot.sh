#!/usr/bin/env bash
# Spring Boot comparison (issue 20): the sample's orders service (examples/spring-boot) started as
# plain Spring Boot, with the Marty starter, and with the OpenTelemetry Spring Boot starter 2.31.1;
# startup time and wrk throughput of GET /orders/{id}/status, same load, variants alternated in one run.
#   benchmarks/scripts/spring-boot.sh                                  # 3 repetitions, 20 s warm-up, 30 s measured
#   benchmarks/scripts/spring-boot.sh --reps 1 --warmup 3 --duration 5 # a smoke run
#   SKIP_BUILD=1 benchmarks/scripts/spring-boot.sh ...                 # reuse the class paths of the last build
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out=benchmarks/target/spring-boot
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
  echo "installing wrk..." >&2
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # inside the reactor (nothing installed): the sample, its Marty modules, and its runtime class path
  mvn -B -q -ntp -pl examples/spring-boot -am package dependency:build-classpath \
    -DskipTests -Dspotless.check.skip -Djacoco.skip=true -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$root/$out/marty.cp"
  mvn -B -q -ntp -f benchmarks/spring-boot/classpaths.xml dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$root/$out/plain.cp"
  mvn -B -q -ntp -f benchmarks/spring-boot/classpaths.xml -P otel dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$root/$out/otel.cp"
fi
exec python3 benchmarks/python/spring_boot.py --classes examples/spring-boot/target/classes --out "$out" "$@"
