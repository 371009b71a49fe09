#!/usr/bin/env python3
"""Spring Boot comparison driver (benchmarks/scripts/spring-boot.sh builds the class paths).

Starts the sample's orders service (io.marty.observability.examples.spring.orders.OrdersApplication)
once per variant and repetition, variants in rotating order:
  plain  Spring Boot 4.0.7 (webmvc, restclient, actuator), no telemetry
  marty  + marty-observability-spring-boot-starter (exporter none, access log off)
  otel   + opentelemetry-spring-boot-starter 2.31.1 (exporters none)
Startup: wall time from process start to the first 200 of GET /orders/1/status (polled every 10 ms),
and Spring's own "Started ... in X seconds". Throughput: wrk -t2 -c32, warm-up then measured run,
lua/report.lua percentiles. Writes report.md and results.json into --out.
"""
import argparse, json, os, re, socket, statistics, subprocess, sys, time, urllib.request

MAIN = "io.marty.observability.examples.spring.orders.OrdersApplication"
COMMON = ["--spring.profiles.active=orders", "--server.address=127.0.0.1",
          "--inventory.url=http://127.0.0.1:9",
          "--management.endpoint.health.group.readiness.include=readinessState",
          "--orders.sweep-interval=PT1H"]
VARIANTS = {
    "plain": [],
    "marty": ["--marty.tracing.exporter=none", "--marty.http.access-log=false"],
    "otel": ["--otel.traces.exporter=none", "--otel.metrics.exporter=none", "--otel.logs.exporter=none"],
}
STARTED = re.compile(r"Started OrdersApplication in ([0-9.]+) seconds")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def classpath(args, variant):
    with open(os.path.join(args.out, variant + ".cp")) as f:
        cp = f.read().strip()
    return args.classes + os.pathsep + cp


def start(args, variant, port, log):
    cmd = ["java", "-Xms256m", "-Xmx256m", "-XX:+UseG1GC", "-cp", classpath(args, variant), MAIN,
           "--server.port=%d" % port] + COMMON + VARIANTS[variant]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = "http://127.0.0.1:%d/orders/1/status" % port
    deadline = t0 + args.startup_timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("%s exited with %s (see %s)" % (variant, proc.returncode, log.name))
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return proc, time.monotonic() - t0
        except OSError:
            pass
        time.sleep(0.01)
    proc.kill()
    raise RuntimeError("%s did not answer within %ss" % (variant, args.startup_timeout))


def wrk(port, seconds):
    lua = os.path.join(os.path.dirname(__file__), "..", "lua", "report.lua")
    out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % seconds, "-s", lua,
                          "http://127.0.0.1:%d/orders/1/status" % port],
                         capture_output=True, text=True, check=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("WRKJSON "))
    return json.loads(line[len("WRKJSON "):])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--classes", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--variants", default="plain,marty,otel")
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=20, help="wrk warm-up seconds")
    p.add_argument("--duration", type=int, default=30, help="wrk measured seconds")
    p.add_argument("--startup-timeout", type=int, default=120)
    args = p.parse_args()
    variants = args.variants.split(",")
    runs = {v: [] for v in variants}
    for rep in range(args.reps):
        order = variants[rep % len(variants):] + variants[:rep % len(variants)]
        for v in order:
            port = free_port()
            with open(os.path.join(args.out, "%s-%d.log" % (v, rep)), "w") as log:
                proc, startup = start(args, v, port, log)
                try:
                    wrk(port, args.warmup)
                    result = wrk(port, args.duration)
                finally:
                    proc.terminate()
                    proc.wait(timeout=30)
            with open(log.name) as f:
                m = STARTED.search(f.read())
            result.update(startup_s=startup, spring_started_s=float(m.group(1)) if m else None)
            runs[v].append(result)
            print("%s rep %d: startup %.2fs (Spring %s s), %.0f req/s, p50 %d us, p99 %d us, errors %d" % (
                v, rep, startup, result["spring_started_s"], result["rps"], result["p50_us"],
                result["p99_us"], result["errors"]), flush=True)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(runs, f, indent=2)
    base = statistics.median(r["rps"] for r in runs[variants[0]])
    rows = ["| variant | startup to first 200 (s) | Spring 'Started in' (s) | req/s | vs %s | p50 (µs) | p99 (µs) |"
            % variants[0], "| --- | --- | --- | --- | --- | --- | --- |"]
    for v in variants:
        rs = runs[v]
        med = lambda k: statistics.median(r[k] for r in rs if r[k] is not None) if any(
            r[k] is not None for r in rs) else float("nan")
        rows.append("| %s | %.2f | %.2f | %.0f | %.1f%% | %d | %d |" % (
            v, med("startup_s"), med("spring_started_s"), med("rps"), 100.0 * med("rps") / base,
            med("p50_us"), med("p99_us")))
    report = "\n".join(rows) + "\n\nmedians of %d repetitions; wrk -t2 -c32, %ds warm-up, %ds measured\n" % (
        args.reps, args.warmup, args.duration)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(report)
    print(report)


if __name__ == "__main__":
    sys.exit(main())
