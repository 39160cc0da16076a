"""Article-page work in a worker process (issue 8).

Turning an article page into a stored-ready ``Article`` (extract, canonicalise, clean,
hash) is pure CPU work on the page's bytes; Scrapy's own loop (scheduling, downloads,
middlewares, writes) is another. ``PagePool`` runs the page work in
``AGGREGATOR_WORKERS`` processes beside the crawl, so on a machine with two cores the
two proceed side by side instead of taking turns (bench/crawl.py measures it).

Workers are started with the 'spawn' method: nothing of the crawl process is inherited
(no fork of a threaded Twisted process) and a worker costs one interpreter start plus
the extraction modules (~0.7 s wall here, overlapping the crawl's robots.txt and feed
requests). ``AGGREGATOR_WORKERS = 0`` runs the same functions in the crawl process:
results are the same either way (tests/test_workers.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import socket
import struct
import time
from collections import OrderedDict
from collections.abc import Callable
from multiprocessing import get_context
from typing import Any

from aggregator.items import Article
from aggregator.process import prepare_page
from aggregator.profiles import SiteProfile

__all__ = ["PagePool", "WorkerDied", "prepare_page", "page_job", "features_job", "link_stories",
           "default_workers", "tune_gc"]

# (article_id, content_hash, keys_json, terms_json): a row of Storage.save_dedup_keys
FeatureRow = tuple[str, str, str, str]

log = logging.getLogger(__name__)

# Work sharing (``PagePool.page``): with this many jobs waiting in the workers, the
# crawl process extracts the next article page itself (setting AGGREGATOR_SHARE_BACKLOG;
# a negative value never shares). bench/crawl.py's 5,000 pages (the mirror of one run,
# two crawls each, 1 s resolution): never 16 s (worker busy 97 %, crawl process 77 %),
# 8 -> 14-15 s, 16 -> 13 s, 32 -> 13 s (both processes 92-100 % busy), 64 -> 13-15 s.
SHARE_BACKLOG = 32

# A job whose worker died (killed, out of memory, crashed in a C extension) is tried
# once more in a fresh worker; a page that kills two workers is recorded as an error.
TRIES = 2


class WorkerDied(RuntimeError):
    pass


# Cyclic-GC thresholds for the crawl and worker processes. Scrapy's asyncio loop makes
# and drops tasks and futures by the hundred per response, so with Python's defaults
# (700, 10, 10) collections run constantly over every live object. Measured on
# bench/crawl.py's 5,000-page mirror: crawl-process CPU 35.1 -> 23.2 s and wall time
# 45.9 -> 32.2 s with gc.freeze() and these thresholds (freeze alone: 34.3 s CPU);
# the bench gives bare Scrapy the same setting. Garbage without cycles is still freed
# at once; cyclic garbage waits a little longer (peak memory: bench/crawl.py).
GC_THRESHOLDS = (10_000, 50, 50)


def tune_gc() -> None:
    """Move what is alive now (imports, settings, profiles) out of the collector's way
    and collect young objects less often (``GC_THRESHOLDS``)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def default_workers(polite: bool = False) -> int:
    """One worker beside the crawl process when this process may use two or more
    cores (the crawl itself is one busy core: bench/crawl.py); none on one core, and
    none on a ``polite`` crawl (requests delayed per host, as every live crawl is).

    At lednews' default politeness (1 s per host, one request at a time) the crawl waits
    on the delays and the page work is a few ms a page: with a worker the same crawl
    took 1.06x the time, 4.0 instead of 3.3 s of CPU and 287 instead of 219 MB
    (`bench/crawl.py --delay 1 --pages 200 --rounds 2`, docs/performance.md). It pays
    only where nothing is delayed (the mirror, a re-crawl at full speed: 2.3 instead of
    4.5 times bare Scrapy's time on bench/crawl.py's 5,000 pages)."""
    if polite:
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 1 if cores >= 2 else 0


# Scoring profiles of the pages this worker prepared, for story linking at the end of
# the crawl (which runs in this same worker): built with the page's features anyway, and
# rebuilding them from stored text was 4.1 of the 7.2 s of linking a 5,000-page crawl
# (cProfile). At most PROFILE_CACHE (aggregator/dedup/run.py: ~18 KB each), oldest dropped.
_profiles: OrderedDict[str, tuple[str, Any, Any]] = OrderedDict()  # id -> (hash, Profile, Keys)


def page_job(body: bytes, url: str, profile: SiteProfile, header_charset: str | None,
             lang_hint: str | None, feed_date: str | None) -> tuple[Article | str, FeatureRow | None]:
    """``prepare_page``, plus the article's dedup features (``features_job``)."""
    article = prepare_page(body, url, profile, header_charset, lang_hint, feed_date)
    if isinstance(article, str):
        return article, None
    return article, features_job(article)


def features_job(article: Article) -> FeatureRow:
    """An article's dedup features (aggregator.dedup.features), computed during the
    crawl so story linking at the end only reads them back; the scoring profile is kept
    for it in this process. They are for the text as extracted; if the store's site
    templates change the text, the content hash differs and story linking computes them
    again."""
    from aggregator.dedup.features import features_keys_and_profile
    from aggregator.dedup.run import PROFILE_CACHE
    from aggregator.storage import article_id

    row, keys, scoring = features_keys_and_profile(
        article_id(article.canonical_url), article.content_hash, article.title, article.text, article.lang,
        article.published, article.republished is not None)
    _profiles[row[0]] = (article.content_hash, scoring, keys)
    _profiles.move_to_end(row[0])
    while len(_profiles) > PROFILE_CACHE:
        _profiles.popitem(last=False)
    return row


def link_stories(db_path: str, sibling_gaps: dict[str, int]) -> int:
    """Story linking over the database (``aggregator.dedup.run.link_stories``), run in the worker
    at the end of a crawl: the worker holds the dedup dictionaries and the profiles of
    the pages it prepared, so the crawl process never loads a second copy. Returns the
    rows written."""
    from aggregator.dedup.run import link_stories as link
    from aggregator.storage import Storage

    storage = Storage(db_path)
    try:
        return link(storage, sibling_gaps, known=dict(_profiles))
    finally:
        _profiles.clear()
        storage.close()


def _warm() -> None:
    """Run in each new worker once it is up: import what the jobs need and load the
    dedup tables (segmentation, glosses, Traditional -> Simplified) before the first page
    arrives (the crawl reads robots.txt and feeds meanwhile)."""
    from aggregator.dedup.features import preload

    preload()


# How often a worker checks that the crawl process is still there (seconds): a killed
# crawl's worker is gone within this even in the middle of a long job (story linking);
# between jobs the closed socket ends it at once. The check costs nothing measurable.
_PARENT_CHECK = 1.0
# Frames on a worker's socket: a 4-byte length, then a pickle. Parent -> worker:
# (job id, function, args); worker -> parent: (job id, ok, result or exception). Job id 0
# from the worker is "ready" (imports done): a worker that dies before it never started.
_HEADER = struct.Struct("!I")
# Socket buffers: room for all the jobs a crawl can have in hand (Scrapy's 16 concurrent
# responses of a few hundred KB at most), so a job is in the worker's reach as soon as
# it is sent; with the default ~200 KB a busy crawl process held jobs back and its
# worker idled (per-second CPU of both processes, bench/crawl.py's mirror).
_SOCKET_BUFFER = 8 * 1024 * 1024
_READY = 0


def _serve(sock: socket.socket, parent: int) -> None:
    """A worker's life: jobs from ``sock`` until the crawl closes it (or dies)."""
    import threading

    tune_gc()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK)
        os._exit(0)

    threading.Thread(target=watch, name="lednews-parent-watch", daemon=True).start()
    inp = sock.makefile("rb")

    def send(obj: Any) -> None:
        try:
            data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # an unpicklable result or exception: say what it was
            data = pickle.dumps((obj[0], False, RuntimeError(f"worker result not picklable: {e!r}")))
        sock.sendall(_HEADER.pack(len(data)) + data)

    try:
        send((_READY, True, os.getpid()))
        _warm()
        while True:
            head = inp.read(_HEADER.size)
            if len(head) < _HEADER.size:
                return  # the crawl closed the socket: done
            job, fn, args = pickle.loads(inp.read(_HEADER.unpack(head)[0]))
            try:
                send((job, True, fn(*args)))
            except Exception as e:
                send((job, False, e))
    except (BrokenPipeError, ConnectionResetError):
        return  # the crawl is gone


class _Died(Exception):
    """The worker holding a job died (internal: ``PagePool.run`` retries or reports)."""


class _Worker:
    """One worker process and the crawl's end of its socket. Frames are read and
    written by the event loop's own readiness callbacks: no thread in the crawl process
    and no lock (concurrent.futures' pool used a feeding and a managing thread, which
    cost the crawl process 1.1 s of CPU per 5,000 pages against 0.2 s for this design,
    measured with 21 KB jobs)."""

    def __init__(self, pool: PagePool) -> None:
        self.pool = pool
        ours, theirs = socket.socketpair()
        for sock in (ours, theirs):  # every job in hand fits: the worker never waits for
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SOCKET_BUFFER)  # a busy crawl
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, _SOCKET_BUFFER)  # to pass it on
        self.proc = get_context("spawn").Process(target=_serve, args=(theirs, os.getpid()),
                                                 name="lednews-page-worker", daemon=True)
        self.proc.start()
        theirs.close()
        ours.setblocking(False)
        self.sock = ours
        self.ready = False
        self.dead = False
        self.jobs: dict[int, asyncio.Future[Any]] = {}
        self._in = bytearray()
        self._out = bytearray()
        self._loop: asyncio.AbstractEventLoop | None = None

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is not loop:  # first job, or a new loop (asyncio.run per call)
            self._loop = loop
            loop.add_reader(self.sock.fileno(), self._readable)
            if self._out:
                loop.add_writer(self.sock.fileno(), self._writable)

    def submit(self, job: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        self._attach(loop)
        fut: asyncio.Future[Any] = loop.create_future()
        if self.dead:
            fut.set_exception(_Died())
            return fut
        self.jobs[job] = fut
        data = pickle.dumps((job, fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        pending = not self._out
        self._out += _HEADER.pack(len(data))
        self._out += data
        if pending:
            self._writable()
        return fut

    def _writable(self) -> None:
        try:
            while self._out:
                sent = self.sock.send(self._out)
                del self._out[:sent]
        except BlockingIOError:
            if self._loop is not None:
                self._loop.add_writer(self.sock.fileno(), self._writable)
            return
        except OSError:
            self._die()
            return
        if self._loop is not None:
            self._loop.remove_writer(self.sock.fileno())

    def poll(self) -> None:
        """Read what the worker has answered so far, without waiting."""
        if self._loop is not None and not self.dead:
            if self._out:
                self._writable()
            self._readable()

    def _readable(self) -> None:
        try:
            chunk = self.sock.recv(1 << 20)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._die()
            return
        self._in += chunk
        size = _HEADER.size
        while len(self._in) >= size:
            n = _HEADER.unpack_from(self._in)[0]
            if len(self._in) < size + n:
                break
            job, ok, value = pickle.loads(bytes(self._in[size:size + n]))
            del self._in[:size + n]
            if job == _READY:
                self.ready = True
                continue
            fut = self.jobs.pop(job, None)
            if fut is None or fut.done():
                continue
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)

    def _die(self) -> None:
        if self.dead:
            return
        self.dead = True
        self._detach()
        jobs, self.jobs = self.jobs, {}
        for fut in jobs.values():
            if not fut.done():
                fut.set_exception(_Died())
        self.pool._died(self)

    def _detach(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(self.sock.fileno())
            self._loop.remove_writer(self.sock.fileno())
        self._loop = None

    def close(self, timeout: float = 10.0) -> None:
        self._detach()
        self.sock.close()  # the worker reads end-of-file and returns
        self.proc.join(timeout)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout)


class PagePool:
    """``await pool.run(fn, *args)``: ``fn(*args)`` in a worker process, or in this
    process when the pool has no workers. Start with ``start()``, stop with ``close()``.
    A job goes to the worker with the fewest jobs in hand."""

    def __init__(self, workers: int, share_backlog: int = SHARE_BACKLOG) -> None:
        self.workers = max(0, workers)
        self.share_backlog = share_backlog
        self._procs: list[_Worker] = []
        self._next = 0
        self.restarts = 0
        self.pages = 0  # article pages through ``page``
        self.shared = 0  # of which extracted in this process

    def start(self) -> None:
        """Start the workers now (they import while the crawl reads robots.txt and feeds)."""
        while len(self._procs) < self.workers:
            self._procs.append(_Worker(self))

    def backlog(self) -> int:
        """Jobs sent to the workers and not answered yet."""
        return sum(len(w.jobs) for w in self._procs)

    def _died(self, worker: _Worker) -> None:
        if worker in self._procs:
            self._procs.remove(worker)
        worker.close(timeout=1.0)
        if not worker.ready:  # it never came up (not a page's fault): do without
            log.warning("page workers could not start; extracting in the crawl process")
            self.workers = 0
            for w in self._procs:
                w.close(timeout=1.0)
            self._procs = []
            return
        self.restarts += 1
        log.warning("a page worker died; starting a new one")
        self.start()

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        for _ in range(TRIES):
            if not self.workers:
                break
            self.start()
            worker = min(self._procs, key=lambda w: len(w.jobs))
            self._next += 1
            try:
                return await worker.submit(self._next, fn, args)
            except _Died:
                continue
        if not self.workers:
            return fn(*args)
        raise WorkerDied(f"the worker process died {TRIES} times on this job")

    async def page(self, body: bytes, url: str, profile: SiteProfile, header_charset: str | None,
                   lang_hint: str | None, feed_date: str | None) -> tuple[Article | str, FeatureRow | None]:
        """``page_job`` for one article page, shared out: while the workers have
        ``share_backlog`` jobs in hand, this process extracts the page itself and sends
        the worker only the features job, so both cores stay busy whichever side is
        slower (same results: it is the same two functions)."""
        self.pages += 1
        for w in self._procs:  # take in the answers already there: a busy crawl process
            w.poll()           # would otherwise count them as work the worker still has
        if self.workers and 0 <= self.share_backlog <= self.backlog():
            self.shared += 1
            article = prepare_page(body, url, profile, header_charset, lang_hint, feed_date)
            if isinstance(article, str):
                return article, None
            return article, await self.run(features_job, article)
        result: tuple[Article | str, FeatureRow | None] = await self.run(
            page_job, body, url, profile, header_charset, lang_hint, feed_date)
        return result

    def close(self) -> None:
        if self.shared:
            log.info("%d of %d article pages extracted in the crawl process (workers busy)",
                     self.shared, self.pages)
        procs, self._procs = self._procs, []
        for w in procs:
            w.close()
