"""Lists of feeds: a plain list file (``--feeds FILE``) and OPML (``--opml FILE``).

OPML is what every feed reader exports (OPML 1.0 and 2.0,
http://opml.org/spec2.opml): ``<outline>`` elements, nested in categories as
deep as the user filed them, each feed one with an ``xmlUrl`` attribute.  The
file is untrusted like a feed, so it is parsed by the lxml adapter
(:mod:`kg.feeds.xml`): no DTD, no entity substitution, no network.

Both readers return plain source strings (URLs and paths) for
:func:`kg.feeds.fetch.fetch_all`, without duplicates, in the order written.
A line or an outline that cannot be a feed is a mistake in the user's own
file, so it stops the run with ``FILE:LINE`` to fix rather than being skipped
silently; whether each listed feed can be fetched is decided per feed later.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kg.errors import FeedError
from kg.feeds import xml as _xml

#: ``scheme:`` at the start of an entry; one letter is a Windows drive, not a scheme.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
#: A comment after an entry: ``#`` after whitespace (a URL's ``#fragment`` has none before it).
_TRAILING_COMMENT = re.compile(r"\s+#.*$")


def read_feed_list(path: str | Path) -> list[str]:
    """The feeds a plain list file names: one URL or path a line.

    Blank lines and ``#`` comments (whole lines, or after whitespace) are
    ignored; ``feed://`` URLs become ``http://``; relative paths are taken
    from the list file's folder, so the list works from any directory.

    :raises FeedError: the file cannot be read, is not UTF-8 text, looks like
        OPML, or a line is neither an http(s) URL nor a path (``FILE:LINE``).
    """
    path = Path(path)
    text = _read_text(path, "feeds list")
    if text.lstrip().startswith("<"):
        raise FeedError(str(path), "looks like XML, not a list of feeds; is it OPML? use --opml")
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = _TRAILING_COMMENT.sub("", line).strip()
        if entry and not entry.startswith("#"):
            found.append(_source(entry, path.parent, f"{path}:{number}"))
    return _unique(found)


def read_opml(path: str | Path) -> list[str]:
    """The feeds of an OPML subscription list: every ``outline`` with an
    ``xmlUrl``, at any depth, in document order.

    Outlines without one (categories, links, OPML 2.0 ``include``) are not
    feeds; an empty ``xmlUrl`` (some readers export folders so) is skipped.
    Relative paths are taken from the OPML file's folder.

    :raises FeedError: the file cannot be read, is not well-formed XML, is not
        OPML (with a hint when it is a feed), or an ``xmlUrl`` is neither an
        http(s) URL nor a path (``FILE:LINE``).
    """
    path = Path(path)
    data = _read_bytes(path, "OPML file")
    try:
        root = _xml._parse_untrusted(_xml._utf8(data))
    except _xml.Declined as e:
        raise FeedError(str(path), f"not a readable OPML file: {e.reason}") from e
    tag = _local(root.tag)
    if tag != "opml":
        hint = "; is it a feed? give it as a FEED argument" if tag in ("rss", "feed", "RDF") else ""
        raise FeedError(str(path), f"not an OPML file: the root element is <{tag}>{hint}")
    body = next((e for e in root if _local(e.tag) == "body"), None)
    if body is None:
        raise FeedError(str(path), "not an OPML file: <opml> has no <body>")
    found: list[str] = []
    for outline in body.iter():
        if not isinstance(outline.tag, str) or _local(outline.tag) != "outline":
            continue
        url = _xml_url(outline.attrib)
        if url is not None and url.strip():
            where = f"{path}:{outline.sourceline}"
            found.append(_source(url.strip(), path.parent, where))
    return _unique(found)


def _xml_url(attributes: dict[str, str]) -> str | None:
    """``xmlUrl``, whatever its case: exporters write ``xmlurl`` and ``xmlURL`` too."""
    return next((v for k, v in attributes.items() if k.lower() == "xmlurl"), None)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _source(entry: str, folder: Path, where: str) -> str:
    """One entry as a source for fetching: an http(s) URL, or a path."""
    match = _SCHEME.match(entry)
    if match is None:
        if entry == "-":
            raise FeedError(where, "'-' (standard input) cannot be listed; give it as a FEED")
        if any((c.isspace() and c != " ") or ord(c) < 32 for c in entry):
            raise FeedError(where, f"{entry!r} contains control characters or tabs")
        return os.path.normpath(folder.absolute() / Path(entry).expanduser())
    scheme = match.group(1).lower()
    if scheme == "feed":  # the old "subscribe" scheme: feed://host/x or feed:https://host/x
        rest = entry[len("feed:") :]
        entry = rest if rest.lower().startswith(("http://", "https://")) else "http:" + rest
        scheme = entry.split(":", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise FeedError(
            where,
            f"unsupported URL scheme {scheme!r} in {entry!r}; list http(s) URLs or file paths",
        )
    if any(c.isspace() or ord(c) < 32 for c in entry):
        raise FeedError(where, f"{entry!r} is not one URL: it contains spaces; one feed a line")
    if not re.match(r"^[A-Za-z]+://[^/?#]", entry):
        raise FeedError(where, f"{entry!r} is not a URL: it names no host (http://host/path)")
    return entry


def _unique(sources: list[str]) -> list[str]:
    return list(dict.fromkeys(sources))


def _read_bytes(path: Path, what: str) -> bytes:
    if path.is_dir():
        raise FeedError(str(path), f"is a directory, not a {what}")
    try:
        return path.read_bytes()
    except FileNotFoundError as e:
        raise FeedError(str(path), f"no such {what}") from e
    except OSError as e:
        raise FeedError(str(path), f"cannot read the {what}: {e.strerror or e}") from e


def _read_text(path: Path, what: str) -> str:
    data = _read_bytes(path, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise FeedError(f"{path}:{line}", f"the {what} is not UTF-8 text ({e.reason})") from e
