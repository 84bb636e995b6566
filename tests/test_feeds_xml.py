"""The lxml reader (kg.feeds.xml) against the feedparser adapter, and its safety.

The contract: for every document the fast path accepts it returns the very
RawFeed the feedparser adapter returns; everything else goes to feedparser.
Speed is deliberately not tested here (measure it with bench/ or by hand).

Run by hand over a whole corpus (not part of the test run):

    .venv/bin/python -m tests.test_feeds_xml [DIR_OR_FILE ...]

which prints, per file and in total, what the fast path read, what it
declined and why, any mismatch, and the time both readers took.  Without
arguments it reads ../shared/corpus/{wordpress,scholarly,atom}.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import http.server
import sys
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.errors import FeedError
from kg.feeds import feedparser as tolerant
from kg.feeds import read_feed
from kg.feeds import xml as fast
from kg.types import RawEntry, RawFeed

from .conftest import DATA, SEED

CORPUS = [*sorted(p for p in (DATA / "feeds").iterdir() if p.suffix != ".md"), SEED]


@dataclasses.dataclass(frozen=True)
class Diff:
    """One field on which the two readers disagree."""

    field: str  #: "feed.title", "entries[3].link"
    lxml: Any
    feedparser: Any
    quick: RawFeed
    entry: RawEntry | None  #: the lxml reader's entry, for entry fields
    data: bytes

    def __str__(self) -> str:
        x, y = f"{self.lxml!r:.300}", f"{self.feedparser!r:.300}"
        return f"{self.field}:\n    lxml:       {x}\n    feedparser: {y}"


def _differ(name: str, x: Any, y: Any) -> bool:
    """Metadata: feedparser keeps only the last of repeated elements and drops
    some (dc:title, dc:creator), so what it keeps must be a part of what the
    lxml reader keeps, not all of it."""
    if name == "meta":  # and it lower-cases names it does not know
        return not {(k.casefold(), v) for k, v in y} <= {(k.casefold(), v) for k, v in x}
    return bool(x != y)


def differences(quick: RawFeed, slow: RawFeed, data: bytes = b"") -> list[Diff]:
    """Field-by-field differences."""
    out = []
    for f in dataclasses.fields(RawFeed):
        x, y = getattr(quick, f.name), getattr(slow, f.name)
        if f.name != "entries" and _differ(f.name, x, y):
            out.append(Diff(f"feed.{f.name}", x, y, quick, None, data))
    if len(quick.entries) != len(slow.entries):
        out.append(Diff("entries", len(quick.entries), len(slow.entries), quick, None, data))
    for i, (a, b) in enumerate(zip(quick.entries, slow.entries, strict=False)):
        for f in dataclasses.fields(a):
            x, y = getattr(a, f.name), getattr(b, f.name)
            if _differ(f.name, x, y):
                out.append(Diff(f"entries[{i}].{f.name}", x, y, quick, a, data))
    return out


# -- the differences allowed: feedparser quirks, not the formats' meaning ----
#
# Each rule names one behaviour of feedparser's that the fast reader does not
# copy, says why, and recognises the differences it causes.  A difference no
# rule explains fails the comparison; there is no per-file exception.


def _repaired(x: Any, y: Any) -> bool:
    if isinstance(x, tuple) and isinstance(y, tuple) and len(x) == len(y):
        return all(a == b or _repaired(a, b) for a, b in zip(x, y, strict=True))
    return isinstance(x, str) and isinstance(y, str) and fast._repair(y) == x


def _rdf_named_atom(d: Diff) -> bool:
    if d.quick.version not in ("rss10", "rss090"):
        return False
    if d.field == "feed.version":
        return d.feedparser == "atom10"
    e = d.entry
    # the entry's dc:date, filed as "updated" because the document is "atom10"
    return e is not None and e.updated is None and (
        (d.field.endswith("].published") and d.feedparser is None)
        or (d.field.endswith("].updated") and d.feedparser == e.published)
    )  # fmt: skip


def _nameless_author_repeats(d: Diff) -> bool:
    if not d.field.endswith("].creators") or d.quick.version != "atom10":
        return False
    rest, seen = list(d.lxml), []
    for name in d.feedparser:  # feedparser's list = ours + repeats of names before
        if rest and name == rest[0]:
            rest.pop(0)
        elif name not in seen:
            return False
        seen.append(name)
    return not rest


ALLOWED: dict[str, tuple[str, Callable[[Diff], bool]]] = {
    "mojibake-repair": (
        "Both readers repair UTF-8 read as Latin-1 and C1 controls (&#150;) read as "
        "Windows-1252, but feedparser skips some fields (Atom author names, attributes); "
        "the lxml reader repairs every text value.",
        lambda d: _repaired(d.lxml, d.feedparser),
    ),
    "rdf-named-by-first-namespace": (
        "feedparser names an RSS 1.0 document after the first feed namespace its root "
        "declares (atom10 when xmlns:atom comes first) and then files the items' "
        "dc:date as 'updated'; the lxml reader names it by its channel (rss10) and "
        "reads dc:date as the RSS 1.0 item's date, as for every other rss10 feed.",
        _rdf_named_atom,
    ),
    "channel-title-after-image": (
        "feedparser lets a channel's <dc:title> that follows an <image> element "
        "replace the channel's <title> (as if it titled the image); the lxml reader "
        "keeps the first non-empty title, as it does for items.",
        lambda d: d.field == "feed.title" and b"<image" in d.data and d.lxml is not None,
    ),
    "media-description-is-not-a-summary": (
        "feedparser files Media RSS <media:description> (nested in media:group) as the "
        "entry's summary; it describes the media object, not the entry.",
        lambda d: (
            d.field.endswith("].summary_html") and d.lxml is None and b"media:description" in d.data
        ),
    ),
    "atom-nameless-author": (
        "feedparser gives an Atom <author> (or a <contributor> before it) without "
        "<name> the name of the person before it; the lxml reader drops a "
        "name-less author like any other empty name.",
        _nameless_author_repeats,
    ),
}


def explain(d: Diff) -> str | None:
    """The allowed difference that accounts for ``d``, or None."""
    return next((name for name, (_, rule) in ALLOWED.items() if rule(d)), None)


def compare(data: bytes) -> tuple[RawFeed, list[Diff], Counter[str]]:
    """The fast record, the differences no rule explains, and the rules used."""
    slow = tolerant.parse(data, source="doc")
    quick = fast.parse(data, source="doc")
    unexplained, used = [], Counter[str]()
    for d in differences(quick, slow, data):
        rule = explain(d)
        if rule is None:
            unexplained.append(d)
        else:
            used[rule] += 1
    return quick, unexplained, used


def same_on_both_paths(data: bytes) -> RawFeed:
    """The fast reader's record, after checking that feedparser's is identical."""
    quick, unexplained, used = compare(data)
    assert not unexplained, "the lxml and feedparser readers differ:\n" + "\n".join(
        map(str, unexplained)
    )
    assert not used, f"allowed differences where none were expected: {dict(used)}"
    return quick


def same_but_for_allowed(data: bytes) -> tuple[RawFeed, Counter[str]]:
    quick, unexplained, used = compare(data)
    assert not unexplained, "the lxml and feedparser readers differ:\n" + "\n".join(
        map(str, unexplained)
    )
    return quick, used


# -- equivalence on real feeds ---------------------------------------------


# Files the fast reader leaves to feedparser, and why; every other file in
# tests/data/feeds must be read on the fast path.
DECLINED = {
    "intertwingly_sam-ruby_relative-uris.atom": "foreign namespace",  # inline SVG in XHTML
}


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_real_feed_reads_the_same_on_both_paths(path: Path):
    data = path.read_bytes()
    if path.name in DECLINED:
        with pytest.raises(fast.Declined, match=DECLINED[path.name]):
            fast.parse(data, source="doc")
        assert read_feed("doc", data=data) == tolerant.parse(data, source="doc")
        return
    feed, _ = same_but_for_allowed(data)
    assert feed.entries and feed.warnings == ()


def test_read_feed_takes_the_fast_path_for_well_formed_feeds(monkeypatch):
    def refuse(data: bytes, *, source: str) -> RawFeed:
        raise AssertionError("feedparser was asked to read a well-formed feed")

    monkeypatch.setattr(tolerant, "parse", refuse)
    assert len(read_feed(str(SEED)).entries) == 3


# -- equivalence on the rules that decide each field -----------------------


def rss(items: str, channel: str = "<title>T</title><link>https://example.org/</link>") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/">'
        f"<channel>{channel}{items}</channel></rss>"
    ).encode()


def atom(entries: str, feed: str = "<title>T</title>", attrs: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"{attrs}>'
        f"{feed}{entries}</feed>"
    ).encode()


RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" %s
  xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/rss"><title>R</title><link>https://example.org/</link>
  <dc:date>2025-01-01</dc:date><dc:language>de</dc:language></channel>
  <item rdf:about="https://example.org/a"><title>A</title><link>https://example.org/a</link>
  <dc:creator>Jane Doe</dc:creator><dc:creator>Bo Chen</dc:creator>
  <dc:date>2025-03-04T05:06:07Z</dc:date><dc:subject>physics</dc:subject></item>
</rdf:RDF>"""

Check = Callable[[RawFeed], bool]
RULES: list[tuple[str, bytes, Check]] = [
    (
        "rss-author-mail-and-name",
        rss("<item><author>jane@example.org (Jane Doe)</author><dc:creator>Bo</dc:creator></item>"),
        lambda f: f.entries[0].creators == ("Jane Doe", "Bo"),
    ),
    (
        "empty-creators-dropped",
        rss("<item><dc:creator> </dc:creator><dc:creator>Ann</dc:creator></item>"),
        lambda f: f.entries[0].creators == ("Ann",),
    ),
    (
        "permalink-guid-stands-in-for-link",
        rss("<item><guid>https://example.org/p/1</guid></item>"),
        lambda f: f.entries[0].link == f.entries[0].guid == "https://example.org/p/1",
    ),
    (
        "non-permalink-guid-is-no-link",
        rss('<item><guid isPermaLink="false">p-1</guid></item>'),
        lambda f: f.entries[0].link is None and f.entries[0].guid == "p-1",
    ),
    (
        "content-fills-a-missing-summary",
        rss("<item><content:encoded><![CDATA[<p>Body</p>]]></content:encoded></item>"),
        lambda f: f.entries[0].summary_html == f.entries[0].content_html == "<p>Body</p>",
    ),
    (
        "second-description-becomes-content",
        rss("<item><description>short</description><description>long one</description></item>"),
        lambda f: (f.entries[0].summary_html, f.entries[0].content_html) == ("short", "long one"),
    ),
    (
        "longest-content-wins",
        rss(
            "<item><content:encoded>a</content:encoded><content:encoded>abc</content:encoded></item>"
        ),
        lambda f: f.entries[0].content_html == "abc",
    ),
    (
        "repeated-categories-merge",
        rss(
            "<item><category>A</category><category> A </category><category>A</category>"
            '<category domain="d">A</category><dc:subject>B</dc:subject></item>'
        ),
        # the text is stripped before comparing; a domain makes another tag
        lambda f: f.entries[0].categories == ("A", "A", "B"),
    ),
    (
        "deeper-media-title-does-not-replace-title",
        rss(
            "<item><title>Story</title><media:content url='x'><media:title>pic</media:title>"
            "</media:content></item>"
        ),
        lambda f: f.entries[0].title == "Story",
    ),
    (
        "first-title-wins",
        rss("<item><title></title><title>Two</title><dc:title>Three</dc:title></item>"),
        lambda f: f.entries[0].title == "Two",
    ),
    (
        "pubdate-is-published-and-so-is-a-lone-dc-date",
        rss(
            "<item><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>"
            "<item><dc:date>2024-01-02</dc:date></item>"
        ),
        lambda f: (
            (f.entries[0].published, f.entries[0].updated, f.entries[1].published)
            == ("Mon, 01 Jan 2024 00:00:00 GMT", None, "2024-01-02")
            and f.entries[1].updated is None
        ),
    ),
    (
        "rss-self-link-language-and-build-date",
        rss(
            "",
            "<title>T</title><atom:link rel='self' href='https://example.org/feed'/>"
            "<link>https://example.org/</link><language>en-GB</language>"
            "<lastBuildDate>Tue, 02 Jan 2024 00:00:00 GMT</lastBuildDate>",
        ),
        lambda f: (
            (f.link, f.self_link, f.language, f.updated)
            == (
                "https://example.org/",
                "https://example.org/feed",
                "en-GB",
                "Tue, 02 Jan 2024 00:00:00 GMT",
            )
        ),
    ),
    (
        "link-query-ampersands",
        rss("<item><link>https://example.org/?a=1&amp;amp;b=2</link></item>"),
        lambda f: f.entries[0].link == "https://example.org/?a=1&b=2",
    ),
    (
        "windows-1252-characters-repaired",
        rss("<item><title>A &#150; B &#147;q&#148;</title></item>"),
        lambda f: f.entries[0].title == "A \u2013 B \u201cq\u201d",
    ),
    (
        "rss-0.92",
        rss("").replace(b'version="2.0"', b'version="0.92"'),
        lambda f: f.version == "rss092",
    ),
    (
        "rss-1.0-with-dublin-core",
        RDF % b"",
        lambda f: (
            f.version == "rss10"
            and (f.language, f.updated) == ("de", "2025-01-01")
            and f.entries[0].creators == ("Jane Doe", "Bo Chen")
            and f.entries[0].guid == "https://example.org/a"
            and f.entries[0].categories == ("physics",)
        ),
    ),
    (
        "atom-authors-categories-dates",
        atom(
            '<entry><title>E</title><id>urn:e</id><link href="https://example.org/e"/>'
            "<author><name>Ann Lee</name><email>ann@example.org</email></author>"
            "<author><name>Bo Chen</name></author>"
            '<category term="phys" label="Physics"/><category term="bio"/>'
            "<published>2025-01-01T00:00:00Z</published><updated>2025-01-02T00:00:00Z</updated>"
            "</entry>",
            attrs=' xml:lang="en_GB"',
        ),
        lambda f: (
            f.language == "en-GB"
            and f.entries[0].creators == ("Ann Lee", "Bo Chen")
            and f.entries[0].categories == ("Physics", "bio")
            and f.entries[0].updated == "2025-01-02T00:00:00Z"
        ),
    ),
    (
        "atom-xml-base-resolves-links-and-ids",
        atom(
            '<entry xml:base="https://example.org/blog/"><id>post/1</id>'
            '<link href="2025/post"/><link rel="self" href="/api/1"/></entry>',
            feed='<title>T</title><link href="https://example.org/"/>'
            '<link rel="self" href="feed.atom"/>',
            attrs=' xml:base="https://example.org/"',
        ),
        lambda f: (
            (f.self_link, f.entries[0].link, f.entries[0].guid)
            == (
                "https://example.org/feed.atom",
                "https://example.org/blog/2025/post",
                "https://example.org/blog/post/1",
            )
        ),
    ),
    (
        "atom-relative-links-without-base-stay-relative",
        atom('<entry><link href="/p/1"/></entry>', feed='<link href="/blog/"/>'),
        lambda f: (f.link, f.entries[0].link) == ("/blog/", "/p/1"),
    ),
    (
        "atom-xhtml-content-loses-its-div",
        atom(
            '<entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            '<p class="x">A &amp; <a href="/b">b</a><br/></p></div></content>'
            '<title type="html">&lt;b&gt;T&lt;/b&gt;</title></entry>'
        ),
        lambda f: (
            f.entries[0].content_html == '<p class="x">A &amp; <a href="/b">b</a><br></br></p>'
            and f.entries[0].title == "<b>T</b>"
        ),
    ),
]


@pytest.mark.parametrize(("doc", "check"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_rule_reads_the_same_on_both_paths(doc: bytes, check: Check):
    feed = same_on_both_paths(doc)
    assert check(feed), feed


MEDIA = ' xmlns:media="http://search.yahoo.com/mrss/"'
# One document per allowed difference: the rule is needed, and it is enough.
ALLOWED_EXAMPLES: list[tuple[str, bytes, Check]] = [
    (
        "mojibake-repair",
        atom("<entry><author><name>Jos\u00c3\u00a9 Ra\u00c3\u00bal</name></author></entry>"),
        lambda f: f.entries[0].creators == ("José Raúl",),
    ),
    (
        "rdf-named-by-first-namespace",
        RDF % b'xmlns:atom="http://www.w3.org/2005/Atom"',
        lambda f: f.version == "rss10" and f.entries[0].published == "2025-03-04T05:06:07Z",
    ),
    (
        "channel-title-after-image",
        (RDF % b"").replace(
            b"<dc:date>",
            b"<image rdf:resource='https://example.org/i.gif'/>"
            b"<dc:title>R RSS Feed</dc:title><dc:date>",
            1,
        ),
        lambda f: f.title == "R",
    ),
    (
        "media-description-is-not-a-summary",
        atom(
            "<entry><title>V</title><media:group><media:description>About the video"
            "</media:description></media:group></entry>",
            attrs=MEDIA,
        ),
        lambda f: f.entries[0].summary_html is None,
    ),
    (
        "atom-nameless-author",
        atom(
            "<entry><author><name>A</name></author><author><email>b@x.org</email></author></entry>"
        ),
        lambda f: f.entries[0].creators == ("A",),
    ),
]


@pytest.mark.parametrize(
    ("rule", "doc", "check"), ALLOWED_EXAMPLES, ids=[r[0] for r in ALLOWED_EXAMPLES]
)
def test_allowed_difference(rule: str, doc: bytes, check: Check):
    feed, used = same_but_for_allowed(doc)
    assert set(used) == {rule}
    assert check(feed), feed


def test_every_allowed_difference_has_an_example():
    assert [r[0] for r in ALLOWED_EXAMPLES] == list(ALLOWED)


ENCODED = (
    "<rss version='2.0'><channel><title>Café – Zoë</title>"
    "<item><title>Ærø</title></item></channel></rss>"
)


@pytest.mark.parametrize(
    "data",
    [
        ("<?xml version='1.0' encoding='iso-8859-1'?>" + ENCODED.replace("–", "-")).encode(
            "latin-1"
        ),
        ("<?xml version='1.0' encoding='windows-1252'?>" + ENCODED).encode("cp1252"),
        codecs.BOM_UTF16_LE
        + ("<?xml version='1.0' encoding='utf-16'?>" + ENCODED).encode("utf-16-le"),
        codecs.BOM_UTF8 + ("<?xml version='1.0' encoding='utf-8'?>" + ENCODED).encode("utf-8"),
        ("<?xml version='1.0' encoding='gb2312'?>" + ENCODED.replace("–", "")).encode("gb18030"),
    ],
    ids=["latin-1", "windows-1252", "utf-16-bom", "utf-8-bom", "gb2312"],
)
def test_declared_encodings_read_the_same_on_both_paths(data: bytes):
    feed = same_on_both_paths(data)
    assert feed.title is not None and feed.title.startswith("Café")
    assert feed.entries[0].title == "Ærø"


# -- what the fast path leaves to feedparser -------------------------------

NETSCAPE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC '
    b'"-//Netscape Communications//DTD RSS 0.91//EN" '
    b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n'
    b'<rss version="0.91"><channel><title>N</title>'
)


def test_malformed_feed_falls_back_to_feedparser_with_a_warning(tmp_path: Path):
    text = SEED.read_text(encoding="utf-8").replace(
        "<title>How ECT Rewires", "<title>Genes & How ECT Rewires", 1
    )
    data = text.encode("utf-8")
    with pytest.raises(fast.Declined, match="not well-formed"):
        fast.parse(data, source="doc")
    path = tmp_path / "broken.rss"
    path.write_bytes(data)
    feed = read_feed(str(path))
    assert len(feed.entries) == 3
    assert feed.entries[0].title is not None and "Genes & How ECT" in feed.entries[0].title
    assert len(feed.warnings) == 1
    assert feed.warnings[0].startswith(f"{path}: malformed feed, recovered:")


@pytest.mark.parametrize(
    ("data", "reason", "warned"),
    [
        # bytes that are not what the declaration says: feedparser guesses
        (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\xe9'
            "</title></channel></rss>".encode("latin-1"),
            "character encoding",
            True,
        ),
        (NETSCAPE + b"</channel></rss>", "DOCTYPE", False),
        (
            b'<?xml version="1.1"?><rss version="2.0"><channel><title>x</title></channel></rss>',
            "XML 1.0",
            False,
        ),
        (b"<root><entries>no feed here</entries></root>", "not an RSS or Atom", None),
    ],
    ids=["wrong-encoding", "doctype", "xml-1.1", "not-a-feed"],
)
def test_documents_the_fast_path_declines(data: bytes, reason: str, warned: bool | None):
    with pytest.raises(fast.Declined, match=reason):
        fast.parse(data, source="doc")
    if warned is None:
        with pytest.raises(FeedError):
            read_feed("doc", data=data)
    else:
        assert bool(read_feed("doc", data=data).warnings) is warned


def test_rss091_netscape_doctype_keeps_feedparsers_version():
    data = NETSCAPE + b"<item><title>I</title></item></channel></rss>"
    assert read_feed("doc", data=data).version == "rss091n"


# -- safety ----------------------------------------------------------------

_opened: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _opened is not None and event in ("open", "os.open", "socket.connect", "urllib.Request"):
        _opened.append(f"{event} {args[0]!r}")


sys.addaudithook(_audit)


@contextlib.contextmanager
def recording_io() -> Iterator[list[str]]:
    """Every file open and network connection Python makes inside the block."""
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def xxe_documents(url: str) -> dict[str, bytes]:
    item = "<item><title>t &xxe; u</title><description>d &xxe;</description></item>"
    head = '<?xml version="1.0"?>'
    docs = {
        "entity": f'{head}\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{url}">\n]>\n',
        "entity-one-line": f'{head}<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{url}">]>',
        "public-entity": f'{head}\n<!DOCTYPE rss [\n<!ENTITY xxe PUBLIC "-//x//y" "{url}">\n]>\n',
        "parameter-entity": f'{head}<!DOCTYPE rss [<!ENTITY % p SYSTEM "{url}"> %p;]>',
        "external-dtd": f'{head}<!DOCTYPE rss SYSTEM "{url}">',
    }
    body = f'<rss version="2.0"><channel><title>&xxe;</title><link>https://e.org/</link>{item}'
    return {k: (v + body + "</channel></rss>").encode() for k, v in docs.items()}


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-7f3a9c\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", list(xxe_documents("x")))
def test_external_entities_are_never_read(kind: str, secret: Path):
    passwd = Path("/etc/passwd")
    for target in (secret, passwd):
        data = xxe_documents(target.as_uri())[kind]
        with pytest.raises(fast.Declined, match="DOCTYPE"):
            fast.parse(data, source="doc")
        with recording_io() as opened:
            try:
                feed: RawFeed | FeedError = read_feed("doc", data=data)
            except FeedError as e:
                feed = e
        assert not [o for o in opened if target.name in o], opened
        text = repr(feed)
        assert "TOP-SECRET" not in text and "root:" not in text
        if passwd.exists():
            assert not any(line and line in text for line in passwd.read_text().splitlines())


def test_the_lxml_parser_itself_resolves_no_entities(secret: Path):
    # Defence in depth: even without the DOCTYPE check, nothing is read.
    data = xxe_documents(secret.as_uri())["entity-one-line"]
    root = fast._parse_untrusted(data)
    assert "TOP-SECRET" not in "".join(root.itertext())


def test_no_network_access_for_external_dtds_or_entities():
    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak "LEAKED">')

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/evil"
        for kind, data in xxe_documents(url).items():
            with recording_io() as opened:
                try:
                    feed: RawFeed | FeedError = read_feed("doc", data=data)
                except FeedError as e:
                    feed = e
            assert "LEAKED" not in repr(feed), kind
            assert not [o for o in opened if o.startswith(("socket", "urllib"))], (kind, opened)
            with contextlib.suppress(fast.Declined):
                fast._parse_untrusted(data)  # libxml2 itself, DOCTYPE check bypassed
    finally:
        httpd.shutdown()
    assert hits == []


def billion_laughs(one_line: bool) -> bytes:
    sep = "" if one_line else "\n"
    lols = [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10)]
    return (
        f'<?xml version="1.0"?>{sep}<!DOCTYPE rss [{sep}<!ENTITY lol0 "lol">{sep}'
        + sep.join(lols)
        + f"{sep}]>{sep}"
        + '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
        + "</item></channel></rss>"
    ).encode()


def quadratic_blowup(one_line: bool) -> bytes:
    sep = "" if one_line else "\n"
    return (
        f'<?xml version="1.0"?>{sep}<!DOCTYPE rss [{sep}<!ENTITY a "{"a" * 50_000}">{sep}]>{sep}'
        '<rss version="2.0"><channel><title>x</title><item><description>'
        + "&a;" * 20_000
        + "</description></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("make", [billion_laughs, quadratic_blowup])
@pytest.mark.parametrize("one_line", [False, True], ids=["multi-line", "one-line"])
def test_entity_bombs_are_refused_quickly_and_cheaply(make, one_line: bool):
    data = make(one_line)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(FeedError, match="refusing the document"):
            read_feed("doc", data=data)
        with pytest.raises(fast.Declined):
            fast._parse_untrusted(data)  # libxml2 refuses the amplification too
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.perf_counter() - started < 2.0
    assert peak < 20 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_harmless_internal_entities_still_read():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n'
        b'<!ENTITY co "ACME">\n]>\n<rss version="2.0"><channel><title>&co;</title>'
        b"<item><title>a&nbsp;b</title></item></channel></rss>"
    )
    feed = read_feed("doc", data=data)
    assert feed.title == "ACME" and feed.entries[0].title == "a\xa0b"


def test_bytes_naming_a_local_file_are_not_read_as_that_file(tmp_path: Path):
    # feedparser.parse(b"/path") would open the path; the adapter passes a stream.
    path = tmp_path / "other.rss"
    path.write_bytes(SEED.read_bytes())
    with pytest.raises(FeedError, match="not an RSS/Atom feed"):
        read_feed("doc", data=str(path).encode())


# -- the hand-run corpus check ---------------------------------------------


def _files(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args] or [
        Path(__file__).resolve().parents[2] / "shared" / "corpus" / d
        for d in ("wordpress", "scholarly", "atom")
    ]
    files: list[Path] = []
    for root in roots:
        files += sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    return files


def main(args: list[str]) -> int:
    """Compare both readers on every file; print counts, reasons and timings."""
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    rules: Counter[str] = Counter()  # files that differ only by allowed rules, per rule
    items = 0
    times = {"lxml": 0.0, "feedparser": 0.0}
    for path in _files(args):
        data = path.read_bytes()
        started = time.perf_counter()
        try:
            quick = fast.parse(data, source="doc")
        except fast.Declined as declined:
            counts["declined"] += 1
            reasons[declined.reason.split(" (")[0]] += 1
            print(f"declined  {path}: {declined.reason[:120]}")
            continue
        lap = time.perf_counter()
        try:
            slow = tolerant.parse(data, source="doc")
        except FeedError as e:
            counts["mismatch"] += 1
            print(f"MISMATCH  {path}: feedparser adapter refuses it: {e}")
            continue
        times["lxml"] += lap - started
        times["feedparser"] += time.perf_counter() - lap
        diff = differences(quick, slow, data)
        unexplained = [d for d in diff if explain(d) is None]
        used = sorted({r for d in diff if (r := explain(d))})
        items += len(quick.entries)
        if unexplained:
            counts["mismatch"] += 1
            print(f"MISMATCH  {path}:\n  " + "\n  ".join(map(str, unexplained[:10])))
        elif used:
            counts["allowed"] += 1
            rules.update(used)
            print(f"allowed   {path}: {', '.join(used)}")
        else:
            counts["same"] += 1
            print(f"same      {path} ({quick.version}, {len(quick.entries)} entries)")
    total = sum(counts.values())
    print(
        f"\n{total} files: {counts['same'] + counts['allowed']} read by lxml ({items} entries): "
        f"{counts['same']} identical, {counts['allowed']} differing only by allowed rules; "
        f"{counts['declined']} declined to feedparser, {counts['mismatch']} mismatches"
    )
    for rule, n in rules.most_common():
        print(f"  allowed  {n:3d}: {rule}")
    for reason, n in reasons.most_common():
        print(f"  declined {n:3d}: {reason}")
    if times["lxml"]:
        print(
            f"time on the fast-path files: lxml {times['lxml']:.2f} s, "
            f"feedparser {times['feedparser']:.2f} s "
            f"({times['feedparser'] / times['lxml']:.1f}x)"
        )
    return 1 if counts["mismatch"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def test_an_atom_id_is_never_a_link_on_either_path():
    """RFC 4287 4.2.6: an id identifies (tag:, urn:), it does not locate; feedparser
    offers the id as the link when there is none, which both readers refuse."""
    doc = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:x,2025:feed</id><title>t</title>'
        b"<entry><id>urn:uuid:1225c695</id><title>e</title></entry></feed>"
    )
    for read in (fast.parse, tolerant.parse):
        feed = read(doc, source="doc")
        assert (feed.link, feed.entries[0].link, feed.entries[0].guid) == (
            None,
            None,
            "urn:uuid:1225c695",
        )
