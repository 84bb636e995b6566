"""RDF files: Turtle written by pyoxigraph and N-Quads, in a stable order.

rdflib's Turtle writer manages ~9k triples/s; pyoxigraph's is two orders of
magnitude faster.  Triples are sorted first (as tuples of the N-Triples text
of their terms, :data:`kg.terms.NTriple`), so the same graph always gives the
same bytes and users can diff and version the files.  The ``*_sorted``
writers take triples the caller already sorted (a build sorts once for every
output).  N-Quads are the triples' own text with the graph name added.

Files are written in pieces of :data:`CHUNK` triples: a 10,000-item graph is
~140 MB of N-Quads, and whole-file bytes were held twice (as serialised, then
with graph names or blank lines added) beside the database loading on the
other thread, the peak of a build's memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.export.atomic import atomic_write
from kg.terms import NTriple, Triples, nt_iri, nt_triple, nt_triples_of
from kg.vocab import PREFIXES

#: Triples per pyoxigraph call: large enough that the calls cost nothing,
#: small enough that a piece is a few MB.
CHUNK = 50_000


def to_turtle(data: Graph | Triples, path: Path | None = None) -> str | None:
    """Turtle with the project's prefixes; returns the text when ``path`` is None."""
    return turtle_sorted(sorted(nt_triples_of(data)), path)


def turtle_sorted(triples: Sequence[NTriple], path: Path | None = None) -> str | None:
    if path is None:
        return b"".join(turtle_chunks(triples)).decode("utf-8")
    with atomic_write(path) as fh:
        for piece in turtle_chunks(triples):
            fh.write(piece)
    return None


def turtle_chunks(triples: Sequence[NTriple], chunk: int = CHUNK) -> Iterator[bytes]:
    """Readable Turtle of sorted triples, in pieces: prefixes in a fixed order,
    and a blank line between subjects.

    Each piece ends between two subjects, so serialising the pieces apart
    gives the bytes of serialising them together (after the first, each
    piece's prefix lines are dropped).  pyoxigraph escapes newlines inside
    literals, so `` .`` at the end of a line ends a subject's statements and
    nothing else does: the blank lines are added with a bytes replace, with
    no pass in Python over the lines.  pyoxigraph reads each piece from its
    N-Triples text, in one call.
    """
    if not triples:
        yield b"\n"
        return
    bounds = list(_subject_bounds(triples, chunk))
    for number, (start, end) in enumerate(bounds):
        parsed = ox.parse(_ntriples(triples[start:end]), format=ox.RdfFormat.N_TRIPLES)
        raw = ox.serialize(parsed, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        assert raw is not None  # no output given: pyoxigraph returns the bytes
        head = 0
        while raw.startswith(b"@prefix", head):
            head = raw.index(b"\n", head) + 1
        if number == 0:
            yield b"".join(line + b"\n" for line in sorted(raw[:head].splitlines())) + b"\n"
        body = raw[head:].replace(b" .\n", b" .\n\n")
        yield body[:-1] if number == len(bounds) - 1 else body


def _ntriples(triples: Iterable[NTriple]) -> bytes:
    return "".join([f"{s} {p} {o} .\n" for s, p, o in triples]).encode()


def _subject_bounds(triples: Sequence[NTriple], chunk: int) -> Iterator[tuple[int, int]]:
    """Slices of about ``chunk`` sorted triples, never splitting a subject's."""
    start, total = 0, len(triples)
    while start < total:
        end = min(start + chunk, total)
        while end < total and triples[end][0] == triples[end - 1][0]:
            end += 1
        yield start, end
        start = end


def to_nquads(quads: Iterable[ox.Quad], path: Path | None = None) -> str | None:
    """N-Quads, sorted by graph then triple; returns the text when ``path`` is None."""
    ordered = sorted(set(quads), key=lambda q: (str(q.graph_name), nt_triple(q.triple)))
    return nquads_sorted(ordered, path)


def nquads_sorted(quads: Sequence[ox.Quad], path: Path | None = None) -> str | None:
    raw = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert raw is not None
    if path is None:
        return raw.decode("utf-8")
    with atomic_write(path) as fh:
        fh.write(raw)
    return None


def nquads_of_graphs(graphs: Iterable[tuple[str, Sequence[NTriple]]], path: Path) -> str:
    """Write :func:`nquads_chunks` atomically to ``path``; returns the file's sha256."""
    sha = hashlib.sha256()
    with atomic_write(path) as fh:
        for piece in nquads_chunks(graphs):
            sha.update(piece)
            fh.write(piece)
    return sha.hexdigest()


def nquads_chunks(
    graphs: Iterable[tuple[str, Sequence[NTriple]]], chunk: int = CHUNK
) -> Iterator[bytes]:
    """N-Quads of named graphs, each given as (graph IRI, sorted triples), in pieces:
    the bytes pyoxigraph writes for the quads, without the million objects."""
    for name, triples in sorted(graphs, key=lambda g: g[0]):
        suffix = f" {nt_iri(name)} .\n"
        for start in range(0, len(triples), chunk):
            piece = triples[start : start + chunk]
            yield "".join([f"{s} {p} {o}{suffix}" for s, p, o in piece]).encode()
