"""The promised API surface, and third-party libraries confined to their adapters."""

from __future__ import annotations

import re
from pathlib import Path

import kg

PACKAGE = Path(kg.__file__).parent

DOCUMENTED = {
    "BuildResult", "Byline", "FeedError", "FeedRecord", "IngestResult", "ItemRecord", "KGError",
    "NamedQuery", "PaperRecord", "PersonName", "QueryError", "QueryResult", "RDFInputError",
    "RawEntry", "RawFeed", "ShapesError", "StoreError", "ValidationReport", "Violation", "build",
    "convert", "extract_feed", "ingest", "load_shapes", "map_feeds", "named_queries",
    "named_query", "open_readonly", "read_feed", "read_rdf",
    "run_query", "to_graph", "to_networkx", "to_nquads", "to_turtle", "validate", "write_graphml",
}  # fmt: skip


def test_public_api_is_exactly_the_documented_list():
    assert set(kg.__all__) == DOCUMENTED
    assert all(hasattr(kg, name) for name in kg.__all__)


def _importers(module: str) -> set[str]:
    pattern = re.compile(rf"^\s*(?:import {module}\b|from {module}\b)", re.MULTILINE)
    return {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }


def test_each_library_lives_behind_one_adapter():
    assert _importers("feedparser") == {"feeds/feedparser.py"}
    assert _importers("pyshacl") == {"validate.py"}
    assert _importers("networkx") == {"export/networkx.py"}
    assert _importers("lxml") <= {"feeds/xml.py"}


def test_rdf_libraries_stay_out_of_reading_and_extraction():
    """rdflib and pyoxigraph are the term models of RDF land (mapping onwards);
    reading and extraction produce plain records."""
    for module in ("rdflib", "pyoxigraph"):
        assert not {m for m in _importers(module) if m.startswith(("feeds/", "extract/"))}


def test_networkx_is_imported_lazily():
    text = (PACKAGE / "export" / "networkx.py").read_text(encoding="utf-8")
    assert not re.search(r"^import networkx", text, re.MULTILINE)


def test_extraction_is_pure():  # no I/O, no RDF
    for path in (PACKAGE / "extract").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "rdflib" not in text, path
        assert "open(" not in text and "urllib.request" not in text, path


def test_every_kg_term_is_declared_in_vocab_ttl():
    from rdflib import Graph

    from kg.vocab import KG, RDF

    declared = Graph().parse(PACKAGE / "data" / "vocab.ttl")
    terms = {name for name in KG.__annotations__ if not name.startswith("_")}
    assert terms
    for name in terms:
        assert (KG[name], RDF.type, RDF.Property) in declared, name
