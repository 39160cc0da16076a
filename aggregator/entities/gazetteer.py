"""Loading the gazetteer: the bundled ``gazetteer.toml`` plus an optional user file.

A user file has the bundled file's shape; an entry whose ``id`` is already known
replaces the bundled entry, a new ``id`` adds one, and its ``[context] terms`` are
added to the bundled ones. A bad file raises ``GazetteerError`` with one line naming
the file and the entry (docs/entities.md).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Entity", "Gazetteer", "GazetteerError", "load_gazetteer", "BUNDLED"]

BUNDLED = Path(__file__).with_name("gazetteer.toml")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMPANY_KEYS = {"id", "en", "zh_hans", "zh_hant", "short", "aliases", "dated", "parent", "ticker",
                 "country", "segment", "evidence", "strict", "context", "veto"}
_TOPIC_KEYS = {"id", "en", "zh", "terms", "weak", "veto", "min_score"}
SEGMENTS = ("chips", "packaging", "display", "lighting", "driver", "equipment", "research",
            "power", "brand")


class GazetteerError(ValueError):
    pass


@dataclass(frozen=True)
class DatedName:
    name: str
    since: str | None = None  # first day the name applies
    until: str | None = None  # first day it no longer applies


@dataclass(frozen=True)
class Entity:
    id: str
    kind: str  # "company" or "topic"
    en: str
    zh_hans: str | None = None
    zh_hant: str | None = None
    names: tuple[str, ...] = ()  # every name matched at any date (not ``dated``)
    dated: tuple[DatedName, ...] = ()
    parent: str | None = None
    ticker: str | None = None
    country: str | None = None
    segment: str | None = None
    evidence: tuple[str, ...] = ()
    strict: frozenset[str] = frozenset()  # names needing context (as written)
    context: tuple[str, ...] = ()
    veto: tuple[str, ...] = ()  # longer strings holding a name or term that are not it
    min_score: int | None = None  # topics
    weak: frozenset[str] = frozenset()  # topic terms that count only beside a non-weak one

    @property
    def display(self) -> str:
        return f"{self.en} / {self.zh_hans}" if self.zh_hans and self.zh_hans != self.en else self.en


@dataclass(frozen=True)
class Gazetteer:
    entities: dict[str, Entity]
    context: tuple[str, ...]
    version: str  # hash of the files' contents: tags made with another version are stale
    files: tuple[str, ...] = field(default=())

    def companies(self) -> list[Entity]:
        return [e for e in self.entities.values() if e.kind == "company"]

    def topics(self) -> list[Entity]:
        return [e for e in self.entities.values() if e.kind == "topic"]

    def resolve(self, name: str, kind: str | None = None) -> list[str]:
        """Ids of the entities called ``name`` (an id, or any name, in any script or
        case); the lookup behind search expansion and ``export --company``."""
        from aggregator.entities.fold import fold

        key = fold(name.strip())
        if not key:
            return []
        out = []
        for e in self.entities.values():
            if kind and e.kind != kind:
                continue
            names = [e.id, e.en, e.zh_hans or "", e.zh_hant or "", *e.names,
                     *(d.name for d in e.dated)]
            if any(fold(n) == key for n in names if n):
                out.append(e.id)
        return out


def _strs(where: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _str(where: str, key: str, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise GazetteerError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _dated(where: str, value: Any) -> tuple[DatedName, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise GazetteerError(f"{where}: 'dated' must be a list of {{name, since, until}} tables")
    out = []
    for d in value:
        if not isinstance(d, dict) or not isinstance(d.get("name"), str) or set(d) - {"name", "since", "until"}:
            raise GazetteerError(f"{where}: each 'dated' entry is {{name = ..., since/until = YYYY-MM-DD}}")
        for k in ("since", "until"):
            if d.get(k) is not None and not _DATE.match(str(d[k])):
                raise GazetteerError(f"{where}: dated {d['name']!r}: {k} must be YYYY-MM-DD")
        if not d.get("since") and not d.get("until"):
            raise GazetteerError(f"{where}: dated {d['name']!r} needs since or until")
        out.append(DatedName(d["name"], d.get("since"), d.get("until")))
    return tuple(out)


def _company(where: str, c: dict[str, Any]) -> Entity:
    unknown = set(c) - _COMPANY_KEYS
    if unknown:
        raise GazetteerError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    en = _str(where, "en", c.get("en"))
    if en is None:
        raise GazetteerError(f"{where}: 'en' (the English name) is required")
    zh_hans, zh_hant = _str(where, "zh_hans", c.get("zh_hans")), _str(where, "zh_hant", c.get("zh_hant"))
    names = tuple(dict.fromkeys(n for n in (en, zh_hans, zh_hant, *_strs(where, "short", c.get("short")),
                                             *_strs(where, "aliases", c.get("aliases"))) if n))
    dated = _dated(where, c.get("dated"))
    strict = _strs(where, "strict", c.get("strict"))
    known = set(names) | {d.name for d in dated}
    missing = [s for s in strict if s not in known]
    if missing:
        raise GazetteerError(f"{where}: strict name(s) {missing} are not among its names")
    segment = _str(where, "segment", c.get("segment"))
    if segment is not None and segment not in SEGMENTS:
        raise GazetteerError(f"{where}: segment {segment!r} is not one of {', '.join(SEGMENTS)}")
    evidence = _strs(where, "evidence", c.get("evidence"))
    if not evidence:
        raise GazetteerError(f"{where}: 'evidence' (a public source for the entry) is required")
    return Entity(
        id=c["id"], kind="company", en=en, zh_hans=zh_hans, zh_hant=zh_hant, names=names,
        dated=dated, parent=_str(where, "parent", c.get("parent")),
        ticker=_str(where, "ticker", c.get("ticker")), country=_str(where, "country", c.get("country")),
        segment=segment, evidence=evidence, strict=frozenset(strict),
        context=_strs(where, "context", c.get("context")), veto=_strs(where, "veto", c.get("veto")))


def _topic(where: str, t: dict[str, Any]) -> Entity:
    unknown = set(t) - _TOPIC_KEYS
    if unknown:
        raise GazetteerError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    en = _str(where, "en", t.get("en"))
    terms = _strs(where, "terms", t.get("terms"))
    if en is None or not terms:
        raise GazetteerError(f"{where}: a topic needs 'en' and 'terms'")
    min_score = t.get("min_score")
    if min_score is not None and (not isinstance(min_score, int) or min_score < 1):
        raise GazetteerError(f"{where}: 'min_score' must be a positive integer")
    zh = _str(where, "zh", t.get("zh"))
    weak = _strs(where, "weak", t.get("weak"))
    if set(weak) >= set(terms):
        raise GazetteerError(f"{where}: every term is 'weak': a topic needs one that is not")
    return Entity(id=t["id"], kind="topic", en=en, zh_hans=zh, names=tuple(dict.fromkeys(terms + weak)),
                  min_score=min_score, weak=frozenset(weak), veto=_strs(where, "veto", t.get("veto")))


def _read(path: Path) -> tuple[dict[str, Any], bytes]:
    try:
        raw = path.read_bytes()
        return tomllib.loads(raw.decode("utf-8")), raw
    except OSError as e:
        raise GazetteerError(f"{path}: cannot read: {e.strerror or e}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise GazetteerError(f"{path}: {e}") from None


def _entries(path: Path, data: dict[str, Any]) -> tuple[list[Entity], tuple[str, ...]]:
    unknown = set(data) - {"company", "topic", "context"}
    if unknown:
        raise GazetteerError(f"{path}: unknown table(s) {', '.join(sorted(unknown))}")
    out = []
    for kind, make in (("company", _company), ("topic", _topic)):
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise GazetteerError(f"{path}: '{kind}' must be an array of tables ([[{kind}]])")
        for i, item in enumerate(items, 1):
            ident = item.get("id") if isinstance(item, dict) else None
            where = f"{path}: {kind} #{i}" + (f" ({ident})" if ident else "")
            if not isinstance(ident, str) or not _ID.match(ident):
                raise GazetteerError(f"{where}: 'id' must be lowercase letters, digits and '-'")
            out.append(make(where, item))
    ctx = data.get("context", {})
    terms = _strs(f"{path}: [context]", "terms", ctx.get("terms") if isinstance(ctx, dict) else None)
    return out, terms


def load_gazetteer(extra: str | Path | None = None) -> Gazetteer:
    """The bundled gazetteer, extended (or overridden by id) by ``extra``."""
    files = [BUNDLED] + ([Path(extra)] if extra else [])
    entities: dict[str, Entity] = {}
    context: list[str] = []
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        data, raw = _read(path)
        digest.update(raw)
        items, terms = _entries(path, data)
        seen: set[str] = set()
        for e in items:
            if e.id in seen:
                raise GazetteerError(f"{path}: id {e.id!r} appears twice")
            seen.add(e.id)
            entities[e.id] = e
        context.extend(terms)
    for e in entities.values():
        if e.parent and e.parent not in entities:
            raise GazetteerError(f"{e.id}: parent {e.parent!r} is not in the gazetteer")
    return Gazetteer(entities=entities, context=tuple(dict.fromkeys(context)),
                     version=digest.hexdigest(), files=tuple(str(p) for p in files))
