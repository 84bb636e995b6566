"""Feed-shaped dicts to :class:`~kg.types.RawFeed`: shared by both readers.

Both readers (:mod:`kg.feeds.xml`, the fast lxml one, and
:mod:`kg.feeds.feedparser`, the tolerant one) first build feedparser-shaped
dicts (``title``, ``links``, ``authors``, ``tags``, ``content`` ...) and then
hand them to :func:`raw_feed`.  One conversion means one set of choices
(which link is the site, which content body wins, which names count as
creators), so the two paths cannot drift apart on those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kg.types import RawEntry, RawFeed


def raw_feed(
    *,
    source: str,
    version: str,
    feed: dict[str, Any],
    entries: Iterable[dict[str, Any] | RawEntry],
    warnings: Iterable[str] = (),
) -> RawFeed:
    """Build the record; ``version`` "" means the format was not recognised.

    An entry may come already built by :func:`raw_entry` (the fast reader
    builds them while parsing, so that each entry's dict can go at once)."""
    rss = (version or "").startswith("rss")
    return RawFeed(
        source=source,
        version=version or "unknown",
        title=_text(feed.get("title")),
        link=_site_link(feed),
        self_link=_self_link(feed),
        language=_text(feed.get("language")),
        # dict.get: feedparser's own get("updated") falls back to "published".
        updated=_text(dict.get(feed, "updated")),
        entries=tuple(e if isinstance(e, RawEntry) else raw_entry(e, rss=rss) for e in entries),
        warnings=tuple(warnings),
        meta=tuple(feed.get("meta") or ()),
    )


def raw_entry(e: dict[str, Any], *, rss: bool) -> RawEntry:
    """One entry's record; ``rss`` when the feed's version starts with "rss"."""
    content = e.get("content") or []
    links = e.get("links") or []
    body = max((c.get("value") or "" for c in content), key=len, default="") or None
    published = _text(e.get("published"))
    # feedparser answers "updated" with the published date when there is
    # none; only a real <updated>/<atom:updated>/<dc:date> counts.
    updated = _text(dict.get(e, "updated"))
    if rss and published is None:
        # feedparser files dc:date under "updated"; in RSS 1.0 and in RSS 2.0
        # without pubDate it is the item's date, i.e. when it was published.
        published, updated = updated, None
    return RawEntry(
        title=_text(e.get("title")),
        link=_entry_link(e, rss=rss),
        guid=_text(e.get("id")),
        published=published,
        updated=updated,
        creators=tuple(
            n for a in (e.get("authors") or []) if (n := _text(a.get("name"))) is not None
        ),
        categories=tuple(
            t for tag in (e.get("tags") or []) if (t := _text(tag.get("label") or tag.get("term")))
        ),
        summary_html=_text(e.get("summary")),
        content_html=body,
        links=tuple(
            dict.fromkeys(
                str(link["href"]).strip()
                for link in links
                if link.get("href") and link.get("rel") != "enclosure"  # media, not pages
            )
        ),
        meta=tuple(e.get("meta") or ()),
    )


def _entry_link(e: Mapping[str, Any], *, rss: bool = False) -> str | None:
    for link in e.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"]).strip()
    link = _text(e.get("link"))
    if not rss and link is not None and link == _text(e.get("id")):
        # feedparser's stand-in for a missing Atom link is the entry's id: an
        # identifier (often urn: or tag:), not where the entry can be read.
        return None
    return link


def _site_link(feed: Mapping[str, Any]) -> str | None:
    for link in feed.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"]).strip()
    link = _text(feed.get("link"))
    return None if link is not None and link == _text(feed.get("id")) else link  # see below


def _self_link(feed: Mapping[str, Any]) -> str | None:
    for link in feed.get("links") or []:
        if link.get("rel") == "self" and link.get("href"):
            return str(link["href"]).strip()
    return None


def _text(value: Any) -> str | None:
    """Stripped text, or None for nothing/whitespace (how every field is read)."""
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None
