#!/usr/bin/env python3
"""End-to-end overhead harness: trivial services, bare vs instrumented, on 127.0.0.1.

Run through ../scripts/run-overhead.sh (builds the jar and fetches the OpenTelemetry agent first).
Every service run is a fresh JVM: start, wait for LISTENING, warm up, measure, stop.
Variants are alternated (the order rotates every repetition) so drift from other load on
the machine spreads over all of them. Writes raw results (JSON) and a Markdown report to
the output directory.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import perf_breakdown

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
JAR = os.path.join(BENCH, "target", "benchmarks.jar")
AGENT = os.path.join(BENCH, "target", "agent", "opentelemetry-javaagent.jar")
PKG = "io.marty.observability.benchmarks.overhead"
LUA = os.path.join(BENCH, "lua", "report.lua")
LOGBACK = os.path.join(BENCH, "config", "logback-bench.xml")
LOGBACK_ACCESS = os.path.join(BENCH, "config", "logback-access.xml")
# the harness's own JVMs (load generator, probe, sink): quiet logging, same flags every run
TOOL_JAVA = ["java", f"-Dlogback.configurationFile={LOGBACK}"]

ALL_VARIANTS = ["bare", "agent", "agent-otlp", "agent-otlp-2048", "agent-s005", "ours", "ours-log", "ours-s01",
                "ours-s005", "floor-noop", "floor-echo"]
VARIANT_TEXT = {
    "bare": "bare service",
    "agent": "OpenTelemetry Java agent, exporters none",
    "agent-otlp": "OpenTelemetry Java agent, spans over OTLP/HTTP to the local sink (sampling 1.0), metrics/logs none",
    "agent-otlp-2048": "agent-otlp with Marty's export defaults (span batch 2048, queue 8192)",
    "agent-s005": "agent-otlp with parent-based ratio sampling 0.05",
    "ours": "ours: correlation + span + RED metrics with exemplars, sampling 1.0, OTLP to local sink",
    "ours-log": "ours + one JSON access log line per request (async appender, file)",
    "ours-s01": "ours with sampling 0.1",
    "ours-s005": "ours with sampling 0.05 (the production default, parent-based)",
    "floor-noop": "one pass-through filter / interceptor: the cost of having one at all",
    "floor-echo": "floor-noop + the two echoed id headers Marty sends (fresh ids): the wire contract alone",
}
# sampling ratio of the variants that export spans to the sink; the others export nothing
SAMPLING = {"agent-otlp": 1.0, "agent-otlp-2048": 1.0, "agent-s005": 0.05, "ours": 1.0, "ours-log": 1.0, "ours-s01": 0.1, "ours-s005": 0.05}
# --quick: the like-for-like table for all three servers in ~16 min (bare, agent and ours at 1.0 and 0.05)
QUICK = dict(variants="bare,agent-otlp,ours,agent-s005,ours-s005", reps=3, warmup=12, duration=6,
             phases="throughput")


PERF_FREQ = 499  # samples per second per CPU: coarse enough to leave the load undisturbed


def start_perf(data):
    if not data:
        return None
    rec = subprocess.Popen(["perf", "record", "-F", str(PERF_FREQ), "-g", "-a", "-q", "-o", data],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.2)  # perf opens its buffers before the window starts
    return rec


def stop_perf(rec):
    if rec:
        rec.send_signal(signal.SIGINT)
        rec.wait(60)


def log(msg):
    print(f"[{datetime.datetime.now(datetime.timezone.utc):%H:%M:%S}] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """utime + stime of a process (all threads), from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sdk_dropped_spans(logf):
    """Spans the SDK's BatchSpanProcessor reported dropped (queue full) in its rate-limited warnings."""
    with open(logf) as f:
        return sum(int(n) for n in re.findall(r"BatchSpanProcessor dropped (\d+) span", f.read()))


def served_requests(logf):
    """Requests that reached the service's handler over its whole run (BenchService prints SERVED n at exit)."""
    with open(logf) as f:
        m = re.search(r"^SERVED (\d+)", f.read(), re.M)
    return int(m.group(1)) if m else None


def delivery(spans, served, sampling):
    """Spans the sink received against the spans the served requests should have produced.

    Expected = served x sampling. At sampling 1.0 every request makes one span, so any shortfall is a loss. Below
    1.0 each root request is sampled independently with probability p (trace-id ratio), so the sampled count is
    binomial: a shortfall counts as drops only beyond 3 standard deviations, sqrt(n p (1 - p)).
    Returns (delivered ratio, tolerance as a ratio, drops?)."""
    if spans is None or not served or sampling is None:
        return None, None, False
    expected = served * sampling
    sigma = (served * sampling * (1 - sampling)) ** 0.5
    ratio = spans / expected
    return ratio, 3 * sigma / expected, spans < expected - 3 * sigma


def ctx_switches(pid):
    """Voluntary + involuntary context switches summed over the process's live threads."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if "ctxt_switches" in line:  # voluntary_ctxt_switches / nonvoluntary_ctxt_switches
                        total += int(line.split()[-1])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


class Harness:
    def __init__(self, opts):
        self.o = opts
        self.out = opts.out_dir
        os.makedirs(self.out, exist_ok=True)
        self.sink = None
        self.sink_port = None
        self.seq = 0
        self.perf_results = {}
        self.access_log = None

    # ---------------------------------------------------------------- processes
    def jvm(self, variant, extra_jvm=()):
        cmd = ["java", f"-Xms{self.o.heap}", f"-Xmx{self.o.heap}", "-XX:+UseG1GC",
               "-Dsun.net.httpserver.nodelay=true"]
        if variant == "ours-log":
            self.access_log = os.path.join(self.out, f"access-{self.seq + 1:03d}.log")
            cmd += [f"-Dlogback.configurationFile={LOGBACK_ACCESS}", f"-Dbench.accessLog={self.access_log}"]
        else:
            cmd += [f"-Dlogback.configurationFile={LOGBACK}"]
        if variant.startswith("agent"):
            cmd += [f"-javaagent:{AGENT}", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
                    "-Dotel.service.name=bench"]
            if variant == "agent":
                cmd += ["-Dotel.traces.exporter=none"]
            else:  # the agent's export defaults (batch 512, queue 2048, no compression) unless -2048
                if variant == "agent-otlp-2048":  # the same export settings as Marty's defaults
                    cmd += ["-Dotel.bsp.max.export.batch.size=2048", "-Dotel.bsp.max.queue.size=8192"]
                cmd += ["-Dotel.traces.exporter=otlp", "-Dotel.exporter.otlp.traces.protocol=http/protobuf",
                        f"-Dotel.exporter.otlp.traces.endpoint=http://127.0.0.1:{self.sink_port}/v1/traces",
                        "-Dotel.traces.sampler=parentbased_traceidratio",
                        f"-Dotel.traces.sampler.arg={SAMPLING[variant]}"]
        cmd += list(extra_jvm)
        return cmd

    def service_cmd(self, server, variant, port, otlp=None, stats=None, extra_jvm=()):
        cmd = self.jvm(variant, extra_jvm) + ["-cp", JAR, f"{PKG}.BenchService", "--server", server,
                                              "--port", str(port)]
        if variant.startswith("ours"):
            kind = "ours-log" if variant == "ours-log" else "ours"
            cmd += ["--variant", kind, "--sampling", str(SAMPLING[variant]),
                    "--otlp", otlp or f"http://127.0.0.1:{self.sink_port}"]
        else:
            cmd += ["--variant", "agent" if variant.startswith("agent") else variant]
        if stats:
            cmd += ["--stats", stats]
        return cmd

    def start(self, cmd, name):
        self.seq += 1
        logf = os.path.join(self.out, f"{self.seq:03d}-{name}.log")
        with open(logf, "w") as f:
            f.write(" ".join(cmd) + "\n")
        p = subprocess.Popen(cmd, stdout=open(logf, "a"), stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline:
            with open(logf) as f:
                m = re.search(r"^LISTENING (\d+)", f.read(), re.M)
            if m:
                return p, int(m.group(1)), logf
            if p.poll() is not None:
                raise RuntimeError(f"{name} exited with {p.returncode}, see {logf}")
            time.sleep(0.05)
        p.kill()
        raise RuntimeError(f"{name} did not print LISTENING within 90 s, see {logf}")

    @staticmethod
    def stop(p):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    def start_sink(self, mode="ok"):
        p, port, logf = self.start(TOOL_JAVA + ["-Xmx256m", "-cp", JAR,
                                    f"{PKG}.OtlpSink", "--port", "0", "--mode", mode], f"sink-{mode}")
        return p, port, logf

    def sink_spans(self):
        """Spans the shared sink has received so far (GET /stats), or None without a sink."""
        if not self.sink:
            return None
        with urllib.request.urlopen(f"http://127.0.0.1:{self.sink_port}/stats", timeout=10) as r:
            return int(re.search(r"spans=(\d+)", r.read().decode()).group(1))

    @staticmethod
    def sink_counts(p, logf):
        Harness.stop(p)
        with open(logf) as f:
            m = re.search(r"SINK requests=(\d+) spans=(\d+) bytes=(\d+)", f.read())
        return {k: int(v) for k, v in zip(("requests", "spans", "bytes"), m.groups())} if m else {}

    # ---------------------------------------------------------------- load
    def wrk(self, port, seconds, record):
        url = f"http://127.0.0.1:{port}/hello"
        cmd = ["wrk", f"-t{self.o.wrk_threads}", f"-c{self.o.connections}", f"-d{seconds}s", "--timeout", "5s"]
        if record:
            cmd += ["-s", LUA]
        r = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60)
        if not record:
            return None
        m = re.search(r"^WRKJSON (.*)$", r.stdout, re.M)
        if not m:
            raise RuntimeError(f"wrk gave no result: {r.stdout} {r.stderr}")
        return json.loads(m.group(1))

    def load(self, server, pid, port, warmup, duration, perf_data=None):
        """Warm up then measure; returns the load result plus server CPU µs per request and the spans the sink
        received during the measured window (sink_spans_window, None without a sink).

        With perf_data, the measured window is also recorded machine-wide with `perf record`."""
        rec = None
        if server == "grpc":
            cmd = TOOL_JAVA + ["-Xmx256m", "-cp", JAR, f"{PKG}.GrpcLoad", "--port", str(port),
                   "--connections", str(self.o.wrk_threads), "--concurrency", str(self.o.connections),
                   "--warmup", str(warmup), "--duration", str(duration)]
            g = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
            cpu0 = None
            result = None
            for line in g.stdout:
                if line.startswith("RECORDING"):
                    rec = start_perf(perf_data)
                    cpu0, cs0, sink0 = cpu_seconds(pid), ctx_switches(pid), self.sink_spans()
                elif line.startswith("{"):
                    cpu1, cs1, sink1 = cpu_seconds(pid), ctx_switches(pid), self.sink_spans()
                    stop_perf(rec)
                    result = json.loads(line)
                    result["ctxsw_per_req"] = (cs1 - cs0) / max(1, result["requests"])
                    result["load_pid"] = g.pid
            g.wait(60)
            if result is None or cpu0 is None:
                raise RuntimeError("GrpcLoad gave no result")
        else:
            if warmup > 0:
                self.wrk(port, warmup, record=False)
            if self.o.rewarm > 0:  # the measured run opens new connections: warm those paths up as well
                self.wrk(port, self.o.rewarm, record=False)
            rec = start_perf(perf_data)
            cpu0, cs0, sink0 = cpu_seconds(pid), ctx_switches(pid), self.sink_spans()
            result = self.wrk(port, duration, record=True)
            cpu1, cs1, sink1 = cpu_seconds(pid), ctx_switches(pid), self.sink_spans()
            stop_perf(rec)
            result["ctxsw_per_req"] = (cs1 - cs0) / max(1, result["requests"])
        result["cpu_us_per_req"] = (cpu1 - cpu0) * 1e6 / max(1, result["requests"])
        result["sink_spans_window"] = None if sink0 is None else sink1 - sink0
        return result

    # ---------------------------------------------------------------- phases
    def throughput(self):
        rows = []
        for server in self.o.servers:
            for rep in range(self.o.reps):
                order = self.o.variants[rep % len(self.o.variants):] + self.o.variants[:rep % len(self.o.variants)]
                for variant in order:
                    extra = []
                    if self.o.jfr and variant in self.o.jfr and rep == 0:
                        jfr = os.path.join(self.out, f"{server}-{variant}.jfr")
                        extra = [f"-XX:StartFlightRecording=filename={jfr},settings=profile,jdk.ExecutionSample#period=2ms"]
                    p, port, logf = self.start(self.service_cmd(server, variant, free_port(), extra_jvm=extra),
                                               f"{server}-{variant}-r{rep}")
                    try:
                        sink_cpu0 = cpu_seconds(self.sink.pid) if self.sink else 0.0
                        sink_run0 = self.sink_spans()
                        res = self.load(server, p.pid, port, self.o.warmup, self.o.duration)
                        # the sink's CPU over warm-up + measurement, per measured request: harness cost, not ours
                        sink_cpu = (cpu_seconds(self.sink.pid) - sink_cpu0) if self.sink else 0.0
                    finally:
                        self.stop(p)  # SIGTERM: the service flushes its spans, then prints SERVED
                    # the whole run's spans (warm-up + window + the flush at exit) against every served request
                    res["sink_spans_run"] = None if sink_run0 is None else self.sink_spans() - sink_run0
                    res["served"] = served_requests(logf)
                    res["sdk_dropped_spans"] = sdk_dropped_spans(logf)
                    res["sampling"] = SAMPLING.get(variant)
                    res["access_log_bytes"] = self.drop_access_log()
                    res.update(server=server, variant=variant, rep=rep,
                               sink_cpu_us_per_req=sink_cpu * 1e6 / max(1, res["requests"])
                               * self.o.duration / (self.o.duration + self.o.warmup))
                    ratio, _, drops = delivery(res["sink_spans_run"], res["served"], res["sampling"])
                    log(f"{server:5} {variant:10} rep {rep}: {res['rps']:9.0f} req/s  p50 {res['p50_us']:6.0f} µs"
                        f"  p99 {res['p99_us']:6.0f} µs  cpu {res['cpu_us_per_req']:5.1f} µs/req  err {res['errors']}"
                        + (f"  spans {res['sink_spans_run']:,}/{res['served']:,} served ({ratio:.4f} of expected"
                           f"{', DROPS' if drops else ''})" if ratio is not None else ""))
                    rows.append(res)
                    self.save("throughput", rows)
            for variant in (v for v in self.o.variants if v in self.o.perf):
                self.profile(server, variant)
        return rows

    def drop_access_log(self):
        """An ours-log run writes ~0.5 GB of JSON lines: returns its size and deletes it unless --keep-access-logs."""
        path, self.access_log = self.access_log, None
        if not path or not os.path.exists(path):
            return None
        size = os.path.getsize(path)
        if not self.o.keep_access_logs:
            os.remove(path)
        return size

    def profile(self, server, variant):
        """One extra run (not in the medians) recorded machine-wide with perf: CPU µs/request by role."""
        data = os.path.join(self.out, f"{server}-{variant}.perf.data")
        extra = ["-XX:+UnlockDiagnosticVMOptions", "-XX:+DumpPerfMapAtExit", "-XX:+PreserveFramePointer"]
        p, port, logf = self.start(self.service_cmd(server, variant, free_port(), extra_jvm=extra),
                                   f"{server}-{variant}-perf")
        try:
            res = self.load(server, p.pid, port, self.o.warmup, self.o.duration, perf_data=data)
        finally:
            self.stop(p)  # the JVM writes /tmp/perf-<pid>.map as it exits
        self.drop_access_log()
        script = data[:-len(".data")] + ".txt"
        with open(script, "w") as f:
            subprocess.run(["perf", "script", "-F", "comm,pid,tid,ip,sym,dso", "-i", data],
                           stdout=f, stderr=subprocess.DEVNULL, check=True)
        with open(script, errors="replace") as f:
            b = perf_breakdown.breakdown(f, p.pid, res["requests"], PERF_FREQ,
                                         sink_pid=self.sink.pid if self.sink else None,
                                         load_pid=res.get("load_pid"))
        b["rps"] = res["rps"]
        self.perf_results[f"{server} {variant}"] = b
        self.save("perf", self.perf_results)
        log(f"{server:5} {variant:8} perf: service {b['process_us_per_req'].get('service', 0):.1f} µs/req "
            f"({script})")

    def startup(self):
        rows = []
        variants = [v for v in ["bare", "ours", "agent"] if v in self.o.variants]
        for server in self.o.servers:
            for run in range(self.o.startup_runs):
                order = variants[run % len(variants):] + variants[:run % len(variants)]
                for variant in order:
                    port = free_port()
                    self.seq += 1
                    logf = os.path.join(self.out, f"{self.seq:03d}-startup-{server}-{variant}.log")
                    cmd = TOOL_JAVA + ["-cp", JAR, f"{PKG}.StartupProbe", "--kind",
                           "grpc" if server == "grpc" else "http", "--port", str(port), "--log", logf,
                                       "--timeout", str(self.o.startup_timeout), "--"]
                    cmd += self.service_cmd(server, variant, port)
                    r = subprocess.run(cmd, capture_output=True, text=True, timeout=self.o.startup_timeout + 60)
                    m = re.search(r'^(\{"startup_ms".*\})$', r.stdout, re.M)
                    if not m or not json.loads(m.group(0))["ok"]:
                        # counted, not fatal: one slow start on a loaded machine must not lose the whole run
                        log(f"startup {server:5} {variant:8} run {run}: FAILED ({r.stdout.strip()}), see {logf}")
                        rows.append(dict(server=server, variant=variant, run=run, startup_ms=None))
                        continue
                    ms = json.loads(m.group(0))["startup_ms"]
                    log(f"startup {server:5} {variant:8} run {run}: {ms:7.1f} ms")
                    rows.append(dict(server=server, variant=variant, run=run, startup_ms=ms))
                    self.save("startup", rows)
        return rows

    def read_stats(self, path):
        samples = []
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) < 5:
                    continue
                s = dict(t=int(parts[0]) / 1000.0, heap=int(parts[1]), after_gc=int(parts[2]),
                         gc_count=int(parts[3]), gc_ms=int(parts[4]))
                for kv in parts[5:]:
                    k, _, v = kv.partition("=")
                    s[k] = int(v)
                samples.append(s)
        return samples

    def fault(self):
        rows = []
        server = self.o.fault_server
        modes = ["healthy", "blackhole", "refused"]
        for rep in range(self.o.fault_reps):
            for mode in modes[rep % 3:] + modes[:rep % 3]:
                sink = None
                if mode == "healthy":
                    sink, sport, slog = self.start_sink("ok")
                    endpoint = f"http://127.0.0.1:{sport}"
                elif mode == "blackhole":
                    sink, sport, slog = self.start_sink("blackhole")
                    endpoint = f"http://127.0.0.1:{sport}"
                else:
                    endpoint = f"http://127.0.0.1:{free_port()}"
                stats = os.path.join(self.out, f"stats-fault-{mode}-r{rep}.txt")
                p, port, logf = self.start(self.service_cmd(server, "ours", free_port(), otlp=endpoint,
                                                            stats=stats), f"fault-{mode}-r{rep}")
                try:
                    res = self.load(server, p.pid, port, self.o.warmup, self.o.fault_duration)
                    time.sleep(1.5)  # one more stats sample after the load
                finally:
                    self.stop(p)
                counts = self.sink_counts(sink, slog) if sink else {}
                res["sdk_dropped_spans"] = sdk_dropped_spans(logf)
                samples = self.read_stats(stats)
                last = samples[-1] if samples else {}
                res.update(server=server, mode=mode, rep=rep, sink=counts,
                           max_after_gc_mb=max((s["after_gc"] for s in samples), default=0) / 2**20,
                           max_heap_mb=max((s["heap"] for s in samples), default=0) / 2**20,
                           counters={k: v for k, v in last.items()
                                     if k not in ("t", "heap", "after_gc", "gc_count", "gc_ms")})
                log(f"fault {mode:9} rep {rep}: {res['rps']:9.0f} req/s p99 {res['p99_us']:6.0f} µs "
                    f"heap-after-gc max {res['max_after_gc_mb']:.1f} MiB counters {res['counters']} sink {counts}")
                rows.append(res)
                self.save("fault", rows)
        return rows

    def soak(self):
        server = self.o.fault_server
        stats = os.path.join(self.out, "stats-soak.txt")
        sink, sport, slog = self.start_sink("ok")
        p, port, logf = self.start(self.service_cmd(server, "ours", free_port(), otlp=f"http://127.0.0.1:{sport}",
                                                    stats=stats) + ["--stats-interval-ms", "5000"], "soak")
        try:
            res = self.load(server, p.pid, port, self.o.warmup, int(self.o.soak_minutes * 60))
            time.sleep(5.5)
        finally:
            self.stop(p)
        samples = self.read_stats(stats)
        res.update(server=server, minutes=self.o.soak_minutes, samples=samples, sink=self.sink_counts(sink, slog),
                   sdk_dropped_spans=sdk_dropped_spans(logf))
        self.save("soak", res)
        log(f"soak {self.o.soak_minutes} min: {res['rps']:.0f} req/s, {len(samples)} heap samples")
        return res

    def save(self, name, data):
        with open(os.path.join(self.out, f"{name}.json"), "w") as f:
            json.dump(data, f, indent=1)


# -------------------------------------------------------------------- report
def med(xs):
    return statistics.median(xs) if xs else float("nan")


def spread(xs):
    """Relative half-range of repeated measurements, as ±%."""
    if len(xs) < 2:
        return 0.0
    return (max(xs) - min(xs)) / 2 / med(xs) * 100


def slope_per_min(samples, key):
    pts = [(s["t"], s[key]) for s in samples if s.get(key, -1) >= 0]
    if len(pts) < 3:
        return float("nan")
    t0 = pts[0][0]
    xs = [(t - t0) / 60 for t, _ in pts]
    ys = [v / 2**20 for _, v in pts]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else float("nan")


def delivery_cells(rs, duration):
    """sampling | spans/s at sink | delivered | SDK-logged drops, for the repetitions of one server and variant."""
    sampling = rs[0].get("sampling")
    if sampling is None:
        return "– | – | – | –"
    window = [r["sink_spans_window"] / duration for r in rs if r.get("sink_spans_window") is not None]
    spans = [r["sink_spans_run"] for r in rs if r.get("sink_spans_run") is not None and r.get("served")]
    served = [r["served"] for r in rs if r.get("sink_spans_run") is not None and r.get("served")]
    ratio, tol, drops = delivery(sum(spans), sum(served), sampling) if served else (None, None, False)
    cell = "–" if ratio is None else (f"{ratio * 100:.2f} %" + (f" ± {tol * 100:.2f}" if tol else "")
                                      + (" **DROPS**" if drops else ""))
    dropped = sum(r.get("sdk_dropped_spans") or 0 for r in rs)
    return f"{sampling:g} | {med(window):,.0f} | {cell} | {dropped:,}"


def report(o, env, tp, st, fa, so, pf=None):
    L = []
    L.append(f"Run {env['date']} on {env['host']} ({env['cpus']} CPUs), {env['jdk']}; "
             f"heap {o.heap}, G1; load `wrk -t{o.wrk_threads} -c{o.connections}` / GrpcLoad "
             f"({o.wrk_threads} channels, {o.connections} calls in flight); warm-up {o.warmup} s" + (f" + {o.rewarm} s on new connections" if o.rewarm else "") + ", "
             f"measured {o.duration} s, {o.reps} repetitions, variants alternated.")
    L.append(f"Command: `{env['command']}`")
    L.append("")
    if tp:
        L.append("### Throughput and latency (median of repetitions)")
        L.append("")
        L.append("| server | variant | req/s | ±% | × bare | p50 µs | p99 µs | added p50 ms | added p99 ms "
                 "| server CPU µs/req | added CPU µs/req | sink CPU µs/req | ctx switches/req "
                 "| sampling | spans/s at sink | delivered | SDK-logged drops |")
        L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
        for server in o.servers:
            base = [r for r in tp if r["server"] == server and r["variant"] == "bare"]
            b_rps = med([r["rps"] for r in base])
            b50, b99 = med([r["p50_us"] for r in base]), med([r["p99_us"] for r in base])
            bcpu = med([r["cpu_us_per_req"] for r in base])
            for v in o.variants:
                rs = [r for r in tp if r["server"] == server and r["variant"] == v]
                if not rs:
                    continue
                rps = [r["rps"] for r in rs]
                p50, p99 = med([r["p50_us"] for r in rs]), med([r["p99_us"] for r in rs])
                cpu = med([r["cpu_us_per_req"] for r in rs])
                L.append(f"| {server} | {v} | {med(rps):,.0f} | {spread(rps):.1f} | {med(rps) / b_rps:.3f} | "
                         f"{p50:,.0f} | {p99:,.0f} | {(p50 - b50) / 1000:+.3f} | {(p99 - b99) / 1000:+.3f} | "
                         f"{cpu:.1f} | {cpu - bcpu:+.1f} | {med([r.get('sink_cpu_us_per_req', 0) for r in rs]):.1f} | "
                         f"{med([r.get('ctxsw_per_req', float('nan')) for r in rs]):.2f} | " + delivery_cells(rs, o.duration)
                         + " |")
        L.append("")
        L.append("spans/s at sink: spans the sink received during the measured window / its length (median). "
                 "delivered: spans the sink received over the whole run (warm-up, window and the flush at exit, summed "
                 "over the repetitions) / (requests the handler served × sampling); below sampling 1.0 the sampled "
                 "count is binomial, so the ± is 3 standard deviations, and **DROPS** marks a shortfall beyond it "
                 "(at 1.0: any shortfall). SDK-logged drops: spans the exporter's batch processor logged as dropped "
                 "(queue full), summed over the repetitions.")
        L.append("")
        L.append("Per-repetition req/s (in run order within each repetition):")
        L.append("")
        for server in o.servers:
            for v in o.variants:
                rs = [r for r in tp if r["server"] == server and r["variant"] == v]
                if rs:
                    L.append(f"- {server} {v}: " + ", ".join(f"{r['rps']:,.0f}" for r in rs))
        L.append("")
    if pf:
        L.append("### Whole-machine CPU per request (Linux perf, one extra run per profiled variant)")
        L.append("")
        L.append(f"`perf record -F {PERF_FREQ} -g -a` over the measured window; service run with "
                 "`-XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer`; req/s: "
                 + ", ".join(f"{k} {b['rps']:,.0f}" for k, b in pf.items()) + ".")
        L.append("")
        L.append(perf_breakdown.markdown(pf))
        L.append("")
    if st:
        L.append("### Startup: spawn to first successful response (ms)")
        L.append("")
        L.append("| server | variant | median ms | min ms | max ms | added (median) ms | failed (timeout) |")
        L.append("|---|---|---:|---:|---:|---:|---:|")
        for server in o.servers:
            ok = [r for r in st if r["startup_ms"] is not None]
            b = med([r["startup_ms"] for r in ok if r["server"] == server and r["variant"] == "bare"])
            for v in ["bare", "ours", "agent"]:
                xs = [r["startup_ms"] for r in ok if r["server"] == server and r["variant"] == v]
                failed = sum(1 for r in st if r["server"] == server and r["variant"] == v and r["startup_ms"] is None)
                if xs:
                    L.append(f"| {server} | {v} | {med(xs):.0f} | {min(xs):.0f} | {max(xs):.0f} | {med(xs) - b:+.0f} "
                             f"| {failed} |")
                elif failed:
                    L.append(f"| {server} | {v} | - | - | - | - | {failed} |")
        L.append("")
    if fa:
        L.append(f"### Fault: OTLP endpoint healthy / black-holed / refused ({o.fault_server}, variant ours, "
                 f"{o.fault_duration} s)")
        L.append("")
        L.append("| endpoint | rep | req/s | p99 µs | max heap after GC MiB | max heap MiB | service counters | "
                 "spans dropped (SDK queue full) | sink received |")
        L.append("|---|---:|---:|---:|---:|---:|---|---:|---|")
        for r in fa:
            ctr = " ".join(f"{k}={v}" for k, v in r["counters"].items()) or "-"
            sink = f"{r['sink'].get('spans', 0)} spans" if r["mode"] == "healthy" else (
                f"{r['sink'].get('requests', 0)} connections held" if r["sink"] else "-")
            L.append(f"| {r['mode']} | {r['rep']} | {r['rps']:,.0f} | {r['p99_us']:,.0f} | {r['max_after_gc_mb']:.1f} | "
                     f"{r['max_heap_mb']:.1f} | {ctr} | {r['sdk_dropped_spans']:,} | {sink} |")
        L.append("")
    if so:
        s = [x for x in so["samples"] if x["after_gc"] >= 0]  # before the first GC there is no figure
        half = s[len(s) // 2:]
        L.append(f"### Soak: {so['minutes']} min of load ({so['server']}, variant ours)")
        L.append("")
        L.append(f"{so['rps']:,.0f} req/s, p99 {so['p99_us']:,.0f} µs, {len(s)} heap samples every 5 s. "
                 f"Heap after GC: first {s[0]['after_gc'] / 2**20 if s else 0:.1f} MiB, "
                 f"max {max(x['after_gc'] for x in s) / 2**20:.1f} MiB, last {s[-1]['after_gc'] / 2**20:.1f} MiB; "
                 f"trend over the second half {slope_per_min(half, 'after_gc'):+.3f} MiB/min "
                 f"(whole run {slope_per_min(s, 'after_gc'):+.3f} MiB/min). Spans received by the sink "
                 f"{so['sink'].get('spans', 0):,}; dropped by the SDK (queue full) {so['sdk_dropped_spans']:,}.")
        L.append("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="the like-for-like table in ~16 min: " + " ".join(f"--{k} {v}" for k, v in QUICK.items())
                         + " (options given explicitly win)")
    ap.add_argument("--servers", default="jdk,jetty,grpc")
    ap.add_argument("--variants", default=",".join(ALL_VARIANTS))
    ap.add_argument("--phases", default="throughput,startup,fault,soak",
                    help="comma list of throughput,startup,fault,soak")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=30,
                    help="seconds of load before measuring (JIT compilation of the JDK HTTP client and gRPC paths "
                         "still runs after 15 s)")
    ap.add_argument("--duration", type=int, default=15, help="measured seconds per run")
    ap.add_argument("--rewarm", type=int, default=0,
                    help="HTTP only: seconds of a second warm-up run on new connections before measuring "
                         "(tried with 5 s on the JDK server: no measurable change, see benchmarks/RESULTS.md)")
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--heap", default="256m")
    ap.add_argument("--startup-runs", type=int, default=5)
    ap.add_argument("--startup-timeout", type=int, default=120, help="seconds to wait for the first response")
    ap.add_argument("--fault-server", default="jdk")
    ap.add_argument("--fault-duration", type=int, default=30)
    ap.add_argument("--fault-reps", type=int, default=1)
    ap.add_argument("--soak-minutes", type=float, default=10)
    ap.add_argument("--jfr", default="", help="comma list of variants to record with JFR (first repetition)")
    ap.add_argument("--keep-access-logs", action="store_true",
                    help="keep the ours-log variant's JSON access log files (deleted after each run otherwise)")
    ap.add_argument("--perf", default="",
                    help="comma list of variants to profile machine-wide with Linux perf in one extra run per server "
                         "(not in the medians): CPU µs/request by process and thread role; needs `perf` and root "
                         "or kernel.perf_event_paranoid <= 0")
    ap.add_argument("--out-dir", default=os.path.join(BENCH, "target", "overhead",
                                                      datetime.datetime.now(datetime.timezone.utc)
                                                      .strftime("%Y%m%dT%H%M%SZ")))
    o = ap.parse_args()
    if o.quick:
        given = {a.split("=")[0][2:].replace("-", "_") for a in sys.argv[1:] if a.startswith("--")}
        for k, v in QUICK.items():
            if k not in given:
                setattr(o, k, v)
    o.servers = [s for s in o.servers.split(",") if s]
    o.variants = [v for v in o.variants.split(",") if v]
    o.jfr = [v for v in o.jfr.split(",") if v]
    o.perf = [v for v in o.perf.split(",") if v]
    for v in o.perf:
        if v not in o.variants:
            ap.error(f"--perf: variant '{v}' is not among --variants ({', '.join(o.variants)})")
    if o.perf and shutil.which("perf") is None:
        ap.error("--perf needs Linux perf (Debian: apt-get install linux-perf)")
    for v in o.variants:
        if v not in ALL_VARIANTS:
            ap.error(f"--variants: unknown variant '{v}' (known: {', '.join(ALL_VARIANTS)})")
    phases = set(o.phases.split(","))
    if not os.path.exists(JAR):
        sys.exit(f"{JAR} missing: run benchmarks/scripts/run-overhead.sh (it builds the jar)")
    if "agent" in o.variants and not os.path.exists(AGENT):
        sys.exit(f"{AGENT} missing: run benchmarks/scripts/run-overhead.sh (it fetches the agent)")

    h = Harness(o)
    jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    env = dict(date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               host=platform.node(), cpus=os.cpu_count(), jdk=jdk[1] if len(jdk) > 1 else jdk[0],
               command="benchmarks/scripts/run-overhead.sh " + " ".join(sys.argv[1:]))
    log(f"output in {o.out_dir}")
    if any(v in SAMPLING for v in o.variants) and phases & {"throughput", "startup"}:
        h.sink, h.sink_port, sink_log = h.start_sink("ok")
    results = {}
    failed = []
    runners = [("throughput", h.throughput), ("startup", h.startup), ("fault", h.fault), ("soak", h.soak)]
    try:
        for name, run in runners:
            if name not in phases or (name == "soak" and o.soak_minutes <= 0):
                continue
            try:
                results[name] = run()
            except Exception as e:  # keep the other phases and write what was measured
                log(f"phase {name} FAILED: {e}")
                failed.append(name)
    finally:
        if h.sink:
            counts = h.sink_counts(h.sink, sink_log)
            log(f"local OTLP sink received {counts}")
    tp, st, fa, so = (results.get(k) for k in ("throughput", "startup", "fault", "soak"))
    text = report(o, env, tp, st, fa, so, h.perf_results)
    with open(os.path.join(o.out_dir, "report.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    if failed:
        sys.exit(f"phases failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
