"""RDF files: Turtle and N-Quads, byte for byte as pyoxigraph writes them, in a stable order.

rdflib's Turtle writer manages ~9k triples/s.  Triples are sorted first (as
tuples of the N-Triples text of their terms, :data:`kg.terms.NTriple`), so
the same graph always gives the same bytes and users can diff and version
the files.  The ``*_sorted`` writers take triples the caller already sorted
(a build sorts once for every output).  N-Quads are the triples' own text
with the graph name added; Turtle statements are made from the same text,
pyoxigraph giving the Turtle form of the terms that are not their own text.

Files are written in pieces of :data:`CHUNK` triples (a 10,000-item graph is
~140 MB of N-Quads), so that no whole file is held in memory beside the
database loading on the other thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.export.atomic import atomic_write
from kg.terms import NTriple, Triples, nt_iri, nt_triple, nt_triples_of, sort_triples, to_ox_term
from kg.vocab import PREFIXES, RDF, XSD

#: Triples per piece written: large enough that the pieces cost nothing,
#: small enough that a piece is a few MB.
CHUNK = 50_000


def to_turtle(data: Graph | Triples, path: Path | None = None) -> str | None:
    """Turtle with the project's prefixes; returns the text when ``path`` is None."""
    return turtle_sorted(sort_triples(nt_triples_of(data)), path)


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

    The bytes are pyoxigraph's Turtle, with the prefix lines sorted and a
    blank line after each subject's statements (tests/test_terms.py compares
    them with pyoxigraph's own output).  Each piece ends between two subjects,
    so the pieces together are the whole file (tests/test_build.py).
    """
    if not triples:
        yield b"\n"
        return
    yield "".join(sorted(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())).encode() + b"\n"
    forms = TurtleForms()
    bounds = list(_subject_bounds(triples, chunk))
    for number, (start, end) in enumerate(bounds):
        body = _turtle_body(triples[start:end], forms)
        yield body[:-1] if number == len(bounds) - 1 else body


def _turtle_body(triples: Sequence[NTriple], forms: TurtleForms) -> bytes:
    """pyoxigraph's Turtle statements for sorted triples, made in Python.

    Made by pyoxigraph, the Turtle of 650,000 triples took 1.4 s: it reads
    the N-Triples text back, making a Python object per triple.  Here each
    term's Turtle text is a lookup, and statements are grouped as pyoxigraph
    groups them: ``;`` between a subject's predicates, ``,`` between a
    predicate's objects.
    """
    form, verb, prefixed = forms.__getitem__, forms.verb, forms.PREFIXED
    verbs: dict[str, str] = {}
    out: list[str] = []
    add = out.append
    subject = predicate = ""
    for s, p, o in triples:
        # Strings and IRIs in no namespace, most objects, are their own text:
        # not looked up (each is nearly always new).
        if not (o[-1] == '"' or (o[0] == "<" and not o.startswith(prefixed))):
            o = form(o)
        if s != subject:
            if subject:
                add(" .\n\n")
            head = s if s[0] == "<" and not s.startswith(prefixed) else form(s)
            add(f"{head} {verbs.get(p) or verbs.setdefault(p, verb(p))} {o}")
            subject, predicate = s, p
        elif p != predicate:
            add(f" ;\n\t{verbs.get(p) or verbs.setdefault(p, verb(p))} {o}")
            predicate = p
        else:
            add(f" , {o}")
    add(" .\n\n")
    return "".join(out).encode()


class TurtleForms(dict[str, str]):
    """The Turtle text of N-Triples terms, as pyoxigraph writes them, each found once.

    Most terms are their N-Triples text: an IRI in no prefix's namespace, a
    blank node (never written as ``[]``), a string, a language string.
    pyoxigraph itself is asked (once per term) for the rest: a prefixed
    name's escapes, and the bare numbers and booleans of Turtle's shorthand.
    Other typed literals only have their datatype shortened, once pyoxigraph
    has shown, for the datatype, that it does that (it writes
    ``rdf:langString`` without a tag in full).
    """

    _SHORTHAND = frozenset(str(XSD[n]) for n in ("integer", "decimal", "double", "boolean"))
    #: How the IRIs that may be prefixed names begin.
    PREFIXED = tuple(f"<{namespace}" for namespace in PREFIXES.values())
    _TYPE = f"<{RDF.type}>"

    def __init__(self) -> None:
        super().__init__()
        #: datatype text -> whether a literal of it is its text with the datatype shortened
        self._plain: dict[str, bool] = {}

    def verb(self, predicate: str) -> str:
        return "a" if predicate == self._TYPE else self[predicate]

    def __missing__(self, text: str) -> str:
        self[text] = form = self._form(text)
        return form

    def _form(self, text: str) -> str:
        first = text[0]
        if first == "<":
            return self._ask(text) if text.startswith(self.PREFIXED) else text
        if first != '"' or text[-1] == '"':
            return text  # a blank node, a string
        end = text.rindex('"')
        if text[end + 1] == "@":
            return text
        datatype = text[end + 3 :]
        if datatype[1:-1] in self._SHORTHAND or not self._shortened(datatype):
            return self._ask(text)
        return f"{text[: end + 3]}{self[datatype]}"

    def _shortened(self, datatype: str) -> bool:
        found = self._plain.get(datatype)
        if found is None:
            sample = f'"x"^^{datatype}'
            found = self._plain[datatype] = self._ask(sample) == f'"x"^^{self[datatype]}'
        return found

    @staticmethod
    def _ask(text: str) -> str:
        triple = ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), to_ox_term(text))
        raw = ox.serialize([triple], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        assert raw is not None
        statement = raw.decode().rsplit("\n", 2)[-2]  # the last line: "<s> <p> form ."
        return statement[len("<urn:x:s> <urn:x:p> ") : -len(" .")]


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


def write_nquads(
    graphs: Iterable[tuple[str, Sequence[NTriple]]],
    path: Path,
    *,
    also: Callable[[bytes], object] | None = None,
) -> None:
    """Write :func:`nquads_chunks` atomically to ``path``, each piece also given to ``also``."""
    with atomic_write(path) as fh:
        for piece in nquads_chunks(graphs):
            if also is not None:
                also(piece)
            fh.write(piece)


def nquads_of_graphs(graphs: Iterable[tuple[str, Sequence[NTriple]]], path: Path) -> str:
    """:func:`write_nquads`, returning the file's sha256 (what a store records;
    0.15 s for 10,000 items, so not done for the output files)."""
    sha = hashlib.sha256()
    write_nquads(graphs, path, also=sha.update)
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
