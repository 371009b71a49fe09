#!/usr/bin/env python3
"""Where the CPU goes in a JFR recording: top self frames and top inclusive frames.

    python3 benchmarks/python/jfr_top.py recording.jfr [--prefix io.marty.] [--top 25]

Reads jdk.ExecutionSample events through the JDK's `jfr print --json`. "Self" counts the top
frame of each sample; "inclusive" counts each distinct method once per sample anywhere on the
stack, so a filter's share includes everything it calls. --prefix lists inclusive shares for
methods of those packages only (comma list), e.g. our instrumentation.
"""

import argparse
import collections
import json
import subprocess
import sys


def frames(event):
    st = event.get("values", {}).get("stackTrace") or {}
    for f in st.get("frames", []):
        m = f.get("method", {})
        t = m.get("type", {}).get("name", "?")
        yield f"{t.replace('/', '.')}.{m.get('name', '?')}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("jfr")
    ap.add_argument("--prefix", default="io.marty.,io.opentelemetry.,io.prometheus.,ch.qos.logback.")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--stack-depth", type=int, default=96)
    ap.add_argument("--under", help="only the callees of this method (substring of Class.method)")
    o = ap.parse_args()
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(o.stack_depth), "--events",
                          "jdk.ExecutionSample", o.jfr], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(out.stderr)
    events = json.loads(out.stdout)["recording"]["events"]
    n = len(events)
    self_c, incl = collections.Counter(), collections.Counter()
    for e in events:
        fs = list(frames(e))
        if o.under:
            cut = next((i for i, f in enumerate(fs) if o.under in f), None)
            if cut is None:
                continue
            fs = fs[:cut]
        if fs:
            self_c[fs[0]] += 1
        for f in set(fs):
            incl[f] += 1
    print(f"{n} execution samples in {o.jfr}\n")
    print("Top self frames:")
    for f, c in self_c.most_common(o.top):
        print(f"  {100 * c / n:5.1f}%  {f}")
    prefixes = tuple(p for p in o.prefix.split(",") if p) if not o.under else ("",)
    print(f"\nTop inclusive frames in {', '.join(prefixes)}:")
    for f, c in [(f, c) for f, c in incl.most_common() if f.startswith(prefixes)][:o.top]:
        print(f"  {100 * c / n:5.1f}%  {f}")


if __name__ == "__main__":
    main()
