#!/usr/bin/env python3
"""Whole-machine CPU breakdown of one measured window, from `perf script` output.

JFR only samples threads running Java code; this counts every CPU sample of the machine (kernel,
JIT-compiled code, the JVM itself, the compiler and GC threads, the load generator, the OTLP sink)
and turns it into microseconds of CPU per served request, by process role and by thread role in
the service. The service must run with -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit so
that `perf script` can name JIT-compiled frames (/tmp/perf-<pid>.map, written when the JVM exits).

    perf record -F 499 -g -a -o perf.data -- sleep 10      # while the load runs
    perf script -i perf.data > perf.txt                     # after the service JVM exited
    python3 perf_breakdown.py perf.txt --service-pid 1234 --sink-pid 1200 --requests 350000 --freq 499
"""

import argparse
import collections
import json
import re

HEADER = re.compile(r"^\s*(?P<comm>.+?)\s+(?P<pid>\d+)(?:/(?P<tid>\d+))?\s+")
FRAME = re.compile(r"^\s*[0-9a-f]+\s+(?P<sym>.*?)\s+\((?P<dso>[^()]*)\)\s*$")

# Linux truncates thread names to 15 characters; HotSpot copies Java thread names there.
EXPORT_THREADS = ("BatchSpanProces", "BatchLogRecordP", "jdkhttp-executo", "HttpClient-", "OkHttp")
JIT_THREADS = ("C1 CompilerThre", "C2 CompilerThre", "Sweeper thread")
GC_THREADS = ("GC Thread", "G1 ", "VM Thread", "VM Periodic")
LOG_THREADS = ("marty-log-async",)


def samples(lines):
    """Yields (comm, pid, frames) per sample; frames are (symbol, dso), innermost first."""
    comm = pid = None
    frames = []
    for line in lines:
        if not line.strip():
            if comm is not None:
                yield comm, pid, frames
            comm, pid, frames = None, None, []
            continue
        if line[0] not in " \t":
            m = HEADER.match(line)
            if m:
                comm, pid = m.group("comm").strip(), int(m.group("pid"))
                frames = []
            continue
        m = FRAME.match(line)
        if m:
            frames.append((re.sub(r"\+0x[0-9a-f]+$", "", m.group("sym")), m.group("dso")))
    if comm is not None:
        yield comm, pid, frames


def thread_role(comm):
    for prefixes, role in ((EXPORT_THREADS, "export"), (JIT_THREADS, "jit"), (GC_THREADS, "gc"),
                           (LOG_THREADS, "logging")):
        if comm.startswith(prefixes):
            return role
    return "request"


def code_kind(frames):
    if not frames:
        return "unknown"
    dso = frames[0][1]
    if "kernel" in dso:
        return "kernel"
    if dso.startswith("/tmp/perf-") or "[JIT]" in dso:
        return "java (JIT code)"
    if "libjvm" in dso:
        return "JVM runtime"
    return "native libraries"


def export_kind(frames):
    names = [s for s, _ in frames]
    if any("exporter.internal.marshal" in s or "Marshaler" in s for s in names):
        return "OTLP marshalling"
    if any("jdk.internal.net.http" in s or "java.net.http" in s or "okhttp3" in s for s in names):
        return "HTTP client"
    if any("BatchSpanProcessor" in s or "BatchLogRecordProcessor" in s for s in names):
        return "batch processor"
    return code_kind(frames)


def breakdown(lines, service_pid, requests, freq, sink_pid=None, load_pid=None):
    us_per_sample = 1e6 / freq
    per = lambda n: round(n * us_per_sample / max(1, requests), 2)
    procs = collections.Counter()
    threads = collections.Counter()
    request_code = collections.Counter()
    export = collections.Counter()
    total = 0
    for comm, pid, frames in samples(lines):
        total += 1
        if pid == service_pid:
            role = thread_role(comm)
            procs["service"] += 1
            threads[role] += 1
            if role == "request":
                request_code[code_kind(frames)] += 1
            elif role == "export":
                export[export_kind(frames)] += 1
        elif sink_pid and pid == sink_pid:
            procs["OTLP sink"] += 1
        elif (load_pid and pid == load_pid) or comm == "wrk":
            procs["load generator"] += 1
        elif pid == 0:
            procs["idle"] += 1
        else:
            procs["other"] += 1
    return {
        "samples": total, "requests": requests, "freq": freq,
        "process_us_per_req": {k: per(v) for k, v in procs.most_common()},
        "service_threads_us_per_req": {k: per(v) for k, v in threads.most_common()},
        "request_threads_code_us_per_req": {k: per(v) for k, v in request_code.most_common()},
        "export_threads_us_per_req": {k: per(v) for k, v in export.most_common()},
    }


def markdown(results):
    """results: {label: breakdown}; one table, a row per figure, a column per label."""
    labels = list(results)
    rows = []
    for section, title in (("process_us_per_req", "process"), ("service_threads_us_per_req", "service threads"),
                           ("request_threads_code_us_per_req", "request threads"),
                           ("export_threads_us_per_req", "export threads")):
        keys = []
        for b in results.values():
            keys += [k for k in b[section] if k not in keys]
        for k in keys:
            rows.append([f"{title}: {k}"] + [f"{results[l][section].get(k, 0.0):.2f}" for l in labels])
    out = ["| CPU µs per request | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    out.append("| samples (requests) | " + " | ".join(f"{results[l]['samples']} ({results[l]['requests']})"
                                                       for l in labels) + " |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("script", help="output of `perf script`")
    ap.add_argument("--service-pid", type=int, required=True)
    ap.add_argument("--sink-pid", type=int)
    ap.add_argument("--load-pid", type=int)
    ap.add_argument("--requests", type=int, required=True, help="requests served in the recorded window")
    ap.add_argument("--freq", type=int, default=499, help="perf record -F")
    o = ap.parse_args()
    with open(o.script, errors="replace") as f:
        b = breakdown(f, o.service_pid, o.requests, o.freq, o.sink_pid, o.load_pid)
    print(json.dumps(b, indent=2))
    print(markdown({"run": b}))


if __name__ == "__main__":
    main()
