"""Reading feeds from files, stdin and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import io
import sys
import threading
from pathlib import Path
from typing import ClassVar

import pytest

from kg.errors import FeedError
from kg.feeds import read_feed

from .conftest import SEED


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, str, bytes]]] = {}
    seen_agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        if status in (301, 302):
            self.send_response(status)
            self.send_header("Location", body.decode())
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _Handler.routes = {
        "/feed.rss": (200, "application/rss+xml", SEED.read_bytes()),
        "/moved": (301, "", b"/feed.rss"),
        "/page.html": (200, "text/html", b"<!DOCTYPE html><html><body><p>Hello</p></body></html>"),
        "/boom": (500, "text/plain", b"oops"),
    }
    yield base
    httpd.shutdown()


def test_read_from_url(server):
    feed = read_feed(f"{server}/feed.rss")
    assert len(feed.entries) == 3
    assert feed.source == f"{server}/feed.rss"
    assert _Handler.seen_agents[-1].startswith("feedkg/")


def test_read_follows_redirect(server):
    assert len(read_feed(f"{server}/moved").entries) == 3


@pytest.mark.parametrize(
    ("path", "message"),
    [("/boom", "HTTP 500"), ("/missing", "HTTP 404"), ("/page.html", "an HTML page, not a feed")],
)
def test_url_errors_are_one_line_and_name_the_url(server, path, message):
    with pytest.raises(FeedError) as info:
        read_feed(f"{server}{path}")
    text = str(info.value)
    assert text.startswith(f"{server}{path}: ") and message in text and "\n" not in text


def test_unreachable_url():
    with pytest.raises(FeedError, match="cannot fetch"):
        read_feed("http://127.0.0.1:9/feed.xml")


def test_read_from_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    feed = read_feed("-")
    assert feed.source == "-" and len(feed.entries) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty document"),
        (b"   \n", "empty document"),
        (bytes(range(256)) * 4, "binary data"),
        (b"<html><head><title>x</title></head><body>no feed</body></html>", "HTML page"),
        (b"just some words, not xml at all", "not an RSS/Atom feed"),
    ],
)
def test_not_a_feed(tmp_path: Path, content, message):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(FeedError) as info:
        read_feed(str(path))
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(FeedError, match="no such file"):
        read_feed(str(tmp_path / "nope.xml"))
    with pytest.raises(FeedError, match="is a directory"):
        read_feed(str(tmp_path))
    with pytest.raises(FeedError, match="unsupported URL scheme 'file'"):
        read_feed("file:///etc/passwd")


def test_malformed_but_recoverable_feed_is_a_warning(tmp_path):
    # an unescaped ampersand: not well-formed XML, but feedparser's loose parser reads it
    text = SEED.read_text(encoding="utf-8").replace(
        "<title>How ECT Rewires", "<title>Genes & How ECT Rewires", 1
    )
    path = tmp_path / "broken.rss"
    path.write_text(text, encoding="utf-8")
    feed = read_feed(str(path))
    assert len(feed.entries) == 3
    assert len(feed.warnings) == 1
    assert feed.warnings[0].startswith(f"{path}: malformed feed, recovered:")


def test_atom_and_rss1(tmp_path):
    atom = tmp_path / "a.atom"
    atom.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Example</title><link href="https://example.org/"/><link rel="self" href="https://example.org/feed.atom"/>
  <updated>2025-01-02T03:04:05Z</updated><id>urn:x</id>
  <entry><title>First</title><link href="https://example.org/1"/><id>urn:1</id>
    <updated>2025-01-02T03:04:05Z</updated><published>2025-01-01T00:00:00+01:00</published>
    <author><name>Ann Lee</name></author><author><name>Bo Chen</name></author>
    <category term="physics"/><summary>Hi</summary></entry>
</feed>""",
        encoding="utf-8",
    )
    feed = read_feed(str(atom))
    assert feed.version == "atom10" and feed.self_link == "https://example.org/feed.atom"
    (entry,) = feed.entries
    assert entry.creators == ("Ann Lee", "Bo Chen")
    assert (
        entry.published == "2025-01-01T00:00:00+01:00" and entry.updated == "2025-01-02T03:04:05Z"
    )
    rdf = tmp_path / "r.rdf"
    rdf.write_text(
        """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.org/rss"><title>R</title><link>https://example.org/</link>
  <description>d</description></channel>
  <item rdf:about="https://example.org/a"><title>A</title><link>https://example.org/a</link>
  <dc:creator>Jane Doe</dc:creator><dc:date>2025-03-04T05:06:07Z</dc:date></item>
</rdf:RDF>""",
        encoding="utf-8",
    )
    feed = read_feed(str(rdf))
    assert feed.version == "rss10"
    assert feed.entries[0].creators == ("Jane Doe",)


def test_gzip_compressed_feed_file_reads_like_the_plain_one(tmp_path):
    import gzip

    packed = tmp_path / "feed.xml.gz"
    packed.write_bytes(gzip.compress(SEED.read_bytes()))
    assert read_feed(str(packed)).entries == read_feed(str(SEED)).entries


def test_gzip_bomb_and_corrupt_gzip_are_one_line_errors(tmp_path):
    import gzip

    from kg.feeds.compression import gunzip

    bomb = gzip.compress(b"<rss>" + b" " * (3 * 1024 * 1024))  # ~3 KB that expand to 3 MiB
    with pytest.raises(FeedError, match="expands past the 1 MiB limit"):
        gunzip(bomb, "bomb.gz", max_bytes=1024 * 1024)
    corrupt = tmp_path / "corrupt.gz"
    corrupt.write_bytes(b"\x1f\x8b" + b"not really gzip")
    with pytest.raises(FeedError, match="corrupt gzip data") as error:
        read_feed(str(corrupt))
    assert "\n" not in str(error.value)
