"""RDF files: Turtle and N-Quads written by pyoxigraph, in a stable order.

rdflib's Turtle writer manages ~9k triples/s; pyoxigraph's is two orders of
magnitude faster.  Triples are sorted first (by the N-Triples text of their
terms), so the same graph always gives the same bytes and users can diff and
version the files.  The ``*_sorted`` writers take triples the caller already
sorted with :func:`kg.terms.sort_key` (a build sorts once for every output).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.export.atomic import write_bytes
from kg.terms import sort_key, triples_of
from kg.vocab import PREFIXES


def to_turtle(data: Graph | Iterable[ox.Triple], path: Path | None = None) -> str | None:
    """Turtle with the project's prefixes; returns the text when ``path`` is None."""
    return turtle_sorted(sorted(set(triples_of(data)), key=sort_key), path)


def turtle_sorted(triples: Sequence[ox.Triple], path: Path | None = None) -> str | None:
    raw = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    assert raw is not None  # no output given: pyoxigraph returns the bytes
    readable = _readable(raw)
    if path is None:
        return readable.decode("utf-8")
    write_bytes(path, readable)
    return None


def _readable(turtle: bytes) -> bytes:
    """Prefixes in a fixed order, and a blank line between subjects.

    pyoxigraph escapes newlines inside literals, so `` .`` at the end of a
    line ends a subject's statements and nothing else does.  Done on bytes,
    with no pass in Python over the lines: it is a stage's worth of time on
    a large graph otherwise.
    """
    end = 0
    while turtle.startswith(b"@prefix", end):
        end = turtle.index(b"\n", end) + 1
    out = b"".join(line + b"\n" for line in sorted(turtle[:end].splitlines()))
    body = turtle[end:]
    if body:
        out += b"\n" + body.replace(b" .\n", b" .\n\n")[:-1]
    return out or b"\n"


def to_nquads(quads: Iterable[ox.Quad], path: Path | None = None) -> str | None:
    """N-Quads, sorted by graph then triple; returns the text when ``path`` is None."""
    ordered = sorted(set(quads), key=lambda q: (str(q.graph_name), sort_key(q.triple)))
    return nquads_sorted(ordered, path)


def nquads_sorted(quads: Sequence[ox.Quad], path: Path | None = None) -> str | None:
    raw = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert raw is not None
    if path is None:
        return raw.decode("utf-8")
    write_bytes(path, raw)
    return None


def nquads_of_graphs(graphs: Iterable[tuple[str, Sequence[ox.Triple]]], path: Path) -> None:
    """Write :func:`nquads_bytes` atomically to ``path``."""
    write_bytes(path, nquads_bytes(graphs))


def nquads_bytes(graphs: Iterable[tuple[str, Sequence[ox.Triple]]]) -> bytes:
    """N-Quads of named graphs, each given as (graph IRI, sorted triples).

    Each graph is serialised as N-Triples and its name appended to every line:
    the same bytes as building a Quad per triple, without the million objects.
    """
    chunks: list[bytes] = []
    for name, triples in sorted(graphs, key=lambda g: g[0]):
        raw = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        assert raw is not None
        # Newlines in literals are escaped, so " .\n" ends a line and nothing else.
        chunks.append(raw.replace(b" .\n", f" {ox.NamedNode(name)} .\n".encode()))
    return b"".join(chunks)
