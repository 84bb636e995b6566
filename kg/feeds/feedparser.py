"""The feedparser adapter: the only module that imports feedparser.

It turns bytes into a :class:`~kg.types.RawFeed`, deciding what is a feed,
what is a recoverable defect (a warning) and what is not a feed at all (a
:class:`~kg.errors.FeedError`).  Sanitising and relative-URI resolution of
HTML bodies are switched off: extraction reads bodies as text, and the two
passes cost more than half of feedparser's time.

Since the lxml reader (:mod:`kg.feeds.xml`) reads well-formed feeds, this is
the tolerant path: what reaches it is mostly broken XML, odd encodings and
DOCTYPEs, which feedparser's loose parser recovers.  Both readers share the
dict-to-record conversion (:mod:`kg.feeds._records`).
"""

from __future__ import annotations

import io
import re
from typing import Any

import feedparser

from kg.errors import FeedError
from kg.feeds._records import raw_feed
from kg.types import RawFeed


def parse(data: bytes, *, source: str) -> RawFeed:
    """Parse a feed document.

    :raises FeedError: the bytes are empty or not an RSS/Atom document.
    """
    if not data.strip():
        raise FeedError(source, "empty document, not a feed")
    _refuse_entity_bombs(data, source)
    # A stream, never the bytes: feedparser.parse() opens bytes that name a
    # local file ("/etc/passwd") and reads that file instead.
    try:
        result = feedparser.parse(
            io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False
        )
    except (KeyError, IndexError, AttributeError, TypeError, ValueError) as e:
        # feedparser's handlers trip over some odd nestings (a <textinput>
        # inside an <item>): a bad feed, not a crash.
        raise FeedError(source, f"feedparser cannot read it ({_describe(e)})") from e
    version = result.get("version") or ""
    entries = result.get("entries") or []
    if not version and not entries:
        raise FeedError(source, _not_a_feed_reason(data, result))
    warnings: list[str] = []
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        warnings.append(f"{source}: malformed feed, recovered: {_describe(exc)}")
    feed = result.get("feed") or {}
    return raw_feed(
        source=source,
        version=version,
        feed={**feed, "meta": _meta(feed)},
        entries=[{**e, "meta": _meta(e)} for e in entries],
        warnings=warnings,
    )


# feedparser files an unknown namespaced element under "prefix_localname",
# lower-cased, and keeps only the last of repeated ones.  The tolerant path
# recovers what it can of the metadata; the fast reader keeps every element.
_META_NAMES = {
    name.lower(): name
    for name in (
        "doi publicationName publicationTitle issn eIssn volume number startingPage "
        "endingPage pageRange coverDate coverDisplayDate publicationDate url section "
        "identifier source date publisher journal_ref journal_reference primary_category "
        "comment issueName"
    ).split()
}
_META_PREFIXES = {"prism_": "prism", "dc_": "dc", "arxiv_": "arxiv"}


def _meta(d: Any) -> list[tuple[str, str]]:
    out = []
    for key, value in d.items():
        for start, prefix in _META_PREFIXES.items():
            if key.startswith(start) and isinstance(value, str) and value.strip():
                local = key[len(start) :]
                out.append((f"{prefix}:{_META_NAMES.get(local, local)}", value.strip()))
    return sorted(out)


# Entity declarations in a DOCTYPE's internal subset.  feedparser never reads
# external entities (SYSTEM/PUBLIC: expat's loading is off) and its loose
# parser drops nested ones, but expat (when feedparser leaves the DOCTYPE in
# place) and the loose parser both expand plain ones: one 100 KB entity used
# 3,000 times in a 110 KB feed became a 300 MB summary (7 s, 0.9 GB).
# The pattern accepts every declaration expat accepts (and more).
_ENTITY = re.compile(
    rb"""<!ENTITY\s+(%\s+)?([^\s"'>%&;]+)\s+"""
    rb"""(?:"([^"]*)"|'([^']*)'|(?:SYSTEM|PUBLIC)\b[^>]*)\s*>"""
)
_ENTITY_REFERENCE = re.compile(rb"[&%][^\s#;&%]+;")
MAX_ENTITY_EXPANSION = 8 * 1024 * 1024  #: bytes a document's own entities may add
#: Character references are replaced when an entity is declared, so "&#38;l0;"
#: in a value is a reference to l0 once the entity is used (XML 1.0, appendix D):
#: a bomb written that way passed the check and was stopped only by expat's own
#: amplification limit (expat >= 2.4; older builds would have expanded it).
_CHARACTER_REFERENCE = re.compile(rb"&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


def _character(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.group(1, 2)
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return chr(code).encode("utf-8", "replace") if code < 0x110000 else b""


def _refuse_entity_bombs(data: bytes, source: str) -> None:
    """Refuse documents whose entities would expand past a bound.

    The whole document is searched, not just its prolog: a prolog is easy to
    misjudge in bytes that are not well-formed, and a declaration quoted in
    a post's text costs at most a refused broken feed.

    :raises FeedError: an entity is defined in terms of another (the
        "billion laughs" shape) or expanding every reference would add more
        than :data:`MAX_ENTITY_EXPANSION` bytes (the "quadratic blowup").
    """
    data = _as_utf8(data)
    if b"<!ENTITY" not in data or b"<!DOCTYPE" not in data:
        return
    expansion = 0
    for match in _ENTITY.finditer(data):
        percent, name, double, single = match.group(1, 2, 3, 4)
        value = double if double is not None else single
        if value is None:  # external: never read
            continue
        if _ENTITY_REFERENCE.search(_CHARACTER_REFERENCE.sub(_character, value)):
            raise FeedError(
                source,
                f"entity {name.decode('utf-8', 'replace')!r} is defined by other entities "
                "(an entity-expansion bomb); refusing the document",
            )
        if not percent:
            expansion += len(value) * data.count(b"&" + name + b";")
    if expansion > MAX_ENTITY_EXPANSION:
        raise FeedError(
            source,
            f"its entities would expand to {expansion // (1024 * 1024)} MiB "
            f"(limit {MAX_ENTITY_EXPANSION // (1024 * 1024)} MiB); refusing the document",
        )


_WIDE_STARTS = {  # XML 1.0 appendix F: the first bytes of "<?" in wide encodings
    b"\xff\xfe\x00\x00": "utf-32",
    b"\x00\x00\xfe\xff": "utf-32",
    b"<\x00\x00\x00": "utf-32-le",
    b"\x00\x00\x00<": "utf-32-be",
    b"\xff\xfe": "utf-16",
    b"\xfe\xff": "utf-16",
    b"<\x00?\x00": "utf-16-le",
    b"\x00<\x00?": "utf-16-be",
}


def _as_utf8(data: bytes) -> bytes:
    """UTF-16 and UTF-32 documents as UTF-8, for the entity check only: in
    their own bytes "<!ENTITY" never appears, and a bomb written in UTF-16
    passed the check (expat's amplification limit stopped it, slowly)."""
    for start, encoding in _WIDE_STARTS.items():
        if data.startswith(start):
            return data.decode(encoding, "replace").encode("utf-8")
    return data


def _describe(exc: object) -> str:
    if exc is None:
        return "unknown problem"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"


def _not_a_feed_reason(data: bytes, result: Any) -> str:
    head = data[:2048].lstrip().lower()
    if b"\x00" in data[:1024]:
        return "binary data, not a feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return (
            "an HTML page, not a feed; use the feed URL the page links to "
            '(<link rel="alternate" type="application/rss+xml">)'
        )
    if result.get("bozo"):
        return f"not an RSS/Atom feed ({_describe(result.get('bozo_exception'))})"
    return "not an RSS/Atom feed (no channel or entries found)"
