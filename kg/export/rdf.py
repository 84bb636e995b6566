"""RDF files: Turtle and N-Quads written by pyoxigraph, in a stable order.

rdflib's Turtle writer manages ~9k triples/s; pyoxigraph's is two orders of
magnitude faster.  Triples are sorted first (by the N-Triples text of their
terms), so the same graph always gives the same bytes and users can diff and
version the files.  The ``*_sorted`` writers take triples the caller already
sorted with :func:`kg.terms.sort_key` (a build sorts once for every output).

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
from kg.terms import sort_key, triples_of
from kg.vocab import PREFIXES

#: Triples per pyoxigraph call: large enough that the calls cost nothing,
#: small enough that a piece is a few MB.
CHUNK = 50_000


def to_turtle(data: Graph | Iterable[ox.Triple], path: Path | None = None) -> str | None:
    """Turtle with the project's prefixes; returns the text when ``path`` is None."""
    return turtle_sorted(sorted(set(triples_of(data)), key=sort_key), path)


def turtle_sorted(triples: Sequence[ox.Triple], path: Path | None = None) -> str | None:
    if path is None:
        return b"".join(turtle_chunks(triples)).decode("utf-8")
    with atomic_write(path) as fh:
        for piece in turtle_chunks(triples):
            fh.write(piece)
    return None


def turtle_chunks(triples: Sequence[ox.Triple], chunk: int = CHUNK) -> Iterator[bytes]:
    """Readable Turtle of sorted triples, in pieces: prefixes in a fixed order,
    and a blank line between subjects.

    Each piece ends between two subjects, so serialising the pieces apart
    gives the bytes of serialising them together (after the first, each
    piece's prefix lines are dropped).  pyoxigraph escapes newlines inside
    literals, so `` .`` at the end of a line ends a subject's statements and
    nothing else does: the blank lines are added with a bytes replace, with
    no pass in Python over the lines.
    """
    if not triples:
        yield b"\n"
        return
    bounds = list(_subject_bounds(triples, chunk))
    for number, (start, end) in enumerate(bounds):
        raw = ox.serialize(triples[start:end], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        assert raw is not None  # no output given: pyoxigraph returns the bytes
        head = 0
        while raw.startswith(b"@prefix", head):
            head = raw.index(b"\n", head) + 1
        if number == 0:
            yield b"".join(line + b"\n" for line in sorted(raw[:head].splitlines())) + b"\n"
        body = raw[head:].replace(b" .\n", b" .\n\n")
        yield body[:-1] if number == len(bounds) - 1 else body


def _subject_bounds(triples: Sequence[ox.Triple], chunk: int) -> Iterator[tuple[int, int]]:
    """Slices of about ``chunk`` sorted triples, never splitting a subject's."""
    start, total = 0, len(triples)
    while start < total:
        end = min(start + chunk, total)
        while end < total and triples[end].subject == triples[end - 1].subject:
            end += 1
        yield start, end
        start = end


def to_nquads(quads: Iterable[ox.Quad], path: Path | None = None) -> str | None:
    """N-Quads, sorted by graph then triple; returns the text when ``path`` is None."""
    ordered = sorted(set(quads), key=lambda q: (str(q.graph_name), sort_key(q.triple)))
    return nquads_sorted(ordered, path)


def nquads_sorted(quads: Sequence[ox.Quad], path: Path | None = None) -> str | None:
    raw = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert raw is not None
    if path is None:
        return raw.decode("utf-8")
    with atomic_write(path) as fh:
        fh.write(raw)
    return None


def nquads_of_graphs(graphs: Iterable[tuple[str, Sequence[ox.Triple]]], path: Path) -> str:
    """Write :func:`nquads_chunks` atomically to ``path``; returns the file's sha256."""
    sha = hashlib.sha256()
    with atomic_write(path) as fh:
        for piece in nquads_chunks(graphs):
            sha.update(piece)
            fh.write(piece)
    return sha.hexdigest()


def nquads_chunks(
    graphs: Iterable[tuple[str, Sequence[ox.Triple]]], chunk: int = CHUNK
) -> Iterator[bytes]:
    """N-Quads of named graphs, each given as (graph IRI, sorted triples), in pieces.

    Each graph is serialised as N-Triples and its name appended to every line:
    the same bytes as building a Quad per triple, without the million objects.
    """
    for name, triples in sorted(graphs, key=lambda g: g[0]):
        # Newlines in literals are escaped, so " .\n" ends a line and nothing else.
        suffix = f" {ox.NamedNode(name)} .\n".encode()
        for start in range(0, len(triples), chunk):
            raw = ox.serialize(triples[start : start + chunk], format=ox.RdfFormat.N_TRIPLES)
            assert raw is not None
            yield raw.replace(b" .\n", suffix)
