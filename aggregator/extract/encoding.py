"""Bytes -> text, decided by trial decoding rather than by trusting labels.

Order (docs/sources.md#encodings; docs/background.md#encoding-detection: a wrong
header charset wins in Scrapy and yields U+FFFD):

1. a byte-order mark;
2. strict UTF-8 when the body has non-ASCII bytes: GBK text is practically never
   valid UTF-8, so a page that decodes strictly as UTF-8 is UTF-8 whatever it says;
3. the profile's forced charset, the HTTP header charset, the <meta> charset,
   each tried strictly (GB2312/GBK labels widened to GB18030, as w3lib does);
4. GB18030 (the commonest unlabelled charset in our sources), then
   charset-normalizer's guess;
5. last resort: UTF-8 with replacement (recorded as such).
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_html", "normalize_charset"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_GB_FAMILY = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "csgb2312", "euc-cn", "cp936",
              "ms936", "windows-936", "gb18030", "hz-gb-2312"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def normalize_charset(name: str | None) -> str | None:
    """Canonical codec name, GB family widened to gb18030; None if unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if label in _GB_FAMILY:
        return "gb18030"
    if label in ("big5", "big5-hkscs", "cp950"):
        return "big5hkscs"  # superset; Taiwan pages labelled big5 use HKSCS chars too
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def meta_charset(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:8192])
    return m.group(1).decode("ascii", "ignore") if m else None


def decode_html(body: bytes, header_charset: str | None = None,
                forced: str | None = None) -> tuple[str, str]:
    """Decode an HTML/XML body; returns ``(text, how)`` where ``how`` names the codec
    and the evidence that chose it (e.g. ``"gb18030:meta"``)."""
    for bom, bom_enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(bom_enc, "replace"), f"{bom_enc}:bom"
    if not body:
        return "", "utf-8:empty"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8:valid"
    # Not UTF-8: try the labels we were given, strictly, in order of trust.
    labels: tuple[tuple[str | None, str], ...] = ((forced, "profile"), (header_charset, "header"),
                       (meta_charset(body), "meta"), ("gb18030", "guess"))
    for label, how in labels:
        enc = normalize_charset(label)
        if not enc or enc == "utf-8":
            continue
        try:
            return body.decode(enc), f"{enc}:{how}"
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding:
            return body.decode(best.encoding, "replace"), f"{best.encoding}:detected"
    except Exception:  # noqa: BLE001 - detection is best effort
        pass
    return body.decode("utf-8", "replace"), "utf-8:replace"
