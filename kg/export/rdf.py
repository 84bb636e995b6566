"""RDF files: Turtle and N-Quads written by pyoxigraph, in a stable order.

rdflib's Turtle writer manages ~9k triples/s; pyoxigraph's is two orders of
magnitude faster, so rdflib terms are converted once and pyoxigraph writes.
Triples are sorted first, so the same graph always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.export.atomic import write_bytes
from kg.vocab import PREFIXES, XSD

Quad = tuple[Node, Node, Node, Node]

_XSD_STRING = str(XSD.string)


def _term(node: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
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
    raise TypeError(f"cannot serialise RDF term {node!r}")


def _sort_key(triple: tuple[Node, ...]) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


def to_turtle(
    graph: Graph | Iterable[tuple[Node, Node, Node]], path: Path | None = None
) -> str | None:
    """Turtle with the project's prefixes; returns the text when ``path`` is None."""
    triples = sorted(graph, key=_sort_key)
    data = ox.serialize(
        (ox.Triple(_term(s), _term(p), _term(o)) for s, p, o in triples),  # type: ignore[arg-type]
        format=ox.RdfFormat.TURTLE,
        prefixes=PREFIXES,
    )
    assert data is not None  # no output given: pyoxigraph returns the bytes
    text = _readable(data.decode("utf-8"))
    if path is None:
        return text
    write_bytes(path, text.encode("utf-8"))
    return None


def _readable(turtle: str) -> str:
    """Prefixes in a fixed order, and a blank line between subjects.

    pyoxigraph escapes newlines inside literals, so every line that does not
    start with whitespace or ``@prefix`` begins a new subject.
    """
    lines = turtle.splitlines()
    prefixes = sorted(line for line in lines if line.startswith("@prefix"))
    out = [*prefixes]
    for line in lines:
        if line.startswith("@prefix"):
            continue
        if line and not line[0].isspace():
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"


def to_nquads(quads: Iterable[Quad], path: Path | None = None) -> str | None:
    """N-Quads (subject, predicate, object, graph), sorted; text when ``path`` is None."""
    ordered = sorted(set(quads), key=lambda q: (q[3].n3(), *_sort_key(q[:3])))
    data = ox.serialize(
        (
            ox.Quad(_term(s), _term(p), _term(o), _term(g))  # type: ignore[arg-type]
            for s, p, o, g in ordered
        ),
        format=ox.RdfFormat.N_QUADS,
    )
    assert data is not None
    if path is None:
        return data.decode("utf-8")
    write_bytes(path, data)
    return None
