"""RDF to NetworkX, for graph analysis in Python (and GraphML for other tools).

Resources (IRIs) are nodes; literal values are node attributes keyed by the
predicate's prefixed name, never nodes; each triple whose object is a
resource is one edge keyed by its predicate IRI (also stored as the
``predicate`` attribute).  ``rdf:type`` becomes the node's ``types``
attribute rather than an edge to a class node, so classes do not become hubs
that distort degree and centrality.  networkx is imported only inside these
functions (it is slow to import and not every build needs it).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.export.atomic import atomic_write
from kg.terms import sort_key, triples_of
from kg.vocab import PREFIXES, RDF, RDFS, SDO, SKOS, XSD

#: Predicates whose value names a node, in order of preference.
_LABELS = [str(p) for p in (SKOS.prefLabel, SDO.name, SDO.headline, RDFS.label)]
_TYPE = str(RDF.type)
_NUMBERS: dict[str, type[int] | type[float]] = {
    str(XSD.integer): int,
    str(XSD.double): float,
    str(XSD.decimal): float,
}
_BOOLEAN = str(XSD.boolean)


@cache
def curie(iri: str) -> str:
    """``schema:name`` for a known namespace, the full IRI otherwise."""
    best, chosen = "", ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, chosen = namespace, prefix
    return f"{chosen}:{iri[len(best) :]}" if best else iri


def _value(literal: ox.Literal) -> str | int | float | bool:
    datatype = literal.datatype.value
    if datatype == _BOOLEAN:
        return literal.value in ("true", "1")
    convert = _NUMBERS.get(datatype)
    if convert is not None:
        try:
            return convert(literal.value)
        except ValueError:
            return literal.value
    return literal.value


def to_networkx(data: Graph | Iterable[ox.Triple]) -> Any:
    """A ``networkx.MultiDiGraph`` of the triples (see the module docstring)."""
    return networkx_of_sorted(sorted(set(triples_of(data)), key=sort_key))


@dataclass(frozen=True)
class PropertyGraph:
    """Nodes with their attributes and keyed edges: what both NetworkX and
    GraphML receive, computed once from the sorted triples."""

    nodes: dict[str, dict[str, Any]]
    edges: list[tuple[str, str, str, dict[str, str]]]


def property_graph(triples: Sequence[ox.Triple]) -> PropertyGraph:
    """The property-graph view of triples sorted by :func:`kg.terms.sort_key`."""
    attrs: dict[str, dict[str, Any]] = {}
    labels: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, str, dict[str, str]]] = []
    edge_data: dict[str, dict[str, str]] = {}
    for triple in triples:
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if not isinstance(subject, ox.NamedNode):
            continue
        node = attrs.get(subject.value)
        if node is None:
            node = attrs[subject.value] = {"types": []}
        if isinstance(obj, ox.NamedNode):
            if predicate == _TYPE:
                node["types"].append(curie(obj.value))
            else:
                if obj.value not in attrs:
                    attrs[obj.value] = {"types": []}
                data = edge_data.get(predicate)
                if data is None:
                    data = edge_data[predicate] = {
                        "predicate": predicate,
                        "label": curie(predicate),
                    }
                edges.append((subject.value, obj.value, predicate, data))
        elif isinstance(obj, ox.Literal):
            key, value = curie(predicate), _value(obj)
            if key in node:
                old = node[key]
                node[key] = [*old, value] if isinstance(old, list) else [old, value]
            else:
                node[key] = value
            if predicate in _LABELS:
                labels.setdefault(subject.value, {}).setdefault(predicate, obj.value)
    for iri, node in attrs.items():
        found = labels.get(iri, {})
        node["label"] = next((found[p] for p in _LABELS if p in found), iri)
    return PropertyGraph(attrs, edges)


def networkx_of_sorted(triples: Sequence[ox.Triple]) -> Any:
    """:func:`to_networkx` for triples already sorted by :func:`kg.terms.sort_key`."""
    import networkx as nx

    view = property_graph(triples)
    nxg = nx.MultiDiGraph()
    nxg.add_nodes_from((iri, dict(data)) for iri, data in view.nodes.items())
    nxg.add_edges_from((s, o, k, dict(d)) for s, o, k, d in view.edges)
    return nxg


def write_graphml(graph: Any, path: Path) -> None:
    """Write GraphML (http://graphml.graphdrawing.org/) that networkx, Gephi,
    yEd and Cytoscape read, from a networkx graph or a :class:`PropertyGraph`.

    GraphML attributes are scalars, so lists (types, repeated values) are
    written as JSON arrays.  The writer is our own: networkx's takes longer
    than the whole rest of a build, and this one streams.
    """
    if isinstance(graph, PropertyGraph):
        nodes: Iterable[tuple[str, dict[str, Any]]] = graph.nodes.items()
        edges: Iterable[tuple[Any, ...]] = graph.edges
    else:
        nodes, edges = graph.nodes(data=True), graph.edges(keys=True, data=True)
    keys: dict[tuple[str, str], str] = {}  # (for, name) -> attr.type
    for domain, rows in (("node", nodes), ("edge", edges)):
        for row in rows:
            for name, value in row[-1].items():
                kind = attribute_type(value)
                if keys.setdefault((domain, name), kind) != kind:
                    keys[(domain, name)] = "string"
    ids = {key: f"d{i}" for i, key in enumerate(sorted(keys))}
    with atomic_write(path) as fh:
        out = io.TextIOWrapper(fh, encoding="utf-8", newline="\n")
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
        )
        for (domain, name), key_id in ids.items():
            kind = keys[(domain, name)]
            out.write(
                f'  <key id="{key_id}" for="{domain}" attr.name="{_xml(name)}" '
                f'attr.type="{kind}"/>\n'
            )
        out.write('  <graph edgedefault="directed">\n')
        for node, data in nodes:
            out.write(f'    <node id="{_xml(node)}">{_data(data, "node", ids, keys)}</node>\n')
        edge_text: dict[str, str] = {}  # every edge of one predicate carries the same data
        for source, target, key, data in edges:
            text = edge_text.get(key)
            if text is None:
                text = edge_text[key] = _data(data, "edge", ids, keys)
            # no edge id: GraphML wants ids unique, and the predicate is in the data
            out.write(f'    <edge source="{_xml(source)}" target="{_xml(target)}">{text}</edge>\n')
        out.write("  </graph>\n</graphml>\n")
        out.flush()
        out.detach()


def attribute_type(value: Any) -> str:
    """The attribute type GraphML and GEXF share for a Python value (bool before
    int: a bool is an int in Python, but not in either format)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _data(
    data: dict[str, Any],
    domain: str,
    ids: dict[tuple[str, str], str],
    keys: dict[tuple[str, str], str],
) -> str:
    parts = []
    for name, value in data.items():
        kind = keys[(domain, name)]
        if isinstance(value, list):
            text = json.dumps(value, ensure_ascii=False)
        elif kind == "boolean":
            text = "true" if value else "false"
        else:
            text = str(value)
        parts.append(f'<data key="{ids[(domain, name)]}">{_xml(text)}</data>')
    return "".join(parts)


#: Markup escapes, and U+FFFD for characters XML 1.0 cannot carry at all.
_XML_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\ufffe": "\ufffd",
        "\uffff": "\ufffd",
        **{chr(c): "\ufffd" for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]},
    }
)


_XML_SPECIAL = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def _xml(text: str) -> str:
    """Text escaped for an XML attribute value or element content (most text
    needs nothing, and a search is cheaper than a translation)."""
    return text.translate(_XML_ESCAPES) if _XML_SPECIAL.search(text) else text
