"""The JSON Feed reader: JSON Feed 1.0 and 1.1 read into a :class:`~kg.types.RawFeed`.

feedparser 6 cannot read JSON Feed, so this is its own path, chosen by
content (:func:`is_json`), never by file name or Content-Type.  Written from
the specifications, https://www.jsonfeed.org/version/1.1/ and
https://www.jsonfeed.org/version/1/, with the same semantics as the XML
readers (:mod:`kg.feeds._records`): the item's ``url`` is its link (else its
``external_url``), every page URL goes into ``links`` (attachments, images
and avatars are media, not pages), content fills a missing summary, strings
are stripped and empty ones mean nothing.

Choices the specifications leave to the reader
    * Version: ``version`` is a URL ending in ``/version/1`` or ``/1.1``
      (http or https, with or without www) and gives "json10" or "json11".
      A bare number ("1.1") is read as that version with a warning.  Any
      other number, or a document without the URL whose ``items`` look like
      JSON Feed items (they carry ``content_html`` or ``content_text``), is
      read as version "json" with a warning: readers ignore what they do not
      know, so a later version is still readable.
    * Authors: an item's ``authors`` (1.1), else its ``author`` (1.0), else
      the feed's, as both specifications say; an empty array counts as none
      given.  Only names become creators; an author with just a URL or an
      avatar names no one.
    * Text to HTML: JSON Feed's ``title``, ``summary`` and ``content_text``
      are plain text, but downstream reads those record fields as HTML
      (:func:`~kg.extract.text.inline_text`, ``html_to_text``), so ``<`` and
      ``>`` are escaped ("Die Rückkehr von <i> und <b>" keeps its tags as
      text) and line breaks become ``<p>``/``<br>``.  A ``&`` stays as it is
      when it starts a character reference: publishers (WordPress plugins)
      write "&amp;" and "&#8216;" in these fields, and reading those as the
      characters they name is right far more often than keeping them
      literally.  A ``content_html`` whose markup is escaped a second time
      (``&lt;p&gt;`` and not one ``<``) is unescaped once.
    * Wrong types: a field of the wrong type is ignored with a warning that
      names the item and the field; the item is kept.  Item ids that are
      numbers are turned into strings, as the specification requires.  A
      ``tags`` string instead of an array is split at commas (with a
      warning).  JSON ``null`` means absent.  An item that is not an object
      is skipped with a warning.  Identical warnings for many items are one
      line naming the first item and how many more.

Bad input
    Bytes that are not JSON, truncated JSON (the message says where) and
    JSON that is not a JSON Feed (e.g. Dave Winer's "RSS in JSON") raise
    :class:`~kg.errors.FeedError`.  The json module expands no entities; its
    recursion limit bounds nesting (reported, not raised), Python's limit
    on integer digits bounds numbers, and :mod:`kg.feeds.fetch` caps the
    size of downloads.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any

from kg.errors import FeedError
from kg.types import RawEntry, RawFeed

#: Version numbers to the record's version names.
VERSIONS = {(1,): "json10", (1, 1): "json11"}
_VERSION_URL = re.compile(
    r"^\s*(?:https?://)?(?:www\.)?jsonfeed\.org/version/([0-9]+(?:\.[0-9]+)*)/?\s*$", re.I
)
_BARE_VERSION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)*)\s*$")
_NAMES_JSON_FEED = re.compile(r"jsonfeed\.org/version/", re.I)
_JSON_START = re.compile(rb"[ \t\r\n]*[{\[]")

Object = Mapping[str, Any]  #: a decoded JSON object


def is_json(data: bytes) -> bool:
    """Whether ``data`` is JSON rather than XML: after an optional byte order
    mark and whitespace its first character is ``{`` (or ``[``, so that a
    JSON array gets a JSON message).  No XML document starts that way.

    >>> is_json(b'\\xef\\xbb\\xbf  {"version": "https://jsonfeed.org/version/1.1"}')
    True
    >>> is_json(b'<?xml version="1.0"?><rss/>')
    False
    """
    encoding = json.detect_encoding(data[:4])
    if encoding == "utf-8":
        return _JSON_START.match(data) is not None
    head = data[:4096].decode(encoding, "ignore").lstrip(" \t\r\n\ufeff")
    return head[:1] in ("{", "[")


def parse(data: bytes, *, source: str) -> RawFeed:
    """Read a JSON Feed document.

    :raises FeedError: the bytes are not JSON, are truncated JSON, or are
        JSON that is not a JSON Feed.
    """
    problems = _Problems(source)
    doc = _load(_decode(data, problems), source)
    if not isinstance(doc, dict):
        raise FeedError(source, f"JSON, but not a JSON Feed: the document is {_kind(doc)}")
    version = _version(doc, source, problems)
    title = _plain(_string(doc, "title", "feed", problems))
    link = _string(doc, "home_page_url", "feed", problems)
    self_link = _string(doc, "feed_url", "feed", problems)
    language = _string(doc, "language", "feed", problems)
    feed_authors = _authors(doc, "feed", problems) or ()
    entries = tuple(
        entry
        for number, item in enumerate(_items(doc, problems), start=1)
        if (entry := _entry(item, number, feed_authors, problems)) is not None
    )
    return RawFeed(
        source=source,
        version=version,
        title=title,
        link=link,
        self_link=self_link,
        language=language,
        entries=entries,
        warnings=problems.lines(),
    )


# -- bytes to a JSON value ----------------------------------------------------


def _decode(data: bytes, problems: _Problems) -> str:
    """Text by RFC 8259: UTF-8, or UTF-16/32 told by a BOM or by the zero
    bytes around the first ASCII character.  Bytes that do not decode are
    replaced (with a warning) instead of losing the whole feed."""
    encoding = json.detect_encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        problems.add("document", f"not valid {e.encoding} at byte {e.start}; bad bytes replaced")
        return data.decode(encoding, "replace")


def _load(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise FeedError(source, _syntax_error(e, text)) from e
    except RecursionError as e:
        raise FeedError(source, "JSON nested too deeply to read; not a feed") from e
    except ValueError as e:  # e.g. an integer past Python's digit limit
        raise FeedError(source, f"not valid JSON ({e})") from e


def _syntax_error(e: json.JSONDecodeError, text: str) -> str:
    """Say where the JSON breaks; a document that stops mid-value is truncated."""
    end = len(text.rstrip())
    line = text.count("\n", 0, end) + 1
    column = end - text.rfind("\n", 0, end)
    stops = f"truncated JSON: the document stops at line {line}, column {column}"
    if e.msg.startswith("Unterminated string"):
        return f"{stops}, inside a string that starts at line {e.lineno}, column {e.colno}"
    if e.pos >= end and e.msg.startswith("Invalid control character"):
        return f"{stops}, inside a string"  # the control character is its last line break
    rest = text[e.pos : end]
    if e.pos >= end or (rest and any(w.startswith(rest) for w in ("true", "false", "null"))):
        return f"{stops}, in the middle of a value"
    reason = e.msg.removesuffix(" at")  # "Invalid control character at"
    return f"not valid JSON: {reason} at line {e.lineno}, column {e.colno}"


# -- is it a JSON Feed, and which version -------------------------------------


def _version(doc: Object, source: str, problems: _Problems) -> str:
    """The record's version name; raises when the object is not a JSON Feed."""
    value = doc.get("version")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    text = value if isinstance(value, str) else ""
    url = _VERSION_URL.match(text)
    bare = _BARE_VERSION.match(text)
    found = url or bare
    number = _version_number(found.group(1)) if found else None
    if url and number in VERSIONS:
        return VERSIONS[number]
    if not _NAMES_JSON_FEED.search(text) and not _looks_like_json_feed(doc):
        raise FeedError(source, _not_a_json_feed(doc))
    if bare and number in VERSIONS:
        expected = "https://jsonfeed.org/version/" + ".".join(map(str, number))
        problems.add("feed", f"version {value!r} is not the version URL {expected!r}; read as it")
        return VERSIONS[number]
    if value is None:
        problems.add("feed", 'no "version"; read as JSON Feed 1.1: its items are JSON Feed items')
        return "json"
    problems.add(
        "feed",
        f"version {value!r} is not JSON Feed 1 or 1.1; read as JSON Feed 1.1, "
        "fields it does not define are ignored",
    )
    return "json"


def _version_number(text: str) -> tuple[int, ...]:
    """(1, 1) for "1.1"; trailing zeros dropped, so "1.0" is version 1."""
    parts = [int(p) for p in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _looks_like_json_feed(doc: Object) -> bool:
    """The shape of a JSON Feed without its version URL: an ``items`` array
    whose objects carry the content field every JSON Feed item must have.
    (Many JSON APIs answer with an ``items`` array; their items do not.)"""
    items = doc.get("items")
    return isinstance(items, list) and any(
        isinstance(i, dict) and ("content_html" in i or "content_text" in i) for i in items
    )


def _not_a_json_feed(doc: Object) -> str:
    channel = doc.get("rss")
    if isinstance(channel, dict) and "channel" in channel:
        return (
            'JSON, but not a JSON Feed: it is "RSS in JSON" (an rss.channel object); '
            "read the site's RSS or JSON Feed URL instead"
        )
    keys = ", ".join(repr(k) for k in list(doc)[:8]) or "none"
    return (
        'JSON, but not a JSON Feed: no "version" naming https://jsonfeed.org/version/1.1 '
        f'and no "items" of feed items (top-level keys: {keys})'
    )


# -- items --------------------------------------------------------------------


def _items(doc: Object, problems: _Problems) -> list[Any]:
    items = doc.get("items")
    if items is None:
        problems.add("feed", 'no "items" array')
        return []
    if not isinstance(items, list):
        problems.add("feed", f"items is {_kind(items)}, not an array; no items read")
        return []
    return items


def _entry(
    item: Any, number: int, feed_authors: tuple[str, ...], problems: _Problems
) -> RawEntry | None:
    if not isinstance(item, dict):
        problems.add(f"item #{number}", f"{_kind(item)}, not an object; skipped")
        return None
    guid = _id(item, f"item #{number}", problems)
    url_where = f"item #{number}" if guid is None else f"item {guid!r}"
    url = _string(item, "url", url_where, problems)
    where = f"item {guid!r}" if guid else f"item {url!r}" if url else f"item #{number}"
    external = _string(item, "external_url", where, problems)
    content = _content(item, where, problems)
    summary = _string(item, "summary", where, problems)
    authors = _authors(item, where, problems)
    return RawEntry(
        title=_plain(_string(item, "title", where, problems)),
        link=url or external,
        guid=guid,
        published=_string(item, "date_published", where, problems),
        updated=_string(item, "date_modified", where, problems),
        creators=feed_authors if authors is None else authors,
        categories=_tags(item, where, problems),
        summary_html=_paragraphs(summary) if summary else content,
        content_html=content,
        links=tuple(dict.fromkeys(u for u in (url, external) if u)),
    )


def _id(item: Object, where: str, problems: _Problems) -> str | None:
    """The id as a string: "If an id is presented as a number or other type,
    a JSON Feed reader must coerce it to a string" (JSON Feed 1.1)."""
    value = item.get("id")
    if isinstance(value, bool | int | float):
        return json.dumps(value)  # as JSON writes it: 3.1415, true
    if value is not None and not isinstance(value, str):
        problems.add(where, f"id is {_kind(value)}, not a string; ignored")
        return None
    return _text(value)


_ESCAPED_TAG = re.compile(r"&lt;/?[A-Za-z][A-Za-z0-9]*(?:\s|/?&gt;)")


def _content(item: Object, where: str, problems: _Problems) -> str | None:
    """The body as HTML: ``content_html``, else ``content_text`` made HTML."""
    body = _string(item, "content_html", where, problems)
    text = _string(item, "content_text", where, problems)
    if body and "<" not in body and _ESCAPED_TAG.search(body):
        problems.add(where, "content_html is HTML escaped twice (&lt;p&gt;); unescaped once")
        body = html.unescape(body)
    return body or (_paragraphs(text) if text else None)


def _authors(obj: Object, where: str, problems: _Problems) -> tuple[str, ...] | None:
    """Names of ``authors`` (1.1), else of ``author`` (1.0); None when the
    object gives neither, so the item falls back to the feed's authors."""
    authors = obj.get("authors")
    if isinstance(authors, list) and authors:
        names = (_name(a, f"authors[{i}]", where, problems) for i, a in enumerate(authors))
        return tuple(n for n in names if n)
    if authors is not None and not isinstance(authors, list):
        problems.add(where, f"authors is {_kind(authors)}, not an array; ignored")
    author = obj.get("author")
    if author is None:
        return None
    name = _name(author, "author", where, problems)
    if not isinstance(author, dict):  # reported: the feed's authors stand in
        return None
    return (name,) if name else ()


def _name(author: Any, field: str, where: str, problems: _Problems) -> str | None:
    if not isinstance(author, dict):
        problems.add(where, f"{field} is {_kind(author)}, not an object; ignored")
        return None
    # Plain text like titles: creators are read as HTML downstream (as RSS
    # dc:creator is), so "<em>" in a JSON name must stay text, not be dropped.
    return _plain(_string(author, "name", where, problems, field=f"{field}.name"))


def _tags(item: Object, where: str, problems: _Problems) -> tuple[str, ...]:
    tags = item.get("tags")
    if tags is None:
        return ()
    if isinstance(tags, str):
        problems.add(where, "tags is a string, not an array; read as comma-separated tags")
        tags = tags.split(",")
    elif not isinstance(tags, list):
        problems.add(where, f"tags is {_kind(tags)}, not an array; ignored")
        return ()
    out = []
    for i, tag in enumerate(tags):
        if isinstance(tag, str):
            if text := _plain(_text(tag)):  # plain text, read as HTML downstream
                out.append(text)
        elif tag is not None:
            problems.add(where, f"tags[{i}] is {_kind(tag)}, not a string; ignored")
    return tuple(dict.fromkeys(out))  # a repeated tag counts once


# -- values -------------------------------------------------------------------


def _string(
    obj: Object, key: str, where: str, problems: _Problems, *, field: str | None = None
) -> str | None:
    """A string field, stripped; a value of another type is reported and ignored."""
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return _text(value)
    problems.add(where, f"{field or key} is {_kind(value)}, not a string; ignored")
    return None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: str | None) -> str | None:
    """Stripped text, or None for nothing.  JSON may escape lone surrogates
    ("\\ud800"), which no UTF-8 output can write: they become U+FFFD."""
    if value is None:
        return None
    text = _LONE_SURROGATE.sub("\ufffd", value).strip()
    return text or None


#: ``&`` that does not start a character reference: escaped.
_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def _plain(text: str | None) -> str | None:
    """Plain text as HTML that reads back as the same text (see the module
    docstring for why character references are kept)."""
    if text is None:
        return None
    return _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _paragraphs(text: str) -> str:
    """Plain text as HTML with its blank lines as paragraphs and its other
    line breaks as <br>, so that html_to_lines sees the same lines."""
    escaped = _plain(text.replace("\r\n", "\n").replace("\r", "\n")) or ""
    blocks = [b.strip() for b in re.split(r"\n[ \t]*\n", escaped) if b.strip()]
    if len(blocks) == 1 and "\n" not in blocks[0]:
        return blocks[0]
    return "".join("<p>" + b.replace("\n", "<br>") + "</p>" for b in blocks)


def _kind(value: Any) -> str:
    """How a JSON value's type is named in messages."""
    if isinstance(value, bool):
        return f"a boolean ({json.dumps(value)})"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


class _Problems:
    """Warnings, one line each; the same problem in many items is one line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._where: dict[str, list[str]] = {}

    def add(self, where: str, message: str) -> None:
        self._where.setdefault(message, []).append(where)

    def lines(self) -> tuple[str, ...]:
        return tuple(
            f"{self.source}: {where[0]}"
            + (f" and {len(where) - 1} more" if len(where) > 1 else "")
            + f": {message}"
            for message, where in self._where.items()
        )
