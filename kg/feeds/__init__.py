"""Reading feeds: bytes from a file, URL or stdin, parsed into RawFeed records."""

from __future__ import annotations

from kg.feeds import feedparser as _feedparser
from kg.feeds.fetch import fetch, is_url
from kg.types import RawFeed


def read_feed(source: str | None = None, *, data: bytes | None = None) -> RawFeed:
    """Read one feed from a path, an http(s) URL or "-" (stdin), or from ``data``.

    ``source`` names the feed in messages even when ``data`` is given.

    :raises FeedError: the feed cannot be fetched or is not a feed.
    """
    if data is None:
        if source is None:
            raise TypeError("read_feed() needs a source or data")
        data = fetch(source)
    return _feedparser.parse(data, source=source or "<data>")


__all__ = ["fetch", "is_url", "read_feed"]
