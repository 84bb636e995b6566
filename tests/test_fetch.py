"""Fetching like a good feed reader, against a real HTTP server on 127.0.0.1;
and reading feed lists (plain and OPML).

The server records every request's headers and how many requests it served
at once, so the tests show what the client sent, not only what it got.
Nothing here sleeps to wait for a race: slow responses wait on an event the
test sets when it is done, and parallelism is shown with a barrier.
"""

from __future__ import annotations

import gzip
import http.server
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import httpx
import pytest

from kg.errors import FeedError
from kg.feeds import read_feed
from kg.feeds.fetch import (
    USER_AGENT,
    Fetched,
    Validators,
    fetch,
    fetch_all,
    fetch_url,
)
from kg.feeds.sources import read_feed_list, read_opml

from .conftest import SEED

FEED = SEED.read_bytes()
OPML = Path(__file__).parent / "data" / "opml"
ETAG = '"v1-5f3a"'
LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT"
BOMB = gzip.compress(b"\0" * (16 * 1024 * 1024))  # ~16 KB on the wire, 16 MiB inflated
HUGE_TOTAL = 64 * 1024 * 1024
WORKERS = 4


class Server:
    """The test server's shared state: what it saw, and what it waits for."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.active = 0
        self.max_active = 0
        #: Moves on with each reset: a request still being answered from an
        #: earlier test must not count down the next test's active requests.
        self.generation = 0
        self.release = threading.Event()  # lets /slow answer
        self.barrier = threading.Barrier(WORKERS, timeout=5)
        self.huge_done = threading.Event()
        self.huge_sent = 0

    def reset(self) -> None:
        self.requests.clear()
        with self.lock:
            self.generation += 1
            self.active = self.max_active = 0
        self.release = threading.Event()
        self.barrier = threading.Barrier(WORKERS, timeout=5)
        self.huge_done = threading.Event()
        self.huge_sent = 0

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [headers for seen, headers in self.requests if seen == path]


STATE = Server()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        with STATE.lock:
            STATE.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            generation = STATE.generation
            STATE.active += 1
            STATE.max_active = max(STATE.max_active, STATE.active)
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should have
        finally:
            with STATE.lock:
                if STATE.generation == generation:
                    STATE.active -= 1

    def route(self) -> None:
        path, _, query = self.path.partition("?")
        parts = path.strip("/").split("/")
        if path == "/feed.rss":
            self.reply(200, FEED, {"Content-Type": "application/rss+xml"})
        elif path == "/html-feed":
            self.reply(200, FEED, {"Content-Type": "text/html; charset=utf-8"})
        elif path == "/feed.rss.gz":
            self.reply(200, gzip.compress(FEED), {"Content-Type": "application/gzip"})
        elif parts[0] == "encoded":
            self.encoded(parts[1])
        elif path == "/etag":
            if self.headers.get("If-None-Match") == ETAG:
                self.reply(304, b"", {"ETag": ETAG})
            else:
                self.reply(200, FEED, {"ETag": ETAG})
        elif path == "/lastmod":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.reply(304, b"", {})  # repeats no validator: the client keeps its own
            else:
                self.reply(200, FEED, {"Last-Modified": LAST_MODIFIED})
        elif path == "/always-304":
            self.reply(304, b"", {})
        elif parts[0] == "r":  # /r/301 -> the feed
            self.reply(int(parts[1]), b"", {"Location": "/feed.rss"})
        elif parts[0] == "hops":  # /hops/N: N redirects, then the feed
            n = int(parts[1])
            target = f"/hops/{n - 1}" if n > 1 else "/feed.rss"
            self.reply(302, b"", {"Location": target})
        elif parts[0] == "loop":
            self.reply(302, b"", {"Location": "/loop/b" if parts[1] == "a" else "/loop/a"})
        elif path == "/relative":
            self.reply(301, b"", {"Location": "feed.rss"})
        elif path == "/to":
            self.reply(302, b"", {"Location": unquote(query)})
        elif path == "/no-location":
            self.reply(302, b"", {})
        elif parts[0] == "status":
            self.reply(int(parts[1]), b"nope", {"Content-Type": "text/plain"})
        elif path == "/slow":
            STATE.release.wait(5)
            self.reply(200, FEED, {})
        elif path == "/trickle":
            self.send_response(200)
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                if STATE.release.wait(0.05):
                    break
        elif path == "/huge":
            self.huge()
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Length", str(10 * 1024**3))
            self.end_headers()
        elif parts[0] == "together":  # answers only when WORKERS requests are in at once
            try:
                STATE.barrier.wait()
            except threading.BrokenBarrierError:
                self.reply(500, b"requests did not come in parallel", {})
                return
            self.reply(200, FEED, {})
        else:
            self.reply(404, b"not found", {"Content-Type": "text/plain"})

    def reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def encoded(self, kind: str) -> None:
        raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        bodies = {
            "gzip": ("gzip", gzip.compress(FEED)),
            "deflate": ("deflate", zlib.compress(FEED)),
            "raw-deflate": ("deflate", raw_deflate.compress(FEED) + raw_deflate.flush()),
            "bomb": ("gzip", BOMB),
            "truncated": ("gzip", gzip.compress(FEED)[:-200]),
            "corrupt": ("gzip", b"\x1f\x8b" + b"not gzip at all" * 10),
            "br": ("br", b"whatever"),
        }
        coding, body = bodies[kind]
        self.reply(200, body, {"Content-Encoding": coding, "Content-Type": "application/xml"})

    def huge(self) -> None:
        """An endless feed without a Content-Length: only the client's cap stops it."""
        try:
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * 65536
            while STATE.huge_sent < HUGE_TOTAL:
                self.wfile.write(chunk)
                STATE.huge_sent += len(chunk)
        finally:
            STATE.huge_done.set()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    STATE.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(base: str) -> Iterator[str]:
    STATE.reset()
    yield base
    STATE.release.set()  # whatever the test did, no handler is left waiting


def error_of(url: str, **options: object) -> str:
    with pytest.raises(FeedError) as info:
        fetch_url(url, **options)  # type: ignore[arg-type]
    text = str(info.value)
    assert text.startswith(f"{url}: ") and "\n" not in text, text
    return text


# -- an ordinary fetch ----------------------------------------------------------------


def test_fetch_sends_who_we_are_and_what_we_read(server):
    fetched = fetch_url(f"{server}/feed.rss")
    assert fetched == Fetched(f"{server}/feed.rss", f"{server}/feed.rss", 200, FEED, Validators())
    assert not fetched.not_modified
    (headers,) = STATE.headers_for("/feed.rss")
    assert headers["user-agent"] == USER_AGENT
    assert headers["accept"].startswith("application/rss+xml")
    assert headers["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in headers and "if-modified-since" not in headers


def test_fetch_keeps_working_for_urls_paths_and_stdin(server, monkeypatch):
    import io
    import sys

    assert fetch(f"{server}/feed.rss") == FEED
    assert fetch(str(SEED)) == FEED
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(FEED)))
    assert fetch("-") == FEED


def test_wrong_content_type_still_gives_the_bytes(server):
    # Servers label feeds text/html or text/plain: the reader decides what they are.
    assert fetch_url(f"{server}/html-feed").data == FEED
    assert len(read_feed(f"{server}/html-feed").entries) == 3


# -- redirects ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirects_are_followed(server, status):
    fetched = fetch_url(f"{server}/r/{status}")
    assert fetched.data == FEED and fetched.final_url == f"{server}/feed.rss"
    assert fetched.redirects == ((status, f"{server}/feed.rss"),)
    assert fetched.moved_permanently is (status in (301, 308))
    # the conditional and identifying headers go with every hop
    assert STATE.headers_for("/feed.rss")[0]["user-agent"] == USER_AGENT


def test_a_relative_location_and_a_chain_up_to_the_cap(server):
    assert fetch_url(f"{server}/relative").final_url == f"{server}/feed.rss"
    fetched = fetch_url(f"{server}/hops/5")
    assert fetched.data == FEED and len(fetched.redirects) == 5
    assert [t for _, t in fetched.redirects][-2:] == [f"{server}/hops/1", f"{server}/feed.rss"]


def test_more_redirects_than_the_cap(server):
    assert "more than 5 redirects" in error_of(f"{server}/hops/6")
    assert "more than 2 redirects" in error_of(f"{server}/hops/3", max_redirects=2)
    assert fetch_url(f"{server}/hops/2", max_redirects=2).data == FEED


def test_a_redirect_loop(server):
    text = error_of(f"{server}/loop/a")
    assert f"redirect loop: {server}/loop/a -> {server}/loop/b -> {server}/loop/a" in text


@pytest.mark.parametrize(
    "target",
    ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "data:text/xml,<rss/>", "javascript:x()"],
)
def test_a_redirect_to_another_scheme_is_refused(server, target):
    text = error_of(f"{server}/to?{quote(target, safe='')}")
    assert f"redirects to {target!r}" in text and "only http(s) redirects are followed" in text
    assert len(STATE.requests) == 1  # nothing was asked of the target


def test_a_redirect_without_location(server):
    assert "HTTP 302 Found without a Location header" in error_of(f"{server}/no-location")


# -- conditional GET ----------------------------------------------------------------


def test_a_second_fetch_sends_the_etag_and_gets_304(server):
    first = fetch_url(f"{server}/etag")
    assert first.data == FEED and first.validators == Validators(etag=ETAG)
    second = fetch_url(f"{server}/etag", validators=first.validators)
    assert second.not_modified and second.status == 304 and second.data is None
    assert second.validators == first.validators
    sent = STATE.headers_for("/etag")
    assert "if-none-match" not in sent[0] and sent[1]["if-none-match"] == ETAG


def test_a_second_fetch_sends_last_modified_and_gets_304(server):
    first = fetch_url(f"{server}/lastmod")
    assert first.validators == Validators(last_modified=LAST_MODIFIED)
    second = fetch_url(f"{server}/lastmod", validators=first.validators)
    assert second.not_modified and second.data is None
    # the 304 repeated no validator: the ones sent are kept for next time
    assert second.validators == first.validators
    assert STATE.headers_for("/lastmod")[1]["if-modified-since"] == LAST_MODIFIED


def test_stale_validators_get_the_new_feed(server):
    fetched = fetch_url(f"{server}/etag", validators=Validators(etag='"old"'))
    assert fetched.data == FEED and fetched.validators.etag == ETAG


def test_a_304_to_an_unconditional_request_is_an_error(server):
    assert "HTTP 304 Not Modified to a request without validators" in error_of(
        f"{server}/always-304"
    )


def test_validators_round_trip_as_a_dict():
    import dataclasses

    kept = Validators(ETAG, LAST_MODIFIED)
    assert Validators(**dataclasses.asdict(kept)) == kept
    assert not Validators() and kept
    assert kept.headers() == {"If-None-Match": ETAG, "If-Modified-Since": LAST_MODIFIED}


# -- compression --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["gzip", "deflate", "raw-deflate"])
def test_content_encoding_is_decoded(server, kind):
    assert fetch_url(f"{server}/encoded/{kind}").data == FEED


def test_a_gzip_bomb_is_capped(server):
    text = error_of(f"{server}/encoded/bomb", max_decoded=1024 * 1024)
    assert "too big: the response expands past the 1 MiB limit" in text


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("truncated", "truncated gzip Content-Encoding"),
        ("corrupt", "corrupt gzip Content-Encoding"),
        ("br", "unsupported Content-Encoding 'br'"),
    ],
)
def test_bad_content_encodings(server, kind, message):
    assert message in error_of(f"{server}/encoded/{kind}")


def test_a_gzip_file_is_passed_on_for_the_reader_to_open(server):
    assert fetch_url(f"{server}/feed.rss.gz").data == gzip.compress(FEED)
    assert len(read_feed(f"{server}/feed.rss.gz").entries) == 3


# -- limits -------------------------------------------------------------------------


def test_a_slow_server_times_out(server):
    started = time.monotonic()
    text = error_of(f"{server}/slow", timeout=0.3)
    assert "cannot fetch: timed out after 0.3 s waiting for the server" in text
    assert time.monotonic() - started < 4  # not the server's 5 s


def test_a_trickling_server_meets_the_total_timeout(server):
    text = error_of(f"{server}/trickle", timeout=2, total_timeout=0.3)
    assert "the download took over 0.3 s" in text


def test_a_huge_response_is_stopped_at_the_cap(server):
    text = error_of(f"{server}/huge", max_bytes=256 * 1024)
    assert "too big: larger than the 256 KiB limit" in text
    assert STATE.huge_done.wait(5)
    assert STATE.huge_sent < HUGE_TOTAL  # the client hung up long before the end


def test_a_declared_size_over_the_cap_is_refused_unread(server):
    text = error_of(f"{server}/huge-declared", max_bytes=1024 * 1024)
    assert "too big: 10240 MiB, over the 1 MiB limit" in text
    assert len(STATE.requests) == 1


# -- failures, one line each --------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "HTTP 404 Not Found"),
        (500, "HTTP 500 Internal Server Error"),
        (403, "HTTP 403 Forbidden"),
        (410, "HTTP 410 Gone; the feed is gone for good"),
    ],
)
def test_http_errors(server, status, message):
    assert message in error_of(f"{server}/status/{status}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused():
    url = f"http://127.0.0.1:{free_port()}/feed.xml"
    assert "cannot fetch: connection refused" in error_of(url)


def test_tls_error(server):
    # https to a server that speaks plain http: the handshake fails
    url = server.replace("http://", "https://") + "/feed.rss"
    text = error_of(url)
    assert "cannot fetch: TLS error:" in text and "_ssl.c" not in text


def mock_client(error: Exception) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.Client(transport=httpx.MockTransport(handler))


def test_dns_failure():
    try:
        raise socket.gaierror(-2, "Name or service not known")
    except socket.gaierror as e:
        cause = e
    error = httpx.ConnectError("[Errno -2] Name or service not known")
    error.__cause__ = cause
    text = error_of("https://no-such-host.invalid/feed", client=mock_client(error))
    assert "DNS lookup of 'no-such-host.invalid' failed (Name or service not known)" in text


def test_certificate_error():
    cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
    cause.verify_message = "self-signed certificate"
    error = httpx.ConnectError("certificate verify failed")
    error.__cause__ = cause
    text = error_of("https://self.example/feed", client=mock_client(error))
    assert "TLS error: the certificate of 'self.example' is not valid (self-signed" in text


def test_connect_timeout():
    text = error_of("https://slow.example/", client=mock_client(httpx.ConnectTimeout("t")))
    assert "timed out after 30 s connecting" in text


def test_not_a_url():
    with pytest.raises(FeedError, match="not an http"):
        fetch_url("ftp://example.org/feed.xml")
    with pytest.raises(FeedError, match="unsupported URL scheme 'ftp'"):
        fetch("ftp://example.org/feed.xml")


# -- many feeds ---------------------------------------------------------------------


def test_fetch_all_keeps_going_and_keeps_the_order(server):
    failing = {3: "/status/404", 9: "/status/500", 16: "/nowhere"}
    urls = [f"{server}{failing.get(i, f'/feed.rss?{i}')}" for i in range(20)]
    results = fetch_all(urls, workers=WORKERS)
    assert len(results) == 20
    errors = [i for i, r in enumerate(results) if isinstance(r, FeedError)]
    assert errors == sorted(failing)
    assert all(isinstance(r, Fetched) and r.data == FEED for i, r in enumerate(results)
               if i not in failing)  # fmt: skip
    assert [r.url if isinstance(r, Fetched) else r.subject for r in results] == urls
    assert "HTTP 500" in str(results[9])


def test_fetch_all_runs_in_parallel_but_no_more_than_the_workers(server):
    urls = [f"{server}/together/{i}" for i in range(20)]
    results = fetch_all(urls, workers=WORKERS)
    assert all(isinstance(r, Fetched) for r in results), results
    # every request waited at a barrier for WORKERS in flight, and no more ever were
    assert STATE.max_active == WORKERS


def test_fetch_all_sends_each_feeds_validators_and_reads_paths(server, tmp_path):
    urls = [f"{server}/etag", f"{server}/lastmod", f"{server}/feed.rss", str(SEED)]
    first = fetch_all(urls)
    remembered = {r.url: r.validators for r in first if isinstance(r, Fetched) and r.validators}
    assert set(remembered) == set(urls[:2])
    again = fetch_all([*urls, str(tmp_path / "missing.xml")], validators=remembered)
    assert [r.not_modified for r in again[:4] if isinstance(r, Fetched)] == [
        True, True, False, False,
    ]  # fmt: skip
    assert again[3] == Fetched(str(SEED), str(SEED), None, FEED, Validators())
    assert isinstance(again[4], FeedError) and "no such file" in str(again[4])


def test_fetch_all_shares_a_given_client(server):
    with httpx.Client() as client:
        results = fetch_all([f"{server}/feed.rss", f"{server}/etag"], client=client)
        assert not client.is_closed
    assert [isinstance(r, Fetched) for r in results] == [True, True]


def test_fetch_all_wants_a_worker():
    with pytest.raises(ValueError, match="at least 1"):
        fetch_all([], workers=0)
    assert fetch_all([]) == []


# -- feed lists ---------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_feed_list(tmp_path):
    listed = write(
        tmp_path / "conf" / "feeds.txt",
        "\ufeff# science feeds\n"
        "https://www.sciencedaily.com/rss/all.xml\n"
        "\n"
        "   https://phys.org/rss-feed/   # trailing comment\n"
        "https://example.org/feed#fragment-is-kept\n"
        "local/feed.xml\n"
        "../elsewhere/my feed.xml\n"
        f"{SEED}\n"
        "feed://example.org/legacy.xml\n"
        "https://www.sciencedaily.com/rss/all.xml\n"
        "   # an indented comment\n",
    )
    assert read_feed_list(listed) == [
        "https://www.sciencedaily.com/rss/all.xml",
        "https://phys.org/rss-feed/",
        "https://example.org/feed#fragment-is-kept",
        str(tmp_path / "conf" / "local" / "feed.xml"),
        str(tmp_path / "elsewhere" / "my feed.xml"),
        str(SEED),
        "http://example.org/legacy.xml",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("ftp://example.org/feed.xml", "unsupported URL scheme 'ftp'"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript'"),
        ("https://a.org/x https://b.org/y", "contains spaces; one feed a line"),
        ("https:///no-host", "names no host"),
        ("-", "standard input"),
        ("feeds/a\tb.xml", "control characters or tabs"),
    ],
)
def test_junk_lines_name_file_and_line(tmp_path, line, message):
    listed = write(tmp_path / "feeds.txt", f"# feeds\nhttps://ok.example/feed\n{line}\n")
    with pytest.raises(FeedError) as info:
        read_feed_list(listed)
    assert str(info.value).startswith(f"{listed}:3: ") and message in str(info.value)
    assert "\n" not in str(info.value)


def test_feed_list_file_errors(tmp_path):
    with pytest.raises(FeedError, match="no such feeds list"):
        read_feed_list(tmp_path / "missing.txt")
    with pytest.raises(FeedError, match="is a directory"):
        read_feed_list(tmp_path)
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(b"https://a.org/\nhttps://b.org/caf\xe9\n")
    with pytest.raises(FeedError, match=r"latin1\.txt:2: the feeds list is not UTF-8"):
        read_feed_list(latin)
    with pytest.raises(FeedError, match="is it OPML\\? use --opml"):
        read_feed_list(OPML / "nested-2.0.opml")
    assert read_feed_list(write(tmp_path / "empty.txt", "# nothing yet\n\n")) == []


# -- OPML ---------------------------------------------------------------------------


def test_opml_1_0():
    assert read_opml(OPML / "subscriptions-1.0.opml") == [
        "https://www.sciencedaily.com/rss/all.xml",
        "https://phys.org/rss-feed/",
        "http://export.arxiv.org/rss/cs.DL",
    ]


def test_opml_2_0_nested_categories():
    assert read_opml(OPML / "nested-2.0.opml") == [
        "https://www.sciencedaily.com/rss/all.xml",
        "https://neurosciencenews.com/feed/atom/",
        "https://example.org/deep.rss",
        "https://www.nature.com/nature.rss",
        "http://example.org/legacy.xml",
        "https://example.org/case.xml",
        str(OPML.absolute() / "archive" / "old-feed.xml"),
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken.opml", "not a readable OPML file: not well-formed XML"),
        ("bad-url.opml", "bad-url.opml:6: unsupported URL scheme 'file'"),
    ],
)
def test_broken_opml(name, message):
    with pytest.raises(FeedError) as info:
        read_opml(OPML / name)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_feed_given_as_opml(tmp_path):
    with pytest.raises(FeedError, match="root element is <rss>; is it a feed\\?"):
        read_opml(SEED)
    no_body = write(tmp_path / "x.opml", '<opml version="2.0"><head/></opml>')
    with pytest.raises(FeedError, match="has no <body>"):
        read_opml(no_body)
    with pytest.raises(FeedError, match="no such OPML file"):
        read_opml(tmp_path / "missing.opml")


def test_opml_entities_read_nothing(tmp_path):
    secret = write(tmp_path / "secret.txt", "TOP-SECRET-7f3a9c")
    evil = write(
        tmp_path / "evil.opml",
        f'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        '<opml version="2.0"><head><title>&xxe;</title></head><body>'
        '<outline text="&xxe;" xmlUrl="https://example.org/&xxe;"/>'
        '<outline text="ok" xmlUrl="https://example.org/ok.xml"/></body></opml>',
    )
    try:
        result: object = read_opml(evil)
    except FeedError as e:
        result = e
    assert "TOP-SECRET" not in repr(result)


def test_opml_sources_fetch_together(server, tmp_path):
    """The lists feed fetch_all: a list with a local file and a URL, fetched."""
    listed = write(tmp_path / "feeds.txt", f"{server}/feed.rss\n{SEED}\n")
    results = fetch_all(read_feed_list(listed))
    assert [r.data for r in results if isinstance(r, Fetched)] == [FEED, FEED]


def test_a_callers_client_gets_the_same_redirect_checks(server):
    with httpx.Client() as client:
        for target in ("file:///etc/passwd", "javascript:x()"):
            url = f"{server}/to?{quote(target, safe='')}"
            with pytest.raises(FeedError, match="redirects to") as info:
                fetch_url(url, client=client)
            assert "\n" not in str(info.value)
        assert fetch_url(f"{server}/r/308", client=client).data == FEED
