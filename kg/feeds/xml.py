"""The fast reader: well-formed RSS 0.9x/1.0/2.0 and Atom read with lxml.

This is the only module that imports lxml.  :func:`parse` either returns the
very :class:`~kg.types.RawFeed` that the feedparser adapter
(:mod:`kg.feeds.feedparser`) returns for the same bytes, or raises
:class:`Declined`, and :func:`kg.feeds.read_feed` then asks the adapter.

Why two readers
    feedparser drives a Python SAX handler through expat and post-processes
    every string: about 300 items/s on 13 KB WordPress items, too slow for
    the pipeline's targets.  libxml2 builds the tree in C and this module
    replays only the part of feedparser that decides the fields we keep:
    about eight times faster on the same items.  feedparser stays for what
    only it does: recovering documents that are not well-formed XML (its
    loose SGML parser), overriding wrong encoding declarations, DOCTYPEs and
    their entities, and its "malformed feed" warning, so those documents read
    exactly as before.

Why a replay of feedparser rather than a few XPath queries
    The pipeline must not change its output with the reader, and feedparser's
    values come from an event state machine whose consequences XPath would
    not reproduce: the first non-empty title wins but a deeper one does not,
    a second ``<description>`` becomes content, content fills an absent
    summary, a permalink guid (or an Atom id) stands in for a missing link,
    ``xml:base`` scoping (including its leaks), repeated categories merge, an
    RSS author "mail@host (Name)" is split, dc:date is "updated", inline XHTML
    is re-serialised without its wrapping div, mis-decoded UTF-8 and
    Windows-1252 control characters are repaired.  :class:`_Replay` walks the
    lxml tree as the same start/text/end events and ports, handler by
    handler, the part of feedparser 6.0's ``_FeedParserMixin`` that reaches
    the fields of ``RawFeed`` (feedparser's own quirks included: the two
    paths must agree); values nothing reads are not built.  What the port
    does not cover raises :class:`Declined` instead of guessing: markup
    inside text typed html/text, base64 content, GML, a libxml2 warning, XML
    1.1, bytes that do not decode as declared.  tests/test_feeds_xml.py holds
    both readers to the same records, and runs by hand over a whole corpus.

Security
    Feeds are untrusted.  The lxml parser never loads a DTD, never
    substitutes entities, never touches the network, drops comments and
    processing instructions, and keeps libxml2's limits on text size, depth
    and entity amplification (no ``huge_tree``).  Documents with a DOCTYPE
    are declined before lxml sees them.  On the feedparser path external
    entities are never read (expat's external-entity loading is off and
    feedparser strips most DOCTYPEs), and the adapter refuses entity bombs
    (nested entities, or plain ones that would expand past a bound) before
    feedparser expands them; see tests/test_feeds_xml.py.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from kg.feeds._records import raw_feed
from kg.types import RawFeed

Ctx = dict[str, Any]
Attrs = dict[str, str]


class Declined(Exception):
    """The fast path does not read this document; the feedparser adapter must.

    Not an error: malformed, exotic or DOCTYPE-bearing documents are
    feedparser's job.  ``reason`` says why, for benchmarks and debugging.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse(data: bytes, *, source: str) -> RawFeed:
    """Read a well-formed feed, or raise :class:`Declined`."""
    utf8 = _utf8(data)
    root = _parse_xml(utf8)
    replay = _Replay(repair_c1=_may_hold_c1(utf8))
    try:
        replay.run(root)
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as e:
        # Shapes where feedparser's own handlers break too: let it report.
        raise Declined(f"document shape not handled ({type(e).__name__}: {e})") from e
    if not replay.version:
        raise Declined("not an RSS or Atom document")
    return raw_feed(source=source, version=replay.version, feed=replay.feed, entries=replay.entries)


# --------------------------------------------------------------------------
# Bytes to UTF-8, decided as feedparser's convert_to_utf8() decides without
# HTTP headers (BOM, then the XML declaration, else UTF-8), so both readers
# see the same characters.  Whatever feedparser would have to override
# (bytes that do not decode as declared) is declined: its warning matters.

_RE_XML_PI_ENCODING = re.compile(rb"""^<\?.*encoding=['"](.*?)['"].*\?>""")
_RE_XML_DECLARATION = re.compile(rb"^<\?xml\s[^>]*?>")
_RE_XML_VERSION_10 = re.compile(rb"""version\s*=\s*["']1\.0["']""")
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_C1_REFERENCE = re.compile(rb"&#(?:0*(?:12[89]|1[3-5][0-9])|x0*[89][0-9a-fA-F]);")
_UNICODE_ALIASES = frozenset(
    {
        "u16", "utf-16", "utf16", "utf_16", "u32", "utf-32", "utf32", "utf_32",
        "iso-10646-ucs-2", "iso-10646-ucs-4", "csucs4", "csunicode", "ucs-2", "ucs-4",
    }
)  # fmt: skip


def _sniff_bom(data: bytes) -> tuple[str, bytes]:
    if data[:4] == codecs.BOM_UTF32_BE:
        return "utf-32be", data[4:]
    if data[:4] == codecs.BOM_UTF32_LE:
        return "utf-32le", data[4:]
    if data[:2] == codecs.BOM_UTF16_BE and data[2:4] != b"\x00\x00":
        return "utf-16be", data[2:]
    if data[:2] == codecs.BOM_UTF16_LE and data[2:4] != b"\x00\x00":
        return "utf-16le", data[2:]
    if data[:3] == codecs.BOM_UTF8:
        return "utf-8", data[3:]
    return {
        b"\x4c\x6f\xa7\x94": "cp037",
        b"\x00\x3c\x00\x3f": "utf-16be",
        b"\x3c\x00\x3f\x00": "utf-16le",
        b"\x00\x00\x00\x3c": "utf-32be",
        b"\x3c\x00\x00\x00": "utf-32le",
    }.get(data[:4], ""), data


def _utf8(data: bytes) -> bytes:
    """The document as UTF-8 bytes, decoded the way feedparser decodes it."""
    bom, data = _sniff_bom(data)
    try:
        head = data.decode(bom).encode("utf-8") if bom else data
        match = _RE_XML_PI_ENCODING.match(head)
        declared = match.group(1).decode("utf-8").lower() if match else ""
    except (UnicodeDecodeError, LookupError) as e:
        raise Declined(f"cannot read the encoding declaration ({e})") from e
    if bom and declared in _UNICODE_ALIASES:
        declared = bom
    encoding = declared or "utf-8"
    if encoding == "gb2312":  # feedparser reads the superset, and so must we
        encoding = "gb18030"
    try:
        if codecs.lookup(encoding).name == "utf-8":
            # No need to decode: libxml2 refuses every byte sequence that
            # Python's codec refuses (overlongs, surrogates, > U+10FFFF).
            utf8 = data
        else:
            utf8 = data.decode(encoding).encode("utf-8")
    except (UnicodeDecodeError, LookupError) as e:
        raise Declined(f"bytes are not {encoding} as declared ({e})") from e
    declaration = _RE_XML_DECLARATION.match(utf8)
    if declaration and not _RE_XML_VERSION_10.search(declaration.group()):
        raise Declined("not XML 1.0")  # feedparser rewrites the declaration to 1.0
    return utf8


def _may_hold_c1(utf8: bytes) -> bool:
    """Can any text hold U+0080-U+009F?  Usually not, and then _repair() need
    not look: the characters come only from their UTF-8 bytes or a reference."""
    return bool(_C1_BYTES.search(utf8) or _C1_REFERENCE.search(utf8))


# --------------------------------------------------------------------------
# Parsing, safely.

_PROLOG_END = re.compile(rb"<[^?!]")


def _parse_xml(utf8: bytes) -> Any:
    """The root element; DOCTYPEs are feedparser's business."""
    start = _PROLOG_END.search(utf8)
    prolog = utf8[: start.start()] if start else utf8
    if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
        raise Declined("has a DOCTYPE (feedparser strips it and its entities)")
    root = _parse_untrusted(utf8)
    if root.getroottree().docinfo.doctype:
        raise Declined("has a DOCTYPE (feedparser strips it and its entities)")
    return root


def _parse_untrusted(utf8: bytes) -> Any:
    """Parse with everything that reaches beyond the document switched off.

    No DTD loading or validation, no entity substitution (so no XXE and no
    expansion bombs; libxml2 also refuses amplification), no network, and
    libxml2's default limits on text size and depth (no ``huge_tree``).
    A new parser per call: lxml parsers are not thread-safe.
    """
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


# --------------------------------------------------------------------------
# feedparser's tables and text repairs (feedparser 6.0.x: mixin.py, urls.py,
# html.py), copied so both readers agree character for character.

_NAMESPACES = {
    "": "",
    "http://backend.userland.com/rss": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://example.com/newformat#": "",
    "http://example.com/necho": "",
    "http://purl.org/echo/": "",
    "uri/of/echo/namespace#": "",
    "http://purl.org/pie/": "",
    "http://purl.org/atom/ns#": "",
    "http://www.w3.org/2005/Atom": "",
    "http://purl.org/rss/1.0/modules/rss091#": "",
    "http://webns.net/mvcb/": "admin",
    "http://purl.org/rss/1.0/modules/aggregation/": "ag",
    "http://purl.org/rss/1.0/modules/annotate/": "annotate",
    "http://media.tangent.org/rss/1.0/": "audio",
    "http://backend.userland.com/blogChannelModule": "blogChannel",
    "http://creativecommons.org/ns#license": "cc",
    "http://web.resource.org/cc/": "cc",
    "http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html": "creativeCommons",
    "http://backend.userland.com/creativeCommonsRssModule": "creativeCommons",
    "http://purl.org/rss/1.0/modules/company": "co",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://my.theinfo.org/changed/1.0/rss/": "cp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://purl.org/rss/1.0/modules/email/": "email",
    "http://purl.org/rss/1.0/modules/event/": "ev",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://freshmeat.net/rss/fm/": "fm",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
    "http://www.georss.org/georss": "georss",
    "http://www.opengis.net/gml": "gml",
    "http://postneo.com/icbm/": "icbm",
    "http://purl.org/rss/1.0/modules/image/": "image",
    "http://www.itunes.com/DTDs/PodCast-1.0.dtd": "itunes",
    "http://example.com/DTDs/PodCast-1.0.dtd": "itunes",
    "http://purl.org/rss/1.0/modules/link/": "l",
    "http://search.yahoo.com/mrss": "media",
    "http://search.yahoo.com/mrss/": "media",
    "http://madskills.com/public/xml/rss/module/pingback/": "pingback",
    "http://prismstandard.org/namespaces/1.2/basic/": "prism",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://purl.org/rss/1.0/modules/reference/": "ref",
    "http://purl.org/rss/1.0/modules/richequiv/": "reqv",
    "http://purl.org/rss/1.0/modules/search/": "search",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://schemas.xmlsoap.org/soap/envelope/": "soap",
    "http://purl.org/rss/1.0/modules/servicestatus/": "ss",
    "http://hacks.benhammersley.com/rss/streaming/": "str",
    "http://purl.org/rss/1.0/modules/subscription/": "sub",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://schemas.pocketsoap.com/rss/myDescModule/": "szf",
    "http://purl.org/rss/1.0/modules/taxonomy/": "taxo",
    "http://purl.org/rss/1.0/modules/threading/": "thr",
    "http://purl.org/rss/1.0/modules/textinput/": "ti",
    "http://madskills.com/public/xml/rss/module/trackback/": "trackback",
    "http://wellformedweb.org/commentAPI/": "wfw",
    "http://purl.org/rss/1.0/modules/wiki/": "wiki",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://www.w3.org/1999/xlink": "xlink",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "http://podlove.org/simple-chapters": "psc",
}
_MATCH = {uri.lower(): prefix for uri, prefix in _NAMESPACES.items()}
_XLINK = "http://www.w3.org/1999/xlink"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_USERLAND = "http://backend.userland.com/rss"

# Every element feedparser 6.0 has a handler for ("_start_<key>"/"_end_<key>"),
# so that one we have not ported is declined, never treated as unknown.
_FP_STARTS = frozenset(
    """abstract author body category cc_license channel cloud content content_encoded
    contributor copyright created creativeCommons_license creativecommons_license dc_author
    dc_contributor dc_creator dc_date dc_description dc_language dc_publisher dc_rights
    dc_subject dc_title dcterms_created dcterms_issued dcterms_modified dcterms_valid
    description email enclosure entry expirationdate feed feedburner_browserfriendly fullitem
    generator georss_box georss_line georss_point georss_polygon georss_where georssgeom
    gml_exterior gml_linearring gml_linestring gml_point gml_polygon gml_pos gml_poslist guid
    height homepage id image info issued item itunes_author itunes_category itunes_email
    itunes_image itunes_link itunes_name itunes_owner itunes_subtitle itunes_summary keywords
    language lastbuilddate link managingeditor media_category media_content media_credit
    media_description media_group media_license media_player media_rating media_restriction
    media_thumbnail media_title modified name newlocation psc_chapter psc_chapters pubdate
    published rights rss source subtitle summary tagline tags textInput textinput title
    updated uri url webmaster where width xhtml_body""".split()
)
_FP_ENDS = frozenset(
    """abstract author body category channel content content_encoded contributor copyright
    created creativeCommons_license creativecommons_license dc_author dc_contributor
    dc_creator dc_date dc_description dc_language dc_publisher dc_rights dc_subject dc_title
    dcterms_created dcterms_issued dcterms_modified dcterms_valid description email entry
    expirationdate feed feedburner_browserfriendly fullitem generator geom georss_box
    georss_line georss_point georss_polygon georss_where gml_exterior gml_linearring
    gml_linestring gml_point gml_polygon gml_pos gml_poslist guid height homepage id image
    info issued item itunes_author itunes_block itunes_category itunes_email itunes_explicit
    itunes_keywords itunes_name itunes_owner itunes_subtitle itunes_summary keywords language
    lastbuilddate link managingeditor media_category media_credit media_description
    media_keywords media_license media_player media_rating media_restriction
    media_thumbnail media_title modified name newlocation psc_chapters pubdate published
    rights source subtitle summary tagline tags textInput textinput title updated uri url
    webmaster where width xhtml_body""".split()
)

# FeedParserDict.__setitem__ renames these keys.
_KEYMAP = {
    "channel": "feed",
    "items": "entries",
    "guid": "id",
    "date": "updated",
    "description": "summary",
    "url": "href",
    "modified": "updated",
    "issued": "published",
    "copyright": "rights",
    "tagline": "subtitle",
}
# Stored values RawFeed is built from; everything else feedparser stores is
# dropped unbuilt.  An unknown element must not overwrite a structured one.
_KEPT = frozenset({"title", "summary", "id", "published", "updated", "author", "language"})
_STRUCTURED = frozenset({"links", "authors", "tags", "content", "image", "textinput"})

_CAN_BE_RELATIVE_URI = frozenset(
    {"comments", "docs", "href", "icon", "id", "link", "logo", "url", "wfw_comment"}
    | {"wfw_commentrss"}
)
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_SUMMARY_TYPES = _HTML_TYPES | {"text/plain"}
_XHTML = "application/xhtml+xml"

_CP1252 = {
    128: "\u20ac", 130: "\u201a", 131: "\u0192", 132: "\u201e", 133: "\u2026",
    134: "\u2020", 135: "\u2021", 136: "\u02c6", 137: "\u2030", 138: "\u0160",
    139: "\u2039", 140: "\u0152", 142: "\u017d", 145: "\u2018", 146: "\u2019",
    147: "\u201c", 148: "\u201d", 149: "\u2022", 150: "\u2013", 151: "\u2014",
    152: "\u02dc", 153: "\u2122", 154: "\u0161", 155: "\u203a", 156: "\u0153",
    158: "\u017e", 159: "\u0178",
}  # fmt: skip
_C1 = re.compile("[\x80-\x9f]")
_AMP_REF = re.compile("&([A-Za-z0-9_]+);")
_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)
_URIFIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_ACCEPTABLE_URI_SCHEMES = (
    "file", "ftp", "gopher", "h323", "hdl", "http", "https", "imap", "magnet", "mailto",
    "mms", "news", "nntp", "prospero", "rsync", "rtsp", "rtspu", "sftp", "shttp", "sip",
    "sips", "snews", "svn", "svn+ssh", "telnet", "wais", "aim", "callto", "cvs",
    "facetime", "feed", "git", "gtalk", "irc", "ircs", "irc6", "itms", "mms", "msnim",
    "skype", "ssh", "smb", "svn", "ymsg",
)  # fmt: skip


def _repair(text: str, c1: bool) -> str:
    """feedparser's last touch on every text value: undo UTF-8 read as Latin-1,
    then map C1 controls to the Windows-1252 characters they usually mean."""
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    if c1 and _C1.search(text):
        text = text.translate(_CP1252)
    return text


def _urljoin(base: str, uri: str) -> str:
    uri = _URIFIXER.sub(r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


def _safe_absolute_uri(base: str, rel: str) -> str:
    if not base:
        return rel or ""
    if not rel:
        try:
            scheme = urllib.parse.urlparse(base)[0]
        except ValueError:
            return ""
        return base if not scheme or scheme in _ACCEPTABLE_URI_SCHEMES else ""
    uri = _urljoin(base, rel)
    if uri.strip().split(":", 1)[0] not in _ACCEPTABLE_URI_SCHEMES:
        return ""
    return uri


def _map_content_type(content_type: str) -> str:
    content_type = content_type.lower()
    if content_type in ("text", "plain"):
        return "text/plain"
    if content_type == "html":
        return "text/html"
    if content_type == "xhtml":
        return _XHTML
    return content_type


def _enforce_href(attrs: Attrs) -> Attrs:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _strattrs(attrs: list[tuple[str, str]]) -> str:
    return "".join(f' {k}="{_escape(v).replace(chr(34), "&quot;")}"' for k, v in attrs)


def _strip_div(pieces: list[str]) -> list[str]:
    """feedparser drops one <div> wrapping all of an Atom XHTML construct."""
    while len(pieces) > 1 and not pieces[-1].strip():
        del pieces[-1]
    while len(pieces) > 1 and not pieces[0].strip():
        del pieces[0]
    if (
        pieces
        and (pieces[0] == "<div>" or pieces[0].startswith("<div "))
        and (pieces[-1] == "</div>")
    ):
        depth = 0
        for piece in pieces[:-1]:
            if piece.startswith("</"):
                depth -= 1
                if depth == 0:
                    return pieces
            elif piece.startswith("<") and not piece.endswith("/>"):
                depth += 1
        return pieces[1:-1]
    return pieces


def _set(context: Ctx, key: str, value: Any) -> None:
    context[_KEYMAP.get(key, key)] = value


# --------------------------------------------------------------------------
# The replay.

_Handler = Callable[[Attrs], None]
_EndHandler = Callable[[], None]


class _Replay:
    """feedparser's strict-mode event handling, reduced to the RawFeed fields.

    Method names and state follow ``feedparser.mixin._FeedParserMixin`` and
    ``feedparser.namespaces`` so each can be checked against its original.
    """

    def __init__(self, *, repair_c1: bool = True) -> None:
        self._repair_c1 = repair_c1
        self.version = ""
        self.feed: Ctx = {}
        self.entries: list[Ctx] = []
        self._depths: list[dict[str, int]] = []  # property_depth_map, per entry
        self._source: Ctx = {}
        self._stack: list[list[Any]] = []  # [name, expecting_text, pieces]
        self._in_use: dict[str, str] = {}  # namespaces_in_use
        self._prefixes: dict[str | None, str] = {}  # namespacemap
        self._names: dict[str, tuple[str, str, str]] = {}
        self._decls: Attrs = {}
        self._joined: dict[tuple[str, str], str] = {}
        self.depth = 0
        self.baseuri = ""
        self._basestack: list[str] = []
        self.lang: str | None = None
        self._langstack: list[str | None] = []
        self.infeed = self.inentry = self.inimage = self.intextinput = 0
        self.insource = self.inauthor = self.incontributor = self.inpublisher = 0
        self.incontent = 0
        self.has_content = 0
        self.guidislink = False
        self.title_depth = -1
        self._summary_key: str | None = None
        self._content_type: str | None = None
        self._content_kept = False
        self._content_depth = 0
        self._svg_ok = 0
        self._starts: dict[str, _Handler] = {}
        self._ends: dict[str, _EndHandler] = {}
        self._register()

    # -- walking --------------------------------------------------------

    def run(self, root: Any) -> None:
        stack = self._stack
        start, end = self._start, self._end
        for event, node in etree.iterwalk(root, events=("start", "end", "start-ns")):
            if event == "start":
                start(node)
                text = node.text
            elif event == "end":
                end(node)
                text = node.tail if node is not root else None
            else:
                self._start_prefix_mapping(*node)
                continue
            if text and stack:  # feedparser's handle_data()
                if self.incontent and self._content_type == _XHTML:
                    text = _escape(text)
                stack[-1][2].append(text)

    def _start_prefix_mapping(self, prefix: str, uri: str) -> None:
        if not uri:
            return
        if prefix and uri == _XLINK:
            self._decls["xmlns:" + prefix] = uri
        self._track_namespace(prefix or None, uri)

    def _track_namespace(self, prefix: str | None, uri: str) -> None:
        lower = uri.lower()
        if not self.version:
            if (prefix, lower) == (None, "http://my.netscape.com/rdf/simple/0.9/"):
                self.version = "rss090"
            elif lower == "http://purl.org/rss/1.0/":
                self.version = "rss10"
            elif lower == "http://www.w3.org/2005/atom":
                self.version = "atom10"
        if "backend.userland.com/rss" in lower:
            uri = lower = _USERLAND
        if lower in _MATCH:
            changed = self._prefixes.get(prefix) != _MATCH[lower]
            changed |= self._in_use.get(_MATCH[lower]) != uri
            self._prefixes[prefix] = _MATCH[lower]
            self._in_use[_MATCH[lower]] = uri
        else:
            changed = self._in_use.get(prefix or "") != uri
            self._in_use[prefix or ""] = uri
        if changed:  # element names depend on the declarations seen so far
            self._names.clear()

    def _name(self, tag: str) -> tuple[str, str, str]:
        """(feedparser's element name, its prefix, handler key) for a Clark tag."""
        if tag[0] == "{":
            namespace, local = tag[1:].split("}", 1)
        else:
            namespace, local = "", tag
        lower = namespace.lower()
        if "backend.userland.com/rss" in lower:
            namespace = lower = _USERLAND
        known = _MATCH.get(lower)
        name = local.lower()
        if known:
            name = known.lower() + ":" + name
        elif namespace:
            for key, value in self._in_use.items():
                if key and value == namespace:
                    name = key + ":" + name
                    break
        name = name.lower()
        prefix, suffix = name.split(":", 1) if ":" in name else ("", name)
        prefix = self._prefixes.get(prefix, prefix)
        result = (name, prefix, f"{prefix}_{suffix}" if prefix else suffix)
        self._names[tag] = result
        return result

    def _attrs(self, node: Any, items: list[tuple[str, str]], tag: str) -> Attrs:
        """The attribute dict feedparser's strict parser builds (keys lowered)."""
        attrs: Attrs = self._decls
        self._decls = {}
        if tag in _MATH_SVG:
            attrs["xmlns"] = _MATH_SVG[tag]
        if not items:
            return attrs
        qnames: list[str] = []
        for index, (key, value) in enumerate(items, 1):
            if key[0] == "{":
                namespace, local = key[1:].split("}", 1)
                known = _MATCH.get(namespace.lower(), "")
                attrs[(known + ":" + local if known else local).lower()] = value
                # expat also reports the name as written, prefix and all
                if namespace == _XML_NS:
                    qnames.append("xml:" + local)
                else:
                    qnames.append(str(node.xpath("name(@*[$i])", i=index)))
            else:
                attrs[key.lower()] = value
                qnames.append(key)
        for qname, (_, value) in zip(qnames, items, strict=True):
            attrs[qname.lower()] = value
        for key in ("rel", "type"):
            if attrs.get(key):
                attrs[key] = attrs[key].lower()
        return attrs

    def _start(self, node: Any) -> None:
        """feedparser's unknown_starttag()."""
        self.depth += 1
        tag = node.tag
        name, prefix, key = self._names.get(tag) or self._name(tag)
        items = node.items()
        if items or self._decls or tag in _MATH_SVG:
            attrs = self._attrs(node, items, tag)
            base = attrs.get("xml:base", attrs.get("base")) or self.baseuri
            lang = attrs.get("xml:lang", attrs.get("lang"))
        else:
            attrs, base, lang = {}, self.baseuri, None
        # xml:base and xml:lang, scoped as feedparser scopes them
        if self.baseuri:
            joined = self._joined.get((self.baseuri, base))
            if joined is None:
                joined = _safe_absolute_uri(self.baseuri, base)
                self._joined[(self.baseuri, base)] = joined
            self.baseuri = joined or self.baseuri
        elif base:
            self.baseuri = _urljoin("", base)
        if lang == "":
            lang = None
        elif lang is None:
            lang = self.lang
        if lang and name in ("feed", "rss", "rdf:RDF"):
            self.feed["language"] = lang.replace("_", "-")
        self.lang = lang
        self._basestack.append(self.baseuri)
        self._langstack.append(lang)

        if self.incontent:
            self._start_in_content(name, attrs)
            return
        if not prefix and (self.intextinput or self.inimage):
            if name not in ("title", "link", "description", "name"):
                self.intextinput = 0
            if name not in ("title", "link", "description", "url", "href", "width", "height"):
                self.inimage = 0
        handler = self._starts.get(key)
        if handler is not None:
            handler(attrs)
        elif key in _FP_STARTS:
            raise Declined(f"<{name}> is not handled by the fast path")
        elif not attrs:
            if _KEYMAP.get(key, key) in _STRUCTURED:
                raise Declined(f"unknown <{name}> would overwrite {key!r}")
            self._stack.append([key, 1, []])
        else:
            mapped = _KEYMAP.get(key, key)
            if mapped in _KEPT or mapped in _STRUCTURED:
                raise Declined(f"unknown <{name}> with attributes would overwrite {mapped!r}")

    def _start_in_content(self, name: str, attrs: Attrs) -> None:
        """Markup inside a text element: feedparser calls no start handler and
        serialises the element into the text as XHTML."""
        content_type = self._content_type or "xml"
        if not content_type.endswith("xml"):
            if self._content_kept:
                raise Declined(f"markup inside {content_type} text (<{name}>)")
            if name in ("xhtml:div", "div"):
                return
            self._content_type = content_type = _XHTML
        if content_type != _XHTML:
            raise Declined(f"<{name}> inside {content_type} text")
        pairs = list(attrs.items())
        if ":" in name:
            prefix, local = name.split(":", 1)
            namespace = self._in_use.get(prefix, "")
            if (local, namespace) in _MATH_SVG_NAMES:
                pairs.append(("xmlns", namespace))  # sic: even if already there
        else:
            local = name
        if local == "svg":
            self._svg_ok += 1
        if self._content_kept and self._stack:
            self._stack[-1][2].append(f"<{local}{_strattrs(pairs)}>")

    def _end(self, node: Any) -> None:
        """feedparser's unknown_endtag()."""
        tag = node.tag
        name, _, key = self._names.get(tag) or self._name(tag)
        if self._svg_ok:
            if name.rpartition(":")[2] == "svg":
                self._svg_ok -= 1
            if self._svg_ok:
                self._pop(key, keep=False)  # feedparser runs no end handler inside SVG
                key = ""
        if key:
            handler = self._ends.get(key)
            if self.incontent and self.depth > self._content_depth and key in _FP_ENDS:
                # feedparser would run this handler on markup inside a text element
                raise Declined(f"</{name}> inside a text element")
            if handler is not None:
                handler()
            elif key in _FP_ENDS:
                raise Declined(f"</{name}> is not handled by the fast path")
            else:
                self._pop(key, keep=False)
        if self.incontent:
            content_type = self._content_type or "xml"
            if not content_type.endswith("xml"):
                if name in ("xhtml:div", "div"):
                    return  # sic: feedparser leaves depth and xml:base scope as they are
                self._content_type = content_type = _XHTML
            if content_type == _XHTML and self._content_kept and self._stack:
                self._stack[-1][2].append(f"</{name.rpartition(':')[2]}>")
        basestack = self._basestack
        basestack.pop()
        if basestack and basestack[-1]:
            self.baseuri = basestack[-1]
        langstack = self._langstack
        langstack.pop()
        if langstack:
            self.lang = langstack[-1]
        self.depth -= 1

    # -- the element stack ------------------------------------------------

    def _push(self, name: str, expecting_text: int | bool) -> None:
        self._stack.append([name, expecting_text, []])

    def _drop(self, name: str) -> None:
        if self._stack and self._stack[-1][0] == name:
            self._stack.pop()

    def _pop(self, element: str, *, keep: bool = True) -> str | None:
        """feedparser's pop(): join, clean and store an element's text.

        ``keep=False``: the caller does not use the value, so it is only
        built when it is stored under a key RawFeed reads.
        """
        stack = self._stack
        if not stack or stack[-1][0] != element:
            return None
        _, expecting_text, pieces = stack.pop()
        if self._content_type == _XHTML and self.version == "atom10":
            pieces = _strip_div(pieces)
        output = "".join(pieces).strip()
        if not expecting_text:
            return output
        if not keep and _KEYMAP.get(element, element) not in _KEPT:
            return output
        if element in _CAN_BE_RELATIVE_URI and output and (element != "id" or self.guidislink):
            output = _urljoin(self.baseuri or "", output)
        output = _repair(output, self._repair_c1)
        if element in ("category", "tags", "itunes_keywords"):
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        if self.inentry and not self.insource:
            entry = self.entries[-1]
            if element == "content":
                entry.setdefault("content", []).append({"value": output})
            elif element == "link":
                if not self.inimage:
                    if "&" in output:  # feedparser's repair of "?a=1&b;=2"
                        output = _AMP_REF.sub(r"&\g<1>", output.replace("&amp;", "&"))
                    entry["link"] = output
                    if output:
                        entry["links"][-1]["href"] = output
            else:
                key = "summary" if element == "description" else element
                depths = self._depths[-1]
                old = depths.get(key)
                if old is None or self.depth <= old:
                    depths[key] = self.depth
                    _set(entry, key, output)
        elif self.infeed or self.insource:
            context = self._context()
            key = "subtitle" if element == "description" else element
            _set(context, key, output)
            if key == "link":
                if "&" in output:
                    output = _AMP_REF.sub(r"&\g<1>", output)
                context["link"] = output
                context["links"][-1]["href"] = output
        return output

    def _push_content(
        self, tag: str, attrs: Attrs, default_type: str, expecting: int | bool, *, kept: bool
    ) -> None:
        self.incontent += 1
        self._content_depth = self.depth
        content_type = _map_content_type(attrs.get("type", default_type))
        self._content_type = content_type
        self._content_kept = kept
        if kept:
            base64 = attrs.get("mode", "") == "base64" or not (
                content_type.startswith("text/")
                or content_type.endswith("+xml")
                or content_type.endswith("/xml")
            )
            if base64:
                raise Declined(f"{content_type} (base64) text in <{tag}>")
        self._push(tag, expecting)

    def _pop_content(self, tag: str, *, keep: bool = True) -> str | None:
        value = self._pop(tag, keep=keep)
        self.incontent -= 1
        self._content_type = None
        self._content_kept = False
        return value

    def _context(self) -> Ctx:
        if self.insource:
            return self._source
        if self.inimage and "image" in self.feed:
            image: Ctx = self.feed["image"]
            return image
        if self.intextinput:
            textinput: Ctx = self.feed["textinput"]
            return textinput
        if self.inentry:
            return self.entries[-1]
        return self.feed

    def _save(self, key: str, value: Any) -> None:
        self._context().setdefault(key, value)

    def _standard(self, name: str) -> str:
        prefix, suffix = name.split(":", 1)
        return f"{self._prefixes.get(prefix, prefix)}:{suffix}"

    # -- handlers (feedparser/namespaces/_base.py and friends) ----------

    def _register(self) -> None:
        s, e = self._starts, self._ends

        def push(name: str, expecting: int) -> _Handler:
            return lambda attrs: self._push(name, expecting)

        def drop(name: str) -> _EndHandler:
            return lambda: self._drop(name)

        def pop(name: str) -> _EndHandler:
            def end() -> None:
                self._pop(name)

            return end

        def text(name: str) -> _Handler:  # push_content for values we do not keep
            return lambda attrs: self._push_content(name, attrs, "text/plain", 1, kept=False)

        def end_text(name: str) -> _EndHandler:
            def end() -> None:
                self._pop_content(name, keep=False)

            return end

        def nothing(attrs: Attrs) -> None:
            return None

        s["rss"] = self._start_rss
        s["feed"] = self._start_feed
        s["channel"] = self._start_channel
        e["channel"] = e["feed"] = self._end_channel
        s["item"] = s["entry"] = self._start_item
        e["item"] = e["entry"] = self._end_item
        s["image"] = self._start_image
        e["image"] = self._end_image
        s["textinput"] = self._start_textinput
        e["textinput"] = self._end_textinput
        s["source"] = self._start_source
        e["source"] = self._end_source
        for key in ("author", "managingeditor", "dc_author", "dc_creator", "itunes_author"):
            s[key], e[key] = self._start_author, self._end_author
        s["contributor"] = self._start_contributor
        e["contributor"] = self._end_contributor
        s["dc_contributor"] = self._start_dc_contributor
        e["dc_contributor"] = self._end_dc_contributor
        s["name"] = s["itunes_name"] = push("name", 0)
        e["name"] = e["itunes_name"] = self._end_name
        s["email"] = s["itunes_email"] = push("email", 0)
        e["email"] = e["itunes_email"] = self._end_email
        for key in ("url", "uri", "homepage"):
            s[key], e[key] = push("href", 1), self._end_url
        for key in ("width", "height"):
            s[key], e[key] = push(key, 0), drop(key)
        for key in ("title", "dc_title", "media_title"):
            s[key], e[key] = self._start_title, self._end_title
        e["media_title"] = self._end_media_title
        for key in ("description", "dc_description", "media_description"):
            s[key], e[key] = self._start_description, self._end_description
        s["abstract"], e["abstract"] = self._start_abstract, self._end_description
        for key in ("summary", "itunes_summary"):
            s[key], e[key] = self._start_summary, self._end_summary
        s["content"], e["content"] = self._start_content, self._end_content
        for key in ("content_encoded", "fullitem"):
            s[key], e[key] = self._start_content_encoded, self._end_content
        for names, value in (
            (("subtitle", "tagline", "itunes_subtitle"), "subtitle"),
            (("rights", "copyright", "dc_rights"), "rights"),
            (("info", "feedburner_browserfriendly"), "info"),
        ):
            for key in names:
                s[key], e[key] = text(value), end_text(value)
        for key in ("published", "issued", "pubdate", "dcterms_issued"):
            s[key], e[key] = push("published", 1), pop("published")
        for key in ("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"):
            s[key], e[key] = push("updated", 1), pop("updated")
        for key in ("created", "dcterms_created"):
            s[key], e[key] = push("created", 1), drop("created")
        s["expirationdate"], e["expirationdate"] = push("expired", 1), drop("expired")
        for key in ("guid", "id"):
            s[key], e[key] = self._start_guid, self._end_guid
        s["link"], e["link"] = self._start_link, pop("link")
        for key in ("category", "keywords", "dc_subject", "media_category", "itunes_category"):
            e[key] = self._end_category
        s["category"] = s["keywords"] = s["dc_subject"] = self._start_category
        s["media_category"] = self._start_media_category
        s["itunes_category"] = self._start_itunes_category
        s["tags"], e["tags"] = push("tags", 1), self._end_tags
        e["itunes_keywords"] = self._end_itunes_keywords
        e["media_keywords"] = self._end_media_keywords
        for key in ("language", "dc_language"):
            s[key], e[key] = push("language", 1), self._end_language
        for key in ("webmaster", "dc_publisher"):
            s[key], e[key] = push("publisher", 1), drop("publisher")
        s["itunes_owner"], e["itunes_owner"] = self._start_itunes_owner, self._end_itunes_owner
        s["generator"], e["generator"] = push("generator", 1), drop("generator")
        s["newlocation"], e["newlocation"] = push("newlocation", 1), drop("newlocation")
        s["enclosure"] = self._start_enclosure
        s["cc_license"] = self._start_cc_license
        for key in ("creativecommons_license", "creativeCommons_license"):
            s[key], e[key] = push("license", 1), self._end_creativecommons_license
        for key, value in (
            ("media_rating", "rating"),
            ("media_restriction", "restriction"),
            ("media_license", "license"),
            ("media_credit", "credit"),
            ("media_thumbnail", "url"),
            ("dcterms_valid", "validity"),
        ):
            s[key], e[key] = push(value, 1), drop(value)
        s["media_player"], e["media_player"] = push("media_player", 0), drop("media_player")
        s["itunes_image"] = s["itunes_link"] = self._start_itunes_image
        e["itunes_block"] = drop("itunes_block")
        e["itunes_explicit"] = drop("itunes_explicit")
        for key in (
            "cloud",
            "media_group",
            "media_content",
            "psc_chapters",
            "psc_chapter",
        ):
            s[key] = nothing
        e["psc_chapters"] = lambda: None
        for key in ("georss_point", "georss_line", "georss_polygon", "georss_box", "georssgeom"):
            s[key] = push("geometry", 0)
        for key in ("georss_point", "georss_line", "georss_polygon", "georss_box", "geom"):
            e[key] = drop("geometry")
        for key in ("where", "georss_where"):
            s[key], e[key] = push("where", 0), drop("where")
        # Keys handled at the start only: feedparser's end falls back to pop(key).
        for key in set(s) - set(e) - _FP_ENDS:
            e[key] = drop(key)

    def _start_rss(self, attrs: Attrs) -> None:
        if not self.version or not self.version.startswith("rss"):
            declared = attrs.get("version", "")
            version = _RSS_VERSIONS.get(declared)
            if version:
                self.version = version
            elif declared.startswith("2."):
                self.version = "rss20"
            else:
                self.version = "rss"

    def _start_feed(self, attrs: Attrs) -> None:
        self.infeed = 1
        if not self.version:
            declared = attrs.get("version", "")
            self.version = {"0.1": "atom01", "0.2": "atom02", "0.3": "atom03"}.get(declared, "atom")

    def _start_channel(self, attrs: Attrs) -> None:
        self.infeed = 1
        self._cdf_common(attrs)

    def _end_channel(self) -> None:
        self.infeed = 0

    def _cdf_common(self, attrs: Attrs) -> None:
        if "lastmod" in attrs:
            self._push("updated", 1)
            self._stack[-1][2] = [attrs["lastmod"]]
            self._pop("updated")
        if "href" in attrs:
            self._start_link({})
            self._stack[-1][2] = [attrs["href"]]
            self._pop("link")

    def _start_item(self, attrs: Attrs) -> None:
        self.entries.append({})
        self._depths.append({})
        self._push("item", 0)
        self.inentry = 1
        self.guidislink = False
        self.title_depth = -1
        about = attrs.get(self._standard("rdf:about"))
        if about:
            self._context()["id"] = about
        self._cdf_common(attrs)

    def _end_item(self) -> None:
        self._drop("item")
        self.inentry = 0
        self.has_content = 0

    def _start_image(self, attrs: Attrs) -> None:
        context = self._context()
        if not self.inentry:
            context.setdefault("image", {})
        self.inimage = 1
        self.title_depth = -1
        self._push("image", 0)

    def _end_image(self) -> None:
        self._drop("image")
        self.inimage = 0

    def _start_textinput(self, attrs: Attrs) -> None:
        self._context().setdefault("textinput", {})
        self.intextinput = 1
        self.title_depth = -1
        self._push("textinput", 0)

    def _end_textinput(self) -> None:
        self._drop("textinput")
        self.intextinput = 0

    def _start_source(self, attrs: Attrs) -> None:
        self._push("source", 1)
        self.insource = 1
        self.title_depth = -1

    def _end_source(self) -> None:
        self.insource = 0
        self._pop("source", keep=False)
        self._source = {}

    def _start_author(self, attrs: Attrs) -> None:
        self.inauthor = 1
        self._push("author", 1)
        self._context().setdefault("authors", []).append({})

    def _end_author(self) -> None:
        self._pop("author")
        self.inauthor = 0
        self._sync_author_detail()

    def _start_contributor(self, attrs: Attrs) -> None:
        self.incontributor = 1
        self._push("contributor", 0)

    def _end_contributor(self) -> None:
        self._drop("contributor")
        self.incontributor = 0

    def _start_dc_contributor(self, attrs: Attrs) -> None:
        self.incontributor = 1
        self._push("name", 0)

    def _end_dc_contributor(self) -> None:
        self._end_name()
        self.incontributor = 0

    def _end_name(self) -> None:
        value = self._pop("name")
        if self.inpublisher or self.inauthor:
            self._save_author("name", value)

    def _end_email(self) -> None:
        value = self._pop("email")
        if self.inpublisher or self.inauthor:
            self._save_author("email", value)

    def _end_url(self) -> None:
        value = self._pop("href", keep=False)
        if self.inauthor:
            self._save_author("href", value)

    def _start_itunes_owner(self, attrs: Attrs) -> None:
        self.inpublisher = 1
        self._push("publisher", 0)

    def _end_itunes_owner(self) -> None:
        self._drop("publisher")
        self.inpublisher = 0

    def _save_author(self, key: str, value: str | None) -> None:
        # For the publisher too: feedparser writes its name into "authors".
        context = self._context()
        self._sync_author_detail()
        context.setdefault("authors", [{}])[-1][key] = value

    def _sync_author_detail(self) -> None:
        context = self._context()
        authors = context.get("authors")
        detail: Ctx = authors[-1] if authors is not None else {}
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                context["author"] = f"{name} ({email})"
            elif name:
                context["author"] = name
            elif email:
                context["author"] = email
            return
        author = context.get("author")
        if not author:
            return
        email = None
        match = _EMAIL.search(author)
        if match:
            email = match.group(0)
            author = author.replace(email, "").replace("()", "").replace("<>", "")
            author = author.replace("&lt;&gt;", "").strip()
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if author:
            detail["name"] = author
        if email:
            detail["email"] = email

    def _start_title(self, attrs: Attrs) -> None:
        expecting = self.infeed or self.inentry or self.insource
        self._push_content("title", attrs, "text/plain", expecting, kept=True)

    def _end_title(self) -> None:
        if self._pop_content("title"):
            self.title_depth = self.depth

    def _end_media_title(self) -> None:
        title_depth = self.title_depth
        self._end_title()
        self.title_depth = title_depth

    def _start_description(self, attrs: Attrs) -> None:
        if "summary" in self._context() and not self.has_content:
            self._summary_key = "content"
            self._start_content(attrs)
        else:
            expecting = self.infeed or self.inentry or self.insource
            self._push_content("description", attrs, "text/html", expecting, kept=True)

    def _start_abstract(self, attrs: Attrs) -> None:
        expecting = self.infeed or self.inentry or self.insource
        self._push_content("description", attrs, "text/plain", expecting, kept=True)

    def _end_description(self) -> None:
        if self._summary_key == "content":
            self._end_content()
        else:
            self._pop_content("description")
        self._summary_key = None

    def _start_summary(self, attrs: Attrs) -> None:
        if "summary" in self._context() and not self.has_content:
            self._summary_key = "content"
            self._start_content(attrs)
        else:
            self._summary_key = "summary"
            self._push_content("summary", attrs, "text/plain", 1, kept=True)

    def _end_summary(self) -> None:
        if self._summary_key == "content":
            self._end_content()
        else:
            self._pop_content(self._summary_key or "summary")
        self._summary_key = None

    def _start_content(self, attrs: Attrs) -> None:
        self.has_content = 1
        self._push_content("content", attrs, "text/plain", 1, kept=True)
        self._push("content", 1)  # sic: feedparser pushes twice

    def _start_content_encoded(self, attrs: Attrs) -> None:
        self.has_content = 1
        self._push_content("content", attrs, "text/html", 1, kept=True)

    def _end_content(self) -> None:
        copy_to_summary = _map_content_type(self._content_type or "") in _SUMMARY_TYPES
        value = self._pop_content("content")
        if copy_to_summary:
            self._save("summary", value)

    def _start_guid(self, attrs: Attrs) -> None:
        self.guidislink = attrs.get("ispermalink", "true") == "true"
        self._push("id", 1)

    def _end_guid(self) -> None:
        value = self._pop("id")
        if self.guidislink:
            # guid acts as link, but only if the item has no link yet
            self._save("link", value)

    def _start_link(self, attrs: Attrs) -> None:
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        context = self._context()
        attrs = _enforce_href(attrs)
        if "href" in attrs:
            attrs["href"] = _urljoin(self.baseuri or "", attrs["href"])
        expecting = self.infeed or self.inentry or self.insource
        links = context.setdefault("links", [])
        if not (self.inentry and self.inimage):
            links.append(dict(attrs))
        if "href" in attrs:
            if attrs.get("rel") == "alternate" and _map_content_type(attrs["type"]) in _HTML_TYPES:
                context["link"] = attrs["href"]
        else:
            self._push("link", expecting)

    def _start_enclosure(self, attrs: Attrs) -> None:
        attrs = _enforce_href(attrs)
        attrs["rel"] = "enclosure"
        self._context().setdefault("links", []).append(dict(attrs))

    def _start_cc_license(self, attrs: Attrs) -> None:
        link = {"rel": "license"}
        value = attrs.get(self._standard("rdf:resource"))
        if value:
            link["href"] = value
        self._context().setdefault("links", []).append(link)

    def _end_creativecommons_license(self) -> None:
        value = self._pop("license", keep=False)
        link = {"rel": "license"}
        if value:
            link["href"] = value
        self._context().setdefault("links", []).append(link)

    def _start_itunes_image(self, attrs: Attrs) -> None:
        self._push("itunes_image", 0)
        href = attrs.get("href") or attrs.get("url")
        if href:
            self._context()["image"] = {"href": href}

    def _add_tag(self, term: str | None, scheme: str | None, label: str | None) -> None:
        tags: list[Ctx] = self._context().setdefault("tags", [])
        if not term and not scheme and not label:
            return
        value = {"term": term, "scheme": scheme, "label": label}
        if value not in tags:  # feedparser merges repeats of one (term, scheme, label)
            tags.append(value)

    def _start_category(self, attrs: Attrs) -> None:
        if attrs:
            scheme = attrs.get("scheme", attrs.get("domain"))
            self._add_tag(attrs.get("term"), scheme, attrs.get("label"))
        else:
            self._context().setdefault("tags", [])
        self._stack.append(["category", 1, []])

    def _start_media_category(self, attrs: Attrs) -> None:
        attrs.setdefault("scheme", "http://search.yahoo.com/mrss/category_schema")
        self._start_category(attrs)

    def _start_itunes_category(self, attrs: Attrs) -> None:
        self._add_tag(attrs.get("text"), "http://www.itunes.com/", None)
        self._push("category", 1)

    def _end_category(self) -> None:
        value = self._pop("category")
        if not value:
            return
        tags: list[Ctx] = self._context()["tags"]
        if tags and not tags[-1]["term"]:
            tags[-1]["term"] = value
            return
        tag = {"term": value, "scheme": None, "label": None}
        if tag not in tags:
            tags.append(tag)

    def _end_tags(self) -> None:
        value = self._pop("tags")
        if value is None:
            return
        for term in value.split(","):
            self._add_tag(term.strip(), None, None)

    def _end_itunes_keywords(self) -> None:
        self._keywords("itunes_keywords", "http://www.itunes.com/")

    def _end_media_keywords(self) -> None:
        self._keywords("media_keywords", None)

    def _keywords(self, key: str, scheme: str | None) -> None:
        value = self._pop(key)
        if value is None:
            return
        for term in value.split(","):
            if term.strip():
                self._add_tag(term.strip(), scheme, None)

    def _end_language(self) -> None:
        self.lang = self._pop("language")


_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_MATH_SVG_NAMES = {
    ("math", "http://www.w3.org/1998/Math/MathML"),
    ("svg", "http://www.w3.org/2000/svg"),
}
_MATH_SVG = {
    "{http://www.w3.org/1998/Math/MathML}math": "http://www.w3.org/1998/Math/MathML",
    "{http://www.w3.org/2000/svg}svg": "http://www.w3.org/2000/svg",
}
