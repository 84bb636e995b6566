"""Property-graph exports: the CSV directory (loaded into a real embedded graph
database, LadybugDB, the maintained fork of Kuzu) and GEXF (read back by networkx)."""

from __future__ import annotations

import csv
import doctest
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal

import kg
import kg.export.csvgraph
from kg.export.csvgraph import (
    FALLBACK_ARRAY_DELIMITER,
    LADYBUG_SCRIPT,
    NEO4J_ADMIN_SCRIPT,
    NEO4J_CYPHER_SCRIPT,
    property_tables,
    unique_names,
    write_property_csv,
)
from kg.export.gexf import write_gexf
from kg.export.networkx import (
    PropertyGraph,
    curie,
    networkx_of_sorted,
    property_graph,
    write_graphml,
)
from kg.terms import NTriple, nt_triples_of, to_ox_triples, to_rdflib_graph

from .conftest import SEED

SDO = "https://schema.org/"
PRISM_DOI = "http://prismstandard.org/namespaces/basic/2.0/doi"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
HOSTILE_TITLE = 'Commas, "quotes", a line\nbreak; and ünïcödé'

#: The Cypher twin of kg/queries/papers-most-covered.rq.
PAPERS_MOST_COVERED = """
MATCH (p:ScholarlyArticle)
OPTIONAL MATCH (s:NewsArticle)-[:CITATION]->(p)
RETURN p.iri, p.doi, p.name, count(DISTINCT s) AS stories
ORDER BY stories DESC, p.doi, p.iri
"""


def require_ladybug() -> Any:
    """The LadybugDB module; a test dependency, so under CI its absence fails."""
    try:
        import ladybug
    except ImportError:
        ladybug = None
    # "ladybug" was once also the import name of Ladybug Tools' weather library
    if ladybug is None or not hasattr(ladybug, "Database"):
        if os.environ.get("CI"):
            pytest.fail("LadybugDB is not installed; it is a test dependency (PyPI: ladybug)")
        pytest.skip("LadybugDB is not installed here: pip install ladybug")
    return ladybug


# --- fixtures -----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    """The seed build: its output directory and its sorted triples."""
    out = tmp_path_factory.mktemp("seed")
    result = kg.convert([str(SEED)], out_dir=out)
    return out, sorted(nt_triples_of(result.triples))


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> ox.Triple:
    obj = ox.NamedNode(o) if isinstance(o, str) else o
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), obj)


def synthetic() -> list[ox.Triple]:
    """A graph with what the seed lacks: a paper covered by two stories and one
    by none, a hostile title, a list element holding ``;``, a node with two
    classes, an untyped node, integers and booleans."""
    ex = "https://example.org/"
    triples = []
    for story, cites in (("s1", ["A"]), ("s2", ["A", "B"]), ("s3", [])):
        triples += [
            _t(ex + story, RDF_TYPE, SDO + "NewsArticle"),
            _t(ex + story, SDO + "name", ox.Literal(f"Story {story}")),
            _t(ex + story, SDO + "author", ex + "byline"),
        ]
        triples += [_t(ex + story, SDO + "citation", ex + paper) for paper in cites]
    for paper, doi in (("A", "10.1/a"), ("B", "10.1/b"), ("C", "10.1/c")):
        triples += [
            _t(ex + paper, RDF_TYPE, SDO + "ScholarlyArticle"),
            _t(ex + paper, PRISM_DOI, ox.Literal(doi)),
            _t(
                ex + paper,
                "https://w3id.org/feedkg/vocab#authorListTruncated",
                ox.Literal(
                    "true" if paper == "A" else "false", datatype=ox.NamedNode(XSD + "boolean")
                ),
            ),
        ]
    triples += [
        _t(ex + "A", SDO + "name", ox.Literal(HOSTILE_TITLE)),
        _t(ex + "B", SDO + "name", ox.Literal("Plain title")),
        _t(ex + "A", SDO + "keywords", ox.Literal("a;b")),
        _t(ex + "A", SDO + "keywords", ox.Literal("c")),
        _t(
            ex + "A",
            SDO + "datePublished",
            ox.Literal("2025", datatype=ox.NamedNode(XSD + "gYear")),
        ),
        _t(ex + "A", SDO + "sameAs", "https://pubmed.ncbi.nlm.nih.gov/1/"),
        _t(ex + "A", SDO + "position", ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))),
        _t(ex + "byline", RDF_TYPE, SDO + "Person"),
        _t(ex + "byline", RDF_TYPE, SDO + "Organization"),
        _t(ex + "byline", SDO + "name", ox.Literal("Newsroom", language="en")),
    ]
    return sorted(nt_triples_of(triples))


def load_ladybug(csv_dir: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A LadybugDB connection with the export loaded by its own generated script."""
    ladybug = require_ladybug()
    conn = ladybug.Connection(ladybug.Database(str(db_path)))
    with monkeypatch.context() as m:
        m.chdir(csv_dir)  # the script names its files relative to the directory
        conn.execute((csv_dir / LADYBUG_SCRIPT).read_text(encoding="utf-8"))
    return conn


def rows(conn: Any, cypher: str) -> list[list[Any]]:
    result = conn.execute(cypher)
    out = []
    while result.has_next():
        out.append(result.get_next())
    return out


def sparql_rows(result: kg.QueryResult) -> list[list[Any]]:
    """SPARQL results as plain values, the way Cypher returns them."""
    return [
        [None if t is None else t.toPython() if isinstance(t, Literal) else str(t) for t in row]
        for row in result.rows
    ]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


# --- the embedded database ---------------------------------------------------------


def test_seed_loads_with_the_networkx_counts(seed, tmp_path, monkeypatch):
    _, triples = seed
    nxg = networkx_of_sorted(triples)
    write_property_csv(triples, tmp_path / "csv")
    conn = load_ladybug(tmp_path / "csv", tmp_path / "db", monkeypatch)
    assert rows(conn, "MATCH (n) RETURN count(n)") == [[nxg.number_of_nodes()]] == [[63]]
    assert rows(conn, "MATCH ()-[r]->() RETURN count(r)") == [[nxg.number_of_edges()]] == [[113]]
    per_label = {label: n for label, n in rows(conn, "MATCH (n) RETURN label(n), count(n)")}
    expected: dict[str, int] = {}
    for _, data in nxg.nodes(data=True):
        label = sorted(t.split(":")[1] for t in data["types"])[0]
        expected[label] = expected.get(label, 0) + 1
    assert per_label == expected
    per_type = dict(rows(conn, "MATCH ()-[r]->() RETURN label(r), count(r)"))
    assert per_type["ABOUT"] == 39 and per_type["AUTHOR"] == 12 and per_type["CITATION"] == 3


def test_seed_cypher_top_papers_equal_sparql(seed, tmp_path, monkeypatch):
    out, triples = seed
    write_property_csv(triples, tmp_path / "csv")
    conn = load_ladybug(tmp_path / "csv", tmp_path / "db", monkeypatch)
    query = kg.named_query("papers-most-covered").text
    expected = sparql_rows(kg.run_query(query, paths=[out / "graph.nq"]))
    assert len(expected) == 3
    assert rows(conn, PAPERS_MOST_COVERED) == expected


def test_synthetic_graph_loads_and_ranks_like_sparql(tmp_path, monkeypatch):
    triples = synthetic()
    nxg = networkx_of_sorted(triples)
    files = write_property_csv(triples, tmp_path / "csv")
    # "a;b" is a list element, so lists are joined with U+001F, and the script splits on it
    assert 'string_split(`keywords`, "\\u001f")' in files[LADYBUG_SCRIPT].read_text("utf-8")
    conn = load_ladybug(tmp_path / "csv", tmp_path / "db", monkeypatch)
    assert rows(conn, "MATCH (n) RETURN count(n)") == [[nxg.number_of_nodes()]]
    assert rows(conn, "MATCH ()-[r]->() RETURN count(r)") == [[nxg.number_of_edges()]]
    query = kg.named_query("papers-most-covered").text
    expected = sparql_rows(kg.run_query(query, graph=to_rdflib_graph(triples)))
    assert [r[3] for r in expected] == [2, 1, 0]  # the ranking is really tested
    assert rows(conn, PAPERS_MOST_COVERED) == expected
    paper = rows(
        conn,
        "MATCH (p:ScholarlyArticle {iri: 'https://example.org/A'}) "
        "RETURN p.name, p.keywords, p.authorListTruncated, p.position, p.datePublished, p.types",
    )
    assert paper == [[HOSTILE_TITLE, ["a;b", "c"], True, 3, "2025", ["schema:ScholarlyArticle"]]]
    # two classes: one node, in the alphabetically first table, with both types
    assert rows(conn, "MATCH (n:Organization) RETURN n.iri, n.types, n.name") == [
        ["https://example.org/byline", ["schema:Organization", "schema:Person"], "Newsroom"]
    ]
    assert rows(conn, "MATCH (n:Resource) RETURN n.iri, n.label") == [
        ["https://pubmed.ncbi.nlm.nih.gov/1/", "https://pubmed.ncbi.nlm.nih.gov/1/"]
    ]


# --- the files ---------------------------------------------------------------------

_PROPERTY_HEADER = re.compile(r"[A-Za-z][A-Za-z0-9_]*:(string|long|double|boolean)(\[\])?")


def test_headers_follow_neo4j_admin(seed, tmp_path):
    _, triples = seed
    files = write_property_csv(triples, tmp_path / "csv")
    view = property_graph(triples)
    ids: dict[str, set[str]] = {}
    nodes = edges = 0
    for name, path in files.items():
        if not name.startswith("nodes_"):
            continue
        label = name.removeprefix("nodes_").removesuffix(".csv")
        header, *body = read_csv(path)
        assert header[:2] == [f"iri:ID({label})", ":LABEL"]
        assert header[2:4] == ["label:string", "types:string[]"]
        assert all(_PROPERTY_HEADER.fullmatch(h) for h in header[2:]), header
        assert [row[0] for row in body] == sorted(row[0] for row in body)
        ids[label] = {row[0] for row in body}
        nodes += len(body)
        for row in body:
            assert row[1] == label
            attrs = view.nodes[row[0]]
            assert row[3].split(";") == attrs["types"]
            assert row[2] == attrs["label"]
    for name, path in files.items():
        if not name.startswith("edges_"):
            continue
        header, *body = read_csv(path)
        match = re.fullmatch(r":START_ID\((\w+)\)", header[0])
        assert match and header[1].startswith(":END_ID(") and header[2] == ":TYPE"
        start, end = match.group(1), header[1][len(":END_ID(") : -1]
        assert name == f"edges_{body[0][2]}_{start}_{end}.csv"
        assert all(s in ids[start] and e in ids[end] for s, e, _ in body)
        assert body == sorted(body)
        edges += len(body)
    assert (nodes, edges) == (len(view.nodes), len(view.edges))
    header, *papers = read_csv(files["nodes_ScholarlyArticle.csv"])
    for paper in papers:
        cells = dict(zip(header, paper, strict=True))
        attrs = view.nodes[paper[0]]
        keywords = attrs.get("schema:keywords", [])
        keywords = keywords if isinstance(keywords, list) else [keywords]
        assert cells["keywords:string[]"] == ";".join(keywords)  # "" when there are none
        assert cells["authorListTruncated:boolean"] == "true"
        assert cells["doi:string"] == attrs["prism:doi"]
    assert sorted(
        len(dict(zip(header, p, strict=True))["keywords:string[]"].split(";")) for p in papers
    ) == [1, 1, 8]  # two papers have none: one empty cell each


def test_hostile_text_round_trips_through_csv(tmp_path):
    files = write_property_csv(synthetic(), tmp_path / "csv")
    raw = files["nodes_ScholarlyArticle.csv"].read_bytes()
    assert raw.decode("utf-8")  # UTF-8, and quoted: the line break is inside a field
    header, *body = read_csv(files["nodes_ScholarlyArticle.csv"])
    row = dict(zip(header, body[0], strict=True))
    assert row["name:string"] == HOSTILE_TITLE
    assert row["keywords:string[]"].split(FALLBACK_ARRAY_DELIMITER) == ["a;b", "c"]
    assert row["position:long"] == "3" and row["authorListTruncated:boolean"] == "true"
    assert "--array-delimiter='U+001F'" in files[NEO4J_ADMIN_SCRIPT].read_text(encoding="utf-8")
    untyped = read_csv(files["nodes_Resource.csv"])
    assert untyped == [
        ["iri:ID(Resource)", ":LABEL", "label:string", "types:string[]"],
        [
            "https://pubmed.ncbi.nlm.nih.gov/1/",
            "Resource",
            "https://pubmed.ncbi.nlm.nih.gov/1/",
            "",
        ],
    ]
    byline = read_csv(files["nodes_Organization.csv"])[1]
    assert byline[1].split(FALLBACK_ARRAY_DELIMITER) == ["Organization", "Person"]
    assert 'split(row.`keywords:string[]`, "\\u001f")' in files[NEO4J_CYPHER_SCRIPT].read_text(
        encoding="utf-8"
    )


def test_output_is_deterministic(seed, tmp_path):
    _, triples = seed
    first = write_property_csv(triples, tmp_path / "a")
    second = write_property_csv(list(reversed(triples)), tmp_path / "b")
    third = write_property_csv(property_graph(triples), tmp_path / "c")
    assert list(first) == list(second) == list(third)
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes() == third[name].read_bytes()


def test_directory_is_replaced_whole(seed, tmp_path):
    _, triples = seed
    out = tmp_path / "csv"
    out.mkdir()
    (out / "nodes_Gone.csv").write_text("stale\n")
    files = write_property_csv(triples, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(files)
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]  # no temporary directory left
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        write_property_csv(triples, tmp_path / "file")
    assert (tmp_path / "file").read_text() == "x"


def test_scripts_name_every_file(seed, tmp_path):
    _, triples = seed
    files = write_property_csv(triples, tmp_path / "csv")
    csvs = [name for name in files if name.endswith(".csv")]
    for script in (LADYBUG_SCRIPT, NEO4J_ADMIN_SCRIPT, NEO4J_CYPHER_SCRIPT):
        text = files[script].read_text(encoding="utf-8")
        assert all(name in text for name in csvs), script
    admin = files[NEO4J_ADMIN_SCRIPT].read_text(encoding="utf-8")
    assert 'import full "$db"' in admin and "--array-delimiter=';'" in admin
    tables = property_tables(triples)
    assert [r.start for r in tables.rel_types["AUTHOR"]] == ["NewsArticle", "ScholarlyArticle"]


def test_names_are_unique_without_case():
    names = unique_names(
        [SDO + "name", "http://xmlns.com/foaf/0.1/name", SDO + "Name", SDO + "url"],
        str,
        reserved=("URL",),
    )
    assert names == {
        "http://xmlns.com/foaf/0.1/name": "ns_name",
        SDO + "Name": "schema_Name",
        SDO + "name": "schema_name_2",
        SDO + "url": "schema_url",
    }
    assert len({n.casefold() for n in names.values()}) == len(names)


def test_module_doctests():
    assert doctest.testmod(kg.export.csvgraph).failed == 0


# --- GEXF --------------------------------------------------------------------------


def test_gexf_reads_back_with_the_same_graph(seed, tmp_path):
    _, triples = seed
    nxg = networkx_of_sorted(triples)
    write_gexf(nxg, tmp_path / "graph.gexf")
    back = nx.read_gexf(tmp_path / "graph.gexf")
    assert (back.number_of_nodes(), back.number_of_edges()) == (63, 113)
    assert set(back.nodes) == set(nxg.nodes)
    assert sorted((u, v) for u, v, *_ in back.edges) == sorted((u, v) for u, v, _ in nxg.edges)
    paper = "https://doi.org/10.1038/s41398-026-03892-z"
    data = back.nodes[paper]
    assert data["label"] == nxg.nodes[paper]["label"]
    assert data["kg:authorListTruncated"] is True
    assert json.loads(data["types"]) == ["schema:ScholarlyArticle"]
    assert json.loads(data["schema:keywords"]) == nxg.nodes[paper]["schema:keywords"]
    item = f"{paper}#author-1"
    assert back.nodes[item]["schema:position"] == 1
    edge = back.get_edge_data(item, f"{paper}#person-1")  # a DiGraph: no parallel edges
    assert edge["label"] == "schema:item" and edge["predicate"] == SDO + "item"


def test_gexf_is_deterministic_and_keeps_hostile_text(seed, tmp_path):
    _, triples = seed
    for name in ("a", "b"):
        write_gexf(property_graph(triples), tmp_path / f"{name}.gexf")
        write_gexf(networkx_of_sorted(triples), tmp_path / f"{name}-nx.gexf")
    assert (tmp_path / "a.gexf").read_bytes() == (tmp_path / "b.gexf").read_bytes()
    assert (tmp_path / "a-nx.gexf").read_bytes() == (tmp_path / "b-nx.gexf").read_bytes()
    assert b"lastmodifieddate" not in (tmp_path / "a.gexf").read_bytes()
    pg, via_nx = nx.read_gexf(tmp_path / "a.gexf"), nx.read_gexf(tmp_path / "a-nx.gexf")
    assert dict(pg.nodes(data=True)) == dict(via_nx.nodes(data=True))
    assert {(u, v) for u, v in pg.edges} == {(u, v) for u, v in via_nx.edges}
    write_gexf(property_graph(synthetic()), tmp_path / "s.gexf")
    back = nx.read_gexf(tmp_path / "s.gexf")
    assert back.nodes["https://example.org/A"]["schema:name"] == HOSTILE_TITLE
    assert back.nodes["https://example.org/A"]["label"] == HOSTILE_TITLE
    assert back.number_of_edges() == len(property_graph(synthetic()).edges)


def test_kg_export_from_the_store_and_from_files(tmp_path, monkeypatch, capsys):
    from kg.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["build", str(SEED)]) == 0
    expected = property_graph(kg.convert([str(SEED)]).ordered)
    assert main(["export", "csv"]) == 0  # the store, by default
    assert "wrote 21 file(s) to output/csv from output/store" in capsys.readouterr().err
    rows = 0
    for path in (tmp_path / "output" / "csv").glob("nodes_*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            rows += sum(1 for _ in csv.reader(fh)) - 1
    assert rows == len(expected.nodes)
    assert main(["export", "gexf", "--data", "output/graph.nq", "--out", "g.gexf"]) == 0
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        len(expected.nodes),
        len(expected.edges),
    )
    assert main(["export", "graphml", "--store", "output/store"]) == 0
    assert nx.read_graphml(tmp_path / "output" / "graph.graphml").number_of_edges() == len(
        expected.edges
    )


# --- the property graph and GraphML, against plain reference implementations --------
#
# property_graph and write_graphml are written for speed (terms looked up by
# identity, attribute types noted while building, lines written unescaped and
# checked as a whole).  These plain versions, one value at a time, are what
# they must equal, byte for byte and in the same order.

LABEL_PREDICATES = [
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    SDO + "name",
    SDO + "headline",
    "http://www.w3.org/2000/01/rdf-schema#label",
]


def reference_value(literal: ox.Literal) -> Any:
    datatype = literal.datatype.value
    if datatype == XSD + "boolean":
        return literal.value in ("true", "1")
    convert = {XSD + "integer": int, XSD + "double": float, XSD + "decimal": float}.get(datatype)
    try:
        return literal.value if convert is None else convert(literal.value)
    except ValueError:
        return literal.value


def reference_view(triples: list[NTriple]) -> tuple[dict[str, dict[str, Any]], list[Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    labels: dict[str, dict[str, str]] = {}
    edges: list[Any] = []
    shared: dict[str, dict[str, str]] = {}
    for triple in to_ox_triples(triples):  # pyoxigraph's reading of the text
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if not isinstance(s, ox.NamedNode):
            continue
        node = nodes.setdefault(s.value, {"types": []})
        if isinstance(o, ox.NamedNode):
            if p == RDF_TYPE:
                node["types"].append(curie(o.value))
            else:
                nodes.setdefault(o.value, {"types": []})
                data = shared.setdefault(p, {"predicate": p, "label": curie(p)})
                edges.append((s.value, o.value, p, data))
        elif isinstance(o, ox.Literal):
            key, value = curie(p), reference_value(o)
            if key in node:
                old = node[key]
                node[key] = [*old, value] if isinstance(old, list) else [old, value]
            else:
                node[key] = value
            if p in LABEL_PREDICATES:
                labels.setdefault(s.value, {}).setdefault(p, o.value)
    for iri, node in nodes.items():
        found = labels.get(iri, {})
        node["label"] = next((found[p] for p in LABEL_PREDICATES if p in found), iri)
    return nodes, edges


def reference_escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "\ufffd", text.replace('"', "&quot;"))


def reference_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "long" if isinstance(value, int) else "double" if isinstance(value, float) else "string"


def reference_graphml(nodes: dict[str, dict[str, Any]], edges: list[Any]) -> bytes:
    keys: dict[tuple[str, str], str] = {}
    for domain, rows in (("node", list(nodes.values())), ("edge", [e[-1] for e in edges])):
        for data in rows:
            for name, value in data.items():
                if keys.setdefault((domain, name), reference_kind(value)) != reference_kind(value):
                    keys[(domain, name)] = "string"
    ids = {key: f"d{i}" for i, key in enumerate(sorted(keys))}

    def text(data: dict[str, Any], domain: str) -> str:
        out = []
        for name, value in data.items():
            if isinstance(value, list):
                value = json.dumps(value, ensure_ascii=False)
            elif keys[(domain, name)] == "boolean":
                value = "true" if value else "false"
            out.append(f'<data key="{ids[(domain, name)]}">{reference_escape(str(value))}</data>')
        return "".join(out)

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        *(
            f'  <key id="{key_id}" for="{domain}" attr.name="{reference_escape(name)}" '
            f'attr.type="{keys[(domain, name)]}"/>'
            for (domain, name), key_id in ids.items()
        ),
        '  <graph edgedefault="directed">',
        *(
            f'    <node id="{reference_escape(n)}">{text(d, "node")}</node>'
            for n, d in nodes.items()
        ),
        *(
            f'    <edge source="{reference_escape(s)}" target="{reference_escape(t)}">'
            f"{text(d, 'edge')}</edge>"
            for s, t, _, d in edges
        ),
        "  </graph>",
        "</graphml>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def assert_matches_reference(triples: list[ox.Triple], directory: Path) -> None:
    view = property_graph(triples)
    nodes, edges = reference_view(triples)
    # repr, not ==: True == 1 == 1.0, but they are written differently
    assert repr(list(view.nodes.items())) == repr(list(nodes.items()))
    assert repr(view.edges) == repr(edges)
    expected = reference_graphml(nodes, edges)
    for name, graph in (
        ("view", view),
        ("untyped", PropertyGraph(view.nodes, view.edges)),  # the writer types the values
    ):
        write_graphml(graph, directory / f"{name}.graphml")
        assert (directory / f"{name}.graphml").read_bytes() == expected, name
    nxg = networkx_of_sorted(triples)  # its own edge order: by source, then target
    write_graphml(nxg, directory / "networkx.graphml")
    assert (directory / "networkx.graphml").read_bytes() == reference_graphml(
        dict(nxg.nodes(data=True)), list(nxg.edges(keys=True, data=True))
    )


HOSTILE_TEXTS = [
    "plain",
    'a "quote", & <tag>',
    "controls \x00 \x01 \x08 \x0b \x0c \x1f kept out",
    "line\nbreak\ttab\rreturn",
    "noncharacters \ufffe \uffff",
    "\ufffd replacement, ünïcödé, 中文, 𝄞",
    "",
]
HOSTILE_IRIS = [
    "https://example.org/a",
    "https://example.org/q?x=1&y=2",  # & is the one escaped character IRIs can hold
    "https://example.org/é",
    "urn:example:b",
    "schema:name",  # an IRI whose prefixed name is another's
]
PREDICATES = [
    *LABEL_PREDICATES,
    RDF_TYPE,
    SDO + "name",
    SDO + "keywords",
    SDO + "position",
    "https://example.org/p&q",
    "schema:name",
]
LEXICAL = ["1", "0", "-7", " 4 ", "1_000", "1.5", "1e3", "NaN", "INF", "true", "false", "yes"]


@st.composite
def objects(draw: st.DrawFn) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    choice = draw(st.integers(0, 5))
    if choice == 0:
        return ox.NamedNode(draw(st.sampled_from([*HOSTILE_IRIS, SDO + "Person", SDO + "Thing"])))
    if choice == 1:
        return ox.BlankNode(draw(st.sampled_from(["b1", "b2"])))
    if choice == 2:
        return ox.Literal(draw(st.sampled_from(HOSTILE_TEXTS)), language="en")
    if choice == 3:
        datatype = draw(st.sampled_from(["integer", "double", "decimal", "boolean", "gYear"]))
        return ox.Literal(draw(st.sampled_from(LEXICAL)), datatype=ox.NamedNode(XSD + datatype))
    return ox.Literal(draw(st.sampled_from(HOSTILE_TEXTS) | st.text(max_size=20)))


@st.composite
def graphs(draw: st.DrawFn) -> list[ox.Triple]:
    triples = set()
    for _ in range(draw(st.integers(0, 40))):
        subject = draw(st.sampled_from([ox.NamedNode(iri) for iri in HOSTILE_IRIS]))
        if draw(st.integers(0, 9)) == 0:
            subject = ox.BlankNode("s")
        predicate = ox.NamedNode(draw(st.sampled_from(PREDICATES)))
        triples.add(ox.Triple(subject, predicate, draw(objects())))
    return sorted(nt_triples_of(triples))


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_property_graph_and_graphml_equal_the_reference_implementations(triples):
    with tempfile.TemporaryDirectory() as directory:
        assert_matches_reference(triples, Path(directory))


def test_graphml_escapes_only_the_lines_that_need_it(seed, tmp_path):
    """Lines are written in batches, checked as a whole and remade escaped only
    when something in them needs it: a hostile value among hundreds of nodes,
    and in the last batch, must still be escaped, and nothing else touched."""
    ex = "https://example.org/n"
    triples = [_t(f"{ex}{i:04}", SDO + "name", ox.Literal(f"node {i}")) for i in range(500)]
    triples += [
        _t(f"{ex}0100", SDO + "description", ox.Literal("only \uffff here")),
        _t(f"{ex}0150", SDO + "description", ox.Literal("only \ufffe here")),
        _t(f"{ex}0200", SDO + "description", ox.Literal("only \x0b here")),
        _t(f"{ex}0250", SDO + "description", ox.Literal("only > here")),
        _t(f"{ex}0300", SDO + "description", ox.Literal('a <b> & "c" \x01 \ufffe')),
        _t(f"{ex}0499", SDO + "url", f"{ex}?a=1&b=2"),
        _t(f"{ex}0001", SDO + "about", f"{ex}0300"),
    ]
    assert_matches_reference(sorted(nt_triples_of(triples)), tmp_path)
    _, seed_triples = seed
    assert_matches_reference(seed_triples, tmp_path)
    assert_matches_reference(synthetic(), tmp_path)


def test_node_kinds_are_the_types_of_the_values(seed):
    _, triples = seed
    for view in (property_graph(triples), property_graph(synthetic())):
        kinds: dict[str, set[str]] = {}
        for data in view.nodes.values():
            for name, value in data.items():
                kinds.setdefault(name, set()).add(reference_kind(value))
        assert view.node_kinds == {
            name: found.pop() if len(found) == 1 else "string" for name, found in kinds.items()
        }
    assert property_graph(synthetic()).node_kinds["schema:position"] == "long"
    assert property_graph([]).node_kinds == {}
