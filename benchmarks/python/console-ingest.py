#!/usr/bin/env python3
"""Console ingest + memory check: posts OTLP/JSON span and log batches to a running `marty console`
for a fixed time from N client threads and samples the console's store counts and RSS.

usage: console-ingest.py URL CONSOLE_PID [SECONDS] [BATCH] [THREADS]
"""
import http.client, json, os, random, sys, threading, time, urllib.parse

url, pid = sys.argv[1], int(sys.argv[2])
seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 60
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 500
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
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


def rss_mb():
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


def stats():
    c = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    c.request("GET", "/api/stats")
    return json.loads(c.getresponse().read())


start = time.time()
ts = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
for t in ts:
    t.start()
print("t_s  items_sent  spans_held  logs_held  spans_evicted  traces_indexed  rss_mb")
while time.time() < stop:
    time.sleep(min(10, max(0.1, stop - time.time())))
    s = stats()
    print("%4.0f  %10d  %10d  %9d  %13d  %14d  %6.0f" % (time.time() - start, sent["items"], s["spans"]["count"],
          s["logs"]["count"], s["spans"]["evicted"], s["spans"]["traces"], rss_mb()))
for t in ts:
    t.join()
elapsed = time.time() - start
print("sent %d items in %d requests (%d non-200) over %.1f s: %.0f items/s"
      % (sent["items"], sent["requests"], sent["errors"], elapsed, sent["items"] / elapsed))
