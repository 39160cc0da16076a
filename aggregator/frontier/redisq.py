"""The shared frontier in Redis: per-host queues, global politeness, leases, results.

Every change is one Lua script, so it is atomic across any number of workers, and every
call is made with ``redis.asyncio`` from inside the crawl's event loop (a blocking call
there stalls the whole spider: a known limit of scrapy-redis, whose scheduler calls
Redis synchronously). Times are Redis's own clock (``TIME``), so workers on machines
whose clocks disagree still keep the same per-host gaps.

Keys under the prefix ``P`` (``AGGREGATOR_FRONTIER_PREFIX``, default ``lednews``):

- ``P:req`` hash id -> request payload (JSON); ``P:q:HOST`` zset of ids by priority
  then age; ``P:hosts`` zset of hosts with queued requests by the time their next
  request may start; ``P:next`` hash host -> that time; ``P:delay`` hash host -> delay.
- ``P:inflight`` zset id -> lease deadline; ``P:claim`` hash id -> who holds it. A
  claimed host's next time is the lease deadline until the worker reports back
  (``complete``), so one request per host is in flight across all workers and the
  next starts no sooner than ``delay`` after the previous one was answered. A worker
  killed with ``kill -9`` stops renewing its leases; the next ``claim`` by anyone after
  the deadline puts its requests back in their queues (under new ids: a late answer to
  the old claim is dropped, so each request gives exactly one result).
- ``P:df:BUCKET`` sets of 64-bit integers: the dupefilter, 8 bytes of each request
  fingerprint kept as an integer in one of ``DUPE_BUCKETS`` small sets, which Redis
  stores as sorted integer arrays ("intset", 8 bytes a member) while a set holds at
  most ``set-max-intset-entries`` (512 by default) members (bench/crawl.py --frontier
  measures the bytes per URL against scrapy-redis's set of 40-character fingerprints).
- ``P:results`` stream of fetched pages for the writer (consumer group ``writer``,
  XREADGROUP / XACK); ``P:wake`` a one-entry stream that workers block on (XREAD)
  instead of polling; ``P:open`` requests pushed and not yet answered; ``P:stats``.
- ``P:workers`` hash worker -> heartbeat JSON; ``P:writer`` the running writer;
  ``P:robots:ORIGIN`` robots.txt bodies (kept a day, like Scrapy's own cache per run).
"""

from __future__ import annotations

import json
import time
from typing import Any

__all__ = ["Frontier", "DUPE_BUCKETS", "connect", "fingerprint_key", "retrying", "RETRY_FOR"]

# Dupefilter buckets: 2**16 sets. With 8-byte members a set stays an intset up to 512
# members (Redis's default set-max-intset-entries), so up to ~25 M URLs per run (65,536 x
# ~400, leaving room for uneven buckets) cost ~8 bytes each plus ~100 bytes per bucket
# key; bench/crawl.py --frontier measures it at 1 M URLs. Beyond that a bucket turns
# into a hash table (~50 bytes a member): slower growth of memory, never a lost URL.
DUPE_BUCKETS = 1 << 16
# Dupefilter buckets expire after this long without a new member even if a writer dies
# without clearing them (a normal run clears them at its start and end).
DUPE_TTL = 7 * 86400
ROBOTS_TTL = 86400

_PUSH = """
local p = ARGV[1]
local host = ARGV[2]
if ARGV[3] ~= '' then
  local key = p .. ':df:' .. ARGV[3]
  if redis.call('SADD', key, ARGV[4]) == 0 then
    redis.call('HINCRBY', p .. ':stats', 'duplicates', 1)
    return 0
  end
  redis.call('EXPIRE', key, ARGV[9], 'NX')
end
local seq = redis.call('INCR', p .. ':seq')
local id = tostring(seq)
redis.call('HSET', p .. ':req', id, ARGV[7])
redis.call('ZADD', p .. ':q:' .. host, -tonumber(ARGV[5]) * 1e10 + seq, id)
local nb = tonumber(redis.call('HGET', p .. ':next', host) or '0')
redis.call('ZADD', p .. ':hosts', 'NX', nb, host)
local d = tonumber(ARGV[6])
if d > tonumber(redis.call('HGET', p .. ':delay', host) or '-1') then
  redis.call('HSET', p .. ':delay', host, ARGV[6])
end
redis.call('INCR', p .. ':open')
redis.call('HINCRBY', p .. ':stats', 'pushed', 1)
if ARGV[8] == '1' then
  redis.call('XADD', p .. ':wake', 'MAXLEN', '1', '*', 'n', id)
end
return seq
"""

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
"""

# reap expired leases, then claim up to n hosts' next requests
_CLAIM = _NOW + """
local p = ARGV[1]
local w = ARGV[2]
local n = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local dead = redis.call('ZRANGEBYSCORE', p .. ':inflight', '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(dead) do
  local c = redis.call('HGET', p .. ':claim', id)
  redis.call('ZREM', p .. ':inflight', id)
  redis.call('HDEL', p .. ':claim', id)
  local payload = redis.call('HGET', p .. ':req', id)
  redis.call('HDEL', p .. ':req', id)
  if c and payload then
    local parts = {}
    for s in string.gmatch(c, '[^\\t]+') do table.insert(parts, s) end
    local host, score = parts[2], parts[3]
    local nid = tostring(redis.call('INCR', p .. ':seq'))
    redis.call('HSET', p .. ':req', nid, payload)
    redis.call('ZADD', p .. ':q:' .. host, score, nid)
    local nb = tonumber(redis.call('HGET', p .. ':next', host) or '0')
    redis.call('ZADD', p .. ':hosts', nb, host)
    redis.call('HINCRBY', p .. ':stats', 'requeued', 1)
  end
end
local out = {}
if tonumber(redis.call('XLEN', p .. ':results')) >= tonumber(ARGV[5]) then
  return {'1', 'backlog'}
end
local hosts = redis.call('ZRANGEBYSCORE', p .. ':hosts', '-inf', now, 'LIMIT', 0, n)
for _, h in ipairs(hosts) do
  local got = redis.call('ZPOPMIN', p .. ':q:' .. h)
  if #got == 0 then
    redis.call('ZREM', p .. ':hosts', h)
  else
    local id, score = got[1], got[2]
    local deadline = now + lease
    local prev = redis.call('HGET', p .. ':next', h) or '0'
    redis.call('HSET', p .. ':next', h, deadline)
    if redis.call('ZCARD', p .. ':q:' .. h) > 0 then
      redis.call('ZADD', p .. ':hosts', deadline, h)
    else
      redis.call('ZREM', p .. ':hosts', h)
    end
    redis.call('ZADD', p .. ':inflight', deadline, id)
    redis.call('HSET', p .. ':claim', id, w .. '\\t' .. h .. '\\t' .. score .. '\\t' .. prev)
    table.insert(out, id)
    table.insert(out, redis.call('HGET', p .. ':req', id))
  end
end
local first = redis.call('ZRANGE', p .. ':hosts', 0, 0, 'WITHSCORES')
local wait = '-1'
if #first > 0 then wait = tostring(tonumber(first[2]) - now) end
table.insert(out, 1, wait)
return out
"""

# a claimed request is answered: ARGV = p, id, ago (seconds since its answer arrived;
# -1: nothing was sent), delay, mode ('done' | 'requeue'), record JSON ('' for none), body,
# requests sent under the claim (retries and robots.txt included), robots.txt requests
_COMPLETE = _NOW + """
local p = ARGV[1]
local id = ARGV[2]
local c = redis.call('HGET', p .. ':claim', id)
if not c then return 0 end
local parts = {}
for s in string.gmatch(c, '[^\\t]+') do table.insert(parts, s) end
local host, score, prev = parts[2], parts[3], parts[4]
redis.call('ZREM', p .. ':inflight', id)
redis.call('HDEL', p .. ':claim', id)
redis.call('HINCRBY', p .. ':stats', 'requests', tonumber(ARGV[8]))
redis.call('HINCRBY', p .. ':stats', 'robots', tonumber(ARGV[9]))
local ago = tonumber(ARGV[3])
local nb = tonumber(prev)
if ago >= 0 then nb = now - ago + tonumber(ARGV[4]) end
redis.call('HSET', p .. ':next', host, nb)
if ARGV[5] == 'requeue' then
  redis.call('ZADD', p .. ':q:' .. host, score, id)
else
  redis.call('HDEL', p .. ':req', id)
  redis.call('DECR', p .. ':open')
  if ARGV[6] ~= '' then
    redis.call('XADD', p .. ':results', '*', 'r', ARGV[6], 'b', ARGV[7])
    redis.call('HINCRBY', p .. ':stats', 'fetched', 1)
  end
end
if redis.call('ZCARD', p .. ':q:' .. host) > 0 then
  redis.call('ZADD', p .. ':hosts', nb, host)
end
redis.call('XADD', p .. ':wake', 'MAXLEN', '1', '*', 'n', id)
return 1
"""

# keep a worker's leases (and its hosts' busy marks) alive: ARGV = p, worker, lease, ids...
_EXTEND = _NOW + """
local p = ARGV[1]
local deadline = now + tonumber(ARGV[3])
local kept = 0
for i = 4, #ARGV do
  local id = ARGV[i]
  local c = redis.call('HGET', p .. ':claim', id)
  if c and string.sub(c, 1, #ARGV[2] + 1) == ARGV[2] .. '\\t' then
    local parts = {}
    for s in string.gmatch(c, '[^\\t]+') do table.insert(parts, s) end
    redis.call('ZADD', p .. ':inflight', deadline, id)
    redis.call('HSET', p .. ':next', parts[2], deadline)
    redis.call('ZADD', p .. ':hosts', 'XX', deadline, parts[2])
    kept = kept + 1
  end
end
return kept
"""


def fingerprint_key(fp: bytes, buckets: int = DUPE_BUCKETS) -> tuple[str, str]:
    """(bucket, member) of a request fingerprint: 8 of its bytes as a signed integer
    (what makes the member an intset entry), the bucket from two other bytes. Two URLs
    collide with probability n^2 / 2^65 (1 M URLs: 3e-8)."""
    member = int.from_bytes(fp[:8], "big", signed=True)
    return str(int.from_bytes(fp[8:12], "big") % buckets), str(member)


# Socket timeout of the frontier's connections. redis-py 8's default (5 s) failed a
# writer's read on this two-core machine at a load average of 14 (bench/crawl.py
# --frontier beside the test suites of five other people): a process given a seventh of
# a core can see a 1 s blocking read come back after more than 5 s. Transient errors
# are retried for RETRY_FOR seconds before a run gives up.
SOCKET_TIMEOUT = 60.0
RETRY_FOR = 60.0


def connect(url: str) -> Any:
    """A ``redis.asyncio`` client for ``redis://HOST:PORT/DB`` (bytes replies)."""
    import redis.asyncio as aioredis

    return aioredis.from_url(url, decode_responses=False, socket_timeout=SOCKET_TIMEOUT,
                             socket_connect_timeout=10, health_check_interval=30)


def transient(e: BaseException) -> bool:
    """A Redis error worth retrying (connection lost or slow), not a script or type error."""
    import redis

    return isinstance(e, (redis.ConnectionError, redis.TimeoutError, OSError))


async def retrying(call: Any, what: str, log: Any) -> Any:
    """``await call()``, again after transient errors (Redis restarting, a stalled
    machine) for up to RETRY_FOR seconds; then the error is raised."""
    import asyncio

    deadline = time.monotonic() + RETRY_FOR
    pause = 0.1
    while True:
        try:
            return await call()
        except asyncio.CancelledError:
            raise
        except Exception as e:
            if not transient(e) or time.monotonic() > deadline:
                raise
            log.warning("%s: %s; retrying", what, e)
            await asyncio.sleep(pause)
            pause = min(2.0, pause * 2)


def _s(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


class Frontier:
    """The frontier's operations over one async client (one per process)."""

    def __init__(self, client: Any, prefix: str = "lednews") -> None:
        self.r = client
        self.p = prefix
        self._push = client.register_script(_PUSH)
        self._claim = client.register_script(_CLAIM)
        self._complete = client.register_script(_COMPLETE)
        self._extend = client.register_script(_EXTEND)

    def key(self, name: str) -> str:
        return f"{self.p}:{name}"

    # writer side -------------------------------------------------------------------
    async def reset(self) -> None:
        """A new run: drop every queue, lease, dupefilter bucket and result of an
        earlier one (worker heartbeats and cached robots.txt stay)."""
        keep = (self.key("workers").encode(), self.key("writer").encode())
        robots = self.key("robots:").encode()
        batch: list[bytes] = []
        async for k in self.r.scan_iter(match=f"{self.p}:*", count=5000):
            if k in keep or k.startswith(robots):
                continue
            batch.append(k)
            if len(batch) >= 5000:
                await self.r.unlink(*batch)
                batch = []
        if batch:
            await self.r.unlink(*batch)
        await self.r.xgroup_create(self.key("results"), "writer", id="0", mkstream=True)

    async def push_many(self, items: list[tuple[str, tuple[str, str] | None, int, float, str]],
                        wake: bool = True) -> list[int]:
        """Queue requests: (host, dupefilter key or None, priority, delay, payload) each.
        Returns per item the new id, or 0 for a duplicate."""
        if not items:
            return []
        pipe = self.r.pipeline(transaction=False)
        for i, (host, dupe, priority, delay, payload) in enumerate(items):
            bucket, member = dupe if dupe is not None else ("", "")
            await self._push(keys=[], args=[self.p, host, bucket, member, priority, delay, payload,
                                            "1" if wake and i == len(items) - 1 else "0", DUPE_TTL],
                             client=pipe)
        return [int(x) for x in await pipe.execute()]

    async def snapshot(self) -> tuple[int, int]:
        """(requests pushed and not yet answered, results not yet read), read together."""
        pipe = self.r.pipeline(transaction=True)
        pipe.get(self.key("open"))
        pipe.xlen(self.key("results"))
        opened, unread = await pipe.execute()
        return int(opened or 0), int(unread or 0)

    async def read_results(self, consumer: str, count: int, block_ms: int,
                           pending: bool = False) -> list[tuple[bytes, bytes, bytes]]:
        """Up to ``count`` new results for the writer: (entry id, record JSON, body).
        ``pending``: those delivered to ``consumer`` earlier and never acknowledged
        instead (a read whose reply was lost to a timeout)."""
        got = await self.r.xreadgroup("writer", consumer, {self.key("results"): "0" if pending else ">"},
                                      count=count, block=None if pending else block_ms)
        out = []
        for _stream, entries in got or []:
            for eid, fields in entries:
                out.append((eid, fields.get(b"r", b""), fields.get(b"b", b"")))
        return out

    async def ack(self, ids: list[bytes]) -> None:
        """Results handed to the writer's crawl: acknowledged and deleted (the stream
        holds only what is still to be processed, so its memory stays bounded)."""
        if ids:
            pipe = self.r.pipeline(transaction=True)
            pipe.xack(self.key("results"), "writer", *ids)
            pipe.xdel(self.key("results"), *ids)
            await pipe.execute()

    # worker side -------------------------------------------------------------------
    async def claim(self, worker: str, n: int, lease: float, max_backlog: int) -> tuple[float, list[tuple[str, bytes]]]:
        """Up to ``n`` requests of hosts whose turn it is, each under a lease of
        ``lease`` seconds. Returns (seconds until the next queued host's turn, -1 if
        none is queued; the claims). No claims while the result stream holds
        ``max_backlog`` entries (the writer is behind: fetching more only fills memory)."""
        got = await self._claim(keys=[], args=[self.p, worker, n, lease, max_backlog])
        if len(got) == 2 and got[1] == b"backlog":
            return float(got[0]), []
        wait = float(got[0])
        rest = got[1:]
        return wait, [(_s(rest[i]), rest[i + 1]) for i in range(0, len(rest), 2)]

    async def complete(self, claim_id: str, ago: float, delay: float, record: str = "", body: bytes = b"",
                       requeue: bool = False, requests: int = 0, robots: int = 0) -> bool:
        """Answer a claim: ``record`` (with ``body``) goes to the writer; the host's
        next request may start ``delay`` after this one's answer arrived (``ago``
        seconds ago; negative: nothing was sent). ``requeue`` puts the request back instead (its turn
        was used for robots.txt). False if the lease had expired (the answer is dropped:
        the request was queued again)."""
        return bool(await self._complete(keys=[], args=[self.p, claim_id, ago, delay,
                                                        "requeue" if requeue else "done", record, body,
                                                        requests, robots]))

    async def extend(self, worker: str, lease: float, ids: list[str]) -> int:
        if not ids:
            return 0
        return int(await self._extend(keys=[], args=[self.p, worker, lease, *ids]))

    async def wait_wake(self, client: Any, last: bytes, timeout: float) -> bytes:
        """Block (on ``client``, a connection of its own) until something was pushed
        or answered after entry ``last``, or ``timeout`` seconds passed."""
        got = await client.xread({self.key("wake"): last}, count=1, block=max(1, int(timeout * 1000)))
        for _stream, entries in got or []:
            for eid, _ in entries:
                return eid
        return last

    async def heartbeat(self, worker: str, info: dict[str, Any]) -> None:
        await self.r.hset(self.key("workers"), worker, json.dumps({**info, "seen": time.time()}))

    async def robots(self, origin: str) -> bytes | None:
        return await self.r.get(self.key(f"robots:{origin}"))

    async def save_robots(self, origin: str, body: bytes) -> None:
        await self.r.set(self.key(f"robots:{origin}"), body, ex=ROBOTS_TTL)
