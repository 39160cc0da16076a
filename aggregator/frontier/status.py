"""``lednews status --frontier URL``: the writer, the workers, queue depths and lag."""

from __future__ import annotations

import json
import time
from typing import Any

__all__ = ["frontier_status", "format_status"]

# A worker whose heartbeat is older than this is shown as silent (it renews every third
# of its lease, 20 s by default: three missed beats).
SILENT_AFTER = 60.0


def frontier_status(url: str, prefix: str = "lednews") -> dict[str, Any]:
    """What the frontier holds now (a synchronous client: this runs outside any crawl)."""
    import redis

    r = redis.Redis.from_url(url, socket_connect_timeout=5)
    p = prefix
    try:
        now = time.time()
        pipe = r.pipeline(transaction=False)
        pipe.get(f"{p}:writer")
        pipe.hgetall(f"{p}:workers")
        pipe.zcard(f"{p}:hosts")
        pipe.hlen(f"{p}:req")
        pipe.zcard(f"{p}:inflight")
        pipe.get(f"{p}:open")
        pipe.hgetall(f"{p}:stats")
        pipe.info("memory")
        writer, workers, hosts, requests, inflight, opened, stats, memory = pipe.execute()
        try:
            unread = r.xlen(f"{p}:results")
            first = r.xrange(f"{p}:results", count=1)
        except redis.ResponseError:
            unread, first = 0, []
        first_id = first[0][0] if first else b"0-0"
        first_ms = int((first_id.decode() if isinstance(first_id, bytes) else str(first_id)).split("-")[0])
        oldest = now - first_ms / 1000 if first else 0.0
        ready = r.zcount(f"{p}:hosts", "-inf", now)
    finally:
        r.close()
    ws = []
    for name, raw in sorted(workers.items()):
        info = json.loads(raw)
        ws.append({"worker": name.decode(), "seen_s_ago": round(now - info.get("seen", 0), 1),
                   "silent": now - info.get("seen", 0) > SILENT_AFTER, **{k: info.get(k) for k in (
                       "claims", "fetched", "failures", "dropped", "robots")}})
    return {
        "frontier": url, "prefix": p,
        "writer": json.loads(writer) if writer else None,
        "workers": ws,
        "queued": int(requests) - int(inflight), "hosts_queued": int(hosts), "hosts_ready": int(ready),
        "in_flight": int(inflight), "open": int(opened or 0),
        "results_unread": int(unread), "lag_seconds": round(oldest, 1),
        "stats": {k.decode(): int(v) for k, v in stats.items()},
        "redis_used_memory": int(memory.get("used_memory", 0)),
    }


def format_status(s: dict[str, Any]) -> list[str]:
    w = s["writer"]
    lines = [f"frontier {s['frontier']} (prefix {s['prefix']}): "
             + (f"writer run {w['run']} (pid {w['pid']} on {w['host']}, {w.get('db')})" if w else "no writer running"),
             f"queued {s['queued']:,} requests on {s['hosts_queued']:,} hosts ({s['hosts_ready']:,} ready now), "
             f"{s['in_flight']:,} in flight; {s['results_unread']:,} fetched pages waiting for the writer "
             f"(oldest {s['lag_seconds']} s); Redis memory {s['redis_used_memory'] / 1e6:.1f} MB",
             "run so far: " + (", ".join(f"{k} {v:,}" for k, v in sorted(s["stats"].items())) or "nothing"),
             f"{'worker':32} {'seen':>7} {'claims':>6} {'fetched':>8} {'failures':>8}"]
    for x in s["workers"]:
        lines.append(f"{x['worker']:32} {x['seen_s_ago']:>6}s {x['claims'] or 0:>6} {x['fetched'] or 0:>8} "
                     f"{x['failures'] or 0:>8}{'  SILENT' if x['silent'] else ''}")
    if not s["workers"]:
        lines.append("(no worker has reported)")
    return lines
