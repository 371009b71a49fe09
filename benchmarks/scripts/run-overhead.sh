#!/usr/bin/env bash
# End-to-end overhead harness (issue 9): bare vs ours vs the OpenTelemetry agent on trivial services.
# Installs wrk when missing, builds benchmarks/target/benchmarks.jar (build.sh), fetches the OTel Java agent,
# then runs benchmarks/python/overhead.py with the given options (see --help). Not part of `mvn verify`.
#   benchmarks/scripts/run-overhead.sh                                   # everything (about 40 min on 2 cores)
#   benchmarks/scripts/run-overhead.sh --phases throughput --servers jdk --reps 3 --duration 10
#   benchmarks/scripts/run-overhead.sh --phases soak --soak-minutes 10
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if ! command -v wrk >/dev/null; then
  echo "installing wrk..." >&2
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  benchmarks/scripts/build.sh
fi
agent_version="$(sed -n 's:.*<otel-javaagent.version>\(.*\)</otel-javaagent.version>.*:\1:p' pom.xml)"
if [ ! -f benchmarks/target/agent/opentelemetry-javaagent.jar ]; then
  mvn -B -q -ntp dependency:copy -N \
    -Dartifact="io.opentelemetry.javaagent:opentelemetry-javaagent:${agent_version:-2.31.1}" \
    -DoutputDirectory=benchmarks/target/agent -Dmdep.stripVersion=true
fi
exec python3 benchmarks/python/overhead.py "$@"
