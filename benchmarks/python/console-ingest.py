#!/usr/bin/env python3
"""Console ingest + memory check: posts OTLP/JSON span and log batches to a running `marty console`
for a fixed time from N client threads and samples the console's store counts, estimated store
bytes, RSS and the latency of /api/stats.

With --hostile it also keeps 16 connections open that send half a request and nothing more, and
every 2 s posts a span with 150 000 attributes or records with 7 MB names (the inputs of issue 22):
the API must keep answering and the stores must stay within their byte budget.

usage: console-ingest.py URL CONSOLE_PID [SECONDS] [BATCH] [THREADS] [--hostile]
"""
import http.client, json, os, random, socket, sys, threading, time, urllib.parse

hostile = "--hostile" in sys.argv
args = [a for a in sys.argv if a != "--hostile"]
url, pid = args[1], int(args[2])
seconds = int(args[3]) if len(args) > 3 else 60
batch = int(args[4]) if len(args) > 4 else 500
threads = int(args[5]) if len(args) > 5 else 2
host = urllib.parse.urlparse(url)


def spans_body(n):
    now = time.time_ns()
    spans = []
    for i in range(n):
        tid = "%032x" % random.getrandbits(128)
        spans.append({"traceId": tid, "spanId": "%016x" % random.getrandbits(64), "name": "GET /orders/{id}",
                      "kind": 2, "startTimeUnixNano": str(now), "endTimeUnixNano": str(now + 5_000_000),
                      "attributes": [{"key": "http.route", "value": {"stringValue": "/orders/{id}"}},
                                     {"key": "http.request.method", "value": {"stringValue": "GET"}},
                                     {"key": "http.response.status_code", "value": {"intValue": "200"}},
                                     {"key": "mmf.correlation_id", "value": {"stringValue": tid[:16]}}]})
    return json.dumps({"resourceSpans": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "bench"}}]}, "scopeSpans": [{"spans": spans}]}]}).encode()


def logs_body(n):
    now = time.time_ns()
    recs = [{"timeUnixNano": str(now), "severityNumber": 9, "body": {"stringValue": "order %d shipped" % i},
             "traceId": "%032x" % random.getrandbits(128), "spanId": "%016x" % random.getrandbits(64),
             "attributes": [{"key": "correlation_id", "value": {"stringValue": "c-%d" % random.getrandbits(40)}}]}
            for i in range(n)]
    return json.dumps({"resourceLogs": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "bench"}}]}, "scopeLogs": [{"logRecords": recs}]}]}).encode()


bodies = [("/v1/traces", spans_body(batch)) for _ in range(20)] + [("/v1/logs", logs_body(batch)) for _ in range(20)]
sent = {"items": 0, "requests": 0, "errors": 0}
lock = threading.Lock()
stop = time.time() + seconds


def worker():
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    i = random.randrange(len(bodies))
    while time.time() < stop:
        path, body = bodies[i % len(bodies)]
        i += 1
        conn.request("POST", path, body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        with lock:
            sent["requests"] += 1
            sent["items"] += batch if r.status == 200 else 0
            sent["errors"] += r.status != 200


def slow_clients(n=16):
    """Half-open requests, reopened whenever the console closes them (its idle timeout)."""
    socks = []
    while time.time() < stop:
        socks = [s for s in socks if s.fileno() >= 0]
        while len(socks) < n:
            s = socket.create_connection((host.hostname, host.port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            s.setblocking(False)
            socks.append(s)
        for s in list(socks):
            try:
                if s.recv(1) == b"":
                    s.close()
            except BlockingIOError:
                pass
            except OSError:
                s.close()
        time.sleep(1)


def huge_bodies():
    now = str(time.time_ns())
    attrs = [{"key": "k%d" % i, "value": {"intValue": str(i)}} for i in range(150_000)]
    many = {"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "%032x" % 1, "spanId": "%016x" % 1,
            "name": "many-attributes", "startTimeUnixNano": now, "endTimeUnixNano": now, "attributes": attrs}]}]}]}
    name = "n" * (7 * 1024 * 1024)
    long_names = {"resourceMetrics": [{"scopeMetrics": [{"scope": {"name": "s"}, "metrics": [
        {"name": name, "gauge": {"dataPoints": [{"asDouble": 1, "timeUnixNano": now}]}}]}]}]}
    return [("/v1/traces", json.dumps(many).encode()), ("/v1/metrics", json.dumps(long_names).encode())]


hostile_sent = {"requests": 0, "errors": 0}


def hostile_worker():
    bodies_ = huge_bodies()
    i = 0
    while time.time() < stop:
        path, body = bodies_[i % len(bodies_)]
        i += 1
        c = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        c.request("POST", path, body, {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        c.close()
        hostile_sent["requests"] += 1
        hostile_sent["errors"] += r.status != 200
        time.sleep(2)


def rss_mb():
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


def stats():
    """/api/stats and how long it took to answer, in ms."""
    t0 = time.time()
    c = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    c.request("GET", "/api/stats")
    s = json.loads(c.getresponse().read())
    return s, (time.time() - t0) * 1000


start = time.time()
ts = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
if hostile:
    ts += [threading.Thread(target=slow_clients, daemon=True), threading.Thread(target=hostile_worker, daemon=True)]
for t in ts:
    t.start()
print("t_s  items_sent  spans_held  logs_held  spans_evicted  traces_indexed  store_mb  rss_mb  stats_ms")
while time.time() < stop:
    time.sleep(min(10, max(0.1, stop - time.time())))
    s, ms = stats()
    store_mb = sum(s[k].get("bytes", 0) for k in ("spans", "logs", "metricPoints")) / 2**20
    print("%4.0f  %10d  %10d  %9d  %13d  %14d  %8.0f  %6.0f  %8.0f" % (time.time() - start, sent["items"],
          s["spans"]["count"], s["logs"]["count"], s["spans"]["evicted"], s["spans"]["traces"], store_mb, rss_mb(), ms))
for t in ts:
    t.join(timeout=70)
if hostile:
    print("hostile: %d huge requests (%d non-200), dropped %s" % (hostile_sent["requests"], hostile_sent["errors"],
          stats()[0]["receiver"]["dropped"]))
elapsed = time.time() - start
print("sent %d items in %d requests (%d non-200) over %.1f s: %.0f items/s"
      % (sent["items"], sent["requests"], sent["errors"], elapsed, sent["items"] / elapsed))
