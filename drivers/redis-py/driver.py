#!/usr/bin/python3
"""sentinel-chaos client driver for redis-py (docs/client-drivers.md).

Reads its configuration (one JSON line) on stdin, builds one redis-py client
per simulated client with the library's own Sentinel support
(redis.sentinel.Sentinel(...).master_for(...)) or a plain client to the VIP /
a fixed server, says "ready", waits for "start", drives the workload and
writes one "op" line per completed operation on stdout, stamped on the
harness's clock (CLOCK_MONOTONIC minus the run's zero, which the harness
passes in). Everything a person should read goes to stderr.
"""
import json
import random
import sys
import threading
import time
import traceback

try:
    import redis
    from redis.sentinel import Sentinel
except ImportError as e:  # the harness checks before the run; this is the fallback
    sys.stderr.write("redis-py is not installed (apt-get install python3-redis): %s\n" % e)
    sys.exit(3)

LIBRARY = "redis-py"


def profile_settings(profile):
    """Keyword arguments for Sentinel(...) / master_for(...) / Redis(...).

    defaults: nothing is passed; every value is the library's own (redis-py
    4.3.4 redis/connection.py Connection.__init__: socket_timeout=None,
    socket_connect_timeout=None, retry_on_timeout=False, retry=None -> no
    retries; redis/sentinel.py Sentinel.__init__: sentinel_kwargs=None -> the
    socket_* options of the connection, i.e. none).
    tuned: the README's Sentinel example (socket_timeout=0.1 for the
    Sentinels and for the master connection), plus a connect timeout and a
    bounded retry with backoff (redis/retry.py Retry, redis/backoff.py).
    """
    if profile == "defaults":
        return {}, {}, {}
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry
    sentinel_kwargs = {"socket_timeout": 0.1, "socket_connect_timeout": 0.1}
    conn = {
        "socket_timeout": 0.1,
        "socket_connect_timeout": 0.1,
        "retry_on_timeout": True,
        "retry": Retry(ExponentialBackoff(cap=0.5, base=0.01), 3),
    }
    shown = {"socket_timeout": 0.1, "socket_connect_timeout": 0.1, "sentinel socket_timeout": 0.1,
             "retry_on_timeout": True, "retry": "Retry(ExponentialBackoff(cap=0.5, base=0.01), 3)"}
    return sentinel_kwargs, conn, shown


class Out:
    """Op lines go to stdout in batches (a flusher thread), never interleaved."""

    def __init__(self):
        self.lock = threading.Lock()
        self.buf = []

    def line(self, obj):
        s = json.dumps(obj, separators=(",", ":"))
        with self.lock:
            self.buf.append(s)

    def flush(self):
        with self.lock:
            lines, self.buf = self.buf, []
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
            sys.stdout.flush()


def classify(exc):
    """(outcome, error class) for a library exception; see docs/client-drivers.md."""
    text = str(exc)
    name = type(exc).__name__
    up = text.upper()
    if "READONLY" in up or "previous master is now a slave" in text or isinstance(exc, redis.exceptions.ReadOnlyError):
        return "fail", "READONLY"
    for code in ("NOREPLICAS", "LOADING", "MASTERDOWN"):
        if up.startswith(code):
            return "fail", code
    if isinstance(exc, redis.exceptions.BusyLoadingError):
        return "fail", "LOADING"
    if "MasterNotFound" in name or "No master found" in text:
        return "fail", "no-master"
    if isinstance(exc, redis.exceptions.ResponseError):
        return "fail", "other"
    if "connecting to" in text:  # raised by Connection.connect(): nothing was sent
        if "Timeout" in text or isinstance(exc, redis.exceptions.TimeoutError):
            return "fail", "timeout"
        if "refused" in text or "unreachable" in text or "No route" in text:
            return "fail", "refused"
        return "fail", "other"
    if isinstance(exc, redis.exceptions.TimeoutError):
        return "unknown", "timeout"
    if isinstance(exc, redis.exceptions.ConnectionError):
        return "unknown", "reset"
    return "unknown", "other"


class Driver:
    def __init__(self, cfg):
        self.cfg = cfg
        self.zero = int(cfg["clock_zero_ns"])
        self.out = Out()
        self.stop = threading.Event()
        self.inflight = {}  # client -> op dict
        self.crashed = False  # a client thread died of a bug (the driver then exits 1)
        self.inflight_lock = threading.Lock()
        self.sentinel_kwargs, self.conn_kwargs, self.shown = profile_settings(cfg["profile"])
        if cfg.get("password"):
            self.conn_kwargs = dict(self.conn_kwargs, password=cfg["password"])
        self.clients = [self.make_client() for _ in range(cfg["clients"])]

    def now(self):
        return time.monotonic_ns() - self.zero

    def make_client(self):
        cfg = self.cfg
        if cfg["via"] == "sentinel":
            sentinels = [(s["host"], s["port"]) for s in cfg["sentinels"]]
            s = Sentinel(sentinels, sentinel_kwargs=self.sentinel_kwargs or None, **self.conn_kwargs)
            return s.master_for(cfg["master_name"])
        a = cfg["address"]
        return redis.Redis(host=a["host"], port=a["port"], **self.conn_kwargs)

    @staticmethod
    def server_of(client):
        pool = client.connection_pool
        addr = getattr(pool, "master_address", None)
        if addr:
            return "%s:%s" % addr
        kw = pool.connection_kwargs
        return "%s:%s" % (kw.get("host", ""), kw.get("port", "")) if "host" in kw else ""

    def request(self, index, seq, rng):
        cfg = self.cfg
        key = cfg["key"]
        element = "c%d-%d" % (cfg["client_base"] + index, seq)
        w = cfg["workload"]
        if w == "set" or (w == "mixed" and rng.random() >= cfg["read_fraction"]):
            return "w", element, lambda c: c.sadd(key, element)
        if w == "counter":
            return "w", "1", lambda c: c.incr(key)
        if rng.random() < 0.5:
            return "r", key, lambda c: c.scard(key)
        past = "c%d-%d" % (cfg["client_base"] + index, rng.randint(0, seq))
        return "r", key, lambda c: c.sismember(key, past)

    def run_client(self, index, start, end):
        cfg = self.cfg
        client = self.clients[index]
        rng = random.Random(0x5EED0000 + cfg["client_base"] + index)
        rate = cfg["rate"]
        n = cfg["clients"]
        interval = n * 1e9 / rate if rate > 0 else 0
        offset = interval * index / n
        seq = 0
        while not self.stop.is_set():
            if rate > 0:
                invoke = start + int(round(offset + interval * seq))
                if invoke >= end or self.now() >= end:
                    break
                while not self.stop.is_set():
                    left = invoke - self.now()  # read once: it must not turn negative between test and sleep
                    if left <= 0:
                        break
                    time.sleep(min(0.002, left / 1e9))
                if self.stop.is_set():
                    break
            else:
                invoke = self.now()
                if invoke >= end:
                    break
            kind, value, call = self.request(index, seq, rng)
            op = {"t": "op", "c": cfg["client_base"] + index, "s": seq, "k": kind, "v": value, "i": invoke}
            with self.inflight_lock:
                self.inflight[index] = op
            try:
                call(client)
                op["o"] = "ok"
            except Exception as exc:  # every library error is an outcome
                op["o"], op["x"] = classify(exc)
                op["m"] = "%s.%s: %s" % (type(exc).__module__, type(exc).__name__, exc)
            op["e"] = self.now()
            srv = self.server_of(client)
            if srv:
                op["srv"] = srv
            with self.inflight_lock:
                if self.inflight.get(index) is not op:
                    return  # already reported as unanswered at the end
                del self.inflight[index]
            self.out.line(op)
            seq += 1

    def run_client_guarded(self, index, start, end):
        # A bug here must fail the run (exit 1, traceback on stderr), never
        # look like a client that quietly stopped sending.
        try:
            self.run_client(index, start, end)
        except BaseException:
            traceback.print_exc()
            self.crashed = True

    def run(self, start, end):
        threads = [threading.Thread(target=self.run_client_guarded, args=(i, start, end), daemon=True)
                   for i in range(self.cfg["clients"])]
        for t in threads:
            t.start()
        drain_end = end + int(self.cfg.get("drain_ns", 1_000_000_000))
        while any(t.is_alive() for t in threads):
            self.out.flush()
            if self.now() >= drain_end or (self.stop.is_set() and self.now() >= self.stop_at + 1_000_000_000):
                break
            time.sleep(0.05)
        # Whatever is still waiting for a reply is reported as unanswered.
        with self.inflight_lock:
            left, self.inflight = list(self.inflight.values()), {}
        for op in left:
            op.update({"e": self.now(), "o": "unknown", "x": "timeout", "m": "no reply when the load ended"})
            self.out.line(op)
        self.out.flush()


def main():
    cfg = json.loads(sys.stdin.readline())
    driver = Driver(cfg)
    print(json.dumps({"t": "ready", "library": LIBRARY, "version": redis.__version__,
                      "profile": cfg["profile"], "settings": driver.shown}), flush=True)
    line = sys.stdin.readline()
    if not line:
        return 0
    start = json.loads(line)
    driver.stop_at = 0

    def watch_stdin():
        sys.stdin.readline()  # "stop" or EOF: finish now
        driver.stop_at = driver.now()
        driver.stop.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    driver.run(int(start["start_ns"]), int(start["end_ns"]))
    print(json.dumps({"t": "done"}), flush=True)
    return 1 if driver.crashed else 0


if __name__ == "__main__":
    import os
    rc = main()
    sys.stdout.flush()
    os._exit(rc)  # threads blocked in a socket read must not keep the process alive
