"""kg.push: the seed round trip through a real Virtuoso, and retries and errors on a local server.

The Virtuoso tests push the seed's graph.nq over the Graph Store Protocol, then ask
Virtuoso's own SPARQL endpoint every bundled query and compare with what the embedded
store (pyoxigraph, ``kg.run_query``) answers on the same file.  Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

import kg
import kg.push
from kg.push import (
    Auth,
    PushError,
    graphs_from_files,
    graphs_from_store,
    push_graphs,
)
from kg.query import bind_param, named_queries

from . import virtuoso as vt
from .conftest import SEED
from .test_query import EXTRA_TTL

FEED_GRAPH = "https://scienmag.com/tag/neuroimaging-in-psychiatry/feed/"
SEED_TRIPLES = 309
WMH = "10.1038/s41398-025-03626-7"  # the DOI tests/test_query.py binds
PARAMS = {"doi": WMH}
DIGEST = Auth(vt.USER, vt.PASSWORD, "digest")
XSD = "http://www.w3.org/2001/XMLSchema#"
EXTRA_GRAPH = "https://example.org/test/extra"
GROUP_CONCATS = {"paperIris"}  # authors-across-papers


@pytest.fixture(scope="module")
def seed_nq(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    kg.convert([str(SEED)], out_dir=out)
    return out / "graph.nq"


@pytest.fixture
def extra(tmp_path):
    path = tmp_path / "extra.ttl"
    path.write_text(EXTRA_TTL, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory) -> Iterator[vt.Virtuoso]:
    vt.require_virtuoso()
    server = vt.start(tmp_path_factory.mktemp("virtuoso"))
    yield server
    vt.stop(server)


# --- reading Virtuoso back ------------------------------------------------------------------


def _plain(value: str, *, kind: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A term as comparable text, datatype and language included.

    Only what RDF itself equates is equated: a simple literal is an xsd:string, and language
    tags are case-insensitive.  (Virtuoso gives back the lexical forms and datatypes it was
    sent, COUNT's xsd:integer included, so no number or date needs normalising.)
    """
    if kind == "uri":
        return f"<{value}>"
    if kind == "bnode":
        return "_:"
    if lang:
        return f"{value!r}@{lang.lower()}"
    if datatype and datatype != f"{XSD}string":
        return f"{value!r}^^<{datatype}>"
    return repr(value)


def _rdflib_plain(term: Any) -> str:
    if isinstance(term, URIRef):
        return _plain(str(term), kind="uri")
    assert isinstance(term, Literal), term
    datatype = None if term.datatype is None else str(term.datatype)
    return _plain(str(term), kind="literal", datatype=datatype, lang=term.language)


def _ox_plain(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return _plain(term.value, kind="uri")
    if isinstance(term, ox.BlankNode):
        return "_:"
    return _plain(term.value, kind="literal", datatype=term.datatype.value, lang=term.language)


def _json_plain(binding: dict[str, str]) -> str:
    kind = {"typed-literal": "literal"}.get(binding["type"], binding["type"])
    return _plain(
        binding["value"], kind=kind, datatype=binding.get("datatype"), lang=binding.get("xml:lang")
    )


def _group(variable: str, value: str) -> str:
    """A GROUP_CONCAT's items sorted: SPARQL leaves their order to the engine."""
    if variable not in GROUP_CONCATS:
        return value
    return repr(" ".join(sorted(value.strip("'").split())))


def _with_params(text: str, params: dict[str, str]) -> str:
    """The query with each parameter inlined as a VALUES clause opening its WHERE block,
    the way pyoxigraph's substitution binds it (Virtuoso has no substitution API)."""
    head, brace, body = text.partition("WHERE {")
    assert brace, "a bundled query without WHERE {"
    values = "".join(
        f" VALUES ?{name} {{ {bind_param(name, value)} }}" for name, value in params.items()
    )
    return f"{head}{brace}{values}\n{body}"


def _ask_virtuoso(server: vt.Virtuoso, sparql: str, graphs: list[str], accept: str) -> str:
    # default-graph-uri makes the pushed graphs the default graph, as pyoxigraph's union
    # default graph does: without it Virtuoso's default graph is every graph it has,
    # its own system graphs included.
    r = httpx.post(
        server.sparql,
        data={"query": sparql, "default-graph-uri": graphs},
        headers={"Accept": accept},
        timeout=60,
    )
    assert r.status_code == 200, f"{r.status_code}: {r.text[:500]}\n{sparql}"
    return r.text


def _virtuoso_rows(server, sparql, graphs) -> list[dict[str, str]]:
    doc = json.loads(_ask_virtuoso(server, sparql, graphs, "application/sparql-results+json"))
    return [{v: _json_plain(b) for v, b in row.items()} for row in doc["results"]["bindings"]]


def _virtuoso_triples(server, sparql, graphs) -> set[tuple[str, str, str]]:
    text = _ask_virtuoso(server, sparql, graphs, "text/turtle")
    return {
        (_ox_plain(t.subject), _ox_plain(t.predicate), _ox_plain(t.object))
        for t in ox.parse(text, format=ox.RdfFormat.TURTLE)
    }


def _count(server: vt.Virtuoso, graph: str) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    doc = json.loads(_ask_virtuoso(server, query, [graph], "application/sparql-results+json"))
    return int(doc["results"]["bindings"][0]["n"]["value"])


def _graph_of(server: vt.Virtuoso, graph: str) -> set[tuple[str, str, str]]:
    return _virtuoso_triples(server, "CONSTRUCT WHERE { ?s ?p ?o }", [graph])


def _local_graph(path) -> set[tuple[str, str, str]]:
    return {
        (_ox_plain(q.subject), _ox_plain(q.predicate), _ox_plain(q.object))
        for q in ox.parse(path=path, format=ox.RdfFormat.N_QUADS)
    }


# --- against Virtuoso ----------------------------------------------------------------------


def test_push_then_every_bundled_query_answers_as_the_embedded_store(virtuoso, seed_nq, extra):
    # the seed, plus test_query's extra triples (two papers sharing an author with the seed,
    # a story citing nothing) in a graph of their own, so that no query has an empty answer
    # and the answers span two graphs
    result = push_graphs(
        graphs_from_files([seed_nq, extra], graph=EXTRA_GRAPH), virtuoso.gsp, auth=DIGEST
    )
    assert [(g.graph, g.triples, g.requests) for g in result.graphs] == [
        (EXTRA_GRAPH, 17, ("PUT",)),
        (FEED_GRAPH, SEED_TRIPLES, ("PUT",)),
    ]
    assert result.triples == SEED_TRIPLES + 17 and result.retries == 0
    assert _graph_of(virtuoso, FEED_GRAPH) == _local_graph(seed_nq)

    graphs = [FEED_GRAPH, EXTRA_GRAPH]
    queries = named_queries()
    assert len(queries) == 8
    for query in queries:
        params = {p: PARAMS[p] for p in query.params}
        local = kg.run_query(query.text, paths=[seed_nq, extra], params=params or None)
        remote_text = _with_params(query.text, params)
        if local.kind == "graph":
            assert local.graph is not None
            expected_triples = {tuple(map(_rdflib_plain, t)) for t in local.graph}
            assert len(expected_triples) == 41, query.name
            assert _virtuoso_triples(virtuoso, remote_text, graphs) == expected_triples
            continue
        expected = [
            {
                v: _group(v, _rdflib_plain(t))
                for v, t in zip(local.variables, row, strict=True)
                if t is not None
            }
            for row in local.rows
        ]
        assert expected, query.name
        got = [
            {v: _group(v, t) for v, t in row.items()}
            for row in _virtuoso_rows(virtuoso, remote_text, graphs)
        ]
        assert got == expected, query.name  # the same rows in the same order


def test_pushing_again_replaces_and_adds_no_duplicates(virtuoso, seed_nq):
    for _ in range(2):
        push_graphs(graphs_from_files([seed_nq]), virtuoso.gsp, auth=DIGEST)
        assert _count(virtuoso, FEED_GRAPH) == SEED_TRIPLES
    assert _graph_of(virtuoso, FEED_GRAPH) == _local_graph(seed_nq)


def test_batches_give_the_same_graph_and_a_batched_put_still_replaces(virtuoso, seed_nq):
    stale = ox.Triple(
        ox.NamedNode("https://example.org/stale"), ox.NamedNode(f"{XSD}x"), ox.Literal("old")
    )
    # on its own, not after another test's push (under xdist they may run apart)
    push_graphs(graphs_from_files([seed_nq]), virtuoso.gsp, auth=DIGEST)
    push_graphs([(FEED_GRAPH, [stale])], virtuoso.gsp, method="POST", auth=DIGEST)
    assert _count(virtuoso, FEED_GRAPH) == SEED_TRIPLES + 1

    result = push_graphs(graphs_from_files([seed_nq]), virtuoso.gsp, auth=DIGEST, batch_triples=100)
    assert result.graphs[0].requests == ("PUT", "POST", "POST", "POST")
    assert _graph_of(virtuoso, FEED_GRAPH) == _local_graph(seed_nq)  # the stale triple is gone


def test_a_store_pushes_its_named_graphs(virtuoso, tmp_path):
    """What kg push sends by default: the store's named graphs (provenance included)."""
    from kg.store import store_graphs

    kg.ingest([str(SEED)], store=tmp_path / "store", out_dir=tmp_path / "out")
    graphs = store_graphs(tmp_path / "store")
    assert FEED_GRAPH in dict(graphs) and len(graphs) > 1
    result = push_graphs(graphs, virtuoso.gsp, auth=DIGEST)
    assert [(g.graph, g.triples) for g in result.graphs] == [(g, len(t)) for g, t in graphs]
    for graph, triples in graphs:
        assert _graph_of(virtuoso, graph) == {tuple(map(_ox_plain, t)) for t in triples}, graph


def test_post_appends_and_put_replaces(virtuoso):
    graph = "https://example.org/test/post"
    a, b, c = (
        ox.Triple(ox.NamedNode(f"https://example.org/{n}"), ox.NamedNode(f"{XSD}x"), ox.Literal(n))
        for n in "abc"
    )
    push_graphs([(graph, [a])], virtuoso.gsp, method="post", auth=DIGEST)
    push_graphs([(graph, [b])], virtuoso.gsp, method="POST", auth=DIGEST)
    assert _count(virtuoso, graph) == 2
    push_graphs([(graph, [a])], virtuoso.gsp, method="POST", auth=DIGEST)
    assert _count(virtuoso, graph) == 2  # a triple is there once, however often it is sent
    push_graphs([(graph, [c])], virtuoso.gsp, auth=DIGEST)
    assert _graph_of(virtuoso, graph) == {("<https://example.org/c>", f"<{XSD}x>", "'c'")}
    push_graphs([(graph, [])], virtuoso.gsp, auth=DIGEST)  # an empty graph empties it
    assert _count(virtuoso, graph) == 0


TEXT = "a thing with a name long enough to make a body of megabytes, and ünïcode"


def _big(n: int) -> list[ox.Triple]:
    name = ox.NamedNode("https://schema.org/name")
    return [
        ox.Triple(ox.NamedNode(f"https://example.org/thing/{i}"), name, ox.Literal(f"“{i}” {TEXT}"))
        for i in range(n)
    ]


def test_a_big_graph_goes_in_batches(virtuoso):
    # Sent unauthenticated, a body of megabytes made Virtuoso answer 401 and hang up
    # mid-upload (a broken connection, not a 401); the HEAD before the first batch prevents it.
    graph = "https://example.org/test/big"
    result = push_graphs([(graph, _big(30_000))], virtuoso.gsp, auth=DIGEST, batch_triples=20_000)
    assert result.graphs[0].requests == ("PUT", "POST") and result.retries == 0
    assert _count(virtuoso, graph) == 30_000


def test_wrong_password_names_endpoint_graph_and_401(virtuoso):
    # a body of megabytes: sent before the credentials were checked, Virtuoso's 401 would
    # arrive as a connection reset mid-upload, and be retried as one
    graph = "https://example.org/test/auth"
    with pytest.raises(PushError) as caught:
        push_graphs(
            [(graph, _big(30_000))], virtuoso.gsp, auth=Auth("dba", "not-the-password", "digest")
        )
    error = caught.value
    assert error.status == 401 and error.graph == graph and error.subject == virtuoso.gsp
    assert str(error) == (
        f"{virtuoso.gsp}: PUT graph <{graph}>: HTTP 401 Unauthorized; "
        "check the user 'dba' and the password"
    )


def test_basic_auth_on_virtuosos_digest_endpoint_says_to_use_digest(virtuoso):
    # a bare 401 (no challenge) when Basic credentials come; a Digest challenge without any
    with pytest.raises(PushError, match=r"HTTP 401 .*, or try --auth digest$") as caught:
        push_graphs([("https://example.org/g", [])], virtuoso.gsp, auth=Auth("dba", "dba"))
    assert caught.value.status == 401
    with pytest.raises(PushError, match="needs credentials: give --user and a password"):
        push_graphs([("https://example.org/g", [])], virtuoso.gsp)


def test_virtuosos_html_errors_become_one_line(virtuoso):
    # the unauthenticated service is read-only; its refusal is an HTML page
    with pytest.raises(PushError) as caught:
        push_graphs([(GRAPH, [TRIPLE])], f"{virtuoso.base}/sparql-graph-crud")
    message = str(caught.value)
    assert message.startswith(f"{virtuoso.base}/sparql-graph-crud: PUT graph <{GRAPH}>: HTTP 403")
    assert "SECURITY: Permission denied" in message and "<" not in message.split(">:", 1)[1]
    assert message.endswith("; the store does not let this user write graphs")
    assert "\n" not in message
    with pytest.raises(PushError, match=r"HTTP 501 .*Graph Store Protocol address\?$"):
        push_graphs([(GRAPH, [TRIPLE])], f"{virtuoso.base}/no-such-service")


def test_the_command(virtuoso, tmp_path, monkeypatch, capsys):
    from kg.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_PUSH_PASSWORD", raising=False)
    assert main(["build", str(SEED)]) == 0
    capsys.readouterr()

    assert main(["push", virtuoso.gsp, "--dry-run", "--batch", "100"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"would push <{FEED_GRAPH}>: {SEED_TRIPLES} triples in PUT + POST + POST + POST" in out

    args = ["push", virtuoso.gsp, "--user", "dba", "--auth", "digest"]
    monkeypatch.setenv("KG_PUSH_PASSWORD", "not-the-password")
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"kg: error: {virtuoso.gsp}: PUT graph <{FEED_GRAPH}>: HTTP 401 Unauthorized; "
        "check the user 'dba' and the password"
    ]
    assert "not-the-password" not in captured.out + captured.err

    monkeypatch.setenv("KG_PUSH_PASSWORD", vt.PASSWORD)
    for _ in range(2):
        assert main(args) == 0
        assert f"pushed <{FEED_GRAPH}>: {SEED_TRIPLES} triples in PUT" in capsys.readouterr().out
    assert _count(virtuoso, FEED_GRAPH) == SEED_TRIPLES


# --- against a scripted local server -------------------------------------------------------


class Script:
    """A real HTTP server on 127.0.0.1 answering a list of statuses, recording each request."""

    def __init__(self, statuses: list[int], headers: dict[str, str] | None = None) -> None:
        self.statuses = statuses
        self.headers = headers or {}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        script = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                script.requests.append((self.command, self.path, dict(self.headers), body))
                status = script.statuses.pop(0) if len(script.statuses) > 1 else script.statuses[0]
                message = b"" if status < 300 else b"Something broke\nsecond line\n"
                self.send_response(status)
                for k, v in script.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)

            do_PUT = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def serve():
    servers: list[Script] = []

    def make(statuses: list[int], headers: dict[str, str] | None = None) -> Script:
        servers.append(Script(statuses, headers))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def waits(monkeypatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(kg.push, "_sleep", slept.append)
    return slept


TRIPLE = ox.Triple(ox.NamedNode("https://example.org/s"), ox.NamedNode(f"{XSD}p"), ox.Literal("o"))
GRAPH = "https://example.org/g"


def test_transient_errors_are_retried_with_backoff(serve, waits):
    server = serve([503, 503, 201])
    result = push_graphs([(GRAPH, [TRIPLE])], server.url, backoff=0.25)
    assert result.retries == 2 and waits == [0.25, 0.5]
    assert [r[0] for r in server.requests] == ["PUT"] * 3
    _, path, headers, body = server.requests[-1]
    assert path == "/store?graph=https%3A%2F%2Fexample.org%2Fg"
    assert headers["Content-Type"] == "application/n-triples"
    assert body == b'<https://example.org/s> <http://www.w3.org/2001/XMLSchema#p> "o" .\n'


def test_retry_after_is_respected(serve, waits):
    server = serve([429, 204], {"Retry-After": "7"})
    assert push_graphs([(GRAPH, [TRIPLE])], server.url).retries == 1
    assert waits == [7.0]


def test_a_server_error_is_not_retried_and_says_what_the_server_said(serve, waits):
    server = serve([500])
    with pytest.raises(PushError) as caught:
        push_graphs([(GRAPH, [TRIPLE])], server.url)
    assert str(caught.value) == (
        f"{server.url}: PUT graph <{GRAPH}>: HTTP 500 Internal Server Error: Something broke"
    )
    assert caught.value.status == 500 and len(server.requests) == 1 and waits == []


def test_transient_errors_give_up_after_the_retries(serve, waits):
    server = serve([503])
    with pytest.raises(PushError, match=r"HTTP 503 Service Unavailable: .*\(after 3 attempts\)"):
        push_graphs([(GRAPH, [TRIPLE])], server.url, retries=2)
    assert len(server.requests) == 3 and len(waits) == 2


def test_connection_refused_is_retried_then_named(waits):
    url = _unused_url()
    with pytest.raises(PushError, match=r"ConnectError: .*\(after 2 attempts\)") as caught:
        push_graphs([(GRAPH, [TRIPLE])], url, retries=1)
    assert caught.value.subject == url and waits == [0.5]


def _unused_url() -> str:
    """A loopback URL nothing listens on (a port just bound and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/store"


def test_a_failure_after_the_first_batch_says_the_graph_is_incomplete(serve):
    server = serve([201, 201, 400])
    triples = [
        ox.Triple(ox.NamedNode(f"https://example.org/{n}"), TRIPLE.predicate, TRIPLE.object)
        for n in range(5)
    ]
    with pytest.raises(PushError) as caught:
        push_graphs([(GRAPH, triples)], server.url, batch_triples=2)
    assert str(caught.value).endswith(
        f"HTTP 400 Bad Request: Something broke; the store has only the first 4 triples of "
        f"<{GRAPH}>: push again"
    )


def test_blank_node_triples_go_together_in_the_last_batch(serve):
    server = serve([201])
    b = ox.BlankNode("b1")
    iris = [
        ox.Triple(ox.NamedNode(f"https://example.org/{n}"), TRIPLE.predicate, TRIPLE.object)
        for n in "xyz"
    ]
    blank = [
        ox.Triple(iris[0].subject, TRIPLE.predicate, b),
        ox.Triple(b, TRIPLE.predicate, ox.Literal("u")),
        ox.Triple(b, TRIPLE.predicate, ox.Literal("v")),
    ]
    triples = [blank[1], iris[0], blank[0], iris[1], iris[2], blank[2]]
    result = push_graphs([(GRAPH, triples)], server.url, batch_triples=2)
    assert result.graphs[0].requests == ("PUT", "POST") and result.triples == 6
    first, last = (r[3].decode() for r in server.requests)
    assert "_:" not in first and first.count("\n") == 2
    assert last.count("\n") == 4 and last.count("_:b1") == 3


def test_basic_auth_sends_the_header_and_no_message_shows_the_password(serve):
    server = serve([201, 401])
    push_graphs([(GRAPH, [TRIPLE])], server.url, auth=Auth("ann", "s3cret"))
    expected = "Basic " + base64.b64encode(b"ann:s3cret").decode()
    assert server.requests[0][2]["Authorization"] == expected
    assert "s3cret" not in repr(Auth("ann", "s3cret"))
    with pytest.raises(PushError) as caught:
        push_graphs([(GRAPH, [TRIPLE])], server.url.replace("//", "//ann:s3cret@"))
    assert "s3cret" not in str(caught.value) and caught.value.subject == server.url


def test_batches_and_the_query_of_the_endpoint_are_kept(serve):
    server = serve([201])
    triples = [
        ox.Triple(
            ox.NamedNode(f"https://example.org/{n}"), ox.NamedNode(f"{XSD}p"), ox.Literal("o")
        )
        for n in range(5)
    ]
    result = push_graphs([(GRAPH, triples)], server.url + "?repo=x", batch_triples=2)
    assert result.graphs[0].requests == ("PUT", "POST", "POST")
    assert [r[0] for r in server.requests] == ["PUT", "POST", "POST"]
    assert all(r[1].startswith("/store?repo=x&graph=") for r in server.requests)
    assert sum(r[3].count(b"\n") for r in server.requests) == 5


def test_dry_run_plans_without_connecting(seed_nq):
    url = _unused_url()
    result = push_graphs(graphs_from_files([seed_nq]), url, batch_triples=200, dry_run=True)
    assert result.dry_run and result.triples == SEED_TRIPLES
    assert [(g.graph, g.requests) for g in result.graphs] == [(FEED_GRAPH, ("PUT", "POST"))]


@pytest.mark.parametrize(
    ("endpoint", "options", "message"),
    [
        ("ftp://example.org/", {}, "not an http(s) URL"),
        (
            "http://127.0.0.1:9/",
            {"method": "PATCH"},
            "unknown method 'PATCH'; use one of PUT, POST",
        ),
        ("http://127.0.0.1:9/", {"batch_triples": 0}, "batch size must be at least 1"),
    ],
)
def test_bad_options(endpoint, options, message):
    with pytest.raises(PushError, match=re.escape(message)):
        push_graphs([], endpoint, **options)


def test_a_graph_name_must_be_an_iri():
    with pytest.raises(PushError, match="graph 'not an iri' is not an absolute IRI"):
        push_graphs([("not an iri", [TRIPLE])], "http://127.0.0.1:9/", dry_run=True)


# --- sources -------------------------------------------------------------------------------


def test_graphs_from_store_never_include_the_default_graph():
    store = ox.Store()
    store.add(ox.Quad(TRIPLE.subject, TRIPLE.predicate, ox.Literal("private"), ox.DefaultGraph()))
    for name in ("https://example.org/b", "https://example.org/a"):
        store.add(ox.Quad(TRIPLE.subject, TRIPLE.predicate, TRIPLE.object, ox.NamedNode(name)))
    got = [(name, list(triples)) for name, triples in graphs_from_store(store)]
    assert got == [("https://example.org/a", [TRIPLE]), ("https://example.org/b", [TRIPLE])]


def test_graphs_from_files(tmp_path, seed_nq):
    ttl = tmp_path / "extra.ttl"
    ttl.write_text("<https://example.org/s> <https://example.org/p> 1 .\n", encoding="utf-8")
    with pytest.raises(kg.RDFInputError, match=r"1 triples outside any named graph; give --graph"):
        graphs_from_files([ttl])
    got = {name: len(list(t)) for name, t in graphs_from_files([seed_nq, ttl], graph=GRAPH)}
    assert got == {FEED_GRAPH: SEED_TRIPLES, GRAPH: 1}
    with pytest.raises(PushError, match="is not an absolute IRI"):
        graphs_from_files([ttl], graph="extra")
    with pytest.raises(kg.RDFInputError, match="no such file"):
        graphs_from_files([tmp_path / "missing.nq"])


def test_module_doctests():
    import doctest

    assert doctest.testmod(kg.push).failed == 0
