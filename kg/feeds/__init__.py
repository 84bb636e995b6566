"""Reading feeds: bytes from a file, URL or stdin, parsed into RawFeed records.

JSON Feed is told from XML by content, never by file name or Content-Type:
a document whose first character after an optional byte order mark and
whitespace is ``{`` (or ``[``) is JSON, which no XML document can be, and
goes to :mod:`kg.feeds.jsonfeed` (feedparser 6 cannot read JSON Feed).

Two XML readers, one result.  :mod:`kg.feeds.xml` reads well-formed RSS/Atom with
lxml and is tried first because it is several times faster than feedparser
(parsing was the pipeline's bottleneck).  Every document it declines -- not
well-formed, not decodable as declared, carrying a DOCTYPE, or not an
RSS/Atom root it knows -- goes to :mod:`kg.feeds.feedparser`,
which recovers what only feedparser can (broken XML, overridden encodings,
DOCTYPE entities) and reports it as a "malformed feed" warning.  The fast
reader follows the RSS and Atom specifications, not feedparser's code; for
any document both can read they return the same :class:`~kg.types.RawFeed`
except for a short, documented list of feedparser quirks
(tests/test_feeds_xml.py holds them to it), so which one ran does not show
downstream.
"""

from __future__ import annotations

from kg.feeds import feedparser as _feedparser
from kg.feeds import jsonfeed as _jsonfeed
from kg.feeds import xml as _xml
from kg.feeds.compression import gunzip
from kg.feeds.fetch import fetch, is_url
from kg.types import RawFeed


def read_feed(source: str | None = None, *, data: bytes | None = None) -> RawFeed:
    """Read one feed (RSS, Atom or JSON Feed) from a path, an http(s) URL or
    "-" (stdin), or from ``data``.

    ``source`` names the feed in messages even when ``data`` is given.

    :raises FeedError: the feed cannot be fetched or is not a feed.
    """
    if data is None:
        if source is None:
            raise TypeError("read_feed() needs a source or data")
        data = fetch(source)
    name = source or "<data>"
    data = gunzip(data, name)
    if _jsonfeed.is_json(data):
        return _jsonfeed.parse(data, source=name)
    try:
        return _xml.parse(data, source=name)
    except _xml.Declined:
        return _feedparser.parse(data, source=name)


__all__ = ["fetch", "is_url", "read_feed"]
