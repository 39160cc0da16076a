"""Tagging: which gazetteer companies and topics an article mentions, how often and
where (title, lead, body), in one Aho-Corasick pass over its folded title and text.

Every name, topic term, context word and veto string of the gazetteer is one pattern
of one automaton (``ahocorasick_rs``, leftmost-longest, so "三安光电" wins over "三安"
and a veto string such as "三星级" or "Morgan Stanley" wins over the name inside it).
A match of a Latin pattern must stand on word boundaries. Then:

- **dated names** apply in their period (the article's publication date; an undated
  article takes the name's holder today): "Cree" is Wolfspeed before 2021-10-04 and
  Cree LED after;
- **strict names** (Cree, Signify, Citizen, Stanley, Lumens, ...: also ordinary words or
  person names) count only as written (exact case or all capitals), not next to another
  capitalised word (a person: "Stanley Chen", "Kim Stanley"), not after a number (a
  unit: "800 Lumens"), and with an industry word within ``CONTEXT_WINDOW`` characters
  or the company named unambiguously elsewhere in the article;
- a company named only in sentences that name ``LIST_MIN`` or more companies (an
  exhibitor list) is kept with ``listed`` set and not tagged;
- topic mentions that are passing words do not count: a weak term without another term
  of its topic, a mention inside a topic's veto string (leftmost-longest: "share price"
  hides "price"), mentions in boilerplate lines ("About X:", 相关阅读), in enumerations of
  ``TECH_LIST_MIN`` or more technologies, and in an event's name ("UV LED Expo");
- a topic is tagged when its terms score ``min_score`` (default ``TOPIC_MIN_SCORE``),
  a mention counting ``ZONE_WEIGHTS`` by zone.

Deterministic: the same gazetteer, title, text and date give the same tags.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs

from aggregator.entities.fold import fold
from aggregator.entities.gazetteer import Gazetteer

__all__ = ["Tag", "tag_article", "Matcher", "matcher", "CONTEXT_WINDOW", "LIST_MIN",
           "TECH_LIST_MIN", "TOPIC_MIN_SCORE", "ZONE_WEIGHTS"]

# Characters either side of a strict name searched for an industry word: about one
# English sentence or two Chinese ones. The development set does not separate values
# from 20 to 1,000 (its strict names have an industry word within 20 characters, or
# none in the whole article), so this is the sentence-sized judgement, not a fit.
CONTEXT_WINDOW = 150
# A sentence naming this many companies or more is an enumeration (exhibitors,
# suppliers); a company named only there is not what the article is about. On the
# development set 3, 4 and 5 give the same tags and 6 misses its six-company exhibitor
# list; 5 rather than 4 because four companies in one sentence are often the subject
# ("Sanan, HC SemiTek, Changelight and Focus Lightings raised capacity").
LIST_MIN = 5
# Topic score per mention by zone, and the default score a topic needs: a title
# mention, or a lead mention and one more, or three in the body. On the development set
# (before its term fixes) a threshold of 2 (one lead mention) gave topic precision 0.82 /
# recall 0.99, 3 gave 0.94 / 0.97, 4 gave 0.94 / 0.92: most false topics were one passing
# word in the lead
# ("smartwatch and automotive display customers").
ZONE_WEIGHTS = {"title": 3, "lead": 2, "body": 1}
TOPIC_MIN_SCORE = 3
# An enumeration naming this many topics in distinct items is a product range or a
# show's themes. 3 on the development set's lists of technologies (3 to 6 topics
# each); 2 would also take "Mini LED and Micro LED" as a list.
TECH_LIST_MIN = 3

_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_PREV_WORD = re.compile(r"(?:^|[^\w'’])([A-Z][a-z]+)\.?[ \t]+$")
_NEXT_WORD = re.compile(r"^[ \t]+([A-Z][a-z]+)\b")
_NUMBER_BEFORE = re.compile(r"\d[\d,.]*[ \t]*$")
_SENTENCE_END = re.compile(r"[。！？；!?;\n]|\.(?=\s|$)")


@dataclass(frozen=True)
class _Claim:
    entity: str | None  # None: a context word or a veto string only
    kind: str  # "company", "topic", "context", "own-context", "veto", "topic-veto"
    written: str = ""
    strict: bool = False
    exact_case: bool = False
    since: str | None = None
    until: str | None = None
    weak: bool = False  # a topic term that counts only beside a non-weak term of its topic

    def valid(self, day: str) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day < self.until)


@dataclass
class Tag:
    entity_id: str
    kind: str
    mentions: int = 0
    title: int = 0
    lead: int = 0
    body: int = 0
    first: int = -1  # offset of the first mention in "title\ntext"
    listed: bool = False  # a company named only in enumerations
    score: int = 0
    tagged: bool = False

    def as_row(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "kind": self.kind, "mentions": self.mentions,
                "title_mentions": self.title, "lead_mentions": self.lead,
                "body_mentions": self.body, "first_offset": self.first,
                "listed": int(self.listed), "score": self.score, "tagged": int(self.tagged)}


def _exact_case(name: str) -> bool:
    """Short all-capital Latin names (BOE, AUO, MLS, CSA) are matched as written."""
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and name.isascii() and all(c.isupper() for c in letters) and len(name) <= 5


class Matcher:
    def __init__(self, gaz: Gazetteer) -> None:
        claims: dict[str, list[_Claim]] = {}

        def add(name: str, claim: _Claim) -> None:
            key = fold(name.strip())
            have = claims.setdefault(key, []) if key else []
            if key and not (claim.kind.startswith("topic") and any(
                    (c.entity, c.kind) == (claim.entity, claim.kind) for c in have)):
                have.append(claim)  # a term and another's plural ("display" + s) once

        for e in gaz.entities.values():
            if e.kind == "topic":
                for term in e.names:
                    for form in _forms(term):
                        add(form, _Claim(e.id, "topic", term, weak=term in e.weak))
                for v in e.veto:
                    for form in _forms(v):
                        add(form, _Claim(e.id, "topic-veto", v))
                continue
            for name in e.names:
                add(name, _Claim(e.id, "company", name, name in e.strict,
                                 name in e.strict or _exact_case(name)))
            for d in e.dated:
                add(d.name, _Claim(e.id, "company", d.name, d.name in e.strict,
                                   d.name in e.strict or _exact_case(d.name), d.since, d.until))
            for v in e.veto:
                add(v, _Claim(None, "veto", v))
            for c in e.context:
                add(c, _Claim(e.id, "own-context", c))
        for c in gaz.context:
            add(c, _Claim(None, "context", c))
        for key, cs in claims.items():  # a veto beats a term of its topic on the same key
            vetoed = {c.entity for c in cs if c.kind == "topic-veto"}
            cs[:] = [c for c in cs if not (c.kind == "topic" and c.entity in vetoed)]
        _nest_topic_terms(claims)
        self.keys = sorted(claims)
        self.claims = [tuple(claims[k]) for k in self.keys]
        self.dated = [any(c.since or c.until for c in claims[k]) for k in self.keys]
        self.edges = [(k[0] in _ALNUM, k[-1] in _ALNUM) for k in self.keys]
        self.entities = gaz.entities
        self.ac = ahocorasick_rs.AhoCorasick(self.keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)


def _forms(term: str) -> tuple[str, ...]:
    """A topic term and, for a Latin one, its plural in -s ("price cut" -> "price
    cuts", "booth" -> "booths"): a longer match that fails its word boundary hides the
    shorter terms inside it, so "price cuts" would otherwise count for nothing."""
    t = term.strip()
    if t.isascii() and t[-1:].isalpha() and not t.endswith("s"):
        return (t, t + "s")
    return (t,)


def _nest_topic_terms(claims: dict[str, list[_Claim]]) -> None:
    """A topic term inside a longer pattern (车用 in 车用显示, "display" in "led display
    wall") would be hidden by the leftmost-longest match: the longer pattern carries
    the shorter one's topic claims too (Latin terms only on word boundaries), unless
    the longer pattern is a veto of that topic ("share price" is not Prices, 驱动芯片
    not Chips & epitaxy)."""
    topic_keys = {k: [c for c in cs if c.kind == "topic"] for k, cs in claims.items()}
    topic_keys = {k: cs for k, cs in topic_keys.items() if cs}
    for key, cs in claims.items():
        have = {c.entity for c in cs if c.kind in ("topic", "topic-veto")}
        for short, short_claims in topic_keys.items():
            if len(short) >= len(key) or short not in key:
                continue
            i = key.find(short)
            while i >= 0:
                j = i + len(short)
                if not ((short[0] in _ALNUM and i > 0 and key[i - 1] in _ALNUM)
                        or (short[-1] in _ALNUM and j < len(key) and key[j] in _ALNUM)):
                    break
                i = key.find(short, i + 1)
            if i < 0:
                continue
            for c in short_claims:
                if c.entity not in have:
                    cs.append(c)
                    have.add(c.entity)


_MATCHERS: dict[str, Matcher] = {}


def matcher(gaz: Gazetteer) -> Matcher:
    """The automaton of ``gaz``, built once per gazetteer version."""
    m = _MATCHERS.get(gaz.version)
    if m is None:
        if len(_MATCHERS) >= 4:
            _MATCHERS.clear()
        m = _MATCHERS[gaz.version] = Matcher(gaz)
    return m


def _zones(title: str, text: str) -> tuple[int, int]:
    """End offsets (in "title\\ntext") of the title and of the lead paragraph."""
    t_end = len(title)
    start = t_end + 1
    lead = text.lstrip("\n")
    start += len(text) - len(lead)
    nl = lead.find("\n")
    return t_end, start + (nl if nl >= 0 else len(lead))


def _near(sorted_at: list[int], s: int) -> bool:
    """Whether an offset in ``sorted_at`` lies within CONTEXT_WINDOW of ``s``."""
    i = bisect.bisect_left(sorted_at, s - CONTEXT_WINDOW)
    return i < len(sorted_at) and sorted_at[i] <= s + CONTEXT_WINDOW


def _person_or_unit(full: str, s: int, e: int) -> bool:
    before, after = full[max(0, s - 40):s], full[e:e + 40]
    if _NUMBER_BEFORE.search(before):
        return True  # "800 Lumens"
    m = _PREV_WORD.search(before)
    if m and not before[:m.start(1)].rstrip().endswith((".", "!", "?")) and m.start(1) > 0:
        return True  # "Kim Stanley" (not a capitalised word starting the sentence)
    if m and m.start(1) == 0 and len(before) == 40:
        return True
    return bool(_NEXT_WORD.match(after))  # "Stanley Chen"


def _resolve(claims: tuple[_Claim, ...], day: str | None, today: str) -> list[_Claim]:
    if day:
        return [c for c in claims if c.valid(day)]
    now = [c for c in claims if c.valid(today)]
    return now or [c for c in claims if c.until is None]


def tag_article(gaz: Gazetteer, title: str | None, text: str | None,
                published: str | None = None, today: str = "9999-12-31") -> list[Tag]:
    """Tags of one article, sorted by kind then entity id. ``published`` (ISO date or
    datetime) picks the holder of dated names."""
    m = matcher(gaz)
    title, text = title or "", text or ""
    full = f"{title}\n{text}"
    folded = fold(full)
    t_end, lead_end = _zones(title, text)
    day = published[:10] if published else None

    company_hits: list[tuple[str, int, int]] = []  # (entity, start, end), accepted
    strict_hits: list[tuple[_Claim, int, int]] = []
    topic_hits: list[tuple[str, int, int, bool]] = []  # (topic, start, end, weak)
    context_at: list[int] = []
    own_context: dict[str, list[int]] = {}
    for pi, s, e in m.ac.find_matches_as_indexes(folded):
        first_edge, last_edge = m.edges[pi]
        if (first_edge and s > 0 and folded[s - 1] in _ALNUM) or (
                last_edge and e < len(folded) and folded[e] in _ALNUM):
            continue
        context = False
        for c in (_resolve(m.claims[pi], day, today) if m.dated[pi] else m.claims[pi]):
            if c.kind == "topic":
                topic_hits.append((c.entity or "", s, e, c.weak))
                context = context or not c.weak  # a weak term is no industry word
            elif c.kind == "context":
                context = True
            elif c.kind == "own-context":
                own_context.setdefault(c.entity or "", []).append(s)
            elif c.kind == "company":
                if c.exact_case and full[s:e] not in (c.written, c.written.upper()):
                    continue
                if c.strict:
                    strict_hits.append((c, s, e))
                else:
                    company_hits.append((c.entity or "", s, e))
                    context = True
        if context:
            context_at.append(s)

    named = {ent for ent, _, _ in company_hits}
    for c, s, e in strict_hits:
        ent = c.entity or ""
        if c.written.isascii() and _person_or_unit(full, s, e):
            continue
        if ent in named or _near(context_at, s) or _near(sorted(own_context.get(ent, ())), s):
            company_hits.append((ent, s, e))

    tags: dict[str, Tag] = {}

    def mention(ent: str, kind: str, s: int) -> Tag:
        tag = tags.get(ent)
        if tag is None:
            tag = tags[ent] = Tag(ent, kind, first=s)
        zone = "title" if s < t_end else "lead" if s < lead_end else "body"
        setattr(tag, zone, getattr(tag, zone) + 1)
        tag.mentions += 1
        tag.score += ZONE_WEIGHTS[zone]
        tag.first = min(tag.first, s)
        return tag

    aside = _boilerplate(folded, t_end)
    listed_at = _enumerations(full, company_hits, t_end)
    if aside:
        listed_at.update(s for _, s, _ in company_hits if _inside(aside, s))
    in_prose: set[str] = set()
    for ent, s, _ in sorted(set(company_hits), key=lambda h: (h[1], h[0])):
        mention(ent, "company", s)
        if s not in listed_at:
            in_prose.add(ent)
    if topic_hits:
        passing = _technology_lists(folded, topic_hits) | _event_names(full, folded, topic_hits)
        counted = [h for h in topic_hits if h[1] not in passing and not (aside and _inside(aside, h[1]))]
        strong = {ent for ent, _, _, weak in counted if not weak}
        for ent, s, _, _ in counted:
            if ent in strong:
                mention(ent, "topic", s)
    for tag in tags.values():
        if tag.kind == "company":
            tag.listed = tag.entity_id not in in_prose
            tag.tagged = not tag.listed
        else:
            need = m.entities[tag.entity_id].min_score or TOPIC_MIN_SCORE
            tag.tagged = tag.score >= need
    return sorted(tags.values(), key=lambda t: (t.kind, t.entity_id))


_ASIDE = re.compile(
    r"[ \t]*(?:about [^\n:：]{1,60}[:：]|关于[^\n:：]{1,30}[:：]"
    r"|(?:相关|延伸|推荐|更多)(?:阅读|新闻|文章|报道)|related(?: articles| stories| news| reading| links)?[ \t]*[:：]"
    r"|read more|see also|more news)")


def _boilerplate(folded: str, t_end: int) -> list[tuple[int, int]]:
    """Spans of body lines that are not the article: a company's "About X:" paragraph
    (关于X：) and related-links lines (相关阅读, Related:, Read more). A topic or company
    named only there is not what the article is about."""
    out = []
    start = folded.find("\n", t_end + 1)
    while start >= 0:
        end = folded.find("\n", start + 1)
        if _ASIDE.match(folded, start + 1):
            out.append((start + 1, len(folded) if end < 0 else end))
        start = end
    return out


def _inside(spans: list[tuple[int, int]], s: int) -> bool:
    return any(a <= s < b for a, b in spans)


# Two topic mentions are items of one enumeration when the text between them is short
# and holds a list separator ("、", ",", and, 和, 与, 及, or) and no sentence or clause end
# (the Chinese clause comma "，" ends a clause, "、" does not).
_LIST_GAP = 30
_LIST_SEP = re.compile(r"、|,|\band\b|\bor\b|和|与|及|或")
_LIST_STOP = re.compile(r"[。；;：:！？!?，\n]|\.(?=\s|$)")


def _technology_lists(folded: str, hits: list[tuple[str, int, int, bool]]) -> set[int]:
    """Starts of topic mentions in an enumeration naming ``TECH_LIST_MIN`` or more topic
    items ("Mini LED, Micro LED, UV, automotive and horticulture packages", 布局Mini
    LED、Micro LED、车用显示与智慧医疗): a product range or a show's themes, not the
    article's subject. One walk over the mentions in text order."""
    if len({h[0] for h in hits}) < TECH_LIST_MIN:
        return set()
    spans = sorted({(s, e) for _, s, e, _ in hits})
    out: set[int] = set()
    chain: list[int] = []  # starts of the mentions of the current chain
    items, end = 0, -1
    for s, e in spans:
        if s >= end:  # a mention overlapping the previous one is the same item
            gap = folded[end:s] if chain and s - end <= _LIST_GAP else ""
            if not gap or not _LIST_SEP.search(gap) or _LIST_STOP.search(gap):
                if items >= TECH_LIST_MIN:
                    out.update(chain)
                chain, items = [], 0
            items += 1
        chain.append(s)
        end = max(end, e)
    if items >= TECH_LIST_MIN:
        out.update(chain)
    return out


_EVENT_EN = re.compile(r"(?:[ \t]+[A-Z0-9][\w+&/-]*){0,3}[ \t]+(?:Expo|Exhibition|Show|Fair|Forum|Summit|"
                       r"Conference|Congress)\b")
_EVENT_ZH = re.compile(r"[^\s，。、；：！？,.;:!?（）()在于将的]{0,6}?(?:展会|展览会|博览会|论坛|峰会|大会|研讨会"
                       r"|展(?=上|中|会|期|开幕|览|[，。、\s）)]|$))")


_EVENT_CHARS = frozenset("展论峰会")


def _event_names(full: str, folded: str, hits: list[tuple[str, int, int, bool]]) -> set[int]:
    """Starts of topic mentions that are part of an event's name ("Micro LED Display
    Summit", 植物照明论坛, "UV LED應用論壇"): where something was shown, not what it is."""
    out = set()
    for ent, s, e, _ in hits:
        if ent == "exhibitions":
            continue
        if full[e:e + 1] == " " and full[e + 1:e + 2].isupper():
            if _EVENT_EN.match(full, e):
                out.add(s)
        elif not _EVENT_CHARS.isdisjoint(folded[e:e + 10]) and _EVENT_ZH.match(folded, e):
            out.add(s)
    return out


def _enumerations(full: str, hits: list[tuple[str, int, int]], t_end: int) -> set[int]:
    """Start offsets of company mentions in body sentences naming LIST_MIN or more
    distinct companies."""
    if len({h[0] for h in hits}) < LIST_MIN:
        return set()
    ends = [m.end() for m in _SENTENCE_END.finditer(full)] + [len(full)]
    by_sentence: dict[int, list[tuple[str, int]]] = {}

    for ent, s, _ in hits:
        if s < t_end:
            continue
        by_sentence.setdefault(bisect.bisect_right(ends, s), []).append((ent, s))
    out: set[int] = set()
    for items in by_sentence.values():
        if len({ent for ent, _ in items}) >= LIST_MIN:
            out.update(s for _, s in items)
    return out
