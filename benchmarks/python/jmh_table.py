#!/usr/bin/env python3
"""Markdown table from a JMH JSON result file (-rf json -rff FILE).

    python3 benchmarks/python/jmh_table.py benchmarks/target/jmh-hotpath.json
"""
import json
import sys


def main():
    rows = json.load(open(sys.argv[1]))
    print("| benchmark | params | threads | score | ± error | unit |")
    print("|---|---|---:|---:|---:|---|")
    for r in rows:
        name = r["benchmark"].rsplit(".", 2)
        params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items()) or "-"
        m = r["primaryMetric"]
        err = m.get("scoreError")
        err = f"{err:,.1f}" if isinstance(err, (int, float)) and err == err else "-"
        print(f"| {name[-2]}.{name[-1]} | {params} | {r['threads']} | {m['score']:,.1f} | {err} | {m['scoreUnit']} |")


if __name__ == "__main__":
    main()
