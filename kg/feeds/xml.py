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

Memory
    The entries of a document over 1 MiB are read as libxml2's push parser
    reaches their end tags, and emptied, so a large feed's tree and its
    records are not both held whole (see :class:`_Reading`).  Only a document
    the push parser accepts without a warning is read that way; any other is
    parsed again whole, and that parser's verdict and messages decide.
    tests/test_reader_speed_equivalence.py holds the result to what reading
    after a whole-document parse gives.

Security
    Feeds are untrusted.  The lxml parsers (both take :data:`_PARSER_OPTIONS`)
    never load a DTD, never substitute entities, never touch the network,
    drop comments and processing instructions, and keep libxml2's limits on
    text size, depth and entity amplification (no ``huge_tree``).  Documents with a DOCTYPE
    are declined before lxml sees them; the adapter refuses entity bombs.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any, cast

from lxml import etree  # type: ignore[import-untyped]

from kg.feeds._records import raw_entry, raw_feed
from kg.types import RawEntry, RawFeed

Fields = dict[str, Any]  #: one feed or entry, shaped as feedparser shapes it
Entry = Fields | RawEntry  #: an entry's fields, or its record when built early
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
    reading = _Reading()
    # Within one piece the push parser saves nothing and costs a little more.
    root = _parse_streaming(utf8, reading) if len(utf8) > _FEED_BYTES else None
    if root is None:  # refused or warned (or not tried): the usual parser's verdict stands
        reading = _Reading()
        root = _parse_untrusted(utf8)
    if root.getroottree().docinfo.doctype:
        raise Declined("has a DOCTYPE (feedparser strips it and its entities)")
    read = _READERS.get(root.tag)
    if read is None:
        raise Declined(f"not an RSS or Atom document (root element {root.tag!r})")
    version, feed, entries = read(root, reading)
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
                _check_utf8(data)
                return data
            # GB2312 and GBK labels mean the GB18030 decoder (WHATWG Encoding, 10.1)
            text = data.decode("gb18030" if encoding in ("gb2312", "gbk") else encoding)
    except (UnicodeError, LookupError) as e:
        raise Declined(f"bytes do not decode in the declared character encoding ({e})") from e
    return text.encode("utf-8")


_CHECK_CHUNK = 1 << 14  #: small enough that each piece's str stays in the CPU cache: 3x faster


def _check_utf8(data: bytes) -> None:
    """Raise what ``data.decode("utf-8")`` would, without building the str:
    for a large feed of non-Latin-1 text that str is twice to four times the
    document's size, and it was the reader's peak memory."""
    if data.isascii():
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHECK_CHUNK):
            decoder.decode(view[start : start + _CHECK_CHUNK], len(data) - start <= _CHECK_CHUNK)
    except UnicodeDecodeError:
        data.decode("utf-8")  # the same error, placed in the whole document
        raise


#: No DTD, no entity substitution (no XXE, no expansion bombs), no network and
#: libxml2's size and depth limits (no ``huge_tree``).
_PARSER_OPTIONS: dict[str, Any] = {
    "encoding": "utf-8",  # _utf8() transcoded; the declaration may say otherwise
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
    "strip_cdata": True,
    "recover": False,
    "collect_ids": False,
}


def _parse_untrusted(utf8: bytes) -> Any:
    """Parse with :data:`_PARSER_OPTIONS`; a new parser per call, as lxml
    parsers are not thread-safe.  Its messages are the reasons given for
    declining a document, whichever parser found the fault first."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(utf8, parser)
    except (etree.XMLSyntaxError, ValueError) as e:
        raise Declined(f"not well-formed XML ({e})") from e
    if len(parser.error_log):
        raise Declined(f"libxml2 warned: {parser.error_log[0].message}")
    return root


_ELEMENT_START = re.compile(rb"<[^?!]")
_FEED_BYTES = 1 << 20  #: handed to the push parser at a time: the tree holds about this much


def _parse_streaming(utf8: bytes, reading: _Reading) -> Any:
    """Parse as :func:`_parse_untrusted` does, but reading each entry when its
    end tag is parsed and then dropping its contents (see :class:`_Reading`),
    so that the whole tree and the whole result are never held at once: for
    a large feed that was most of the peak memory.

    None when the document is not well-formed or libxml2 warned: the caller
    then parses it again with :func:`_parse_untrusted`, whose verdict and
    messages stand (libxml2's push parser words some of them differently)."""
    parser = etree.XMLPullParser(events=("end",), tag=_ENTRY_TAGS, **_PARSER_OPTIONS)
    try:
        for start in range(0, len(utf8), _FEED_BYTES):
            parser.feed(utf8[start : start + _FEED_BYTES])
            for _event, element in parser.read_events():
                reading.read_ahead(element)
        root = parser.close()
    except (etree.XMLSyntaxError, ValueError):
        return None
    return None if len(parser.feed_error_log) else root  # error_log is the pull parser's


# -- values -------------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_XML = "{http://www.w3.org/XML/1998/namespace}"
#: C1 controls (U+0080-U+009F) as UTF-8: 0xC2 only ever leads a character,
#: and a bytes search for it is several times faster than a str class search
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_WINDOWS_1252 = {c: bytes([c]).decode("cp1252", "ignore") or chr(c) for c in range(0x80, 0xA0)}
_EMAIL = r"[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+"
_MAIL_AND_NAME = re.compile(rf"^{_EMAIL}\s*\((.*)\)$|^(.*?)\s*<{_EMAIL}>$|^{_EMAIL}$()")


def _text(el: Any) -> str:
    """An element's text; markup inside it (RSS allows none) serialised back."""
    if len(el):
        text = _inner_markup(el, "").strip()
        return text if text.isascii() else _repair(text)
    text = (el.text or "").strip()
    if text.isascii():
        return text
    # Most non-ASCII text has nothing in U+0080-U+00FF, and then _repair
    # returns it unchanged.  libxml2's own UTF-8 of the (unstripped) text tells
    # that with a byte search, where a search of the str scanned it slowly.
    utf8 = etree.tostring(el, method="text", encoding="utf-8", with_tail=False)
    if b"\xc2" not in utf8 and b"\xc3" not in utf8:  # the lead bytes of U+0080-U+00FF
        return text
    return _repair(text, utf8)


def _repair(text: str, utf8: bytes | None = None) -> str:
    """Undo UTF-8 read as Latin-1 ("Ã©" for "é"); else read C1 controls, which
    never mean themselves in a feed, as HTML does (&#150; is an en dash).

    ``utf8`` may be given to save encoding ``text`` again: the UTF-8 of any
    text that contains every character of ``text`` (it only rules C1 out)."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass
    if _C1_UTF8.search(text.encode("utf-8", "surrogatepass") if utf8 is None else utf8) is None:
        return text
    return text.translate(_WINDOWS_1252)  # maps C1 only: a false alarm changes nothing


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


def _first(key: str, read: Callable[[Any], str] = _text) -> Handler:
    """File the first non-empty value (later ones are ignored)."""

    def handle(fields: Fields, el: Any) -> None:
        if not fields.get(key):
            fields[key] = read(el)

    return handle


def _last(key: str, read: Callable[[Any], str] = _text) -> Handler:
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
    # A repeated category counts once.  The set stands for "not in the list":
    # comparing each new tag with every dict before it was quadratic.
    key = (term.strip(), scheme, label)
    if key[0] and key not in fields["tag_keys"]:
        fields["tag_keys"].add(key)
        fields["tags"].append({"term": key[0], "scheme": scheme, "label": label})


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


def _meta_handler(tag: Any) -> Handler | None:
    """How elements named ``tag`` are filed as bibliographic metadata (None:
    they are not).  Decided once per name: see :class:`_Plans`."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return None
    namespace, _, local = tag.partition("}")
    if namespace + "}" == _FOAF and local == "maker":
        return _foaf_maker
    prefix = _meta_prefix(namespace + "}")
    return functools.partial(_meta_value, f"{prefix}:{local}") if prefix else None


def _meta_value(name: str, fields: Fields, el: Any) -> None:
    """File every bibliographic element, repeated ones included (feedparser
    keeps only the last dc:identifier, losing the DOI that came first)."""
    value = _text(el) if not len(el) else " ".join(el.itertext()).strip()
    if not value:
        value = (el.get(_RDF + "resource") or "").strip()
    if value:
        fields["meta"].append((name, value))


def _foaf_maker(fields: Fields, el: Any) -> None:
    """One name per foaf:Person: "Family, Given" where the parts are given, else foaf:name."""
    for person in el.iter(_FOAF + "Person"):
        family = person.findtext(_FOAF + "familyName") or person.findtext(_FOAF + "surname")
        given = person.findtext(_FOAF + "givenName") or person.findtext(_FOAF + "firstName")
        name = f"{family.strip()}, {(given or '').strip()}".strip(", ") if family else ""
        if name := name or (person.findtext(_FOAF + "name") or "").strip():
            fields["meta"].append(("foaf:maker", name))


class _Plans(dict[Any, tuple[Handler, ...]]):
    """The handlers for a child element, by its tag: the table's, then the
    bibliographic one.  Working both out for every element anew was most of
    the time spent reading fields; the answers are kept for one document only,
    so a hostile feed's made-up names cannot grow the cache past its own size."""

    def __init__(self, table: dict[str, Handler]) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, tag: Any) -> tuple[Handler, ...]:
        plan = tuple(h for h in (self.table.get(tag), _meta_handler(tag)) if h is not None)
        self[tag] = plan
        return plan


def _fields(el: Any, plans: _Plans) -> Fields:
    """The values of ``el``'s children, filed by the handlers ``plans`` names."""
    fields: Fields = {
        "links": [],
        "authors": [],
        "tags": [],
        "tag_keys": set(),  # see _tag
        "content": [],
        "meta": [],
    }
    for child in el:
        for handle in plans[child.tag]:
            handle(fields, child)
    if "summary" not in fields and fields["content"]:
        fields["summary"] = fields["content"][0]["value"]
    return fields


_ENTRY_TAGS = ["item", _ATOM + "entry", *(ns + "item" for ns in _RSS_NAMESPACES)]
_RDF_ITEM_TABLES = {ns + "item": table for ns, table in _RDF_TABLES.items()}


class _Reading:
    """One document's reading: its handler plans, and the entries read while
    the push parser is still building the tree.

    An entry is read at its end tag if it is one the reader will ask for (an
    RSS item of the first channel or of the root, an Atom entry, an RDF item)
    and its contents are then deleted; its attributes stay, and so does the
    empty element, so the tree keeps its shape.  An entry's fields depend only
    on the entry and its ancestors' start tags, all parsed by then, so they
    are what the reader would find later.  An exception is kept, not raised,
    and the reader raises it when it comes to that entry: a document that
    turns out not to be well-formed, or fails on an earlier entry or in the
    channel, fails as it did when everything was read after parsing.

    RSS and Atom entries are made records at once (RDF ones are not: the
    reader adds the item's URI), so that the fields' dicts, a quarter of the
    memory an entry takes, are not all held until the end."""

    def __init__(self) -> None:
        self._plans: dict[int, _Plans] = {}
        self._ahead: dict[Any, Entry | Exception] = {}  # by element: proxies stay alive
        self._root: Any = None
        self._channel: Any = None
        self._failed = False

    def plans(self, table: dict[str, Handler]) -> _Plans:
        """The one :class:`_Plans` of ``table`` for this document."""
        plans = self._plans.get(id(table))
        if plans is None:
            plans = self._plans[id(table)] = _Plans(table)
        return plans

    def read_ahead(self, element: Any) -> None:
        """Read an entry whose end tag was just parsed, then empty it."""
        table = None if self._failed else self._table(element)
        if table is None:
            return
        try:
            fields = _fields(element, self.plans(table))
        except Exception as e:  # raised in the reader's order, see the class
            self._ahead[element] = e
            self._failed = True  # the rest is left to the reader
            return
        entry: Entry = fields
        if self._root.tag != _RDF + "RDF":
            with contextlib.suppress(Exception):  # raw_feed meets it again, in order
                entry = raw_entry(fields, rss=self._root.tag == "rss")
        self._ahead[element] = entry
        del element[:]

    def _table(self, element: Any) -> dict[str, Handler] | None:
        """The table the reader will read ``element`` with, if it reads it."""
        parent = element.getparent()
        if parent is None:
            return None
        if self._root is None:
            self._root = element.getroottree().getroot()
        root, tag = self._root, element.tag
        if root.tag == "rss" and tag == "item":
            if parent is root:
                return _RSS
            if self._channel is None:  # the first <channel> is the first one begun
                self._channel = root.find("channel")
            return _RSS if parent is self._channel else None
        if parent is not root:
            return None
        if root.tag == _ATOM + "feed":
            return _ATOM_TABLE if tag == _ATOM + "entry" else None
        return _RDF_ITEM_TABLES.get(tag) if root.tag == _RDF + "RDF" else None

    def entries(self, items: Iterable[Any], plans: _Plans) -> list[Entry]:
        """The fields (or records) of ``items``, read ahead or now."""
        entries: list[Entry] = []
        for item in items:
            ahead = self._ahead.get(item)
            if ahead is None:
                entries.append(_fields(item, plans))
            elif isinstance(ahead, Exception):
                raise ahead
            else:
                entries.append(ahead)
        return entries


def _read_rss(root: Any, reading: _Reading) -> tuple[str, Fields, list[Entry]]:
    channel = root.find("channel")
    if channel is None:
        raise Declined("RSS without a <channel>")
    version = (root.get("version") or "").strip()
    plans = reading.plans(_RSS)
    feed = _fields(channel, plans)
    feed.setdefault("language", root.get(_XML + "lang"))
    items = [*channel.iterchildren("item"), *root.iterchildren("item")]
    entries = reading.entries(items, plans)
    return _RSS_VERSIONS.get(version, "rss20" if version.startswith("2.") else "rss"), feed, entries


def _read_rdf(root: Any, reading: _Reading) -> tuple[str, Fields, list[Entry]]:
    ns = next((n for n in _RSS_NAMESPACES if root.find(n + "channel") is not None), None)
    if ns is None:
        raise Declined("RDF without an RSS 1.0 or 0.90 channel")
    plans = reading.plans(_RDF_TABLES[ns])
    items = list(root.iterchildren(ns + "item"))
    entries = reading.entries(items, plans)
    for item, entry in zip(items, entries, strict=True):
        fields = cast(Fields, entry)  # RDF entries are never made records early
        fields.setdefault("id", item.get(_RDF + "about"))  # the item's URI is its id
        if about := (item.get(_RDF + "about") or "").strip():
            fields["meta"].append(("rdf:about", about))
    return _RSS_NAMESPACES[ns], _fields(root.find(ns + "channel"), plans), entries


def _read_atom(root: Any, reading: _Reading) -> tuple[str, Fields, list[Entry]]:
    plans = reading.plans(_ATOM_TABLE)
    feed = _fields(root, plans)
    if lang := root.get(_XML + "lang"):
        feed["language"] = lang.replace("_", "-")
    entries = reading.entries(root.iterchildren(_ATOM + "entry"), plans)
    return "atom10", feed, entries


_READERS = {"rss": _read_rss, _RDF + "RDF": _read_rdf, _ATOM + "feed": _read_atom}
