"""RDF terms inside the pipeline: pyoxigraph terms, and the bridge to rdflib.

The pipeline builds its triples as pyoxigraph terms: they are created ~10x
faster than rdflib's, pyoxigraph checks every IRI as it is made (an invalid
IRI fails at mapping time, not in a consumer's parser), and its writers are
two orders of magnitude faster.  rdflib remains the library of the public API
(``BuildResult.graph``, ``to_graph``) and of pyshacl, so this module converts
both ways; it is the only place that knows both term models.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.vocab import PREFIXES, XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = str(XSD.string)


@cache
def iri(term: str) -> ox.NamedNode:
    """The pyoxigraph node of a vocabulary term (``iri(SDO.name)``), cached."""
    return ox.NamedNode(str(term))


def to_ox(node: Node) -> OxTerm:
    """An rdflib term as a pyoxigraph term.

    :raises ValueError: the term is not valid RDF (e.g. an IRI with a space).
    """
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def to_rdflib(term: OxTerm) -> Node:
    """A pyoxigraph term as an rdflib term, keeping the literal's lexical form."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    return BNode(term.value)


def triples_of(data: Graph | Iterable[ox.Triple]) -> list[ox.Triple]:
    """pyoxigraph triples from either an rdflib Graph or pyoxigraph triples."""
    if isinstance(data, Graph):
        return [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in data]  # type: ignore[arg-type]
    return list(data)


def new_graph() -> Graph:
    """An empty rdflib Graph with the project's prefixes bound (and no others)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def to_rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    graph = new_graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return graph


def sort_key(triple: ox.Triple) -> str:
    """A total, stable order for reproducible files: the triple's N-Triples text
    (one call into pyoxigraph, half the cost of formatting each term)."""
    return str(triple)
