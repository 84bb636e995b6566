"""Get a feed's bytes from a path, an http(s) URL or standard input.

This is the only place the pipeline reads input, so size caps, timeouts and
the User-Agent live here.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
import zlib
from pathlib import Path

from kg.errors import FeedError

USER_AGENT = "feedkg/0.1 (+https://w3id.org/feedkg)"
TIMEOUT_S = 30.0
MAX_BYTES = 64 * 1024 * 1024
#: What a gzip-compressed feed may expand to: archives are large, bombs larger.
MAX_GUNZIPPED = 512 * 1024 * 1024


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def fetch(source: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> bytes:
    """Return the raw bytes behind ``source`` ("-" means standard input).

    Only downloads are capped at ``max_bytes``: a server can send anything,
    while a local file or a pipe is the user's own choice.

    :raises FeedError: the file is missing or unreadable, the URL fails or the
        download is larger than ``max_bytes``.
    """
    if source == "-":
        return sys.stdin.buffer.read()
    if is_url(source):
        return _fetch_url(source, timeout=timeout, max_bytes=max_bytes)
    if "://" in source:
        scheme = source.split("://", 1)[0]
        raise FeedError(source, f"unsupported URL scheme {scheme!r}; use http(s), a path or '-'")
    path = Path(source)
    if not path.exists():
        raise FeedError(source, "no such file")
    if path.is_dir():
        raise FeedError(source, "is a directory, not a feed file")
    try:
        return path.read_bytes()  # the user's own file: no cap, an archive may be large
    except OSError as e:
        raise FeedError(source, f"cannot read: {e.strerror or e}") from e


def _fetch_url(url: str, *, timeout: float, max_bytes: int) -> bytes:
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, application/rdf+xml, "
            "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
            "application/json;q=0.8, */*;q=0.5",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return _read_capped(response, url, max_bytes)
    except urllib.error.HTTPError as e:
        raise FeedError(url, f"HTTP {e.code} {e.reason}") from e
    except urllib.error.URLError as e:
        raise FeedError(url, f"cannot fetch: {e.reason}") from e
    except TimeoutError as e:
        raise FeedError(url, f"timed out after {timeout:g} s") from e
    except OSError as e:
        raise FeedError(url, f"cannot fetch: {e}") from e


def _read_capped(stream: object, source: str, max_bytes: int) -> bytes:
    data: bytes = stream.read(max_bytes + 1)  # type: ignore[attr-defined]
    if len(data) > max_bytes:
        raise FeedError(source, f"larger than the {max_bytes // (1024 * 1024)} MiB limit")
    return data


def gunzip(data: bytes, source: str, *, max_bytes: int = MAX_GUNZIPPED) -> bytes:
    """The feed inside gzip-compressed bytes (a saved ``feed.xml.gz``, a server
    sending a .gz file); other bytes unchanged.  Expansion is capped, so a
    small "gzip bomb" cannot fill the memory.

    :raises FeedError: the gzip data is corrupt or expands past ``max_bytes``.
    """
    if not data.startswith(b"\x1f\x8b"):
        return data
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as e:
        raise FeedError(source, f"corrupt gzip data ({e})") from e
    if len(out) > max_bytes:
        raise FeedError(
            source, f"gzip data expands past the {max_bytes // (1024 * 1024)} MiB limit"
        )
    return out
