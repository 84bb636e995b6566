"""The feedparser adapter: the only module that imports feedparser.

It turns bytes into a :class:`~kg.types.RawFeed`, deciding what is a feed,
what is a recoverable defect (a warning) and what is not a feed at all (a
:class:`~kg.errors.FeedError`).  Sanitising and relative-URI resolution of
HTML bodies are switched off: extraction reads bodies as text, and the two
passes cost more than half of feedparser's time.
"""

from __future__ import annotations

from typing import Any

import feedparser

from kg.errors import FeedError
from kg.types import RawEntry, RawFeed


def parse(data: bytes, *, source: str) -> RawFeed:
    """Parse a feed document.

    :raises FeedError: the bytes are empty or not an RSS/Atom document.
    """
    if not data.strip():
        raise FeedError(source, "empty document, not a feed")
    result = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    version = result.get("version") or ""
    entries = result.get("entries") or []
    if not version and not entries:
        raise FeedError(source, _not_a_feed_reason(data, result))
    warnings: list[str] = []
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        warnings.append(f"{source}: malformed feed, recovered: {_describe(exc)}")
    feed = result.get("feed") or {}
    return RawFeed(
        source=source,
        version=version or "unknown",
        title=_text(feed.get("title")),
        link=_site_link(feed),
        self_link=_self_link(feed),
        language=_text(feed.get("language")),
        updated=_text(dict.get(feed, "updated")),
        entries=tuple(_entry(e) for e in entries),
        warnings=tuple(warnings),
    )


def _entry(e: Any) -> RawEntry:
    content = e.get("content") or []
    body = max((c.get("value") or "" for c in content), key=len, default="") or None
    return RawEntry(
        title=_text(e.get("title")),
        link=_entry_link(e),
        guid=_text(e.get("id")),
        published=_text(e.get("published")),
        # feedparser answers "updated" with the published date when there is
        # none; only a real <updated>/<atom:updated> counts.
        updated=_text(dict.get(e, "updated")),
        creators=tuple(
            n for a in (e.get("authors") or []) if (n := _text(a.get("name"))) is not None
        ),
        categories=tuple(
            t for tag in (e.get("tags") or []) if (t := _text(tag.get("label") or tag.get("term")))
        ),
        summary_html=_text(e.get("summary")),
        content_html=body,
    )


def _entry_link(e: Any) -> str | None:
    for link in e.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"]).strip()
    return _text(e.get("link"))


def _site_link(feed: Any) -> str | None:
    for link in feed.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"]).strip()
    return _text(feed.get("link"))


def _self_link(feed: Any) -> str | None:
    for link in feed.get("links") or []:
        if link.get("rel") == "self" and link.get("href"):
            return str(link["href"]).strip()
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


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
