"""Exports: RDF files, NetworkX, GraphML, GEXF and property-graph CSV, each written atomically."""

from __future__ import annotations

from pathlib import Path

from kg.export.csvgraph import write_property_csv
from kg.export.gexf import write_gexf
from kg.export.networkx import property_graph, to_networkx, write_graphml
from kg.export.rdf import to_nquads, to_turtle
from kg.terms import Triples, nt_triples_of, sort_triples

#: ``kg export`` formats, with where each is written by default (under output/).
PROPERTY_GRAPH_FORMATS = {"csv": "csv", "gexf": "graph.gexf", "graphml": "graph.graphml"}


def export_property_graph(format: str, triples: Triples, dest: Path) -> list[Path]:
    """Write the property-graph view of ``triples`` as ``format`` to ``dest``
    (a directory for ``csv``, a file otherwise); returns the files written.

    For tools that do not read RDF: Neo4j and LadybugDB/Kuzu (CSV with loader
    scripts), Gephi (GEXF), yEd, igraph and NetworkX (GraphML).
    """
    view = property_graph(sort_triples(nt_triples_of(triples)))
    if format == "csv":
        return list(write_property_csv(view, dest).values())
    if format == "gexf":
        write_gexf(view, dest)
    elif format == "graphml":
        write_graphml(view, dest)
    else:
        raise ValueError(f"unknown property-graph format {format!r}")
    return [dest]


__all__ = [
    "PROPERTY_GRAPH_FORMATS",
    "export_property_graph",
    "to_networkx",
    "to_nquads",
    "to_turtle",
    "write_gexf",
    "write_graphml",
    "write_property_csv",
]
