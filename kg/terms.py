"""RDF terms inside the pipeline: N-Triples text, pyoxigraph terms, and rdflib.

A build holds every triple of the graph at once (~65 per story), and each is
made, hashed, validated, sorted and written.  So inside the pipeline a triple
is an :data:`NTriple`: a tuple of the N-Triples text of its three terms, each
the very ``str`` pyoxigraph prints for the term (``<iri>``, ``_:id``,
``"text"``, ``"text"@en``, ``"2024"^^<…#gYear>``).  Against pyoxigraph
``Triple`` objects, measured on a 10,000-item graph (``bench/bench_triples.py``):

* a node's text is made once and shared by all its triples (a ``Triple``
  copies its terms' strings), 66 MB against 237 MB for the graph;
* tuples hash and compare in C, with no call into pyoxigraph per term, and
  sort in the order of the triples' N-Triples text (in N-Triples no term is a
  proper prefix of another term that could follow it), so the files come out
  in the same order as before;
* the text is what the N-Triples and N-Quads files hold, so they are written
  by joining strings.

Every IRI is still checked by pyoxigraph as it is made (:func:`nt_iri`), and
literals are escaped exactly as pyoxigraph escapes them (:func:`nt_literal`,
tested against it), so the text is always valid N-Triples.

pyoxigraph terms remain the currency of the stores and of
``BuildResult.triples``, and rdflib the library of ``BuildResult.graph`` and
pyshacl: this module converts between the three, and is the only place that
knows more than one term model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.vocab import PREFIXES, XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
#: A triple as the N-Triples text of its subject, predicate and object.
NTriple = tuple[str, str, str]
#: What the public functions take: pyoxigraph triples, or the pipeline's own.
Triples = Iterable[ox.Triple | NTriple]
_XSD_STRING = str(XSD.string)


@cache
def nt(term: str) -> str:
    """The N-Triples text of a vocabulary term (``nt(SDO.name)``), cached."""
    return nt_iri(str(term))


def nt_iri(value: str) -> str:
    """``<value>``, once pyoxigraph has accepted ``value`` as an IRI.

    :raises ValueError: ``value`` is not a valid IRI.
    """
    ox.NamedNode(value)
    return f"<{value}>"


# What pyoxigraph (oxrdf's N-Triples form) escapes in a literal: the quote,
# the backslash, every C0 control character, DEL and the noncharacters
# U+FFFE and U+FFFF, the common ones by their short escapes.
_ESCAPES = {
    **{i: f"\\u{i:04X}" for i in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)},
    0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r",
    0x22: '\\"', 0x5C: "\\\\",
}  # fmt: skip
_NEEDS_ESCAPE = re.compile('[\\x00-\\x1f"\\\\\\x7f\\ufffe\\uffff\\ud800-\\udfff]').search
_SURROGATE = re.compile("[\\ud800-\\udfff]").search


def _quoted(value: str) -> str:
    if _NEEDS_ESCAPE(value) is None:  # nearly always: no pass over the characters
        return f'"{value}"'
    if _SURROGATE(value) is not None:  # no UTF-8 file can hold one
        raise ValueError("a literal holds a lone surrogate (text that is not Unicode)")
    return f'"{value.translate(_ESCAPES)}"'


_STRING_NT = f"<{_XSD_STRING}>"


@cache
def _language(tag: str) -> str:
    """The tag as pyoxigraph keeps it (lower case), once it has accepted it."""
    return ox.Literal("", language=tag).language or ""


def nt_literal(value: str, datatype: str | None = None, language: str | None = None) -> str:
    """The N-Triples text of a literal; ``datatype`` is the datatype's own
    N-Triples text (``nt(XSD.date)``), None for a plain string.

    :raises ValueError: ``language`` is not a valid language tag, or ``value``
        holds a lone surrogate.
    """
    if language:
        return f"{_quoted(value)}@{_language(language)}"
    if datatype is None or datatype == _STRING_NT:
        return _quoted(value)
    return f"{_quoted(value)}^^{datatype}"


_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SHORT = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def _unescape_one(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    return chr(int(code, 16)) if code else _SHORT[m.group(3)]


def literal_parts(text: str) -> tuple[str, str | None, str | None]:
    """A literal's (lexical form, datatype IRI or None for xsd:string, language).

    Neither a datatype IRI nor a language tag can hold a quote, so the last
    quote closes the lexical form.
    """
    end = text.rindex('"')
    lexical = text[1:end]
    if "\\" in lexical:
        lexical = _UNESCAPE.sub(_unescape_one, lexical)
    if end == len(text) - 1:
        return lexical, None, None
    if text[end + 1] == "@":
        return lexical, None, text[end + 2 :]
    datatype = text[end + 4 : -1]  # "^^<" … ">"
    return lexical, (None if datatype == _XSD_STRING else datatype), None


def iri_value(text: str) -> str:
    """The IRI of an N-Triples ``<iri>``."""
    return text[1:-1]


def to_ox_term(text: str) -> OxTerm:
    """The pyoxigraph term of an N-Triples term."""
    first = text[0]
    if first == "<":
        return ox.NamedNode(text[1:-1])
    if first == "_":
        return ox.BlankNode(text[2:])
    lexical, datatype, language = literal_parts(text)
    if language and "--" in language:  # RDF 1.2: a base direction after the tag
        tag, direction = language.split("--", 1)
        way = ox.BaseDirection.RTL if direction == "rtl" else ox.BaseDirection.LTR
        return ox.Literal(lexical, language=tag, direction=way)
    if language:
        return ox.Literal(lexical, language=language)
    if datatype:
        return ox.Literal(lexical, datatype=ox.NamedNode(datatype))
    return ox.Literal(lexical)


def to_ox_triples(triples: Iterable[NTriple]) -> list[ox.Triple]:
    """pyoxigraph triples of N-Triples triples, parsed by pyoxigraph in one call."""
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triples).encode()
    return [quad.triple for quad in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)]


def sort_triples(triples: Iterable[NTriple]) -> list[NTriple]:
    """``sorted(triples)``, in 60% of the time.

    Sorting 650,000 tuples compares their subjects again and again (a
    subject has ~6 triples); grouping the triples by subject first sorts
    ~100,000 subjects, then each subject's few triples.  Same order.
    """
    by_subject: dict[str, list[NTriple]] = {}
    get = by_subject.get
    for triple in triples:
        group = get(triple[0])
        if group is None:
            by_subject[triple[0]] = [triple]
        else:
            group.append(triple)
    out: list[NTriple] = []
    for subject in sorted(by_subject):
        group = by_subject[subject]
        group.sort()
        out += group
    return out


def nt_triple(triple: ox.Triple) -> NTriple:
    """
    :raises ValueError: the triple has a triple term (RDF 1.2), which has no
        N-Triples text of its own here.
    """
    subject, predicate, object_ = triple.subject, triple.predicate, triple.object
    if isinstance(object_, ox.Triple) or isinstance(subject, ox.Triple):
        raise ValueError(f"a triple term (RDF 1.2) is not supported: {triple}")
    return (str(subject), str(predicate), str(object_))


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


def nt_triples_of(data: Graph | Triples) -> set[NTriple]:
    """The distinct triples of an rdflib Graph, or of pyoxigraph or N-Triples
    triples, as N-Triples: what the public writers accept, made the
    pipeline's form.

    Text from outside is read by pyoxigraph first, so that it is the text the
    pipeline makes (``"a"@EN`` becomes ``"a"@en``, ``xsd:string`` goes).

    :raises ValueError: a tuple that is not three N-Triples terms (rdflib
        terms are not: pass the rdflib Graph itself), or a triple term.
    """
    if isinstance(data, Graph):
        return {nt_triple(t) for t in triples_of(data)}
    return {nt_triple(t if isinstance(t, ox.Triple) else _read_text(t)) for t in data}


def _read_text(triple: NTriple) -> ox.Triple:
    try:
        return ox.Triple(*map(to_ox_term, triple))  # type: ignore[arg-type]
    except (ValueError, TypeError, IndexError) as e:
        raise ValueError(f"not a triple of N-Triples terms: {triple!r}") from e


def new_graph() -> Graph:
    """An empty rdflib Graph with the project's prefixes bound (and no others)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def to_rdflib_graph(triples: Iterable[NTriple]) -> Graph:
    """The rdflib Graph of the pipeline's triples."""
    graph = new_graph()
    rdflib_of: dict[str, Node] = {}  # a node's text is shared by its triples
    for triple in triples:
        terms = []
        for text in triple:
            found = rdflib_of.get(text)
            if found is None:
                found = rdflib_of[text] = to_rdflib(to_ox_term(text))
            terms.append(found)
        graph.add(tuple(terms))  # type: ignore[arg-type]
    return graph


def ox_to_rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """The rdflib Graph of pyoxigraph triples (a query's CONSTRUCT result)."""
    graph = new_graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))  # type: ignore[arg-type]
    return graph
