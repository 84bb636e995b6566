"""Canonical links: the IRI rule for anything a feed gives us as a URL.

Only http(s) URLs with a host become IRIs (``javascript:``, ``data:`` and
relative links never do).  Tracking parameters (``utm_*``) and fragments are
dropped so that the same story shared through different campaigns is one node.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "=&/:@!$'()*+,;-._~%?"


def canonical_url(raw: str | None, *, base: str | None = None) -> str | None:
    """The canonical form of an http(s) link, or None when it is unusable.

    A relative link is resolved against ``base`` (the feed's own address)
    when there is one; other schemes never become links.

    >>> canonical_url("HTTPS://Example.org/a?utm_source=x&id=3#top")
    'https://example.org/a?id=3'
    >>> canonical_url("/2025/story", base="https://example.org/blog/")
    'https://example.org/2025/story'
    >>> canonical_url("javascript:alert(1)", base="https://example.org/") is None
    True
    """
    if not raw:
        return None
    text = raw.strip()
    if _PLAIN.fullmatch(text):  # the usual link: already canonical, no parsing needed
        return text if "/" in text[8:] else text + "/"
    return _canonical(text, base)


#: An http(s) link that :func:`_canonical` returns unchanged (but for the "/" of
#: an empty path): lower-case scheme and host, no port, user, query or fragment,
#: and a path of characters that quoting keeps.
_PLAIN = re.compile(r"https?://[a-z0-9.\-]+(?:/[A-Za-z0-9_.~/\-]*)?")


def _canonical(text: str, base: str | None) -> str | None:
    """:func:`canonical_url` of a stripped link, the general way."""
    if base and not _SCHEME.match(text):
        text = urljoin(base, text)
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host or any(c in host for c in ' <>"{}|\\^`'):
        return None
    default_port = {"http": 80, "https": 443}[scheme]
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if any(k.lower().startswith("utm_") for k, _ in pairs):
        kept = [(k, v) for k, v in pairs if not k.lower().startswith("utm_")]
        query_text = quote(urlencode(kept), safe=_QUERY_SAFE) if kept else ""
    else:
        query_text = quote(parts.query, safe=_QUERY_SAFE)
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    return urlunsplit((scheme, netloc, path, query_text, ""))


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host
