"""kg serve: a real HTTP client against a real server over a real store (and over files)."""

from __future__ import annotations

import csv
import doctest
import io
import json
import os
import signal
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore

import kg
import kg.serve
from kg.errors import KGError
from kg.serve import SparqlServer, make_server, serve

from .conftest import SEED

SCHEMA = "PREFIX schema: <https://schema.org/>\n"
TITLES = SCHEMA + (
    "SELECT ?paper ?title WHERE { ?paper a schema:ScholarlyArticle ; schema:name ?title }"
    " ORDER BY ?title"
)
CONSTRUCT = SCHEMA + (
    "CONSTRUCT { ?paper schema:name ?title ; a schema:ScholarlyArticle } "
    "WHERE { ?paper a schema:ScholarlyArticle ; schema:name ?title }"
)
ASK = SCHEMA + "ASK { ?paper a schema:ScholarlyArticle }"
EVERYTHING = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
FEED_GRAPH = "https://scienmag.com/tag/neuroimaging-in-psychiatry/feed/"
E = "/sparql"  # the endpoint, under the client's base URL (the server's root)
SRX = "{http://www.w3.org/2005/sparql-results#}"
# What the store keeps for itself in its default graph; no request may ever see it.
MARKER = "BOOKKEEPING-MARKER-7f3a"
BOOKKEEPING = ox.NamedNode("urn:kg:bookkeeping")

SELECT_FORMATS = [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/json"),
    ("application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
    ("application/xml", "application/xml; charset=utf-8"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
]
GRAPH_FORMATS = [
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/n-quads", "application/n-quads", "nquads"),
    ("application/rdf+xml", "application/rdf+xml; charset=utf-8", "xml"),
    ("application/ld+json", "application/ld+json", "json-ld"),
]


@pytest.fixture(scope="module")
def graph_nq(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    kg.convert([str(SEED)], out_dir=out)
    return out / "graph.nq"


def _make_store(path: Path, graph_nq: Path) -> Path:
    """An on-disk store as kg build leaves it: named graphs, bookkeeping in the default graph."""
    store = ox.Store(str(path))
    store.load(path=graph_nq, format=ox.RdfFormat.N_QUADS)
    store.add(ox.Quad(BOOKKEEPING, BOOKKEEPING, ox.Literal(MARKER)))
    store.flush()
    del store  # releases the RocksDB lock
    return path


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory, graph_nq: Path) -> Path:
    return _make_store(tmp_path_factory.mktemp("store") / "store", graph_nq)


@contextmanager
def running(server: SparqlServer) -> Iterator[httpx.Client]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        root = server.url.removesuffix(E)
        with httpx.Client(base_url=root, trust_env=False, timeout=30) as client:
            yield client
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def client(store_dir: Path) -> Iterator[httpx.Client]:
    with running(make_server(store=store_dir)) as c:
        yield c


def _local(query: str, graph_nq: Path) -> kg.QueryResult:
    return kg.run_query(query, paths=[graph_nq])


def _request(client, style, query, headers=None, params=None):
    """The query sent the way ``style`` says: GET, POST form or POST sparql-query body."""
    headers, params = dict(headers or {}), dict(params or {})
    if style == "get":
        return client.get(E, params={"query": query, **params}, headers=headers)
    if style == "form":
        return client.post(E, data={"query": query, **params}, headers=headers)
    headers["Content-Type"] = "application/sparql-query"
    return client.post(E, content=query.encode(), params=params, headers=headers)


def _tsv_value(cell: str) -> str:
    if cell.startswith("<"):
        return cell[1:-1]
    if cell.startswith('"'):
        return str(json.loads(cell[: cell.rindex('"') + 1]))
    return cell


def _table(response: httpx.Response) -> tuple[list[str], list[tuple[str, ...]]]:
    """Variables and rows (plain values) of a results document, read with the stdlib."""
    media = response.headers["content-type"].split(";")[0]
    if media.endswith("json"):
        doc = json.loads(response.text)
        names = doc["head"]["vars"]
        rows = [tuple(b[v]["value"] for v in names) for b in doc["results"]["bindings"]]
        return names, rows
    if media.endswith("xml"):
        root = ET.fromstring(response.content)
        names = [v.get("name") or "" for v in root.iter(SRX + "variable")]
        rows = []
        for result in root.iter(SRX + "result"):
            cells = {b.get("name"): "".join(b[0].itertext()) for b in result.iter(SRX + "binding")}
            rows.append(tuple(cells[v] for v in names))
        return names, rows
    if media == "text/csv":
        header, *body = csv.reader(io.StringIO(response.text))
        return header, [tuple(r) for r in body]
    header, *body = csv.reader(io.StringIO(response.text), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [v.lstrip("?") for v in header], [tuple(_tsv_value(c) for c in r) for r in body]


def _plain(result: kg.QueryResult) -> tuple[list[str], list[tuple[str, ...]]]:
    rows = [tuple("" if t is None else str(t) for t in row) for row in result.rows]
    return list(result.variables), rows


@pytest.mark.parametrize("style", ["get", "form", "direct"])
@pytest.mark.parametrize(("accept", "content_type"), SELECT_FORMATS)
def test_select_in_every_format_and_request_style(client, graph_nq, style, accept, content_type):
    response = _request(client, style, TITLES, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == content_type
    names, rows = _table(response)
    expected = _plain(_local(TITLES, graph_nq))
    assert (names, rows) == expected
    assert len(rows) == 3 and any("serotonin 1A receptor" in row[1] for row in rows)


@pytest.mark.parametrize(("name", "media"), [("json", "json"), ("xml", "xml"), ("tsv", "tab")])
def test_format_parameter_overrides_accept(client, graph_nq, name, media):
    response = client.get(E, params={"query": TITLES, "format": name}, headers={"Accept": "x/y"})
    assert response.status_code == 200
    assert media in response.headers["content-type"]
    assert _table(response) == _plain(_local(TITLES, graph_nq))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # inside rdflib's parsers
@pytest.mark.parametrize("style", ["get", "form", "direct"])
@pytest.mark.parametrize(("accept", "content_type", "rdflib_format"), GRAPH_FORMATS)
def test_construct_in_every_graph_format(
    client, graph_nq, style, accept, content_type, rdflib_format
):
    response = _request(client, style, CONSTRUCT, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == content_type
    served = Graph().parse(data=response.text, format=rdflib_format)
    local = _local(CONSTRUCT, graph_nq).graph
    assert local is not None and len(local) == 6
    assert isomorphic(served, local)


def test_construct_defaults_to_turtle_and_honours_q_values(client):
    assert (
        client.get(E, params={"query": CONSTRUCT}).headers["content-type"].startswith("text/turtle")
    )
    accept = "text/turtle;q=0.4, application/n-triples;q=0.9, */*;q=0.1"
    response = client.get(E, params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.headers["content-type"] == "application/n-triples"
    for name, media in (("turtle", "text/turtle"), ("ntriples", "application/n-triples")):
        response = client.get(E, params={"query": CONSTRUCT, "format": name})
        assert response.headers["content-type"].startswith(media)


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0, */*", "application/sparql-results+xml"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/xml"),
    ],
)
def test_select_negotiation(client, accept, media):
    headers = {} if accept is None else {"Accept": accept}
    response = client.get(E, params={"query": TITLES}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+json", True),
        ("application/sparql-results+xml", True),
        ("text/csv", True),
        ("text/tab-separated-values", True),
    ],
)
def test_ask_in_every_format(client, accept, expected):
    response = client.post(E, data={"query": ASK}, headers={"Accept": accept})
    assert response.status_code == 200
    if "json" in accept:
        assert json.loads(response.text)["boolean"] is expected
    elif "xml" in accept:
        assert ET.fromstring(response.content).find(SRX + "boolean").text == "true"  # type: ignore[union-attr]
    else:
        assert response.text.strip() == "true"
    no = client.get(E, params={"query": "ASK { ?s a <urn:nothing> }"}).json()
    assert no["boolean"] is False


def test_bundled_query_gives_the_same_rows_as_kg_query(client, graph_nq):
    query = kg.named_query("papers-most-covered").text
    response = client.get(E, params={"query": query})
    doc = response.json()
    rows = []
    for binding in doc["results"]["bindings"]:
        row = []
        for var in doc["head"]["vars"]:
            cell = binding[var]
            if cell["type"] == "uri":
                row.append(URIRef(cell["value"]))
            else:
                row.append(Literal(cell["value"], datatype=cell.get("datatype")))
        rows.append(tuple(row))
    local = _local(query, graph_nq)
    assert tuple(doc["head"]["vars"]) == local.variables
    assert tuple(rows) == local.rows and len(rows) == 3


@pytest.mark.parametrize(
    "named", [q for q in kg.named_queries() if not q.params], ids=lambda q: q.name
)
def test_every_bundled_query_without_parameters(client, graph_nq, named):
    response = client.post(E, data={"query": named.text}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert _table(response) == _plain(_local(named.text, graph_nq))


def test_bad_syntax_is_400_with_pyoxigraph_message(client):
    bad = "SELEC ?x WHERE { ?x ?p ?o }"
    with pytest.raises(SyntaxError) as local:
        ox.Store().query(bad)
    for style in ("get", "form", "direct"):
        response = _request(client, style, bad)
        assert response.status_code == 400
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.text.strip() == str(local.value)


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (TITLES, "image/png"),
        (TITLES, "text/turtle"),
        (TITLES, "application/sparql-results+json;q=0"),
        (CONSTRUCT, "application/sparql-results+json"),
        (ASK, "application/n-triples"),
    ],
)
def test_unacceptable_accept_is_406(client, query, accept):
    response = client.get(E, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "comes as" in response.text


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("turtle", "text/turtle"),
        ("n3", "text/turtle"),
        ("ntriples", "application/n-triples"),
        ("nquads", "application/n-quads"),
        ("rdf+xml", "application/rdf+xml"),
        ("xml", "application/rdf+xml"),
        ("json-ld", "application/ld+json"),
        ("json", "application/ld+json"),
    ],
)
def test_format_names_for_graphs_include_what_sparqlwrapper_sends(client, name, media):
    response = client.get(E, params={"query": CONSTRUCT, "format": name, "output": name})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media


def test_format_parameter_errors(client):
    unknown = client.get(E, params={"query": TITLES, "format": "yaml"})
    assert unknown.status_code == 400 and "json, xml, csv, tsv, turtle" in unknown.text
    for graph_only in ("turtle", "n3", "rdf+xml"):
        wrong_kind = client.get(E, params={"query": TITLES, "format": graph_only})
        assert wrong_kind.status_code == 406
    assert client.get(E, params={"query": CONSTRUCT, "format": "csv"}).status_code == 406


def _count(store_dir: Path) -> int:
    store = ox.Store.read_only(str(store_dir))
    try:
        return len(store)
    finally:
        del store


def test_updates_are_refused_and_the_store_is_unchanged(store_dir, client):
    before = _count(store_dir)
    insert = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
    refused = [
        client.post(E, data={"update": insert}),
        client.post(E, content=insert, headers={"Content-Type": "application/sparql-update"}),
        client.get(E, params={"update": insert}),
    ]
    for response in refused:
        assert response.status_code == 403
        assert "read-only" in response.text
    as_query = client.post(E, data={"query": insert})
    assert as_query.status_code == 400
    assert _count(store_dir) == before
    ask = client.get(E, params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()
    assert ask["boolean"] is False


def test_store_default_graph_is_never_reachable(store_dir, client):
    # The marker is there, in the default graph: otherwise this test proves nothing.
    store = ox.Store.read_only(str(store_dir))
    assert [
        str(q.object.value) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    ] == [MARKER]
    del store
    attempts: list[dict[str, object]] = [
        {"query": EVERYTHING},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"},
        {"query": "SELECT ?g WHERE { GRAPH ?g { } }"},
        {"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        {"query": f"DESCRIBE <{BOOKKEEPING.value}>"},
        {"query": f"SELECT * FROM <{BOOKKEEPING.value}> WHERE {{ ?s ?p ?o }}"},
        {"query": "SELECT * FROM NAMED <urn:x> WHERE { ?s ?p ?o }"},
        {"query": EVERYTHING, "named-graph-uri": FEED_GRAPH},
        {"query": EVERYTHING, "default-graph-uri": BOOKKEEPING.value},
        {"query": EVERYTHING, "default-graph-uri": ""},
        {"query": EVERYTHING, "default-graph-uri": "urn:x-oxigraph:default"},
        {"query": f'SELECT * WHERE {{ ?s ?p "{MARKER}" }}'},
        {"query": f'ASK {{ ?s ?p "{MARKER}" }}'},
    ]
    for params in attempts:
        for accept in ("application/sparql-results+json", "text/tab-separated-values", "*/*"):
            response = client.get(E, params=params, headers={"Accept": accept})  # type: ignore[arg-type]
            assert MARKER not in response.text, params
            assert BOOKKEEPING.value not in response.text or "FROM" in str(params["query"])
    assert client.get(E, params={"query": f'ASK {{ ?s ?p "{MARKER}" }}'}).json()["boolean"] is False


def test_protocol_dataset_parameters_are_honoured(client, graph_nq):
    local = _plain(_local(TITLES, graph_nq))
    by_default = client.get(E, params={"query": TITLES, "default-graph-uri": FEED_GRAPH})
    assert _table(by_default) == local
    two = client.get(E, params={"query": TITLES, "default-graph-uri": [FEED_GRAPH, "urn:none"]})
    assert _table(two) == local
    elsewhere = client.get(E, params={"query": TITLES, "default-graph-uri": "urn:none"})
    assert _table(elsewhere)[1] == []
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = client.get(E, params={"query": graphs, "named-graph-uri": [FEED_GRAPH, "urn:none"]})
    assert _table(named)[1] == [(FEED_GRAPH,)]
    assert _table(client.get(E, params={"query": graphs}))[1] == [(FEED_GRAPH,)]
    only_named = client.get(E, params={"query": TITLES, "named-graph-uri": FEED_GRAPH})
    assert _table(only_named)[1] == []  # the default graph is then empty (protocol 2.1.4)
    from_clause = TITLES.replace("WHERE", f"FROM <{FEED_GRAPH}> WHERE")
    assert _table(client.get(E, params={"query": from_clause})) == local
    from_none = TITLES.replace("WHERE", "FROM <urn:none> WHERE")
    assert _table(client.get(E, params={"query": from_none}))[1] == []
    from_named = graphs.replace("WHERE", "FROM NAMED <urn:none> WHERE")
    assert _table(client.get(E, params={"query": from_named}))[1] == []
    prefixed = "PREFIX ex: <urn:> SELECT * FROM ex:g WHERE { ?s ?p ?o }"
    assert client.get(E, params={"query": prefixed}).status_code == 400
    # The protocol's dataset wins over the query's.
    overridden = client.get(E, params={"query": from_clause, "default-graph-uri": "urn:none"})
    assert _table(overridden)[1] == []
    assert client.get(E, params={"query": TITLES, "default-graph-uri": "no iri"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s <urn:p\\#x> ?o . SERVICE ?x { ?s ?p ?o } }",
        "PREFIX ex: <urn:> SELECT * WHERE { ?s ex:a\\#b ?o . SeRvIcE <http://127.0.0.1:9/> {} }",
        "SELECT * WHERE { ?s ?p ?o.SERVICE<http://127.0.0.1:9/>{} }",
        "SELECT * WHERE { ?s ?p 'it\\'s' . SERVICE <http://127.0.0.1:9/> {} }",
        "ASK { { SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    ],
)
def test_service_is_refused(client, query):
    response = client.get(E, params={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.text


def test_codepoint_escapes_do_not_spell_keywords(client):
    """SPARQL 1.1 unescaped \\u before parsing; pyoxigraph 0.5 does not, and the lexer
    relies on that.  Should pyoxigraph start to, this fails instead of fetching."""
    query = "SELECT * WHERE { ?s ?p ?o . \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert client.get(E, params={"query": query}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }',
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/>",
        "SELECT ?service WHERE { ?service <urn:SERVICE> ?o }",
        'PREFIX service: <urn:> SELECT * WHERE { ?s service:x """SERVICE""" }',
    ],
)
def test_the_word_service_elsewhere_is_fine(client, query):
    assert client.get(E, params={"query": query}).status_code == 200


def test_a_finished_write_becomes_visible_without_restart(tmp_path, graph_nq):
    path = _make_store(tmp_path / "store", graph_nq)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    new = SCHEMA + "SELECT ?name WHERE { <urn:new> schema:name ?name }"
    with running(make_server(store=path)) as client:
        before = int(
            client.get(E, params={"query": count}).json()["results"]["bindings"][0]["n"]["value"]
        )
        assert client.get(E, params={"query": new}).json()["results"]["bindings"] == []
        writer = ox.Store(str(path))  # the server holds only a read-only handle
        name = ox.NamedNode("https://schema.org/name")
        writer.add(
            ox.Quad(ox.NamedNode("urn:new"), name, ox.Literal("added"), ox.NamedNode("urn:g2"))
        )
        writer.flush()
        rows = client.get(E, params={"query": new}).json()["results"]["bindings"]
        assert [r["name"]["value"] for r in rows] == ["added"]
        del writer
        after = client.get(E, params={"query": count}).json()["results"]["bindings"][0]["n"]
        assert int(after["value"]) == before + 1


def test_a_store_of_generations_via_open_store_and_store_marker(tmp_path, graph_nq):
    """A store whose build writes a new database and swaps a ``current`` link."""
    root = tmp_path / "store"
    root.mkdir()
    _make_store(root / "gen-1", graph_nq)
    (root / "current").symlink_to("gen-1")
    server = make_server(
        store=root,
        open_store=lambda path: ox.Store.read_only(str(path / "current")),
        store_marker=lambda path: os.readlink(path / "current"),
    )
    ask = {"query": "ASK { <urn:new> ?p ?o }"}
    with running(server) as client:
        assert client.get(E, params=ask).json()["boolean"] is False
        writer = ox.Store(str(_make_store(root / "gen-2", graph_nq)))
        new = ox.Quad(ox.NamedNode("urn:new"), ox.NamedNode("urn:p"), ox.Literal("x"))
        writer.add(ox.Quad(new.subject, new.predicate, new.object, ox.NamedNode("urn:g2")))
        writer.flush()
        del writer
        (root / "next").symlink_to("gen-2")
        (root / "next").replace(root / "current")  # the atomic swap
        assert client.get(E, params=ask).json()["boolean"] is True


def test_serving_graph_files(tmp_path, graph_nq):
    ttl = tmp_path / "extra.ttl"
    ttl.write_text('<urn:x> <https://schema.org/name> "from turtle" .\n', encoding="utf-8")
    query = "SELECT ?o WHERE { ?s <https://schema.org/name> ?o } ORDER BY ?o"
    local = _plain(kg.run_query(query, paths=[graph_nq, ttl]))
    with running(make_server(data=[graph_nq, ttl])) as client:
        for style in ("get", "form", "direct"):
            assert _table(_request(client, style, query)) == local
        assert ("from turtle",) in local[1]
        graphs = _table(client.get(E, params={"query": "SELECT DISTINCT ?g { GRAPH ?g {} }"}))
        assert graphs[1] == [(FEED_GRAPH,)]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's ConjunctiveGraph
def test_rdflib_sparqlstore_as_client(client, graph_nq):
    """rdflib's SPARQLStore: another real client, with its own Accept headers and encoding."""
    remote = Graph(store=SPARQLStore(str(client.base_url).rstrip("/") + E))
    assert list(remote.query(TITLES)) == list(_local(TITLES, graph_nq).rows)
    constructed = remote.query(CONSTRUCT).graph
    local = _local(CONSTRUCT, graph_nq).graph
    assert constructed is not None and local is not None and isomorphic(constructed, local)
    assert remote.query(ASK).askAnswer is True


def test_service_description_and_html_page(client):
    url = str(client.base_url).rstrip("/") + E
    page = client.get("/", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert url in page.text and "<form" in page.text
    description = client.get(E, headers={"Accept": "text/turtle"})
    assert description.headers["content-type"] == "text/turtle; charset=utf-8"
    sd = Graph().parse(data=description.text, format="turtle")
    endpoint = URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")
    assert list(sd.objects(None, endpoint)) == [URIRef(url)]
    assert client.get(E, headers={"Accept": "image/png"}).status_code == 406


def test_cors_and_options(client):
    preflight = client.options(E)
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]
    response = client.get(E, params={"query": ASK})
    assert response.headers["access-control-allow-origin"] == "*"
    head = client.head(E, params={"query": ASK})
    assert head.status_code == 200 and head.content == b""


def test_request_errors(store_dir):
    with running(make_server(store=store_dir, max_body=1000)) as client:
        too_big = client.post(E, data={"query": ASK + " " * 1000})
        assert too_big.status_code == 413
        # the connection was closed, not poisoned: the next request is answered
        assert client.post(E, data={"query": ASK}).status_code == 200
        assert (
            client.post(E, content=ASK, headers={"Content-Type": "text/plain"}).status_code == 415
        )
        assert client.get("/other", params={"query": ASK}).status_code == 404
        assert client.post(E, data={"format": "json"}).status_code == 400
        assert client.get(E, params={"query": [ASK, ASK]}).status_code == 400
        not_utf8 = client.post(
            "",
            content=b"ASK { ?s ?p '\xff' }",
            headers={"Content-Type": "application/sparql-query"},
        )
        assert not_utf8.status_code == 400


def test_requests_are_logged_only_when_asked(store_dir):
    lines: list[str] = []
    with running(make_server(store=store_dir, log=lines.append)) as client:
        client.get(E, params={"query": ASK})
        client.get("/nowhere")
    assert len(lines) == 2 and '" 200 ' in lines[0] and '" 404 ' in lines[1]


def test_a_bug_is_a_500_and_a_log_line_and_the_server_goes_on(tmp_path):
    class Broken:
        def named_graphs(self):
            return iter(())

        def query(self, *args, **kwargs):
            raise ZeroDivisionError("a bug")

    lines: list[str] = []
    server = make_server(store=tmp_path, open_store=lambda _: Broken(), log=lines.append)
    with running(server) as client:
        response = client.get(E, params={"query": ASK})
        assert response.status_code == 500 and "ZeroDivisionError" in response.text
        assert client.get(E, headers={"Accept": "text/turtle"}).status_code == 200
    assert any("error: ZeroDivisionError: a bug" in line for line in lines)


def test_concurrent_requests(client, graph_nq):
    expected = _plain(_local(TITLES, graph_nq))
    results: list[object] = []

    def ask() -> None:  # httpx.Client is thread-safe: one pool, parallel connections
        results.append(_table(client.get(E, params={"query": TITLES})))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 8


def test_make_server_errors(tmp_path, store_dir, graph_nq):
    with pytest.raises(KGError, match="one of the two"):
        make_server()
    with pytest.raises(KGError, match="one of the two"):
        make_server(store=store_dir, data=[graph_nq])
    with pytest.raises(KGError, match="no such store directory"):
        make_server(store=tmp_path / "missing")
    with pytest.raises(KGError, match="no store here"):
        make_server(store=tmp_path)
    with pytest.raises(kg.RDFInputError):
        make_server(data=[tmp_path / "missing.nq"])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(KGError, match="cannot listen"):
            make_server(store=store_dir, port=taken.getsockname()[1])


def test_serve_returns_normally_on_ctrl_c_and_frees_the_port(store_dir):
    server = make_server(store=store_dir)
    answered: list[int] = []

    def press_ctrl_c() -> None:
        # Once a request is answered serve_forever is running; only then send SIGINT.
        answered.append(httpx.get(server.url, params={"query": ASK}, trust_env=False).status_code)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    helper = threading.Thread(target=press_ctrl_c)
    helper.start()
    serve(server)  # returns instead of raising KeyboardInterrupt
    helper.join()
    assert answered == [200]
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url, trust_env=False)


def test_module_doctests():
    assert doctest.testmod(kg.serve).failed == 0
