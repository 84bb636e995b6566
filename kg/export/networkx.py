"""RDF to NetworkX, for graph analysis in Python (and GraphML for other tools).

Resources (IRIs) are nodes; literal values are node attributes keyed by the
predicate's prefixed name, never nodes; each triple whose object is a
resource is one edge keyed by its predicate (also stored as the ``predicate``
attribute).  ``rdf:type`` becomes the node's ``types`` attribute rather than
an edge to a class node, so class nodes do not become hubs that distort
degree and centrality.  networkx is imported only inside these functions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from kg.export.atomic import atomic_write
from kg.vocab import PREFIXES, RDF, RDFS, SDO, SKOS

_LABELS = (SKOS.prefLabel, SDO.name, SDO.headline, RDFS.label)


def curie(iri: str) -> str:
    """``schema:name`` for a known namespace, the full IRI otherwise."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, chosen = namespace, prefix
    return f"{chosen}:{iri[len(best) :]}" if best else iri


def to_networkx(graph: Graph) -> Any:
    """A ``networkx.MultiDiGraph`` of ``graph`` (see the module docstring for the mapping)."""
    import networkx as nx

    nxg = nx.MultiDiGraph()
    attrs: dict[str, dict[str, Any]] = {}

    def node(iri: str) -> dict[str, Any]:
        if iri not in attrs:
            attrs[iri] = {"types": []}
        return attrs[iri]

    edges = []
    for s, p, o in sorted(graph, key=lambda t: (str(t[0]), str(t[1]), t[2].n3())):
        if not isinstance(s, URIRef):
            continue
        data = node(str(s))
        if p == RDF.type and isinstance(o, URIRef):
            data["types"].append(curie(str(o)))
        elif isinstance(o, URIRef):
            node(str(o))
            edges.append((str(s), str(o), str(p)))
        elif isinstance(o, Literal):
            key = curie(str(p))
            value = o.toPython() if o.datatype is not None else str(o)
            if type(value) not in (str, int, float, bool):  # dates, gYear, Literal itself
                value = str(o)
            if key in data:
                existing = data[key]
                data[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                data[key] = value
    for iri, data in attrs.items():
        data["label"] = _label(graph, URIRef(iri)) or iri
        nxg.add_node(iri, **data)
    for source, target, predicate in edges:
        nxg.add_edge(source, target, key=predicate, predicate=predicate, label=curie(predicate))
    return nxg


def _label(graph: Graph, node: URIRef) -> str | None:
    for predicate in _LABELS:
        values = sorted(str(v) for v in graph.objects(node, predicate))
        if values:
            return values[0]
    return None


def write_graphml(nxg: Any, path: Path) -> None:
    """GraphML keeps scalars only: lists (types, repeated values) become JSON arrays."""
    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, data in nxg.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items()})
    for s, o, key, data in nxg.edges(keys=True, data=True):
        flat.add_edge(s, o, key=key, **{k: _scalar(v) for k, v in data.items()})
    with atomic_write(path) as fh:
        nx.write_graphml(flat, fh, encoding="utf-8", prettyprint=True, named_key_ids=True)


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value  # type: ignore[no-any-return]
