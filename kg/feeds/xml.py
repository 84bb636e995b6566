"""The fast reader: well-formed RSS 0.9x/1.0/2.0 and Atom 1.0 read with lxml.

This is the only module that imports lxml.  :func:`parse` returns a
:class:`~kg.types.RawFeed` or raises :class:`Declined`, and
:func:`kg.feeds.read_feed` then asks the feedparser adapter
(:mod:`kg.feeds.feedparser`), which is several times slower but recovers
what only it can: documents that are not well-formed, bytes that do not
decode as declared, DOCTYPEs and their entities, XML 1.1, Atom 0.3.

How it reads
    Written from the specifications (RSS 2.0; RSS 1.0 with its Dublin Core
    and content modules; Atom, RFC 4287), not from feedparser.  Each format
    is a table from element name to a handler that files the value in a
    feedparser-shaped dict, which :func:`kg.feeds._records.raw_feed` turns
    into the record for both readers, so the choices made there are shared.
    Only direct children of channel, item, feed and entry are read.  Where
    the specifications leave a choice open the adapter's answer is taken
    (first title, last date, a second description is a body, content fills
    a missing summary); tests/test_feeds_xml.py compares the readers and
    names every difference it allows.  Markup without a rule here (non-text
    Atom content, foreign elements in XHTML) is declined, not guessed.

Security
    Feeds are untrusted.  The lxml parser never loads a DTD, never
    substitutes entities, never touches the network, drops comments and
    processing instructions, and keeps libxml2's limits on text size, depth
    and entity amplification (no ``huge_tree``).  Documents with a DOCTYPE
    are declined before lxml sees them; the adapter refuses entity bombs.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from kg.feeds._records import raw_feed
from kg.types import RawFeed

Fields = dict[str, Any]  #: one feed or entry, shaped as feedparser shapes it
Handler = Callable[[Fields, Any], None]


class Declined(Exception):
    """Not an error: the feedparser adapter must read this document.

    ``reason`` says why, for benchmarks and debugging."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse(data: bytes, *, source: str) -> RawFeed:
    """Read a well-formed feed, or raise :class:`Declined`."""
    utf8 = _utf8(data)
    start = _ELEMENT_START.search(utf8)
    if b"<!DOCTYPE" in utf8[: start.start() if start else None]:
        raise Declined("has a DOCTYPE (feedparser strips it and its entities)")
    root = _parse_untrusted(utf8)
    if root.getroottree().docinfo.doctype:
        raise Declined("has a DOCTYPE (feedparser strips it and its entities)")
    read = _READERS.get(root.tag)
    if read is None:
        raise Declined(f"not an RSS or Atom document (root element {root.tag!r})")
    version, feed, entries = read(root)
    return raw_feed(source=source, version=version, feed=feed, entries=entries)


# -- bytes to a tree ----------------------------------------------------------

_DECLARATION = re.compile(rb"<\?xml\s[^>]*?\?>")
_PSEUDO_ATTRIBUTE = re.compile(rb"""(version|encoding)\s*=\s*["']([^"']*)["']""")
_BOMS = {
    codecs.BOM_UTF8: "utf-8",
    codecs.BOM_UTF32_LE: "utf-32-le",  # before UTF-16 LE: it starts the same
    codecs.BOM_UTF32_BE: "utf-32-be",
    codecs.BOM_UTF16_LE: "utf-16-le",
    codecs.BOM_UTF16_BE: "utf-16-be",
}


def _utf8(data: bytes) -> bytes:
    """The document as UTF-8 without a BOM: a BOM decides, else the declaration,
    else UTF-8 (XML 1.0, section 4.3.3).  Bytes that do not decode are declined.

    Whitespace before the XML declaration (publishers' templates emit a blank
    line) is dropped: it makes the document ill-formed but changes nothing else."""
    encoding = None
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            encoding, data = name, data[len(bom) :]
            break
    if encoding is None and data[:1].isspace() and data.lstrip().startswith(b"<?xml"):
        data = data.lstrip()
    if encoding is None and b"\x00" in data[:2]:
        raise Declined("UTF-16/32 without a byte order mark")
    try:
        text = data.decode(encoding) if encoding else None
        head = text[:200].encode("ascii", "replace") if text is not None else data[:200]
        match = _DECLARATION.match(head.lstrip())
        declared = dict(_PSEUDO_ATTRIBUTE.findall(match.group())) if match else {}
        if declared.get(b"version", b"1.0") != b"1.0":
            raise Declined("not XML 1.0 (libxml2 reads XML 1.1 as 1.0)")
        if text is None:
            encoding = codecs.lookup(declared.get(b"encoding", b"utf-8").decode("ascii")).name
            if encoding == "utf-8":
                data.decode(encoding)  # only checked
                return data
            # GB2312 and GBK labels mean the GB18030 decoder (WHATWG Encoding, 10.1)
            text = data.decode("gb18030" if encoding in ("gb2312", "gbk") else encoding)
    except (UnicodeError, LookupError) as e:
        raise Declined(f"bytes do not decode in the declared character encoding ({e})") from e
    return text.encode("utf-8")


def _parse_untrusted(utf8: bytes) -> Any:
    """Parse with no DTD, no entity substitution (no XXE, no expansion bombs),
    no network and libxml2's size and depth limits (no ``huge_tree``); a new
    parser per call, as lxml parsers are not thread-safe."""
    parser = etree.XMLParser(
        encoding="utf-8",  # _utf8() transcoded; the declaration may say otherwise
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
        recover=False,
        collect_ids=False,
    )
    try:
        root = etree.fromstring(utf8, parser)
    except (etree.XMLSyntaxError, ValueError) as e:
        raise Declined(f"not well-formed XML ({e})") from e
    if len(parser.error_log):
        raise Declined(f"libxml2 warned: {parser.error_log[0].message}")
    return root


_ELEMENT_START = re.compile(rb"<[^?!]")

# -- values -------------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_XML = "{http://www.w3.org/XML/1998/namespace}"
_C1 = re.compile("[\x80-\x9f]")
_LATIN1_HIGH = re.compile("[\x80-\xff]")
_WINDOWS_1252 = {c: bytes([c]).decode("cp1252", "ignore") or chr(c) for c in range(0x80, 0xA0)}
_EMAIL = r"[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+"
_MAIL_AND_NAME = re.compile(rf"^{_EMAIL}\s*\((.*)\)$|^(.*?)\s*<{_EMAIL}>$|^{_EMAIL}$()")


def _text(el: Any) -> str:
    """An element's text; markup inside it (RSS allows none) serialised back."""
    text: str = (el.text or "" if not len(el) else _inner_markup(el, "")).strip()
    return text if text.isascii() or not _LATIN1_HIGH.search(text) else _repair(text)


def _repair(text: str) -> str:
    """Undo UTF-8 read as Latin-1 ("Ã©" for "é"); else read C1 controls, which
    never mean themselves in a feed, as HTML does (&#150; is an en dash)."""
    with contextlib.suppress(UnicodeError):
        return text.encode("latin-1").decode("utf-8")
    return text.translate(_WINDOWS_1252) if _C1.search(text) else text


def _inner_markup(el: Any, namespace: str) -> str:
    """Serialise what is inside ``el``; children must be in ``namespace``."""
    out = [_escape(el.text or "")]
    for child in el:
        tag = child.tag
        name = tag[len(namespace) :] if isinstance(tag, str) and tag.startswith(namespace) else ""
        if not name or name.startswith("{"):
            raise Declined(f"markup in a foreign namespace inside a text field ({tag!r})")
        attrs = "".join(f' {k}="{_escape(v, True)}"' for k, v in child.attrib.items())
        if "{" in attrs:
            raise Declined("namespaced attribute inside a text field")
        out.append(f"<{name}{attrs}>{_inner_markup(child, namespace)}</{name}>")
        out.append(_escape(child.tail or ""))
    return "".join(out)


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def _uri(el: Any, uri: str) -> str:
    """``uri`` resolved against the xml:base in scope (none: left as written)."""
    uri = uri.strip().replace("&amp;", "&")  # "&amp;amp;" written for "&amp;"
    bases = [b for e in (el, *el.iterancestors()) if (b := e.get(_XML + "base")) is not None]
    base = ""
    for b in reversed(bases):
        base = urllib.parse.urljoin(base, b.strip())
    return urllib.parse.urljoin(base, uri) if base else uri


def _person_name(text: str) -> str:
    """RSS <author> holds a mail address, often "mail@host (Name)": the name."""
    text = text.strip()
    match = _MAIL_AND_NAME.match(text)
    return next((g for g in match.groups() if g is not None), "") if match else text


# -- handlers: file one element's value ---------------------------------------


def _first(key: str, read: Callable[[Any], str] = lambda el: _text(el)) -> Handler:
    """File the first non-empty value (later ones are ignored)."""

    def handle(fields: Fields, el: Any) -> None:
        if not fields.get(key):
            fields[key] = read(el)

    return handle


def _last(key: str, read: Callable[[Any], str] = lambda el: _text(el)) -> Handler:
    """File the last non-empty value (it replaces earlier ones)."""

    def handle(fields: Fields, el: Any) -> None:
        if value := read(el):
            fields[key] = value

    return handle


def _rss_link(fields: Fields, el: Any) -> None:
    if href := _text(el):
        fields["links"].append({"rel": "alternate", "href": _uri(el, href)})


def _atom_link(fields: Fields, el: Any) -> None:
    # href="" is the base itself (RFC 3986, 5.2), when there is one
    if href := _uri(el, el.get("href") or ""):
        fields["links"].append({"rel": el.get("rel", "alternate"), "href": href})


def _guid(fields: Fields, el: Any) -> None:
    if guid := _text(el):
        fields["id"] = guid
        if (el.get("isPermaLink") or "").lower() != "false":
            fields["link"] = guid


def _creator(fields: Fields, el: Any) -> None:
    fields["authors"].append({"name": _person_name(_text(el))})


def _atom_person(fields: Fields, el: Any) -> None:
    name = el.find(_ATOM + "name")
    fields["authors"].append({"name": _text(name) if name is not None else ""})


def _tag(fields: Fields, term: str, scheme: str | None, label: str | None = None) -> None:
    tag = {"term": term.strip(), "scheme": scheme, "label": label}
    if tag["term"] and tag not in fields["tags"]:  # a repeated category counts once
        fields["tags"].append(tag)


def _category(fields: Fields, el: Any) -> None:
    _tag(fields, _text(el), el.get("domain"))


def _atom_category(fields: Fields, el: Any) -> None:
    _tag(fields, el.get("term") or "", el.get("scheme"), el.get("label"))


def _description(fields: Fields, el: Any) -> None:
    """The summary; a second description is a second body (the full text)."""
    if "summary" in fields:
        _body(fields, el)
    else:
        fields["summary"] = _text(el)


def _body(fields: Fields, el: Any) -> None:
    fields["content"].append({"value": _text(el)})


def _atom_text(el: Any) -> str:
    """Atom text (RFC 4287 3.1): text, html as is; xhtml from inside its div."""
    kind = el.get("type", "text")
    if kind in ("xhtml", "application/xhtml+xml"):
        div = el[0] if len(el) == 1 else None
        if div is None or div.tag != _XHTML + "div" or (el.text or "").strip():
            raise Declined("XHTML text not wrapped in one xhtml:div")
        return _inner_markup(div, _XHTML).strip()
    if kind not in ("text", "html", "text/plain", "text/html") or len(el):
        raise Declined(f"Atom text of type {kind!r} or with markup inside")
    return _text(el)


def _atom_content(fields: Fields, el: Any) -> None:
    if el.get("src") is None:  # out-of-line content has no body here
        fields["content"].append({"value": _atom_text(el)})


def _atom_summary(fields: Fields, el: Any) -> None:
    fields["summary"] = _atom_text(el)  # even empty: then content does not stand in


def _atom_id(fields: Fields, el: Any) -> None:
    if text := _text(el):
        fields["id"] = _uri(el, text)


# -- the formats --------------------------------------------------------------

_COMMON: dict[str, Handler] = {  # modules any of the formats may carry
    _DC + "title": _first("title"),
    _DC + "creator": _creator,
    _DC + "subject": _category,
    _DC + "date": _last("updated"),
    _DCTERMS + "modified": _last("updated"),
    _DC + "language": _last("language"),
    _ATOM + "link": _atom_link,
    _ATOM + "updated": _last("updated"),
    _ATOM + "author": _atom_person,
}


def _rss_table(ns: str) -> dict[str, Handler]:
    """RSS 0.9x/2.0 (no namespace) and RSS 1.0/0.90 (``ns``) channel and item."""
    return _COMMON | {
        ns + "title": _first("title"),
        ns + "link": _rss_link,
        ns + "description": _description,
        ns + "language": _last("language"),
        ns + "lastBuildDate": _last("updated"),
        ns + "pubDate": _last("published"),
        ns + "guid": _guid,
        ns + "author": _creator,
        ns + "category": _category,
        "{http://purl.org/rss/1.0/modules/content/}encoded": _body,
        "{http://www.itunes.com/dtds/podcast-1.0.dtd}author": _creator,
    }


_ATOM_TABLE: dict[str, Handler] = _COMMON | {
    _ATOM + "title": _first("title", _atom_text),
    _ATOM + "id": _atom_id,
    _ATOM + "published": _last("published"),
    _ATOM + "category": _atom_category,
    _ATOM + "summary": _atom_summary,
    _ATOM + "content": _atom_content,
}
_RSS = _rss_table("")
_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_RSS_NAMESPACES = {
    "{http://purl.org/rss/1.0/}": "rss10",
    "{http://my.netscape.com/rdf/simple/0.9/}": "rss090",
}
_RDF_TABLES = {ns: _rss_table(ns) for ns in _RSS_NAMESPACES}


_FOAF = "{http://xmlns.com/foaf/0.1/}"
_META_NAMESPACES = {
    _DC: "dc",
    _DCTERMS: "dcterms",
    "{http://arxiv.org/schemas/atom}": "arxiv",
    "{http://www.w3.org/2005/Atom}": "",  # never metadata: read by the tables
}


@functools.cache
def _meta_prefix(namespace: str) -> str:
    """The fixed prefix of a bibliographic vocabulary, or "" for any other.

    PRISM has had several namespace URIs (1.2, 2.0, 3.0, purl.org copies), and
    OUP writes the invalid ``xmlns:prism="prism"``: any namespace naming prism
    is PRISM."""
    known = _META_NAMESPACES.get(namespace)
    if known is not None:
        return known
    lowered = namespace.lower()
    if lowered == "{prism}" or "prismstandard.org" in lowered or "/prism" in lowered:
        return "prism"
    return ""


def _meta(fields: Fields, el: Any) -> None:
    """File every bibliographic element, repeated ones included (feedparser
    keeps only the last dc:identifier, losing the DOI that came first)."""
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return
    namespace, _, local = tag.partition("}")
    if namespace + "}" == _FOAF and local == "maker":
        for person in el.iter(_FOAF + "Person"):
            family = person.findtext(_FOAF + "familyName") or person.findtext(_FOAF + "surname")
            given = person.findtext(_FOAF + "givenName") or person.findtext(_FOAF + "firstName")
            name = f"{family.strip()}, {(given or '').strip()}".strip(", ") if family else ""
            if name := name or (person.findtext(_FOAF + "name") or "").strip():
                fields["meta"].append(("foaf:maker", name))
        return
    prefix = _meta_prefix(namespace + "}")
    if not prefix:
        return
    value = _text(el) if not len(el) else " ".join(el.itertext()).strip()
    if not value:
        value = (el.get(_RDF + "resource") or "").strip()
    if value:
        fields["meta"].append((f"{prefix}:{local}", value))


def _fields(el: Any, table: dict[str, Handler]) -> Fields:
    """The values of ``el``'s children, filed by ``table``."""
    fields: Fields = {"links": [], "authors": [], "tags": [], "content": [], "meta": []}
    for child in el:
        handle = table.get(child.tag)
        if handle is not None:
            handle(fields, child)
        _meta(fields, child)
    if "summary" not in fields and fields["content"]:
        fields["summary"] = fields["content"][0]["value"]
    return fields


def _read_rss(root: Any) -> tuple[str, Fields, list[Fields]]:
    channel = root.find("channel")
    if channel is None:
        raise Declined("RSS without a <channel>")
    version = (root.get("version") or "").strip()
    feed = _fields(channel, _RSS)
    feed.setdefault("language", root.get(_XML + "lang"))
    items = [*channel.iterchildren("item"), *root.iterchildren("item")]
    entries = [_fields(item, _RSS) for item in items]
    return _RSS_VERSIONS.get(version, "rss20" if version.startswith("2.") else "rss"), feed, entries


def _read_rdf(root: Any) -> tuple[str, Fields, list[Fields]]:
    ns = next((n for n in _RSS_NAMESPACES if root.find(n + "channel") is not None), None)
    if ns is None:
        raise Declined("RDF without an RSS 1.0 or 0.90 channel")
    entries = []
    for item in root.iterchildren(ns + "item"):
        entry = _fields(item, _RDF_TABLES[ns])
        entry.setdefault("id", item.get(_RDF + "about"))  # the item's URI is its id
        if about := (item.get(_RDF + "about") or "").strip():
            entry["meta"].append(("rdf:about", about))
        entries.append(entry)
    return _RSS_NAMESPACES[ns], _fields(root.find(ns + "channel"), _RDF_TABLES[ns]), entries


def _read_atom(root: Any) -> tuple[str, Fields, list[Fields]]:
    feed = _fields(root, _ATOM_TABLE)
    if lang := root.get(_XML + "lang"):
        feed["language"] = lang.replace("_", "-")
    entries = [_fields(entry, _ATOM_TABLE) for entry in root.iterchildren(_ATOM + "entry")]
    return "atom10", feed, entries


_READERS = {"rss": _read_rss, _RDF + "RDF": _read_rdf, _ATOM + "feed": _read_atom}
