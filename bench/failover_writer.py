#!/usr/bin/env python3
"""Write loop for bench/failover.sh: what a client sees while the master fails or switches.

  failover_writer.py write --port P --prefix K --out OUT.json --status STATUS.json [--interval-ms 1] [--timeout-ms 2000]
      Sends SET <prefix>:<n> <value>, n = 1, 2, 3, ..., one at a time, one every INTERVAL ms, over
      one raw socket (RESP written and read by hand). On a socket error it reconnects before the
      next write; an error reply (-READONLY, -ERR ...) keeps the connection, except kvsim's own
      "-ERR kvsim: ..." refusals, after which the proxy closes it. Until SIGTERM. Then it
      checks with EXISTS that every acknowledged key is still there (lost writes) and whether the
      failed writes were applied anyway, and writes OUT.json. STATUS.json is rewritten every 100 ms
      (last success, last failure) so that the script can tell when the client has recovered.

  failover_writer.py analyze --writer OUT.json --events EVENTS.json --t0 ISO --api-ms MS
      One round's figures, as one line of tab-separated values in the order of ROUND_FIELDS
      (failover_writer.py fields prints their names).

An outage starts with the first failed write (a write is failed when it gets an error reply, when
the connection fails before its reply, when it is not answered within the timeout, or when the
client cannot connect) and ends with the next successful write (its reply). Its duration runs from
the moment the failed write was sent (or the connection attempted) to the moment the successful
reply arrived.
"""
import argparse
import json
import os
import signal
import socket
import sys
import time
from datetime import datetime

_stop = False


def _on_term(signum, frame):
    global _stop
    _stop = True


class Clock:
    """Wall-clock milliseconds derived from the monotonic clock (no jumps), anchored once."""

    def __init__(self):
        self.mono0 = time.monotonic_ns()
        self.wall0 = time.time_ns()

    def now_ms(self):
        return (self.wall0 + (time.monotonic_ns() - self.mono0)) / 1e6


class Conn:
    def __init__(self, port, timeout_s):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout_s)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(timeout_s)
        self.buf = bytearray()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, *args):
        out = bytearray(b"*%d\r\n" % len(args))
        for a in args:
            if isinstance(a, str):
                a = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[:i + 2]
                return line
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed by the server")
            self.buf += chunk

    def reply(self):
        """One reply: +simple and :integer as str/int, -error as RespError, $bulk as bytes/None."""
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return rest.decode()
        if t == b"-":
            raise RespError(rest.decode(errors="replace"))
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise EOFError("connection closed by the server")
                self.buf += chunk
            data = bytes(self.buf[:n])
            del self.buf[:n + 2]
            return data
        raise ProtocolError("unexpected reply: %r" % line[:80])


class RespError(Exception):
    pass


class ProtocolError(Exception):
    pass


def failure_kind(e):
    if isinstance(e, RespError):
        return "reply: " + str(e)[:120]
    if isinstance(e, socket.timeout):
        return "timeout"
    if isinstance(e, EOFError):
        return "eof"
    if isinstance(e, ConnectionRefusedError):
        return "refused"
    if isinstance(e, ConnectionResetError):
        return "reset"
    if isinstance(e, BrokenPipeError):
        return "broken_pipe"
    if isinstance(e, ProtocolError):
        return "protocol: " + str(e)[:120]
    return "socket_error: " + type(e).__name__


def write_status(path, st):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(st, f)
    os.replace(tmp, path)


def cmd_write(a):
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGINT, _on_term)
    clock = Clock()
    timeout_s = a.timeout_ms / 1000.0
    interval_ms = a.interval_ms
    value = "x" * a.value_size
    conn = None
    n = 0
    acked = []            # key numbers that were acknowledged with +OK
    failed_sent = []      # key numbers whose SET was sent (maybe applied) but not acknowledged
    outages = []
    cur = None            # the outage in progress
    ok = fail = connects = 0
    last_ok = last_fail = None
    max_lat = 0.0
    max_lat_at = None
    slow = {"10ms": 0, "100ms": 0}
    last_status = 0.0
    next_at = clock.now_ms()
    started = next_at

    def failed(at, kind, key=None):
        nonlocal cur, fail, last_fail
        fail += 1
        last_fail = at
        if cur is None:
            cur = {"start": at, "first_error": kind, "errors": {}, "failed_writes": 0,
                   "last_ok_before": last_ok, "ok_at_start": ok}
        cur["errors"][kind] = cur["errors"].get(kind, 0) + 1
        cur["failed_writes"] += 1
        if key is not None:
            failed_sent.append(key)

    while not _stop:
        now = clock.now_ms()
        if now - last_status >= 100:
            write_status(a.status, {"now": now, "ok": ok, "fail": fail, "last_ok": last_ok, "last_fail": last_fail,
                                    "in_outage": cur is not None, "keys": n})
            last_status = now
        if now < next_at:
            time.sleep((next_at - now) / 1000.0)
            continue
        next_at = max(next_at + interval_ms, clock.now_ms())
        if conn is None:
            t = clock.now_ms()
            try:
                conn = Conn(a.port, timeout_s)
                connects += 1
            except socket.timeout:
                failed(t, "connect_timeout")
                continue
            except OSError as e:
                failed(t, "refused" if isinstance(e, ConnectionRefusedError) else "connect_error: " + type(e).__name__)
                continue
        n += 1
        t = clock.now_ms()
        try:
            conn.send("SET", "%s:%d" % (a.prefix, n), value)
            r = conn.reply()
            if r != "OK":
                raise ProtocolError("SET answered %r" % (r,))
        except RespError as e:
            failed(t, failure_kind(e), n)
            if str(e).startswith("ERR kvsim:"):
                # the proxy's own refusal: it closes the connection after it
                conn.close()
                conn = None
            continue
        except (OSError, EOFError, ProtocolError) as e:
            failed(t, failure_kind(e), n)
            conn.close()
            conn = None
            continue
        done = clock.now_ms()
        ok += 1
        last_ok = done
        acked.append(n)
        lat = done - t
        if lat > max_lat:
            max_lat, max_lat_at = lat, t
        if lat > 10:
            slow["10ms"] += 1
        if lat > 100:
            slow["100ms"] += 1
        if cur is not None:
            cur["end"] = done
            cur["duration_ms"] = done - cur["start"]
            cur["gap_ms"] = done - cur["last_ok_before"] if cur["last_ok_before"] else None
            cur["ok_at_end"] = ok
            outages.append(cur)
            cur = None
    stopped = clock.now_ms()
    if conn is not None:
        conn.close()

    lost, applied_failed, verify_error = verify(a, acked, failed_sent)
    result = {
        "prefix": a.prefix, "started": started, "stopped": stopped, "interval_ms": interval_ms,
        "timeout_ms": a.timeout_ms, "writes": n, "ok": ok, "fail": fail, "connects": connects,
        "outages": outages, "unfinished_outage": cur,
        "max_latency_ms": round(max_lat, 3), "max_latency_at": max_lat_at, "slow_writes": slow,
        "lost": lost, "lost_count": len(lost) if lost is not None else None,
        "failed_sent": len(failed_sent), "failed_but_applied": applied_failed,
        "verify_error": verify_error,
    }
    with open(a.out, "w") as f:
        json.dump(result, f)


def verify(a, acked, failed_sent):
    """Which acknowledged keys are gone, and how many failed writes were applied anyway."""
    errors = []
    for attempt in range(10):
        step = "connect"
        try:
            c = Conn(a.port, 5.0)
            try:
                step = "acknowledged keys"
                lost = missing(c, a.prefix, acked)
                step = "failed keys"
                failed_missing = missing(c, a.prefix, failed_sent)
                return lost, len(failed_sent) - len(failed_missing), "; ".join(errors) or None
            finally:
                c.close()
        except (OSError, EOFError, RespError, ProtocolError) as e:
            errors.append("attempt %d, %s: %s" % (attempt + 1, step, failure_kind(e)))
            time.sleep(0.5)
    return None, None, "; ".join(errors)


def missing(c, prefix, keys, batch=200):
    """The keys that do not exist. One EXISTS per key, pipelined in batches: kvsim's proxy (at the
    time of writing) leaves some multi-key commands of 2 to 16 KB unanswered (see bench/README.md)."""
    out = []
    for i in range(0, len(keys), batch):
        part = keys[i:i + batch]
        for k in part:
            c.send("EXISTS", "%s:%d" % (prefix, k))
        for k in part:
            if c.reply() == 0:
                out.append(k)
    return out


# ---- analyze ---------------------------------------------------------------------------------

# One round, as analyze prints it (tab-separated, in this order). Times in seconds are counted from
# t0: kvsim's own start of the action (the fault's startedAt, the switchover's startedAt).
ROUND_FIELDS = [
    "downtime_ms",     # first outage: first failed write -> next successful write
    "span_ms",         # first failed write -> the successful write that ended the last outage
    "outages",         # how many separate outages
    "ok_between",      # writes acknowledged between the first failed write and the start of the last outage
    "failed",          # failed writes (and failed connection attempts)
    "first_fail_s",    # first failed write, s after t0
    "recovered_s",     # end of the last outage, s after t0
    "max_lat_ms",      # slowest successful write
    "acked",           # acknowledged writes
    "lost",            # acknowledged writes whose key is gone afterwards
    "applied_failed",  # failed writes whose key exists afterwards (applied, but the client saw an error)
    "event",           # Failover, Switchover, SwitchoverFailed, MajorVersionUpgraded (+n when more than one)
    "detected_s",      # Failover detectedAt / Switchover startedAt, s after t0
    "switched_s",      # switchedAt (an upgrade's doneAt), s after t0
    "api_s",           # duration of the admin API call that started the action
    "lost_bytes",      # the event's lostBytes (master offset - replica offset at the switch)
    "other_events",    # other event types in the round (NodeReplaced, ...)
    "errors",          # failure kinds with counts
    "t0",              # kvsim's start of the action (ISO)
    "detected_at",     # the event's detectedAt (or startedAt), as recorded (ISO)
    "switched_at",     # the event's switchedAt, as recorded (ISO)
]


def iso_ms(s):
    if not s:
        return None
    s = s.replace("Z", "+00:00")
    if "." in s:                        # Python < 3.11 takes at most 6 fractional digits
        head, frac = s.split(".", 1)
        digits = "".join(ch for ch in frac if ch.isdigit())
        s = head + "." + (digits + "000000")[:6] + frac[len(digits):]
    return datetime.fromisoformat(s).timestamp() * 1000


def secs(ms, t0):
    return "-" if ms is None or t0 is None else "%.3f" % ((ms - t0) / 1000.0)


def cmd_analyze(a):
    w = json.load(open(a.writer))
    events = json.load(open(a.events))
    t0 = iso_ms(a.t0)
    outs = list(w["outages"])
    if w.get("unfinished_outage"):
        outs.append(dict(w["unfinished_outage"], end=None, duration_ms=None))
    f = {k: "-" for k in ROUND_FIELDS}
    f["t0"] = a.t0 or "-"
    f["outages"] = str(len(outs))
    f["failed"] = str(w["fail"])
    f["max_lat_ms"] = "%.1f" % w["max_latency_ms"]
    f["acked"] = str(w["ok"])
    f["lost"] = "?" if w["lost_count"] is None else str(w["lost_count"])
    f["applied_failed"] = "?" if w["failed_but_applied"] is None else str(w["failed_but_applied"])
    if outs:
        first = outs[0]
        f["downtime_ms"] = "unrecovered" if first["duration_ms"] is None else "%.1f" % first["duration_ms"]
        f["first_fail_s"] = secs(first["start"], t0)
        last_end = outs[-1]["end"]
        f["span_ms"] = "unrecovered" if last_end is None else "%.1f" % (last_end - first["start"])
        f["recovered_s"] = secs(last_end, t0)
        f["ok_between"] = str(outs[-1]["ok_at_start"] - first["ok_at_start"])
        errs = {}
        for o in outs:
            for k, v in o["errors"].items():
                errs[k] = errs.get(k, 0) + v
        f["errors"] = "; ".join("%s x%d" % (k, v) for k, v in sorted(errs.items(), key=lambda kv: -kv[1]))
    else:
        f["downtime_ms"] = "0"
        f["span_ms"] = "0"
    main_types = ("Failover", "Switchover", "SwitchoverFailed", "MajorVersionUpgraded", "MajorVersionUpgradeFailed")
    main = [e for e in events if e["type"] in main_types]
    other = [e["type"] for e in events if e["type"] not in main_types + ("FaultStarted", "FaultEnded")]
    f["other_events"] = ",".join(other) if other else "-"
    if main:
        e = main[0]
        d = e.get("details") or {}
        f["event"] = e["type"] + ("" if len(main) == 1 else "+%d" % (len(main) - 1))
        started = d.get("detectedAt") or d.get("startedAt") or d.get("requestedAt")  # requestedAt, doneAt: an upgrade's
        switched = d.get("switchedAt") or d.get("doneAt")
        f["detected_at"] = started or "-"
        f["switched_at"] = switched or "-"
        f["detected_s"] = secs(iso_ms(started), t0)
        f["switched_s"] = secs(iso_ms(switched), t0)
        f["lost_bytes"] = "-" if d.get("lostBytes") is None else str(d.get("lostBytes"))
    f["api_s"] = "%.3f" % (float(a.api_ms) / 1000.0)
    print("\t".join(str(f[k]).replace("\t", " ").replace("|", "/") or "-" for k in ROUND_FIELDS))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("--port", type=int, required=True)
    w.add_argument("--prefix", required=True)
    w.add_argument("--out", required=True)
    w.add_argument("--status", required=True)
    w.add_argument("--interval-ms", type=float, default=1.0)
    w.add_argument("--timeout-ms", type=float, default=2000.0)
    w.add_argument("--value-size", type=int, default=32)
    an = sub.add_parser("analyze")
    an.add_argument("--writer", required=True)
    an.add_argument("--events", required=True)
    an.add_argument("--t0", required=True, help="kvsim's start of the action, ISO-8601")
    an.add_argument("--api-ms", required=True, help="duration of the admin API call")
    sub.add_parser("fields")
    a = p.parse_args()
    if a.cmd == "write":
        cmd_write(a)
    elif a.cmd == "analyze":
        cmd_analyze(a)
    else:
        print(" ".join(ROUND_FIELDS))


if __name__ == "__main__":
    sys.exit(main())
