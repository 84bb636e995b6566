"""kg.shacl, the compiled SHACL subset engine, gives exactly pyshacl's results.

Each comparison validates one data graph twice: with pyshacl (``kg.validate.validate``,
``engine="pyshacl"``) on the rdflib view of the triples, and with ``kg.shacl.check`` on the
pyoxigraph triples; the two multisets of (severity, focus, path, value, component, message,
shape), and ``conforms``, must be equal.  The corpus: the real build output for the seed and
the mutated feed, every fixture under tests/shapes/, mutations of the seed graph, and random
graphs (hypothesis) against shapes that use every supported feature.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

import kg
from kg.shacl import UnsupportedShapes, check, compile_shapes
from kg.terms import nt_triple, nt_triples_of
from kg.types import ValidationReport
from kg.validate import SHAPES_DIR, load_shapes, validate

DATA = Path(__file__).parent / "data"
FEEDS = [DATA / "scienmag-neuroimaging-in-psychiatry.rss", DATA / "scienmag-mutated.rss"]
FIXTURES = sorted((Path(__file__).parent / "shapes").glob("*/*.ttl"))
EX = Namespace("http://example.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
T = "https://w3id.org/feedkg/test#"
XSD_STRING = str(XSD.string)


def to_ox(graph: Iterable[tuple[Node, Node, Node]]) -> list[ox.Triple]:
    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            return ox.BlankNode(str(node))
        assert isinstance(node, Literal)
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None and str(node.datatype) != XSD_STRING:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))

    return [ox.Triple(term(s), term(p), term(o)) for s, p, o in graph]  # type: ignore[arg-type]


def to_rdflib(triples: Iterable[ox.Triple]) -> Graph:
    """The rdflib view of triples that pyshacl validates (as ``kg.terms.to_rdflib_graph``)."""

    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == XSD_STRING:
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value), normalize=False)

    graph = Graph()
    for t in triples:
        graph.add((term(t.subject), term(t.predicate), term(t.object)))  # type: ignore[arg-type]
    return graph


def results(report: ValidationReport) -> Counter[tuple[object, ...]]:
    return Counter(
        (v.severity, v.focus, v.path, v.value, v.component, v.message, v.shape)
        for v in report.violations
    )


def assert_same(triples: list[ox.Triple], shapes: Graph) -> ValidationReport:
    """pyshacl and the engine agree on ``triples``; returns pyshacl's report."""
    expected = validate(to_rdflib(triples), shapes=shapes, engine="pyshacl")
    actual = check(compile_shapes(shapes), nt_triples_of(triples))
    assert results(actual) == results(expected)
    assert actual.conforms == expected.conforms
    keys = [(v.focus, v.path or "", v.message) for v in actual.violations]
    assert keys == sorted(keys)  # ordered as kg.validate orders pyshacl's results
    return expected


@cache
def feed_graph(path: Path) -> Graph:
    """Every story of a feed mapped, valid or not (the build sets invalid ones aside)."""
    return kg.to_graph([kg.extract_feed(kg.read_feed(str(path)))])


# --------------------------------------------------------------------------- bundled shapes


def test_bundled_shapes_compile():
    compiled = compile_shapes(load_shapes())
    names = {shape.name for shape, _ in compiled.shapes}
    assert names == {str(s) for s in load_shapes().subjects(SH.targetClass, None)}
    for file in sorted(SHAPES_DIR.glob("*.ttl")):
        compile_shapes(Graph().parse(file))


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.stem)
def test_build_output(path: Path):
    report = assert_same(to_ox(feed_graph(path)), load_shapes())
    if "mutated" in path.name:
        assert not report.conforms and len(report.violations) >= 3


def test_input_is_a_set():
    triples = to_ox(feed_graph(FEEDS[1]))
    once = check(compile_shapes(load_shapes()), nt_triples_of(triples))
    twice = check(compile_shapes(load_shapes()), iter(list(map(nt_triple, triples + triples[::2]))))
    assert twice == once


#: Every shape fixture but those where pyshacl departs from SHACL on purpose
#: (tests/test_shapes.py::test_pyshacl_lets_a_trailing_newline_through checks those).
COMPARED = [p for p in FIXTURES if "PYSHACL DIFFERS" not in p.read_text(encoding="utf-8")]


def test_fixtures_exist():
    assert len(COMPARED) > 100


@pytest.mark.parametrize("path", COMPARED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(path: Path):
    graph = Graph().parse(path, format="turtle")
    data = [(s, p, o) for s, p, o in graph if not any(str(n).startswith(T) for n in (s, p, o))]
    assert_same(to_ox(data), load_shapes())


# --------------------------------------------------------------------------- seed mutations


def replacement(graph: Graph, triple: tuple[Node, Node, Node], kind: str, rng: random.Random):
    """What ``kind`` of mutation puts in place of ``triple`` (None: nothing)."""
    _, p, o = triple
    text = str(o) if isinstance(o, Literal) else "text"
    dtype = o.datatype if isinstance(o, Literal) and o.datatype else XSD.dateTime
    typed = dict(graph.subject_objects(RDF.type))
    if kind == "wrong-type":
        plain = isinstance(o, Literal) and o.datatype is None and not o.language
        return Literal("42", datatype=XSD.integer) if plain else Literal(text)
    if kind == "ill-typed":
        return Literal("not valid", datatype=dtype, normalize=False)
    if kind == "blank":
        return BNode()
    if kind == "wrong-class":
        return rng.choice(sorted(n for n, c in typed.items() if c != typed.get(o)))
    if kind == "pattern":
        return Literal(f"bad {text}\n", datatype=None if dtype == XSD.dateTime else dtype)
    if kind == "lang":
        return Literal(text, lang=rng.choice(["en", "EN-gb", "de"]))
    if kind == "second-value":
        others = sorted(x for x in graph.objects(None, p) if x != o) or [Literal("other")]
        return rng.choice(others)
    return None


KINDS = ["delete", "wrong-type", "ill-typed", "blank", "wrong-class", "pattern", "lang"]


def mutations(graph: Graph, rng: random.Random) -> Iterable[tuple[str, Graph]]:
    """Variants of ``graph`` with four triples changed the same way, and subclassed types."""
    triples = sorted(graph, key=lambda t: tuple(n.n3() for n in t))
    for kind in [*KINDS, "second-value"]:
        picked = rng.sample(triples, 48)
        for i in range(0, len(picked), 4):
            mutated = Graph()
            for triple in graph:
                if kind == "second-value" or triple not in picked[i : i + 4]:
                    mutated.add(triple)
            for triple in picked[i : i + 4]:
                if (new := replacement(graph, triple, kind, rng)) is not None:
                    mutated.add((triple[0], triple[1], new))
            yield kind, mutated
    for cls in sorted(set(graph.objects(None, RDF.type))):
        mutated = Graph()
        for s, p, o in graph:
            mutated.add((s, p, EX.Sub if (p, o) == (RDF.type, cls) else o))
        mutated.add((EX.Sub, RDFS.subClassOf, EX.Mid))
        mutated.add((EX.Mid, RDFS.subClassOf, cls))
        yield "subclass", mutated


def test_seed_mutations():
    rng = random.Random(20260228)
    kinds: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    for kind, graph in mutations(feed_graph(FEEDS[0]), rng):
        report = assert_same(to_ox(graph), load_shapes())
        kinds[kind] += 1
        failing[kind] += not report.conforms
    assert sum(kinds.values()) >= 100
    assert all(failing[kind] for kind in KINDS[1:])


# --------------------------------------------------------------------------- every feature

FEATURES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:nodeKind sh:IRI ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
                  sh:minLength 2 ; sh:maxLength 5 ; sh:message "one short name" ] ;
    sh:property [ sh:path ex:label ; sh:uniqueLang true ;
                  sh:or ( [ sh:datatype rdf:langString ] [ sh:datatype xsd:string ] ) ;
                  sh:message "labels" ] ;
    sh:property [ sh:path ex:when ; sh:datatype xsd:dateTime ] ;
    sh:property [ sh:path ex:n ; sh:datatype xsd:integer ; sh:minInclusive 1 ;
                  sh:maxExclusive 10 ] ;
    sh:property [ sh:path ex:n ; sh:maxInclusive 5.5 ; sh:minExclusive 0, -1 ] ;
    sh:property [ sh:path ex:d ; sh:message "a number or a date"@en, "eine Zahl"@de ;
                  sh:or ( [ sh:datatype xsd:decimal ] [ sh:datatype xsd:double ]
                          [ sh:datatype xsd:gYear ] [ sh:datatype xsd:date ]
                          [ sh:datatype xsd:boolean ; sh:severity sh:Warning ] ) ] ;
    sh:property [ sh:path ex:flag ; sh:datatype xsd:boolean ; sh:severity sh:Warning ] ;
    sh:property [ sh:path ex:link ; sh:nodeKind sh:IRI ; sh:class ex:Thing, ex:Other ;
                  sh:pattern "^http://EXAMPLE\\\\.org/t[0-3]$" ; sh:flags "i" ] ;
    sh:property [ sh:path ex:link ; sh:pattern "t1$", "^http" ; sh:severity sh:Info ] ;
    sh:property [ sh:path ex:code ; sh:in ( "a" "b" ex:t1 1 "c"^^xsd:string ) ;
                  sh:message "a code" ] ;
    sh:property [ sh:path rdf:type ; sh:hasValue ex:Thing, ex:Other ; sh:message "typed" ] ;
    sh:property [ sh:path ex:part ; sh:nodeKind sh:BlankNodeOrIRI ; sh:message "part" ;
                  sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "part name" ] ;
                  sh:or ( [ sh:class ex:Thing ]
                          [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ] ) ] ;
    sh:property [ sh:path ex:info ; sh:severity sh:Info ; sh:minCount 1 ; sh:message "info" ] ;
    sh:property [ sh:path ex:kind ; sh:nodeKind sh:Literal ] ;
    sh:property [ sh:path ex:kind ; sh:nodeKind sh:BlankNodeOrLiteral ] ;
    sh:property [ sh:path ex:kind ; sh:nodeKind sh:IRIOrLiteral ; sh:datatype rdfs:Literal ] ;
    sh:property [ sh:path ex:off ; sh:deactivated true ; sh:minCount 1 ; sh:message "off" ] .

ex:LinkerShape a sh:NodeShape ; sh:targetSubjectsOf ex:link ; sh:class ex:Thing ;
    sh:message "only things link" .
ex:LinkedShape a sh:NodeShape ; sh:targetObjectsOf ex:link ; sh:nodeKind sh:BlankNode .
ex:NodeShape a sh:NodeShape ; sh:targetNode ex:t1, "lit", _:nowhere ;
    sh:datatype rdf:langString ; sh:severity ex:Custom ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "t1 has a name" ] .
ex:Special a rdfs:Class, sh:NodeShape ;
    sh:property [ sh:path ex:name ; sh:maxCount 0 ; sh:message "no name" ] .
ex:Off a sh:NodeShape ; sh:targetClass ex:Thing ; sh:deactivated true ; sh:nodeKind sh:Literal .
ex:OtherShape a sh:NodeShape ; sh:targetClass ex:Other ; sh:severity sh:Warning ;
    sh:nodeKind sh:BlankNode ;
    sh:property [ sh:path ex:name ; sh:datatype xsd:integer ; sh:message "other name" ] .
ex:DatatypeShape a sh:NodeShape ; sh:targetObjectsOf ex:kind ; sh:datatype rdfs:Datatype .
ex:PropertyTarget a sh:PropertyShape ; sh:targetSubjectsOf ex:when ; sh:path ex:when ;
    sh:maxCount 1 ; sh:message "one when" .
"""

SUBJECTS = [EX.t0, EX.t1, EX.t2, EX.t3, BNode("b0"), BNode("b1")]
PREDICATES = [RDF.type, EX.name, EX.label, EX.when, EX.n, EX.d, EX.flag, EX.link, EX.code,
              EX.part, EX.info, EX.kind, RDFS.subClassOf]  # fmt: skip
OBJECTS: list[Node] = [
    *SUBJECTS, EX.Thing, EX.Other, EX.Special, EX.Sub, EX.T1, URIRef("HTTP://example.org/t2"),
    Literal("a"), Literal("b"), Literal("c"), Literal("abc"), Literal("too long"), Literal("1"),
    Literal("x", lang="en"), Literal("y", lang="EN"), Literal("z", lang="de"),
    Literal("http://example.org/t1"), Literal("lit"),
    Literal("1", datatype=XSD.integer), Literal("01", datatype=XSD.integer, normalize=False),
    Literal("0", datatype=XSD.integer), Literal("-1", datatype=XSD.integer),
    Literal("12", datatype=XSD.integer), Literal("abc", datatype=XSD.integer, normalize=False),
    Literal("5.5", datatype=XSD.decimal), Literal("1e0", datatype=XSD.double, normalize=False),
    Literal("INF", datatype=XSD.double), Literal("5", datatype=XSD.long),
    Literal("2020-01-01T00:00:00Z", datatype=XSD.dateTime, normalize=False),
    Literal("2020-01-01", datatype=XSD.dateTime, normalize=False),
    Literal("2020-01-01", datatype=XSD.date), Literal("2020", datatype=XSD.gYear),
    Literal("abc", datatype=XSD.gYear), Literal("true", datatype=XSD.boolean),
    Literal("1", datatype=XSD.boolean, normalize=False),
    Literal("yes", datatype=XSD.boolean, normalize=False),
    Literal("c", datatype=XSD.string), Literal("a", datatype=XSD.token),
]  # fmt: skip
TYPES = [EX.Thing, EX.Other, EX.Special, EX.Sub]


@cache
def features() -> Graph:
    return Graph().parse(data=FEATURES, format="turtle")


triple_strategy = st.tuples(
    st.sampled_from(SUBJECTS), st.sampled_from(PREDICATES), st.sampled_from(OBJECTS)
)
typing_strategy = st.tuples(st.sampled_from(SUBJECTS), st.just(RDF.type), st.sampled_from(TYPES))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(typing_strategy, max_size=6), st.lists(triple_strategy, max_size=30))
def test_every_feature(typing, triples):
    data = [*typing, *triples, (EX.Sub, RDFS.subClassOf, EX.Thing)]
    assert_same(to_ox(data), features())


def test_every_feature_examples():
    """A few fixed graphs, so the comparison does not rest on hypothesis alone."""
    rng = random.Random(7)
    for _ in range(40):
        data = [(rng.choice(SUBJECTS), RDF.type, rng.choice(TYPES)) for _ in range(4)]
        data += [(rng.choice(SUBJECTS), rng.choice(PREDICATES), rng.choice(OBJECTS))
                 for _ in range(25)]  # fmt: skip
        assert_same(to_ox(data), features())


def test_generated_messages_are_pyshacl_s():
    data = [(EX.t1, RDF.type, EX.Thing), (EX.t1, EX.when, Literal("soon")),
            (EX.t1, EX.n, Literal("12", datatype=XSD.integer)), (EX.t1, EX.kind, EX.t2),
            (EX.t1, EX.link, Literal("x"))]  # fmt: skip
    report = assert_same(to_ox(data), features())
    messages = {v.message for v in report.violations}
    assert "Value is not Literal with datatype xsd:dateTime" in messages
    assert "Value is not of Node Kind sh:Literal" in messages


def test_a_shared_value_is_validated_once_per_focus_node():
    """pyshacl validates a value of two focus nodes twice (sh:property), and reports twice."""
    part = BNode("shared")
    data = [(EX.t1, RDF.type, EX.Thing), (EX.t2, RDF.type, EX.Thing), (EX.t1, EX.part, part),
            (EX.t2, EX.part, part), (EX.t1, EX.name, Literal("ab"))]  # fmt: skip
    report = assert_same(to_ox(data), features())
    assert [v.message for v in report.violations if v.focus == "shared"] == ["part name"] * 2


def test_where_pyshacl_crashes():
    """pyshacl raises decimal.InvalidOperation comparing NaN with a decimal; here NaN fails."""
    data = [(EX.t1, RDF.type, EX.Thing), (EX.t1, EX.n, Literal("NaN", datatype=XSD.double))]
    report = check(compile_shapes(features()), nt_triples_of(to_ox(data)))
    assert {v.component for v in report.violations if v.value in ("NaN", "nan")} >= {
        "MaxInclusiveConstraintComponent",
        "MinExclusiveConstraintComponent",
    }


# --------------------------------------------------------------------------- unsupported

HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
UNSUPPORTED = {
    "node": "ex:S sh:targetClass ex:C ; sh:node ex:T . ex:T sh:nodeKind sh:IRI .",
    "not": "ex:S sh:targetClass ex:C ; sh:not [ sh:nodeKind sh:IRI ] .",
    "and": "ex:S sh:targetClass ex:C ; sh:and ( [ sh:nodeKind sh:IRI ] ) .",
    "xone": "ex:S sh:targetClass ex:C ; sh:xone ( [ sh:nodeKind sh:IRI ] ) .",
    "closed": "ex:S sh:targetClass ex:C ; sh:closed true .",
    "equals": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .",
    "disjoint": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:disjoint ex:q ] .",
    "lessThan": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:lessThan ex:q ] .",
    "lessThanOrEquals": "ex:S sh:targetClass ex:C ; "
    "sh:property [ sh:path ex:p ; sh:lessThanOrEquals ex:q ] .",
    "qualifiedValueShape": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
    "sh:qualifiedValueShape [ sh:class ex:D ] ; sh:qualifiedMinCount 1 ] .",
    "languageIn": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
    'sh:languageIn ( "en" ) ] .',
    "sparql": 'ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this {}" ] .',
    "sequence path": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; "
    "sh:minCount 1 ; sh:message 'm' ] .",
    "inverse path": "ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:inversePath ex:p ] ;"
    " sh:maxCount 1 ; sh:message 'm' ] .",
    "alternative path": "ex:S sh:targetClass ex:C ; sh:property [ sh:path "
    "[ sh:alternativePath ( ex:p ex:q ) ] ; sh:datatype xsd:string ] .",
    "zero-or-more path": "ex:S sh:targetClass ex:C ; sh:property [ sh:path "
    "[ sh:zeroOrMorePath ex:p ] ; sh:datatype xsd:string ] .",
    "custom target": 'ex:S sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this {}" ] ; '
    "sh:nodeKind sh:IRI .",
    "custom component": "ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] . "
    "ex:S sh:targetClass ex:C ; sh:nodeKind sh:IRI .",
    "recursion": "ex:S sh:targetClass ex:C ; sh:or ( ex:S [ sh:nodeKind sh:IRI ] ) ; "
    "sh:message 'm' .",
    "property without path": "ex:S sh:targetClass ex:C ; sh:property [ sh:nodeKind sh:IRI ] .",
    "two datatypes": "ex:S sh:targetClass ex:C ; sh:datatype xsd:string, xsd:integer .",
    "minCount on a node shape": "ex:S sh:targetClass ex:C ; sh:minCount 1 ; sh:message 'm' .",
    "data-dependent generated message": "ex:S sh:targetClass ex:C ; "
    "sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    "invalid regex": "ex:S sh:targetClass ex:C ; sh:pattern '(' .",
    "generated message of sh:or": "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
    "sh:or ( [ sh:datatype xsd:string ] [ sh:datatype xsd:integer ] ) ] .",
}


@pytest.mark.parametrize("shapes", UNSUPPORTED.values(), ids=UNSUPPORTED.keys())
def test_unsupported_features_are_refused(shapes: str):
    graph = Graph().parse(data=HEAD + shapes, format="turtle")
    with pytest.raises(UnsupportedShapes):
        compile_shapes(graph)


def test_unsupported_shapes_fall_outside_only_when_used():
    """A shape without targets is not validated, so its features do not matter."""
    graph = Graph().parse(data=HEAD + "ex:Unused sh:node ex:T .", format="turtle")
    assert compile_shapes(graph).shapes == ()
    assert check(compile_shapes(graph), []).conforms


def test_an_rdflib_graph_reaches_pyshacl_as_it_is():
    """Shapes outside the fast subset send the data to pyshacl: an rdflib Graph
    goes as given, not through the pipeline's text (where rdflib's
    ``"a"^^xsd:string`` would become ``"a"``, and a bad IRI would be refused)."""
    shapes = Graph().parse(
        data=HEAD + "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; "
        'sh:in ( "a"^^xsd:string ) ; sh:minLength 1 ] .',
        format="turtle",
    )
    with pytest.raises(UnsupportedShapes):  # sh:in without sh:message: pyshacl's own
        compile_shapes(shapes)
    data = Graph()
    data.add((EX.s, RDF.type, EX.C))
    data.add((EX.s, EX.p, Literal("a", datatype=XSD.string)))
    assert validate(data, shapes=shapes).conforms
    assert validate(data, shapes=shapes, engine="pyshacl").conforms
    data.add((URIRef(f"{EX}a b"), RDF.type, EX.D))  # no IRI, for pyoxigraph
    assert validate(data, shapes=shapes).conforms
