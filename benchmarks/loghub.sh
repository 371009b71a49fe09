#!/usr/bin/env bash
# Loghub-2k accuracy benchmark of the template miner (one configuration for all 12 datasets).
# Prints GA/FGA/PA/FTA per dataset on the original and corrected labels next to Drain's published GA,
# then re-scores the same predictions with the reference scorer eval_grouping.py as a cross-check.
#
#   benchmarks/loghub.sh [data-root]      (default: ../shared/benchdata/loghub2k from the repo root)
#
# Needs: JDK 17, Maven, python3 (for the cross-check). The data is third-party and not in the repo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-}"
if [ -z "$data" ]; then
  # ../shared/benchdata/loghub2k from the repo root, or from any parent folder (git worktrees)
  d="$root"
  while [ "$d" != "/" ]; do
    if [ -d "$d/../shared/benchdata/loghub2k" ]; then data="$(cd "$d/../shared/benchdata/loghub2k" && pwd)"; break; fi
    d="$(dirname "$d")"
  done
  [ -n "$data" ] || { echo "Loghub-2k data not found; pass its folder as argument" >&2; exit 2; }
fi
scorer="${SCORER:-$(dirname "$data")/../tools/eval_grouping.py}"
jar="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/loganalysis/src/main" "$root/benchmarks/src/main" -newer "$jar" -print -quit)" ]; then
  (cd "$root" && mvn -B -q -ntp -Dmaven.test.skip=true -Dspotless.check.skip=true -Djacoco.skip=true -pl benchmarks -am package) >&2
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
java -cp "$jar" io.marty.observability.benchmarks.mining.LoghubBenchmark "$data" --csv-dir "$out"
if [ -f "$scorer" ] && command -v python3 >/dev/null; then
  echo
  echo "Cross-check with $(basename "$scorer") (original labels, then corrected):"
  for f in "$out"/*.csv; do
    ds="$(basename "$f" .csv)"
    for gt in "$data/$ds/${ds}_2k.log_structured.csv" "$data/$ds/${ds}_2k.log_structured_corrected.csv"; do
      printf '%-10s %-13s ' "$ds" "$([[ $gt == *corrected* ]] && echo corrected || echo original)"
      python3 "$scorer" --pred "$f" --gt "$gt" | sed 's/^[^ ]* *//'
    done
  done
fi
