"""The pipeline's triples are N-Triples text (kg.terms): the text must be exactly what
pyoxigraph prints for the term, read back to the same term, and sort as the lines do."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef

from kg import to_turtle
from kg.export.rdf import turtle_chunks
from kg.terms import (
    iri_value,
    literal_parts,
    nt,
    nt_iri,
    nt_literal,
    nt_triple,
    nt_triples_of,
    sort_triples,
    to_ox_term,
    to_ox_triples,
    to_rdflib_graph,
)
from kg.vocab import PREFIXES, RDF, SDO, XSD

#: Any text but lone surrogates (which no RDF syntax can carry).
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
DATATYPES = [None, str(XSD.string), str(XSD.integer), str(XSD.date), "https://example.org/dt"]
LANGUAGES = ["en", "EN-gb", "de-CH-1996", "x-private"]


@settings(max_examples=500)
@given(any_text, st.sampled_from(DATATYPES))
def test_a_literal_is_the_text_pyoxigraph_prints(value, datatype):
    made = ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)
    text = nt_literal(value, f"<{datatype}>" if datatype else None)
    assert text == str(made)
    assert to_ox_term(text) == made
    lexical, dt, language = literal_parts(text)
    assert lexical == value and language is None
    assert dt == (None if datatype in (None, str(XSD.string)) else datatype)


@given(any_text, st.sampled_from(LANGUAGES))
def test_a_language_literal_is_the_text_pyoxigraph_prints(value, language):
    made = ox.Literal(value, language=language)
    text = nt_literal(value, None, language)
    assert text == str(made) and to_ox_term(text) == made
    assert literal_parts(text) == (value, None, language.lower())


def test_every_escape_pyoxigraph_makes_is_made_and_read_back():
    """Every code point but the surrogates, in one literal (hypothesis found
    U+FFFE, which pyoxigraph escapes; the text it draws rarely holds it)."""
    value = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    value += '\\" \\u0041 \\n'  # backslashes that are not escapes
    text = nt_literal(value)
    assert text == str(ox.Literal(value))
    assert "\\u0000" in text and "\\b" in text and "\\u007F" in text and "\\uFFFF" in text
    assert literal_parts(text)[0] == value


def test_an_invalid_iri_or_language_tag_is_refused_as_pyoxigraph_refuses_it():
    assert nt_iri("https://example.org/a%20b") == "<https://example.org/a%20b>"
    assert iri_value(nt_iri("https://example.org/x")) == "https://example.org/x"
    for bad in ("https://example.org/a b", "no scheme", "https://example.org/<x>"):
        with pytest.raises(ValueError):
            ox.NamedNode(bad)
        with pytest.raises(ValueError):
            nt_iri(bad)
    with pytest.raises(ValueError):
        nt_literal("x", None, "en_US")


iris = st.sampled_from(["https://e.org/a", "https://e.org/ab", "https://e.org/a/b", "urn:x:1"])
subjects = st.one_of(iris.map(ox.NamedNode), st.sampled_from(["b1", "b12", "b2"]).map(ox.BlankNode))
objects = st.one_of(
    subjects,
    any_text.map(ox.Literal),
    st.tuples(any_text, st.sampled_from(LANGUAGES)).map(lambda v: ox.Literal(v[0], language=v[1])),
    st.tuples(any_text, st.sampled_from(DATATYPES[1:])).map(
        lambda v: ox.Literal(v[0], datatype=ox.NamedNode(v[1]))
    ),
)
triples = st.builds(ox.Triple, subjects, iris.map(ox.NamedNode), objects)


@settings(max_examples=300)
@given(st.lists(triples, max_size=30))
def test_tuples_sort_as_the_n_triples_lines_and_convert_both_ways(graph):
    """The order every output is written in: sorting the tuples must give the
    order of the triples' N-Triples text, which is what the files were sorted
    by before the pipeline held tuples."""
    text = nt_triples_of(graph)
    assert sorted(text) == sorted(text, key=" ".join) == sort_triples(text)
    assert [" ".join(t) for t in sorted(text)] == sorted(str(t) for t in set(graph))
    assert set(to_ox_triples(text)) == set(graph)
    assert {nt_triple(t) for t in to_ox_triples(text)} == text


def test_the_rdflib_view_keeps_lexical_forms_languages_and_blank_nodes():
    a = nt_iri("https://example.org/a")
    graph = to_rdflib_graph(
        [
            (a, nt(SDO.name), nt_literal("Name", None, "en")),
            (a, nt(SDO.position), nt_literal("007", nt(XSD.integer))),
            (a, nt(SDO.about), "_:b1"),
            (a, nt(SDO.description), nt_literal("plain", nt(XSD.string))),
        ]
    )
    subject = URIRef("https://example.org/a")
    assert graph.value(subject, URIRef(str(SDO.name))) == Literal("Name", lang="en")
    position = graph.value(subject, URIRef(str(SDO.position)))
    assert str(position) == "007" and position.datatype == XSD.integer  # not normalised
    assert isinstance(graph.value(subject, URIRef(str(SDO.about))), BNode)
    assert graph.value(subject, URIRef(str(SDO.description))) == Literal("plain")


def reference_turtle(graph: set[ox.Triple]) -> bytes:
    """pyoxigraph's Turtle of the sorted graph, prefix lines sorted and a blank
    line after each subject's statements: what graph.ttl was before feedkg wrote
    the statements itself."""
    ordered = sorted(graph, key=str)
    raw = ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    head = 0
    while raw.startswith(b"@prefix", head):
        head = raw.index(b"\n", head) + 1
    body = raw[head:].replace(b" .\n", b" .\n\n")[:-1]
    return b"".join(line + b"\n" for line in sorted(raw[:head].splitlines())) + b"\n" + body


#: IRIs in the prefixes' namespaces whose local names need Turtle's escapes or
#: cannot be prefixed names at all, and IRIs in no namespace.
prefixed = st.sampled_from(
    [f"{ns}{local}" for ns in (str(SDO), str(XSD), str(RDF)) for local in (
        "name", "a.b", "a.", "1a", "a%20b", "a/b", "a~b", "a:b", "", "é", "-a", "_a", "a?b"
    )] + [f"{SDO}a#b", "https://e.org/a", "https://e.org/a.", "urn:x:1"]
)  # fmt: skip
lexical = st.sampled_from(["1", "01", "+1", "-0", "1.0", ".5", "1.", "1e3", "1E-2", "true",
                           "false", "1", " 1", "x", "", "NaN", "INF"]) | any_text  # fmt: skip
typed = st.tuples(lexical, st.sampled_from([*DATATYPES[1:], str(XSD.boolean), str(XSD.decimal),
                  str(XSD.double), f"{SDO}Date", f"{RDF}x"]))  # fmt: skip
blank_nodes = st.sampled_from(["b1", "b12", "x"]).map(ox.BlankNode)
turtle_objects = st.one_of(
    prefixed.map(ox.NamedNode),
    blank_nodes,
    typed.map(lambda v: ox.Literal(v[0], datatype=ox.NamedNode(v[1]))),
    any_text.map(ox.Literal),
    st.tuples(any_text, st.sampled_from(LANGUAGES)).map(lambda v: ox.Literal(v[0], language=v[1])),
)
turtle_graphs = st.sets(
    st.builds(
        ox.Triple,
        prefixed.map(ox.NamedNode) | blank_nodes,
        st.sampled_from([str(RDF.type), f"{SDO}name", f"{SDO}a.b", "https://e.org/p"]).map(
            ox.NamedNode
        ),
        turtle_objects,
    ),
    max_size=25,
)


@settings(max_examples=400)
@given(turtle_graphs, st.integers(1, 10))
def test_turtle_written_from_text_is_pyoxigraphs(graph, chunk):
    """graph.ttl's statements are made from the triples' text, each term's
    Turtle form found once; they must be the bytes pyoxigraph writes."""
    ordered = sorted(nt_triples_of(graph))
    written = b"".join(turtle_chunks(ordered, chunk=chunk))
    assert written == (reference_turtle(graph) if graph else b"\n")
    if graph:  # and it is Turtle of the same graph
        back = ox.parse(written, format=ox.RdfFormat.TURTLE)
        assert {q.triple for q in back} == graph


def test_turtle_with_blank_nodes_is_pyoxigraphs():
    a, b = ox.BlankNode("b1"), ox.BlankNode("b2")
    name = ox.NamedNode(f"{SDO}name")
    graph = {
        ox.Triple(a, name, ox.Literal("A")),
        ox.Triple(ox.NamedNode("https://e.org/x"), ox.NamedNode(f"{SDO}about"), b),
        ox.Triple(ox.NamedNode("https://e.org/y"), name, ox.Literal("Y")),
    }
    assert b"".join(turtle_chunks(sorted(nt_triples_of(graph)), chunk=1)) == reference_turtle(graph)


def test_text_from_outside_is_read_by_pyoxigraph_or_refused():
    """The public writers take text triples too: they are made the pipeline's
    text, and what is not N-Triples (rdflib's terms, bare IRIs) is refused
    rather than written as invalid Turtle."""
    s, p = "<https://e.org/s>", "<https://e.org/p>"
    xsd_string = f'"a"^^<{XSD.string}>'
    assert nt_triples_of([(s, p, '"a"@EN'), (s, p, xsd_string)]) == {
        (s, p, '"a"@en'),
        (s, p, '"a"'),
    }
    rdflib_triple = (URIRef("https://e.org/s"), URIRef("https://e.org/p"), Literal("A"))
    for bad in (rdflib_triple, (s, p, "https://e.org/o"), (s, '"p"', '"o"'), (s, p)):
        with pytest.raises(ValueError, match="not a triple of N-Triples terms"):
            nt_triples_of([bad])
    with pytest.raises(ValueError, match="not a triple of N-Triples terms"):
        to_turtle([rdflib_triple])


def test_what_has_no_text_here_is_refused():
    a, b = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/b")
    with pytest.raises(ValueError, match="triple term"):
        nt_triple(ox.Triple(a, b, ox.Triple(a, b, a)))
    with pytest.raises(ValueError, match="lone surrogate"):
        nt_literal("bad \ud800 title")
    ltr = ox.Literal("x", language="en", direction=ox.BaseDirection.LTR)
    assert to_ox_term(str(ltr)) == ltr and str(ltr) == '"x"@en--ltr'


def test_a_datatype_pyoxigraph_writes_in_full_stays_in_full():
    """rdf:langString without a tag is not shortened to rdf:langString by
    pyoxigraph; the Turtle written from text must do the same."""
    odd = ox.Literal("1", datatype=ox.NamedNode(str(RDF.langString)))
    graph = {
        ox.Triple(ox.NamedNode("https://e.org/s"), ox.NamedNode(f"{SDO}name"), odd),
        ox.Triple(ox.NamedNode("https://e.org/t"), ox.NamedNode(f"{SDO}name"), ox.Literal("2")),
    }
    written = b"".join(turtle_chunks(sort_triples(nt_triples_of(graph))))
    assert written == reference_turtle(graph)
    assert f"<{RDF.langString}>".encode() in written
