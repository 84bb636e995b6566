"""kg build over HTTP like a feed reader: feed lists, OPML, conditional GET through the store,
and a run where some feeds fail while the others are ingested."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import kg
from kg.cli import EXIT_BAD_INPUT, main

from .conftest import SEED

ETAG = '"seed-v1"'


class FeedServer(ThreadingHTTPServer):
    """/feed/N serves the seed as if from site N; /seed serves it with an ETag;
    /missing is a 404 and /broken a 500.  Request headers are recorded."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append((self.path, dict(self.headers.items())))
        seed = SEED.read_bytes()
        if self.path == "/seed":
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.send_header("ETag", ETAG)
                self.end_headers()
                return
            self._send(200, seed, etag=ETAG)
        elif self.path.startswith("/feed/"):
            n = self.path.rsplit("/", 1)[1]
            self._send(
                200, seed.replace(b"https://scienmag.com/", f"https://site{n}.example/".encode())
            )
        elif self.path == "/broken":
            self._send(500, b"oops")
        else:
            self._send(404, b"no such feed")

    def _send(self, status: int, body: bytes, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    srv = FeedServer()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=10)


def test_unchanged_feed_costs_one_304(server, tmp_path, capsys):
    url = f"{server.base}/seed"
    out = tmp_path / "out"
    assert main(["build", url, "--out", str(out)]) == 0
    assert "If-None-Match" not in server.requests[-1][1]
    capsys.readouterr()
    assert main(["build", url, "--out", str(out)]) == 0
    path, headers = server.requests[-1]
    assert path == "/seed" and headers["If-None-Match"] == ETAG  # the validator was sent
    err = capsys.readouterr().err
    assert "items: 0 new, 0 updated, 3 unchanged, 0 kept from earlier reads" in err
    assert "unchanged, nothing to build" in err
    facts = kg.run_query(
        "SELECT ?first ?last { GRAPH ?g { ?f <https://w3id.org/feedkg/vocab#firstFetched> ?first ;"
        " <https://w3id.org/feedkg/vocab#lastFetched> ?last } }",
        store=out / "store",
    ).rows
    ((first, last),) = facts
    assert str(first) <= str(last)
    # without a store there is nothing to compare with: no validators are sent
    assert main(["build", url, "--out", str(tmp_path / "plain"), "--no-store"]) == 0
    assert "If-None-Match" not in server.requests[-1][1]


def test_twenty_feeds_three_fail_the_rest_are_ingested(server, tmp_path, capsys):
    good = [f"{server.base}/feed/{n}" for n in range(17)]
    bad = [f"{server.base}/missing", f"{server.base}/broken", "http://127.0.0.1:9/refused"]
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        "# my feeds\n" + "\n".join([*good[:10], *bad, *good[10:], good[0]]) + "\n",
        encoding="utf-8",
    )
    code = main(["build", "--feeds", str(listing), "--out", str(tmp_path / "out")])
    assert code == EXIT_BAD_INPUT  # the documented partial-failure code
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if line.startswith("kg: error:")]
    assert len(errors) == 3
    assert any("/missing: HTTP 404" in e for e in errors)
    assert any("/broken: HTTP 500" in e for e in errors)
    assert any("refused" in e for e in errors)
    assert err[-1].startswith("kg: 17 feed(s) ok, 3 failed; items: 51 new,")
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["feeds"] == 20 and report["summary"]["feeds_failed"] == 3
    stories = kg.run_query(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s a <https://schema.org/NewsArticle> }",
        store=tmp_path / "out" / "store",
    ).rows
    assert str(stories[0][0]) == "51"
    # the 17 sites cite the same three papers: three paper nodes
    papers = kg.run_query(
        "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?p a <https://schema.org/ScholarlyArticle> }",
        store=tmp_path / "out" / "store",
    ).rows
    assert str(papers[0][0]) == "3"


def test_opml_subscriptions(server, tmp_path, capsys):
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>'
        f'<outline text="Science"><outline type="rss" text="a" xmlUrl="{server.base}/feed/1"/>'
        f'<outline type="rss" text="b" xmlUrl="{server.base}/feed/2"/></outline>'
        "</body></opml>",
        encoding="utf-8",
    )
    assert main(["build", "--opml", str(opml), "--out", str(tmp_path / "out")]) == 0
    assert "kg: 2 feed(s) ok, 0 failed; items: 6 new," in capsys.readouterr().err
    assert {p for p, _ in server.requests} == {"/feed/1", "/feed/2"}


def test_no_feeds_at_all_is_a_usage_error(tmp_path, capsys):
    empty = tmp_path / "feeds.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert main(["build", "--feeds", str(empty), "--out", str(tmp_path)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.strip() == (
        "kg: error: kg build: no feeds: give FEED..., --feeds FILE or --opml FILE"
    )
    assert main(["build", "--feeds", str(tmp_path / "nope.txt")]) == EXIT_BAD_INPUT
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_library_reads_urls_too(server, tmp_path):
    result = kg.convert([f"{server.base}/feed/7"], out_dir=tmp_path)
    assert result.conforms and sum(f.kept for f in result.feeds) == 3
    assert Path(tmp_path / "graph.ttl").read_text(encoding="utf-8").count("site7.example") > 0
