#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar (JMH benchmarks, the overhead harness, the probes) and the
# modules it needs, inside the reactor (nothing is installed to ~/.m2). The one build command of
# run-overhead.sh and loghub.sh; scripts/test-all.sh runs it on a clean copy of the checkout.
# -DskipTests, not -Dmaven.test.skip=true: the latter also skips building test artifacts that other
# modules may depend on. Extra arguments go to mvn (e.g. -o).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
exec mvn -B -q -ntp -pl benchmarks -am package -DskipTests -Dspotless.check.skip=true -Djacoco.skip=true "$@"
