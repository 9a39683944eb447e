#!/usr/bin/env node
// sentinel-chaos client driver for ioredis (docs/client-drivers.md).
//
// Reads its configuration (one JSON line) on stdin, makes one ioredis client
// per simulated client with the library's own Sentinel support (`sentinels` +
// `name`) or a plain client to the VIP / a fixed server, says "ready", waits
// for "start", drives the workload and writes one "op" line per completed
// operation on stdout, stamped on the harness's clock (process.hrtime is
// CLOCK_MONOTONIC on Linux; the run's zero is passed in).
"use strict";

let Redis;
try {
  Redis = require("ioredis");
} catch (e) {
  process.stderr.write(`ioredis is not installed (run: npm ci --prefix drivers/ioredis): ${e.message}\n`);
  process.exit(3);
}
const readline = require("readline");
const LIBRARY = "ioredis";
const VERSION = require("ioredis/package.json").version;

// Options per profile. defaults: none passed, every value is the library's
// own (built/redis/RedisOptions.js DEFAULT_REDIS_OPTIONS: connectTimeout
// 10000, no commandTimeout, retryStrategy min(2^(n-1)*50, 5000)+jitter,
// sentinelRetryStrategy min(n*10, 1000), maxRetriesPerRequest 20,
// enableOfflineQueue true, failoverDetector false).
// tuned: what the README recommends for failover: reconnectOnError that
// reconnects (and resends, return 2) on READONLY ("Reconnect on Error"),
// failoverDetector to follow +switch-master, plus bounded timeouts.
function profileOptions(profile) {
  if (profile === "defaults") return { options: {}, shown: {} };
  const options = {
    connectTimeout: 500,
    commandTimeout: 500,
    maxRetriesPerRequest: 3,
    failoverDetector: true,
    reconnectOnError: (err) => (err.message.startsWith("READONLY") ? 2 : false),
    retryStrategy: (times) => Math.min(times * 50, 500),
    sentinelRetryStrategy: (times) => Math.min(times * 10, 500),
  };
  const shown = {
    connectTimeout: 500, commandTimeout: 500, maxRetriesPerRequest: 3, failoverDetector: true,
    reconnectOnError: "READONLY -> 2 (reconnect and resend)",
    retryStrategy: "min(n*50, 500)", sentinelRetryStrategy: "min(n*10, 500)",
  };
  return { options, shown };
}

function classify(err) {
  const text = String(err && err.message ? err.message : err);
  const up = text.toUpperCase();
  if (up.startsWith("READONLY") || up.includes("READONLY")) return ["fail", "READONLY"];
  for (const code of ["NOREPLICAS", "LOADING", "MASTERDOWN"]) if (up.startsWith(code)) return ["fail", code];
  if (err && err.name === "ReplyError") return ["fail", "other"];
  if (text.includes("All sentinels are unreachable") || text.includes("No master")) return ["fail", "no-master"];
  if (text.includes("Command timed out")) return ["unknown", "timeout"];
  if (text.includes("ETIMEDOUT") || text.includes("connect ")) return ["unknown", "timeout"];
  if (text.includes("ECONNREFUSED") || text.includes("EHOSTUNREACH")) return ["unknown", "refused"];
  if (text.includes("max retries per request") || text.includes("Connection is closed")) return ["unknown", "reset"];
  return ["unknown", "other"];
}

class Driver {
  constructor(cfg) {
    this.cfg = cfg;
    this.zero = BigInt(cfg.clock_zero_ns);
    this.buf = [];
    this.inflight = new Map();
    this.stopping = false;
    const { options, shown } = profileOptions(cfg.profile);
    this.shown = shown;
    this.clients = [];
    for (let i = 0; i < cfg.clients; i++) {
      const o = { ...options };
      if (cfg.password) o.password = cfg.password;
      let c;
      if (cfg.via === "sentinel") {
        c = new Redis({ ...o, sentinels: cfg.sentinels.map((s) => ({ host: s.host, port: s.port })), name: cfg.master_name });
      } else {
        c = new Redis({ ...o, host: cfg.address.host, port: cfg.address.port });
      }
      c.on("error", () => {}); // errors reach the commands; the event must have a listener
      this.clients.push(c);
    }
  }

  now() {
    return Number(process.hrtime.bigint() - this.zero);
  }

  line(obj) {
    this.buf.push(JSON.stringify(obj));
  }

  flush() {
    if (this.buf.length) {
      process.stdout.write(this.buf.join("\n") + "\n");
      this.buf = [];
    }
  }

  request(index, seq, rnd) {
    const { key, workload, client_base: base } = this.cfg;
    const element = `c${base + index}-${seq}`;
    if (workload === "set" || (workload === "mixed" && rnd() >= this.cfg.read_fraction))
      return ["w", element, (c) => c.sadd(key, element)];
    if (workload === "counter") return ["w", "1", (c) => c.incr(key)];
    if (rnd() < 0.5) return ["r", key, (c) => c.scard(key)];
    const past = `c${base + index}-${Math.floor(rnd() * (seq + 1))}`;
    return ["r", key, (c) => c.sismember(key, past)];
  }

  static serverOf(c) {
    const s = c.stream;
    return s && s.remoteAddress ? `${s.remoteAddress}:${s.remotePort}` : "";
  }

  async runClient(index, start, end) {
    const c = this.clients[index];
    let state = 0x5eed0000 + this.cfg.client_base + index;
    const rnd = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const { rate, clients: n } = this.cfg;
    const interval = rate > 0 ? (n * 1e9) / rate : 0;
    const offset = (interval * index) / n;
    for (let seq = 0; !this.stopping; seq++) {
      let invoke;
      if (rate > 0) {
        invoke = start + Math.round(offset + interval * seq);
        if (invoke >= end || this.now() >= end) break;
        // setTimeout counts from the event loop's cached time, which lags
        // after a busy stretch: a timer can fire early. Wait until the
        // monotonic clock says so, or the op would complete before its invoke.
        for (let wait = (invoke - this.now()) / 1e6; wait > 0 && !this.stopping; wait = (invoke - this.now()) / 1e6)
          await new Promise((r) => setTimeout(r, Math.max(1, wait)));
        if (this.stopping) break;
      } else {
        invoke = this.now();
        if (invoke >= end) break;
      }
      const [kind, value, call] = this.request(index, seq, rnd);
      const op = { t: "op", c: this.cfg.client_base + index, s: seq, k: kind, v: value, i: invoke };
      this.inflight.set(index, op);
      let srv = Driver.serverOf(c);
      try {
        await call(c);
        op.o = "ok";
        srv = Driver.serverOf(c) || srv;
      } catch (err) {
        [op.o, op.x] = classify(err);
        op.m = `ioredis.${err && err.name ? err.name : "Error"}: ${err && err.message ? err.message : err}`;
      }
      op.e = this.now();
      if (srv) op.srv = srv;
      if (this.inflight.get(index) !== op) return; // reported as unanswered at the end
      this.inflight.delete(index);
      this.line(op);
      // A client whose commands fail at once (no offline queue) must not spin.
      if (op.o !== "ok" && op.e - invoke < 1e6) await new Promise((r) => setTimeout(r, 5));
    }
  }

  async run(start, end) {
    const flusher = setInterval(() => this.flush(), 50);
    // A bug in a client loop must fail the run (exit 1, stack on stderr),
    // never look like a client that quietly stopped sending.
    const all = Promise.all(this.clients.map((_, i) => this.runClient(i, start, end).catch((err) => {
      process.stderr.write(`client ${i}: ${err && err.stack ? err.stack : err}\n`);
      this.crashed = true;
    })));
    const drainEnd = end + Number(this.cfg.drain_ns || 1e9);
    await new Promise((resolve) => {
      all.then(resolve);
      const check = setInterval(() => {
        const t = this.now();
        if (t >= drainEnd || (this.stopping && t >= this.stopAt + 1e9)) {
          clearInterval(check);
          resolve();
        }
      }, 20);
      all.then(() => clearInterval(check));
    });
    clearInterval(flusher);
    for (const op of this.inflight.values()) {
      Object.assign(op, { e: this.now(), o: "unknown", x: "timeout", m: "no reply when the load ended" });
      this.line(op);
    }
    this.inflight.clear();
    this.flush();
  }
}

function main() {
  const rl = readline.createInterface({ input: process.stdin });
  let driver = null;
  let started = false;
  rl.on("line", (line) => {
    if (!driver) {
      driver = new Driver(JSON.parse(line));
      process.stdout.write(JSON.stringify({ t: "ready", library: LIBRARY, version: VERSION,
        profile: driver.cfg.profile, settings: driver.shown }) + "\n");
    } else if (!started) {
      started = true;
      const s = JSON.parse(line);
      driver.run(Number(s.start_ns), Number(s.end_ns)).then(() => {
        process.stdout.write(JSON.stringify({ t: "done" }) + "\n", () => process.exit(driver.crashed ? 1 : 0));
      });
    } else {
      driver.stopAt = driver.now();
      driver.stopping = true;
    }
  });
  rl.on("close", () => {
    if (!started) process.exit(0);
    if (driver && !driver.stopping) {
      driver.stopAt = driver.now();
      driver.stopping = true;
    }
  });
}

main();
