"""feedkg: news and publication feeds to a validated RDF knowledge graph.

The supported Python API is exactly what ``__all__`` lists; everything else
may change without notice.

>>> import kg
>>> result = kg.convert(["tests/data/scienmag-neuroimaging-in-psychiatry.rss"])  # doctest: +SKIP
"""

from __future__ import annotations

from kg.errors import FeedError, KGError, RDFInputError, ShapesError
from kg.export import to_networkx, to_nquads, to_turtle, write_graphml
from kg.extract import extract_feed
from kg.feeds import read_feed
from kg.mapping import map_feeds, to_graph
from kg.pipeline import BuildResult, IngestResult, build, convert, ingest
from kg.query import NamedQuery, QueryError, QueryResult, named_queries, named_query, run_query
from kg.rdfio import read_rdf
from kg.store import StoreError, open_readonly
from kg.types import (
    Byline,
    FeedRecord,
    ItemRecord,
    PaperRecord,
    PersonName,
    RawEntry,
    RawFeed,
    ValidationReport,
    Violation,
)
from kg.validate import load_shapes, validate

__version__ = "0.1.0"

__all__ = [
    "BuildResult",
    "Byline",
    "FeedError",
    "FeedRecord",
    "IngestResult",
    "ItemRecord",
    "KGError",
    "NamedQuery",
    "PaperRecord",
    "PersonName",
    "QueryError",
    "QueryResult",
    "RDFInputError",
    "RawEntry",
    "RawFeed",
    "ShapesError",
    "StoreError",
    "ValidationReport",
    "Violation",
    "build",
    "convert",
    "extract_feed",
    "ingest",
    "load_shapes",
    "map_feeds",
    "named_queries",
    "named_query",
    "open_readonly",
    "read_feed",
    "read_rdf",
    "run_query",
    "to_graph",
    "to_networkx",
    "to_nquads",
    "to_turtle",
    "validate",
    "write_graphml",
]
