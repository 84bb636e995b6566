"""The fast reader's speed-ups change nothing it returns.

For a document over one piece (``_FEED_BYTES``) kg.feeds.xml reads each entry
while libxml2's push parser is still building the tree, empties it, and only
falls back to a whole-document parse when the push parser refuses or warns
(see ``_Reading``).  These tests hold that to the plain way: parse everything
with ``_parse_untrusted``, then read.  Same RawFeed, same Declined reason, same
exception, in the same order, whatever the size of the pieces the parser is
fed (small ones are set here, so that small files stream too).  They also pin
the shortcuts taken in ``_text`` (no regex scan of every non-ASCII text) and
``_check_utf8`` (UTF-8 checked piecewise) to the expressions they replaced.
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from kg.feeds import xml as fast
from kg.feeds.compression import gunzip

from .conftest import DATA

FILES = sorted(
    p for p in DATA.rglob("*") if p.is_file() and p.suffix not in (".md", ".ttl", ".json", ".opml")
)
CHUNKS = [1, 97, 4096]


def outcome(data: bytes) -> str:
    """What ``fast.parse`` makes of ``data``, as comparable text."""
    try:
        return repr(fast.parse(data, source="doc"))
    except fast.Declined as e:
        return f"declined: {e.reason}"
    except Exception as e:
        return f"{type(e).__name__}: {e}"


def read_after_parsing(data: bytes, monkeypatch: pytest.MonkeyPatch) -> str:
    """The reference: the whole tree first (as before the read-ahead), then the reading."""
    with monkeypatch.context() as m:
        m.setattr(fast, "_parse_streaming", lambda utf8, reading: None)
        return outcome(data)


def read_streaming(data: bytes, chunk: int, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as m:
        m.setattr(fast, "_FEED_BYTES", chunk)
        return outcome(data)


@pytest.mark.parametrize("chunk", CHUNKS)
def test_every_data_file_reads_the_same_streamed(chunk: int, monkeypatch: pytest.MonkeyPatch):
    assert len(FILES) > 350
    read = 0
    for path in FILES:
        data = gunzip(path.read_bytes(), str(path))
        expected = read_after_parsing(data, monkeypatch)
        assert read_streaming(data, chunk, monkeypatch) == expected, path
        read += expected.startswith("RawFeed(")
    assert read > 200  # most are read, not declined


ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PAD = "".join(f"<item><title>p{i}</title><link>http://e.org/{i}</link></item>" for i in range(40))
BAD = "<item><title>a <b xmlns='urn:x'>b</b></title></item>"
BAD2 = "<item><description>d <q xmlns='urn:y'>q</q></description></item>"
IPV6 = "<item xml:base='http://[::1'><link>x</link></item>"  # urljoin raises ValueError

TRICKY = {
    "channel fails after its items": f"<rss><channel>{PAD}{BAD}<title>x<i xmlns='urn:c'/></title>"
    "</channel></rss>",
    "two bad items": f"<rss><channel>{PAD}{BAD}{BAD2}</channel></rss>",
    "root items before the channel": f"<rss>{BAD2}{PAD}<channel>{PAD}{BAD}</channel></rss>",
    "root items read after channel items": f"<rss version='0.91'>{PAD}<channel><title>c</title>"
    f"{PAD}</channel>{PAD}</rss>",
    "bad item, then not well-formed": f"<rss><channel>{BAD}{PAD}<oops></channel></rss>",
    "bad item, then a libxml2 warning": f"<rss><channel>{BAD}{PAD}<w xmlns='rel/x'/></channel>"
    "</rss>",
    "second channel is not read": f"<rss><channel><title>1</title>{PAD}</channel><channel>{BAD}"
    "</channel></rss>",
    "channel nested deeper first": f"<rss><x><channel>{BAD}</channel></x><channel>{PAD}</channel>"
    "</rss>",
    "items inside items": "<rss><channel>"
    + PAD.replace("</title>", "</title><item><title>inner</title></item>", 9)
    + "</channel></rss>",
    "no channel": f"<rss>{PAD}</rss>",
    "unknown root": f"<feed>{PAD}</feed>",
    "ValueError before a Declined": f"<rss><channel>{IPV6}{PAD}{BAD}</channel></rss>",
    "Declined before a ValueError": f"<rss><channel>{BAD}{PAD}{IPV6}</channel></rss>",
    "Atom, xml:base and repeated categories": f"<feed xmlns='{ATOM}' xml:base='http://b.org/x/'>"
    + "".join(
        f"<entry xml:base='s{i}/'><id>r{i}</id><link href='p{i}'/><category term='c'/>"
        "<category term='c'/><title type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>"
        f"<b>{i}</b></div></title></entry>"
        for i in range(30)
    )
    + "</feed>",
    "Atom entry fails, then the feed": f"<feed xmlns='{ATOM}'><entry><title>x</title></entry>"
    "<entry><content type='image/png'>x</content></entry><title type='xhtml'>x</title></feed>",
    "RDF items of both RSS 1.0 and 0.90": f"<r:RDF xmlns:r='{RDF}' xmlns:a='http://purl.org/rss/1.0/'"
    " xmlns:b='http://my.netscape.com/rdf/simple/0.9/'>"
    + "".join(
        f"<b:item r:about='urn:b{i}'><b:title>b</b:title></b:item>"
        f"<a:item r:about=' urn:a{i} '><a:title>a</a:title></a:item>"
        for i in range(30)
    )
    + "<b:channel><b:title>B</b:title></b:channel><a:channel><a:title>A</a:title></a:channel>"
    "</r:RDF>",
    "RDF item fails": f"<RDF xmlns='{RDF}'><channel xmlns='http://purl.org/rss/1.0/'/>"
    "<item xmlns='http://purl.org/rss/1.0/'><title>x<z xmlns='urn:z'/></title></item></RDF>",
    "text repairs": "<rss><channel><item><title>caf\u00e9 \u201c \u0096</title>"
    "<description> \u00a0\u2019 </description><category>\u0085\u00e9 \u00c3\u00a9 \u3000</category>"
    "<category>\u00c3\u00a9\u2028</category></item></channel></rss>",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
@pytest.mark.parametrize("chunk", CHUNKS)
def test_order_of_failures_and_what_is_read_are_kept(name: str, chunk: int, monkeypatch):
    data = TRICKY[name].encode("utf-8")
    assert read_streaming(data, chunk, monkeypatch) == read_after_parsing(data, monkeypatch)


def _mutations(count: int) -> list[bytes]:
    rnd = random.Random(5)
    docs = [p.read_bytes() for p in FILES if p.stat().st_size < 60_000 and p.suffix != ".gz"]
    pieces = [b"<", b">", b"&", b"]]>", b"<![CDATA[", b"\x00", b"\xff", b"</a>", b"<a>", b"&#0;"]
    pieces += [b"<!--", b"-->", b"xmlns:a='b'", b" xmlns='r'", b"\xc3", b"&lt;", b"<!DOCTYPE x>"]
    out = []
    for _ in range(count):
        doc = rnd.choice(docs)
        at = rnd.randrange(len(doc) + 1)
        kind = rnd.randrange(3)
        if kind == 0:
            out.append(doc[:at])
        elif kind == 1:
            out.append(doc[:at] + doc[at + 1 :])
        else:
            out.append(doc[:at] + rnd.choice(pieces) + doc[at:])
    return out


def test_push_and_pull_parsers_agree_on_broken_documents(monkeypatch):
    # The push parser's verdict is trusted only when it accepts without a
    # warning; then the usual parser must accept too, and build the same tree.
    class Idle(fast._Reading):
        def read_ahead(self, element):
            pass

    for data in _mutations(400):
        try:
            utf8 = fast._utf8(data)
        except fast.Declined:
            continue
        pushed = fast._parse_streaming(utf8, Idle())
        try:
            pulled = fast._parse_untrusted(utf8)
        except fast.Declined:
            assert pushed is None, data
            continue
        if pushed is not None:
            assert etree.tostring(pushed) == etree.tostring(pulled)
        assert read_streaming(data, 64, monkeypatch) == read_after_parsing(data, monkeypatch)


_LATIN1_HIGH = re.compile("[\x80-\xff]")
_C1 = re.compile("[\x80-\x9f]")


def _text_as_it_was(text: str) -> str:
    """_text's choice before the byte-level shortcut (a regex over each text)."""
    text = text.strip()
    if text.isascii() or not _LATIN1_HIGH.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text.translate(fast._WINDOWS_1252) if _C1.search(text) else text


_XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12"
    "\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff\r",
)
_INTERESTING = st.sampled_from(
    ["\x85", "\xa0", "\u3000", "\u2028", "\x96", "\xc3\xa9", "\xe9", "\u2019", " ", "\n", "a"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_XML_CHARS | _INTERESTING, max_size=12).map("".join))
def test_text_shortcut_matches_the_regex_it_replaced(text: str):
    el = etree.Element("t")
    el.text = text
    assert fast._text(el) == _text_as_it_was(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40), st.integers(1, 9))
def test_piecewise_utf8_check_raises_what_decode_raises(data: bytes, piece: int):
    mp = pytest.MonkeyPatch()
    mp.setattr(fast, "_CHECK_CHUNK", piece)
    try:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            with pytest.raises(UnicodeDecodeError) as raised:
                fast._check_utf8(data)
            assert str(raised.value) == str(e)
        else:
            fast._check_utf8(data)
    finally:
        mp.undo()


def test_utf8_check_at_the_real_chunk_size():
    good = ("é" * 20_000).encode() + "€".encode()
    fast._check_utf8(good)
    bad = good[: fast._CHECK_CHUNK * 2 + 1] + good[fast._CHECK_CHUNK * 2 + 2 :]
    with pytest.raises(UnicodeDecodeError) as raised:
        fast._check_utf8(bad)
    with pytest.raises(UnicodeDecodeError) as expected:
        bad.decode("utf-8")
    assert str(raised.value) == str(expected.value)


def test_read_ahead_empties_entries_while_parsing():
    # The point of the read-ahead: entries are dropped from the tree as they are read.
    items = "".join(
        f"<item><title>t{i}</title><description>{'x' * 500}</description></item>"
        for i in range(3000)
    )
    data = f"<rss><channel>{items}</channel></rss>".encode()
    assert len(data) > fast._FEED_BYTES  # streamed at the real piece size
    reading = fast._Reading()
    root = fast._parse_streaming(data, reading)
    assert root is not None
    assert all(len(item) == 0 for item in root.iter("item"))
    feed = fast.parse(data, source="doc")
    assert [e.title for e in feed.entries] == [f"t{i}" for i in range(3000)]
    assert {e.summary_html for e in feed.entries} == {"x" * 500}
