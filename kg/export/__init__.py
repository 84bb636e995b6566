"""Exports: RDF files, NetworkX and GraphML, each written atomically."""

from __future__ import annotations

from kg.export.networkx import to_networkx, write_graphml
from kg.export.rdf import to_nquads, to_turtle

__all__ = ["to_networkx", "to_nquads", "to_turtle", "write_graphml"]
