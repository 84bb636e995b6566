"""Hostile and broken input (issue 5, part 3).

* Every file of the malformed corpus and of feedparser's own test sample
  (tests/data/corpus/, see its SOURCES.md) either converts or fails with one
  line on stderr: no traceback, no hang, and no item lost silently.
* External entities never read a file or the network; entity expansion cannot
  exhaust memory or time; non-web links never become IRIs; HTML never reaches a
  literal as markup; control characters never reach a literal; and every output
  of these builds parses in two independent RDF parsers (rapper, serdi).
"""

from __future__ import annotations

import faulthandler
import gzip
import http.server
import io
import json
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pyoxigraph as ox
import pytest

import kg
from kg.cli import main
from kg.feeds import xml as fast_reader
from tests.conftest import DATA, require_tool

CORPUS = DATA / "corpus"
CORPUS_FILES = sorted(
    p.relative_to(CORPUS).as_posix()
    for p in CORPUS.rglob("*")
    if p.is_file() and p.name != "SOURCES.md"
)
#: Seconds one corpus file may take (the slowest takes ~0.5 s here); a file
#: that hangs is stopped by faulthandler, which dumps the stacks and exits.
PER_FILE_SECONDS = 20
HANG_SECONDS = 120

#: Files where the reader's item count differs from the independent count
#: (feedparser's ``len(entries)``; for JSON, the length of ``items``), and why
#: nothing is lost there.
COUNT_DIFFERENCES = {
    "malformed/illegally-nested_pcmag.rss.xml": (
        10,
        "the 10 extra entries feedparser counts are empty <item /> elements nested inside "
        "the 10 real items; there is nothing in them to lose",
    ),
    "feedparser-tests/tests/wellformed/namespace/unknown-namespace.xml": (
        0,
        "an <item> inside an Atom <feed> is in the Atom namespace, where no <item> element "
        "exists (entries are <entry>); feedparser takes any <item> for an entry. It holds one "
        "unknown-namespace element and no title, link, id or text",
    ),
}


def _independent_count(data: bytes) -> int:
    """Entries as a second reader sees them: feedparser for XML (it reads any
    XML, broken or not), the ``items`` array for JSON."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        try:
            doc = json.loads(data)
        except ValueError:
            return 0
        items = doc.get("items") if isinstance(doc, dict) else None
        return len(items) if isinstance(items, list) else 0
    return len(feedparser.parse(io.BytesIO(data)).entries)


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """A hang (even inside C code) ends the worker with every thread's stack."""
    # sys.__stderr__: pytest's capture replaces sys.stderr with an object without a file
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_corpus_file_converts_or_fails_in_one_line(name, tmp_path, capsys, hang_guard):
    path = CORPUS / name
    start = time.monotonic()
    code = main(["build", str(path), "--out", str(tmp_path), "--no-store"])
    elapsed = time.monotonic() - start
    _, err = capsys.readouterr()
    assert elapsed < PER_FILE_SECONDS, f"{name} took {elapsed:.1f} s"
    assert "Traceback" not in err and "internal error" not in err, err
    expected, reason = COUNT_DIFFERENCES.get(name, (None, ""))
    independent = _independent_count(path.read_bytes())
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("kg: error: "), err
        assert not (tmp_path / "report.json").exists()
        # Refused files are not feeds with items that were dropped.
        assert independent == 0, f"{name}: refused, but a second reader finds {independent} items"
        return
    assert code in (0, 1), err
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    summary = report["summary"]
    assert summary["items"] == summary["items_kept"] + summary["items_rejected"]
    for rejected in report["rejected"]:
        assert rejected["reasons"], rejected
    assert summary["items"] == (independent if expected is None else expected), reason
    ox.parse(path=str(tmp_path / "graph.nq"), format=ox.RdfFormat.N_QUADS)


# -- security -------------------------------------------------------------------

CANARY = "CANARY-7f3a91-SECRET"


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Serves a DTD that would define the entities a feed uses; records every request."""

    requests: list[str]

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = f'<!ENTITY y "{CANARY}"><!ENTITY x "{CANARY}">{CANARY}'.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml-dtd")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(CANARY, encoding="utf-8")
    return path


#: DOCTYPEs that would read a file or the network if anything resolved them.
XXE = {
    "general-file": '<!DOCTYPE rss [\n<!ENTITY x SYSTEM "file://{secret}">\n]>',
    "general-http": '<!DOCTYPE rss [\n<!ENTITY x SYSTEM "{url}/x.txt">\n]>',
    "parameter": '<!DOCTYPE rss [\n<!ENTITY % p SYSTEM "{url}/p.dtd">\n%p;\n]>',
    "external-dtd": '<!DOCTYPE rss SYSTEM "{url}/rss.dtd">',
    "public-dtd": '<!DOCTYPE rss PUBLIC "-//Evil//DTD RSS//EN" "{url}/rss.dtd">',
}


def _xxe_feed(kind: str, *, one_line: bool, broken: bool, url: str, secret: Path) -> bytes:
    doctype = XXE[kind].format(url=url, secret=secret)
    if one_line:  # feedparser strips a DOCTYPE only when it starts a line
        doctype = doctype.replace("\n", "")
    body = (
        '<rss version="2.0"><channel><title>T</title><link>https://e.org/</link>'
        + ("<bad attr=1>" if broken else "")  # not well-formed: feedparser's loose parser
        + "<item><title>A &x; &y; B</title><link>https://e.org/a</link>"
        "<description>d &x;&y;</description></item></channel></rss>"
    )
    sep = "" if one_line else "\n"
    return f'<?xml version="1.0" encoding="utf-8"?>{sep}{doctype}\n{body}'.encode()


@pytest.mark.parametrize("broken", [False, True], ids=["well-formed", "broken"])
@pytest.mark.parametrize("one_line", [False, True], ids=["own-lines", "one-line"])
@pytest.mark.parametrize("kind", sorted(XXE))
def test_external_entities_never_read_files_or_the_network(
    kind, one_line, broken, server, secret, tmp_path
):
    url, requests = server
    feed = tmp_path / "xxe.rss"
    feed.write_bytes(_xxe_feed(kind, one_line=one_line, broken=broken, url=url, secret=secret))
    out = tmp_path / "out"
    result = kg.convert([str(feed)], out_dir=out)
    assert requests == []
    if not result.errors:  # read: the entities stay unexpanded (or are dropped)
        (summary,) = result.feeds
        assert summary.items == 1 == summary.kept + summary.rejected
        for written in out.iterdir():
            assert CANARY not in written.read_text(encoding="utf-8"), written.name
    assert CANARY not in str(result.errors)


@pytest.mark.parametrize("kind", sorted(XXE))
def test_the_fast_reader_declines_doctypes_and_its_parser_resolves_nothing(kind, server, secret):
    url, requests = server
    data = _xxe_feed(kind, one_line=True, broken=False, url=url, secret=secret)
    with pytest.raises(fast_reader.Declined, match="DOCTYPE"):
        fast_reader.parse(data, source="xxe")
    # Defence in depth: the lxml parser itself, handed the DOCTYPE, loads nothing.
    try:
        root = fast_reader._parse_untrusted(data)
    except fast_reader.Declined:
        pass
    else:
        assert CANARY not in "".join(root.itertext())
    assert requests == []


_BOMB_RUNNER = textwrap.dedent(
    """
    import resource, sys, time
    from kg.cli import main
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    code = main(["build", sys.argv[1], "--out", sys.argv[2], "--no-store"])
    elapsed = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(code, elapsed, (after - before) // 1024)
    """
)


def _laughs(reference: str) -> str:
    entities = ['<!ENTITY l0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY l{i} "{reference.format(i - 1) * 10}">' for i in range(1, 10)]
    return "<!DOCTYPE rss [" + "".join(entities) + "]>"


#: (DOCTYPE, entity used in the title, encoding).  One line after the XML
#: declaration, so feedparser hands the DOCTYPE to expat intact.
BOMBS = {
    "billion-laughs": (_laughs("&l{};"), "l9", "utf-8"),
    # "&#38;" becomes "&" when the entity is declared: a reference once used
    "billion-laughs-charref": (_laughs("&#38;l{};"), "l9", "utf-8"),
    "billion-laughs-hexref": (_laughs("&#x26;l{};"), "l9", "utf-8"),
    "billion-laughs-utf16": (_laughs("&l{};"), "l9", "utf-16"),
    "quadratic-blowup": ('<!DOCTYPE rss [<!ENTITY a "' + "a" * 100_000 + '">]>', "a", "utf-8"),
}


@pytest.mark.parametrize("broken", [False, True], ids=["well-formed", "broken"])
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_entity_expansion_cannot_exhaust_memory_or_time(bomb, broken, tmp_path):
    doctype, entity, encoding = BOMBS[bomb]
    uses = 3000 if bomb == "quadratic-blowup" else 1
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>{doctype}\n'
        '<rss version="2.0"><channel><title>T</title>'
        + ("<bad attr=1>" if broken else "")
        + f"<item><title>{('&' + entity + ';') * uses}</title>"
        "<link>https://e.org/a</link></item></channel></rss>"
    )
    feed = tmp_path / "bomb.rss"
    feed.write_bytes(text.encode(encoding))
    start = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-c", _BOMB_RUNNER, str(feed), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert time.monotonic() - start < 30
    code, elapsed, grown_mb = run.stdout.split()
    assert float(elapsed) < 5, run.stderr
    assert int(grown_mb) < 100, f"memory grew by {grown_mb} MB"
    # Refused before any parser expands it: one line naming the problem.
    assert code == "2", run.stderr
    (line,) = run.stderr.splitlines()
    assert "refusing the document" in line, line


# -- what reaches the graph -------------------------------------------------------

HOSTILE_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>Hostile &lt;script&gt;alert(0)&lt;/script&gt; feed</title>
<link>javascript:alert(1)</link>
<atom:link rel="self" href="data:text/html,feed"/>
<item>
  <title>&lt;script&gt;alert("t")&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt; title</title>
  <link>javascript:alert(document.cookie)</link>
  <guid isPermaLink="true">vbscript:msgbox(1)</guid>
  <description>&lt;p&gt;Hi &lt;script&gt;evil()&lt;/script&gt;&lt;img src=x onerror="alert(2)"&gt;
    &lt;a href="javascript:alert(3)"&gt;x&lt;/a&gt; &lt;a href="data:text/html,hi"&gt;y&lt;/a&gt;
    &lt;a href="file:///etc/passwd"&gt;z&lt;/a&gt;&lt;/p&gt;</description>
  <category domain="javascript:alert(4)">&lt;b&gt;Bold&lt;/b&gt; tag</category>
  <dc:creator>&lt;i&gt;Eve&lt;/i&gt; Evil</dc:creator>
</item>
<item>
  <title><![CDATA[<iframe src="javascript:alert(5)"></iframe>Two]]></title>
  <link>data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==</link>
  <guid isPermaLink="false">g2</guid>
  <content:encoded><![CDATA[<p><a href="javascript:void(0)">10.1234/abc</a></p>]]>
  </content:encoded>
</item>
<item><title>Three</title><link>file:///etc/passwd</link><guid isPermaLink="false">g3</guid></item>
<item><title>Four</title><link>VBScript:msgbox(1)</link></item>
<item><title>Five</title><link> JaVaScRiPt:alert(1)</link></item>
<item><title>Six</title><link>https://e.org/six</link><guid>javascript:alert(6)</guid></item>
<item><title>Seven</title><link>https://e.org/seven" onclick="alert(7)</link></item>
<item><title>Eight</title><link>http://javascript:alert(8)</link></item>
</channel></rss>
"""

HOSTILE_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="javascript:alert(0)//">
  <title type="html">&lt;img src=x onerror=alert(1)&gt;Atom</title>
  <id>urn:x:feed</id>
  <link rel="self" href="vbscript:msgbox(1)"/>
  <entry>
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>Bold</b> entry</div></title>
    <id>javascript:alert(2)</id>
    <link href="relative/path"/>
    <summary type="html">&lt;script&gt;alert(3)&lt;/script&gt;Sum</summary>
    <author><name>&lt;script&gt;x&lt;/script&gt;Mallory</name></author>
    <category term="&lt;u&gt;under&lt;/u&gt;" scheme="javascript:alert(4)"/>
  </entry>
  <entry xml:base="data:text/html,">
    <title>Data base</title>
    <id>urn:x:2</id>
    <link href="x"/>
  </entry>
</feed>
"""

HOSTILE_JSON = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "<script>alert(0)</script>JSON",
    "home_page_url": "javascript:alert(1)",
    "feed_url": "data:application/json,{}",
    "items": [
        {
            "id": "j1",
            "url": "javascript:alert(2)",
            "external_url": "data:text/html,x",
            "title": "<b>J</b>one",
            "content_html": '<a href="vbscript:x">link</a><script>alert(3)</script>',
            "authors": [{"name": "<em>Em</em>", "url": "javascript:alert(4)"}],
            "tags": ["<i>t</i>"],
        },
        {"id": "j2", "url": "file:///etc/passwd", "title": "Two"},
    ],
}

#: C0 controls but tab, newline and carriage return; DEL; the noncharacters.
CONTROLS = "".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\x7f\ufffe\uffff"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_ENCODED_CONTROL = re.compile("%(?:0[0-8BCEF]|1[0-9A-F]|7F)", re.IGNORECASE)
_TAG = re.compile(r"<\s*/?\s*(?:script|img|iframe|b|i|u|em|p|a|div)\b", re.IGNORECASE)
_BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")


def _control_json() -> bytes:
    c = CONTROLS
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"F{c}eed",
        "home_page_url": "https://e.org/",
        "items": [
            {
                "id": f"id{c}",
                "url": "https://e.org/a",
                "title": f"T{c}itle",
                "summary": f"S{c}um",
                "content_html": f"<p>B{c}ody 10.1234/ab{c}cd</p>",
                "date_published": f"2025-01-01T00:00:00Z{c}",
                "authors": [{"name": f"Eve{c}Evil"}],
                "tags": [f"ta{c}g"],
            },
            {"id": "id2", "url": f"javascript:x{c}", "title": "Two", "date_modified": f"no{c}"},
        ],
    }
    return json.dumps(doc).encode()


def _control_rss(*, references: bool) -> bytes:
    """Raw control bytes, or character references to them: neither is allowed
    in XML 1.0, so the feedparser fallback reads these."""
    c = "".join(f"&#{ord(ch)};" for ch in CONTROLS[:-2]) if references else CONTROLS[:-2]
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>F{c}eed</title><link>https://e.org/</link>"
        f"<item><title>T{c}itle</title><link>https://e.org/a</link><guid>g{c}</guid>"
        f"<description>D{c}esc</description><dc:creator>Eve{c} Evil</dc:creator>"
        f"<category>ta{c}g</category><pubDate>Sat, 14 Feb 2026{c}</pubDate></item>"
        "</channel></rss>"
    ).encode()


HOSTILE = {
    "rss.xml": HOSTILE_RSS.encode(),
    "atom.xml": HOSTILE_ATOM.encode(),
    "feed.json": json.dumps(HOSTILE_JSON).encode(),
    "controls.json": _control_json(),
    "controls-raw.rss": _control_rss(references=False),
    "controls-refs.rss": _control_rss(references=True),
}


@pytest.fixture(scope="module")
def hostile_builds(tmp_path_factory) -> dict[str, tuple[Path, list[ox.Quad]]]:
    """Each hostile feed built on its own: output directory and every quad
    written (kept and set aside)."""
    builds = {}
    for name, data in HOSTILE.items():
        root = tmp_path_factory.mktemp(name.replace(".", "-"))
        (root / name).write_bytes(data)
        result = kg.convert([str(root / name)], out_dir=root / "out")
        assert not result.errors, result.errors
        (summary,) = result.feeds
        assert summary.items == summary.kept + summary.rejected > 0
        quads = [
            *ox.parse(path=str(root / "out" / "graph.nq"), format=ox.RdfFormat.N_QUADS),
            *ox.parse(path=str(root / "out" / "rejected.nq"), format=ox.RdfFormat.N_QUADS),
        ]
        builds[name] = (root / "out", quads)
    return builds


def _iris(quads: list[ox.Quad]) -> set[str]:
    terms = [t for q in quads for t in (q.subject, q.predicate, q.object, q.graph_name)]
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


def _literals(quads: list[ox.Quad]) -> list[str]:
    return [q.object.value for q in quads if isinstance(q.object, ox.Literal)]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_non_web_schemes_never_become_iris(hostile_builds, name):
    out, quads = hostile_builds[name]
    for iri in _iris(quads):
        assert iri.startswith(("http://", "https://")), iri
    # Not even as a prefix of a minted IRI's text: only literals may hold them.
    nquads = (out / "graph.nq").read_text(encoding="utf-8")
    nquads += (out / "rejected.nq").read_text(encoding="utf-8")
    for scheme in _BAD_SCHEMES:
        assert f"<{scheme}" not in nquads.lower()


def test_stories_with_non_web_links_are_set_aside_with_the_link_as_reason(hostile_builds):
    out, _ = hostile_builds["rss.xml"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    values = {r["value"] for item in report["rejected"] for r in item["reasons"]}
    for link in (
        "javascript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "VBScript:msgbox(1)",
        "JaVaScRiPt:alert(1)",
    ):
        assert link in values
    assert report["summary"]["items_kept"] == 3  # six, seven (link encoded), eight


@pytest.mark.parametrize("name", sorted(set(HOSTILE) - {"feed.json"}))
def test_html_never_reaches_a_literal_as_markup(hostile_builds, name):
    """docs/model.md, section 3: text from the feed has its HTML removed and its
    entities decoded; identifiers (guids) and unusable links are stated as written."""
    _, quads = hostile_builds[name]
    as_written = {"https://schema.org/identifier", "https://schema.org/url"}
    for quad in quads:
        if isinstance(quad.object, ox.Literal) and quad.predicate.value not in as_written:
            assert not _TAG.search(quad.object.value), quad


def test_markup_in_titles_becomes_text_without_the_tags(hostile_builds):
    literals = set(_literals(hostile_builds["rss.xml"][1]))
    assert "Bold title" in literals  # tags gone, their text kept; a script's code dropped
    assert not any('alert("t")' in v for v in literals)
    assert "Eve Evil" in literals  # a byline's markup too
    assert "Bold tag" in literals
    atom = set(_literals(hostile_builds["atom.xml"][1]))
    assert {"Bold entry", "Mallory", "under"} <= atom


def test_json_feed_plain_text_stays_text_and_its_html_loses_its_markup(hostile_builds):
    """JSON Feed's title, author name and tags are plain text (its specification;
    kg/feeds/jsonfeed.py): "<b>" there is text, as the feed's readers show it.
    ``content_html`` is HTML: its markup and scripts are removed."""
    literals = set(_literals(hostile_builds["feed.json"][1]))
    assert {"<script>alert(0)</script>JSON", "<b>J</b>one", "<em>Em</em>", "<i>t</i>"} <= literals
    assert "link" in literals  # the description, from content_html
    assert not any("alert(3)" in v or "vbscript" in v for v in literals)


def test_text_escaped_twice_is_decoded_once(tmp_path):
    """A title written "&amp;lt;b&amp;gt;" shows the text "<b>" in a feed reader: the
    model decodes HTML once, so the literal holds that text (plain text, which
    every RDF syntax quotes), not markup the feed meant."""
    feed = tmp_path / "twice.rss"
    feed.write_text(
        '<rss version="2.0"><channel><title>T</title><item><title>Why &amp;lt;b&amp;gt; '
        "is bold</title><link>https://e.org/b</link></item></channel></rss>",
        encoding="utf-8",
    )
    result = kg.convert([str(feed)])
    titles = {str(o) for _, p, o in result.graph if str(p) == "https://schema.org/name"}
    assert "Why <b> is bold" in titles


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_control_characters_never_reach_a_literal_or_an_iri(hostile_builds, name):
    _, quads = hostile_builds[name]
    for value in _literals(quads):
        assert not _CONTROL.search(value), repr(value)
    for iri in _iris(quads):
        assert not _ENCODED_CONTROL.search(iri), iri


@pytest.mark.parametrize("name", ["controls.json", "controls-raw.rss", "controls-refs.rss"])
def test_control_characters_are_removed_not_the_text_around_them(hostile_builds, name):
    literals = set(_literals(hostile_builds[name][1]))
    assert "T itle" in literals or "Title" in literals, literals
    assert {"Eve Evil", "ta g"} & literals or {"EveEvil", "tag"} & literals, literals


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("rapper", ["-i", "nquads", "-c"]),
        ("serdi", ["-i", "nquads"]),
        ("rapper", ["-i", "turtle", "-c"]),
        ("serdi", ["-i", "turtle"]),
    ],
)
def test_hostile_outputs_parse_in_rapper_and_serdi(hostile_builds, tool, args):
    exe = require_tool(tool)
    files = ["graph.ttl"] if "turtle" in args else ["graph.nq", "rejected.nq"]
    for name, (out, _) in sorted(hostile_builds.items()):
        for file in files:
            run = subprocess.run(
                [exe, *args, str(out / file)], capture_output=True, text=True, check=False
            )
            assert run.returncode == 0, f"{name}/{file}: {run.stderr}"
            assert "error" not in run.stderr.lower(), f"{name}/{file}: {run.stderr}"
