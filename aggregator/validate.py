"""Configuration checked at load time: source profiles and ``-s NAME=VALUE`` settings.

Every value a run depends on is checked for type, range and finiteness before the
first request: ``download_delay = inf`` hung a crawl for minutes after SIGTERM, ``nan``
and ``-5`` meant no delay at all, ``-s DOWNLOAD_TIMEOUT=abc`` crawled nothing and said
nothing. Regexes are compiled and refused when they can backtrack catastrophically
(``(a+)+$`` took 100 % CPU and ignored SIGTERM: Python's ``re`` cannot be interrupted,
so the pattern is refused before it runs). Unknown ``-s`` names are warned about with
the closest known name. Pure functions: callers turn problems into exit code 2.
"""

from __future__ import annotations

import codecs
import difflib
import math
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

try:  # Python 3.11+: the parser behind re.compile (sre_parse before)
    import re._constants as _c
    import re._parser as _p
except ImportError:  # pragma: no cover
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

__all__ = ["ConfigProblem", "check_profile", "check_settings", "redos_risk", "unknown_setting_hint"]

# Bounds. download_delay: robots.txt Crawl-delay is honoured up to 60 s
# (AGGREGATOR_MAX_CRAWL_DELAY); a profile asking more is a typo, not politeness.
MAX_DOWNLOAD_DELAY = 60.0
# Listing pages followed per start point: the mirror's profiles use 1-5; 100 pages of a
# listing is already months of news for the busiest trade site (docs/reliability.md).
MAX_PAGES = 100


@dataclass(frozen=True)
class ConfigProblem:
    key: str  # the profile key (TOML field) or setting name
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


# --- regexes -------------------------------------------------------------------------

# Characters a URL (or a body line) is made of, to test whether two parts of a pattern
# can match the same character: printable ASCII and one CJK character.
_SAMPLE = [c for c in string.printable if c not in "\t\n\r\x0b\x0c"] + ["中"]
_CATEGORIES: dict[Any, Callable[[str], bool]] = {
    _c.CATEGORY_DIGIT: str.isdigit, _c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    _c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    _c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
    _c.CATEGORY_SPACE: str.isspace, _c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
}
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT)


def _chars(node: tuple[Any, Any]) -> set[str]:
    """The sample characters this pattern element can match (anywhere in it)."""
    op, av = node
    if op is _c.LITERAL:
        return {ch for ch in _SAMPLE if ord(ch) == av}
    if op is _c.NOT_LITERAL:
        return {ch for ch in _SAMPLE if ord(ch) != av}
    if op is _c.ANY:
        return set(_SAMPLE)
    if op is _c.IN:
        negate = any(o is _c.NEGATE for o, _ in av)
        hit = set()
        for ch in _SAMPLE:
            m = False
            for o, a in av:
                if (o is _c.LITERAL and ord(ch) == a) or (o is _c.RANGE and a[0] <= ord(ch) <= a[1]) \
                        or (o is _c.CATEGORY and _CATEGORIES.get(a, lambda _ch: False)(ch)):
                    m = True
                    break
            if m != negate:
                hit.add(ch)
        return hit
    if op in _REPEATS or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        return set().union(*(_chars(n) for n in av[2])) if av[2] else set()
    if op is _c.SUBPATTERN:
        return set().union(*(_chars(n) for n in av[3])) if av[3] else set()
    if op is _c.BRANCH:
        return set().union(*(_chars(n) for alt in av[1] for n in alt))
    return set()


def _first(seq: list[tuple[Any, Any]]) -> set[str]:
    return _chars(seq[0]) if seq else set()


def _flatten(seq: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """A sequence with plain (non-repeated) groups opened up."""
    out: list[tuple[Any, Any]] = []
    for op, av in seq:
        if op is _c.SUBPATTERN:
            out += _flatten(av[3])
        else:
            out.append((op, av))
    return out


def _variable(node: tuple[Any, Any]) -> bool:
    """Can this element match strings of different lengths or in more than one way?"""
    op, av = node
    if op in _REPEATS:
        return av[0] != av[1] or any(_variable(n) for n in av[2])
    if op is _c.BRANCH:
        alts = av[1]
        if any(not alt for alt in alts):
            return True
        firsts = [_first(alt) for alt in alts]
        return any(firsts[i] & firsts[j] for i in range(len(alts)) for j in range(i + 1, len(alts)))
    return False


def _risky_body(body: list[tuple[Any, Any]]) -> bool:
    """A repeated body that can split a string between its iterations in many ways: it
    holds a variable-length part, and every fixed part can be matched by a variable one
    (``(a+)+``, ``(\\w+\\s?)+``, ``(a|aa)+``, ``(.*a){12}``; not ``(/[a-z]+)+``)."""
    items = _flatten(body)
    variable = [n for n in items if _variable(n)]
    if not variable:
        return False
    loose = set().union(*(_chars(n) for n in variable))
    fixed = [n for n in items if not _variable(n)
             and not (n[0] in _REPEATS and n[1][1] == 0) and _chars(n)]
    return all(_chars(n) <= loose for n in fixed)


def _walk(seq: Iterable[tuple[Any, Any]]) -> bool:
    for op, av in seq:
        if op in _REPEATS:
            if av[1] > 1 and _risky_body(list(av[2])):
                return True
            if _walk(av[2]):
                return True
        elif op is _c.SUBPATTERN:
            if _walk(av[3]):
                return True
        elif op is _c.BRANCH:
            if any(_walk(alt) for alt in av[1]):
                return True
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            if _walk(av[1]):
                return True
    return False


def redos_risk(pattern: str) -> bool:
    """True if ``pattern`` has a nested or ambiguous repetition that backtracks
    exponentially on a near-miss (OWASP's ReDoS forms). Possessive quantifiers and
    atomic groups never backtrack and are not flagged."""
    return _walk(_p.parse(pattern).data)


def _regex_problem(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error as e:
        return f"bad regex: {e}"
    if redos_risk(pattern):
        return (f"regex {pattern!r} can backtrack catastrophically (a repeated group that can "
                "match the same text in many ways, e.g. (a+)+); rewrite it without nested repetition")
    return None


# --- profiles --------------------------------------------------------------------------

_SELECTORS = ("title", "body", "date", "author", "links", "next_page", "alternate")


def _number_problem(value: Any, low: float, high: float) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected a number, got {type(value).__name__}"
    if not math.isfinite(value):
        return f"must be a finite number, got {value}"
    if not low <= value <= high:
        return f"must be between {low:g} and {high:g}, got {value:g}"
    return None


def check_profile(p: Any) -> ConfigProblem | None:
    """The first problem of a ``SiteProfile`` (bundled or from TOML), or None."""
    from zoneinfo import ZoneInfo

    from aggregator.html import _xpath

    problem = _number_problem(p.download_delay, 0.0, MAX_DOWNLOAD_DELAY)
    if problem:
        return ConfigProblem("download_delay", problem)
    for sp in p.start:
        if isinstance(sp.max_pages, bool) or not isinstance(sp.max_pages, int) or not 1 <= sp.max_pages <= MAX_PAGES:
            return ConfigProblem("max_pages", f"must be a whole number from 1 to {MAX_PAGES}, got {sp.max_pages!r}")
    if p.article_pattern:
        problem = _regex_problem(p.article_pattern)
        if problem:
            return ConfigProblem("article_pattern", problem)
    for rx in p.drop_lines:
        problem = _regex_problem(rx)
        if problem:
            return ConfigProblem("drop_lines", problem)
    if p.sibling is not None:
        problem = _regex_problem(p.sibling.pattern)
        if problem:
            return ConfigProblem("sibling", problem)
    try:
        ZoneInfo(p.timezone)
    except (ValueError, KeyError, OSError):
        return ConfigProblem("timezone", f"unknown time zone {p.timezone!r} (an IANA name, e.g. Asia/Shanghai)")
    if p.encoding:
        try:
            codecs.lookup(p.encoding)
        except LookupError:
            return ConfigProblem("encoding", f"unknown encoding {p.encoding!r} (e.g. utf-8, gb18030, big5)")
    for key in _SELECTORS:
        sel = getattr(p, key, None)
        for s in ([sel] if isinstance(sel, str) else []):
            try:
                _xpath(s)
            except Exception as e:  # noqa: BLE001 - cssselect and lxml raise several types
                return ConfigProblem(key, f"bad CSS selector {s!r}: {str(e).splitlines()[0]}")
    for s in p.drop:
        try:
            _xpath(s)
        except Exception as e:  # noqa: BLE001
            return ConfigProblem("drop", f"bad CSS selector {s!r}: {str(e).splitlines()[0]}")
    return None


# --- settings ------------------------------------------------------------------------

_BOOLS = {"1", "0", "true", "false", "True", "False", "yes", "no"}


def _float(low: float, high: float) -> Callable[[str], str | None]:
    def check(raw: str) -> str | None:
        try:
            value = float(raw)
        except ValueError:
            return f"expected a number, got {raw!r}"
        return _number_problem(value, low, high)
    return check


def _int(low: int, high: int) -> Callable[[str], str | None]:
    def check(raw: str) -> str | None:
        try:
            value = int(raw)
        except ValueError:
            return f"expected a whole number, got {raw!r}"
        return None if low <= value <= high else f"must be from {low} to {high}, got {value}"
    return check


def _bool(raw: str) -> str | None:
    return None if raw.strip() in _BOOLS else f"expected True or False, got {raw!r}"


def _workers(raw: str) -> str | None:
    return None if raw.strip() in ("", "auto") else _int(0, 64)(raw)


def _log_level(raw: str) -> str | None:
    levels = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
    return None if raw.strip().upper() in levels else f"expected one of {', '.join(levels)}, got {raw!r}"


# The settings we own or that operators commonly pass with -s, and the range each may
# take. Upper bounds are where a value stops being a setting and becomes a hang or a
# flood: a day for any timeout or delay, 1,000 concurrent requests, 1 GB per response.
_DAY = 86400.0
SETTING_CHECKS: dict[str, Callable[[str], str | None]] = {
    "DOWNLOAD_TIMEOUT": _float(0.1, _DAY),
    "DOWNLOAD_DELAY": _float(0.0, _DAY),
    "DOWNLOAD_MAXSIZE": _int(0, 1 << 30),
    "DOWNLOAD_WARNSIZE": _int(0, 1 << 30),
    "CONCURRENT_REQUESTS": _int(1, 1000),
    "CONCURRENT_REQUESTS_PER_DOMAIN": _int(1, 1000),
    "CONCURRENT_ITEMS": _int(1, 1000),
    "RETRY_ENABLED": _bool,
    "RETRY_TIMES": _int(0, 20),
    "REDIRECT_MAX_TIMES": _int(0, 100),
    "DEPTH_LIMIT": _int(0, 10000),
    "CLOSESPIDER_TIMEOUT": _float(0.0, 7 * _DAY),
    "CLOSESPIDER_ITEMCOUNT": _int(0, 10**9),
    "CLOSESPIDER_PAGECOUNT": _int(0, 10**9),
    "CLOSESPIDER_ERRORCOUNT": _int(0, 10**9),
    "AUTOTHROTTLE_ENABLED": _bool,
    "AUTOTHROTTLE_START_DELAY": _float(0.0, _DAY),
    "AUTOTHROTTLE_MAX_DELAY": _float(0.0, _DAY),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": _float(0.01, 1000.0),
    "ROBOTSTXT_OBEY": _bool,
    "HTTPCACHE_ENABLED": _bool,
    "LOG_LEVEL": _log_level,
    # 0 turns the bound off; 1 TB is past any machine this runs on
    "MEMUSAGE_ENABLED": _bool,
    "MEMUSAGE_LIMIT_MB": _int(0, 1 << 20),
    "MEMUSAGE_WARNING_MB": _int(0, 1 << 20),
    "MEMUSAGE_CHECK_INTERVAL_SECONDS": _float(0.01, _DAY),
    "AGGREGATOR_WRITE_BATCH": _int(1, 100_000),
    "AGGREGATOR_FLUSH_SECONDS": _float(0.0, _DAY),
    "AGGREGATOR_WRITE_RETRIES": _int(0, 20),
    "AGGREGATOR_WRITE_RETRY_DELAY": _float(0.0, 600.0),
    "AGGREGATOR_REFRESH": _bool,
    "AGGREGATOR_MAX_CRAWL_DELAY": _float(0.0, _DAY),
    "AGGREGATOR_MAX_RETRY_AFTER": _float(0.0, _DAY),
    "AGGREGATOR_WORKERS": _workers,
    "AGGREGATOR_SHARE_BACKLOG": _int(-1, 100_000),
    "AGGREGATOR_MAX_ENTRIES": _int(1, 10**7),
    "AGGREGATOR_MAX_QUEUED_PER_SOURCE": _int(1, 10**7),
    "AGGREGATOR_ARCHIVE": _bool,
    # a file rotates after the record that crosses the size: 0.01 MB makes a file per few
    # pages (tests), 1 TB is past any file system's comfort
    "AGGREGATOR_ARCHIVE_MAX_FILE_MB": _float(0.01, 1024.0 * 1024),
    "AGGREGATOR_ARCHIVE_RETENTION_DAYS": _int(0, 100 * 366),
}


def known_settings() -> set[str]:
    """Every name Scrapy or lednews reads: Scrapy's defaults and aggregator.settings."""
    from scrapy.settings import default_settings

    from aggregator import settings as ours

    return {n for mod in (default_settings, ours) for n in dir(mod) if n.isupper()} | set(SETTING_CHECKS)


def unknown_setting_hint(name: str, known: set[str] | None = None) -> str | None:
    """A warning for a name nobody reads (a typo), naming the closest known setting."""
    known = known if known is not None else known_settings()
    if name in known:
        return None
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    hint = f"; did you mean {close[0]}?" if close else ""
    return f"-s {name}: not a setting Scrapy or lednews reads (ignored){hint}"


def check_settings(pairs: Iterable[tuple[str, str]]) -> tuple[list[ConfigProblem], list[str]]:
    """``-s NAME=VALUE`` pairs -> (problems: exit 2, warnings: unknown names)."""
    problems, warnings = [], []
    known = known_settings()
    for name, raw in pairs:
        check = SETTING_CHECKS.get(name)
        if check is not None:
            problem = check(str(raw).strip())
            if problem:
                problems.append(ConfigProblem(f"-s {name}", problem))
        else:
            hint = unknown_setting_hint(name, known)
            if hint:
                warnings.append(hint)
    return problems, warnings


def locate(path: str, source: str, key: str) -> int:
    """1-based line of ``key`` inside the ``[[source]]`` table named ``source`` of a
    sources TOML file (the table's line if the key is not written there; 1 if unreadable)."""
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    tables = [i for i, ln in enumerate(lines) if ln.strip().startswith("[[source]]")] + [len(lines)]
    for start, end in zip(tables, tables[1:]):
        block = lines[start:end]
        if any(re.match(r"\s*name\s*=\s*[\"']" + re.escape(source) + r"[\"']", ln) for ln in block):
            for i, ln in enumerate(block):
                if re.match(rf"\s*{re.escape(key)}\s*=", ln):
                    return start + i + 1
            return start + 1
    return 1


def profile_error(p: Any, sources_path: str | None) -> str | None:
    """``check_profile`` as the one line the CLI prints: ``FILE:LINE: field 'x': problem``
    for a user source, ``spiders/KEY.py: field 'x': problem`` for a bundled one."""
    problem = check_profile(p)
    if problem is None:
        return None
    if p.user_defined and sources_path:
        where = f"{sources_path}:{locate(sources_path, p.key, problem.key)}"
    else:
        where = f"spiders/{p.key}.py"
    return f"{where}: field '{problem.key}': {problem.message}"
