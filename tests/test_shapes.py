"""The SHACL shapes are tested like code, with data-driven fixtures (as pySHACL tests itself).

``tests/shapes/<stem>/`` holds the fixtures of ``kg/shapes/<stem>.ttl``:

* ``valid-NNN.ttl``: a small, self-contained data graph that must conform;
* ``invalid-NNN.ttl``: a data graph that breaks one constraint.  It declares, in the same
  file, every violation it must produce, in the test vocabulary ``t:``::

      @prefix t: <https://w3id.org/feedkg/test#> .
      [] t:expectFocus <https://example.org/story> ;
         t:expectPath schema:name ;                          # omitted for node-level results
         t:expectComponent "MinCountConstraintComponent" .

The expectation triples are stripped before validation, and the set of
(focus, path, component) of the :class:`~kg.types.Violation` records must equal the
declared set exactly.  Messages are not compared; their presence is checked on the shapes.

Every constraint of every shape must be exercised by an invalid fixture, and dropping any
single constraint from the shapes must make one of those fixtures fail
(:func:`test_dropping_a_constraint_is_caught`), so a shape cannot silently lose a check.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.errors import ShapesError
from kg.types import Violation
from kg.validate import SHAPES_DIR, load_shapes, validate

SH = Namespace("http://www.w3.org/ns/shacl#")
SDO = Namespace("https://schema.org/")
T = Namespace("https://w3id.org/feedkg/test#")
EXPECTATION_TERMS = {T.expectFocus, T.expectPath, T.expectComponent}

FIXTURES_DIR = Path(__file__).parent / "shapes"
FIXTURE_NAME = re.compile(r"^(valid|invalid)-\d{3}\.ttl$")
SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
FIXTURES = sorted(FIXTURES_DIR.glob("*/*.ttl"))

# Fixtures whose expected result the default engine does not give (none today: the
# trailing-newline cases pyshacl lets through are caught by kg.shacl, which reads
# "$" as XPath does; see test_pyshacl_lets_a_trailing_newline_through).
KNOWN_SHAPE_BUGS: dict[str, str] = {}

# SHACL parameters that are not constraints (everything else on a shape is one).
NOT_CONSTRAINTS = {
    RDF.type, SH.path, SH.message, SH.name, SH.description, SH.order, SH.group,
    SH.severity, SH.deactivated, SH.flags, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.property, SH.defaultValue, RDFS.comment,
    RDFS.label, SH.ignoredProperties,
}  # fmt: skip

Expectation = tuple[str, str | None, str]  # (focus, path or None, component local name)

# Blank-node focuses compare as this token: a validator may rename blank nodes, and a
# fixture never has two blank nodes that violate the same (path, component).
BLANK = "_:blank"
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Fixture:
    path: Path
    data: Graph  #: the data graph, expectation triples removed
    declared: frozenset[tuple[Node, URIRef | None, str]]  #: (focus, path, component) as written

    @property
    def id(self) -> str:
        return _fixture_id(self.path)

    @property
    def valid(self) -> bool:
        return self.path.name.startswith("valid-")

    @property
    def expected(self) -> frozenset[Expectation]:
        return frozenset(_expectation(*declared) for declared in self.declared)

    def reported(self, violations: tuple[Violation, ...]) -> set[Expectation]:
        """What a report says, in the form of :attr:`expected`."""
        blanks = {str(node) for node in self.data.all_nodes() if isinstance(node, BNode)}
        return {
            (
                BLANK if v.focus in blanks or not ABSOLUTE_IRI.match(v.focus) else v.focus,
                v.path,
                v.component,
            )
            for v in violations
        }


def _expectation(focus: Node, path: URIRef | None, component: str) -> Expectation:
    return (BLANK if isinstance(focus, BNode) else str(focus), path and str(path), component)


def _fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@cache
def _raw(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


@cache
def _fixture(path: Path) -> Fixture:
    raw = _raw(path)
    nodes = {s for p in EXPECTATION_TERMS for s in raw.subjects(p, None)}
    data = Graph()
    for triple in raw:
        s, p, o = triple
        if s in nodes or str(p).startswith(str(T)) or str(o).startswith(str(T)):
            continue
        data.add(triple)
    declared = set()
    for node in nodes:
        path_value = raw.value(node, T.expectPath)
        declared.add(
            (
                raw.value(node, T.expectFocus),
                path_value if isinstance(path_value, URIRef) else None,
                str(raw.value(node, T.expectComponent)).rsplit("#", 1)[-1],
            )
        )
    return Fixture(path=path, data=data, declared=frozenset(declared))


def _fixture_params() -> Iterator[object]:
    for path in FIXTURES:
        fid = _fixture_id(path)
        if fid in KNOWN_SHAPE_BUGS:
            # Not silenced: reported as XFAIL with the reason, and XPASS fails the run.
            yield pytest.param(
                path, id=fid, marks=pytest.mark.xfail(strict=True, reason=KNOWN_SHAPE_BUGS[fid])
            )
        else:
            yield pytest.param(path, id=fid)


# --------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("path", list(_fixture_params()))
def test_fixture(path: Path):
    fixture = _fixture(path)
    report = validate(fixture.data)
    if fixture.valid:
        assert report.violations == (), "\n".join(v.message for v in report.violations)
        assert report.conforms
    else:
        assert not report.conforms
        assert fixture.reported(report.violations) == fixture.expected
        assert {v.severity for v in report.violations} == {"Violation"}


def test_fixture_tree_matches_the_shapes():
    """Every shape file has fixtures: adding a shape without them fails here."""
    stems = {path.stem for path in SHAPE_FILES}
    folders = {path.name for path in FIXTURES_DIR.iterdir() if path.is_dir()}
    assert folders == stems, "one fixture folder per kg/shapes/*.ttl, named after its stem"
    for stem in sorted(stems):
        names = [path.name for path in (FIXTURES_DIR / stem).iterdir()]
        assert [n for n in names if not FIXTURE_NAME.match(n)] == [], stem
        assert any(n.startswith("valid-") for n in names), f"{stem}: no valid-NNN.ttl"
        assert any(n.startswith("invalid-") for n in names), f"{stem}: no invalid-NNN.ttl"


def test_known_shape_bugs_are_the_fixtures_that_say_so():
    flagged = {_fixture_id(p) for p in FIXTURES if "KNOWN SHAPE BUG" in p.read_text("utf-8")}
    assert set(KNOWN_SHAPE_BUGS) == flagged


def test_pyshacl_differences_are_the_fixtures_that_say_so():
    flagged = {_fixture_id(p) for p in FIXTURES if "PYSHACL DIFFERS" in p.read_text("utf-8")}
    assert flagged == set(PYSHACL_DIFFERS)


@cache
def _target_class(stem: str) -> URIRef:
    classes = set(Graph().parse(SHAPES_DIR / f"{stem}.ttl").objects(None, SH.targetClass))
    assert len(classes) == 1, f"{stem}.ttl: one target class per shape file"
    (cls,) = classes
    assert isinstance(cls, URIRef)
    return cls


@pytest.mark.parametrize("path", [pytest.param(p, id=_fixture_id(p)) for p in FIXTURES])
def test_fixture_declarations_are_well_formed(path: Path):
    raw = _raw(path)
    fixture = _fixture(path)
    stray = {p for p in raw.predicates() if str(p).startswith(str(T))} - EXPECTATION_TERMS
    assert not stray, f"unknown expectation terms (typo?): {stray}"
    for node in {s for p in EXPECTATION_TERMS for s in raw.subjects(p, None)}:
        assert isinstance(node, BNode)
        assert len(list(raw.objects(node, T.expectFocus))) == 1
        assert len(list(raw.objects(node, T.expectPath))) <= 1
        (component,) = raw.objects(node, T.expectComponent)
        assert isinstance(component, Literal)
        assert str(component).endswith("ConstraintComponent")
    target = _target_class(path.parent.name)
    if fixture.valid:
        assert fixture.expected == frozenset(), "valid fixtures declare no violations"
        assert (None, RDF.type, target) in fixture.data, f"no {target} to validate"
    else:
        assert fixture.expected, "an invalid fixture declares the violations it must produce"
        assert any((f, RDF.type, target) in fixture.data for f, _, _ in fixture.declared), (
            f"no expected violation is about a {target} node: wrong folder?"
        )


# --------------------------------------------------------------------------- the shape files


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_shape_file_is_valid_shacl(path: Path):
    graph = Graph().parse(path, format="turtle")
    conforms, _, text = meta_validate(graph, inference="none")
    assert conforms, text
    node_shapes = set(graph.subjects(RDF.type, SH.NodeShape))
    assert len(node_shapes) == 1, "one node shape per file"
    assert len(set(graph.objects(None, SH.targetClass))) == 1, "one target class per file"


def test_bundled_shapes_load():
    shapes = load_shapes()
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) == len(SHAPE_FILES)


MISSING_MESSAGES = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?shape WHERE {
    { ?shape a sh:NodeShape } UNION { ?owner sh:property ?shape }
    FILTER NOT EXISTS { ?shape sh:message ?message }
}
"""


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_every_shape_has_a_message(path: Path):
    graph = Graph().parse(path, format="turtle")
    assert list(graph.subjects(SH.property, None)), "no property shapes found"
    missing = [(row[0], graph.value(row[0], SH.path)) for row in graph.query(MISSING_MESSAGES)]
    assert missing == [], f"shapes without sh:message (shape, path): {missing}"


BROKEN_SHAPES = {
    "bad-turtle": {"broken.ttl": "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:"},
    "not-shacl": {
        "bad.ttl": "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> a sh:NodeShape ;\n"
        '    sh:property [ sh:path <https://example.org/p> ; sh:minCount "one" ] .\n'
    },
    "no-ttl": {"README.md": "no shapes here\n"},
}


@pytest.mark.parametrize("case", sorted(BROKEN_SHAPES))
def test_malformed_shapes_directory_raises(tmp_path: Path, case: str):
    if case != "no-ttl":  # a good file next to the bad one: loading must still fail
        shutil.copy(SHAPES_DIR / "story.ttl", tmp_path / "story.ttl")
    for name, text in BROKEN_SHAPES[case].items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ShapesError):
        load_shapes(tmp_path)


# --------------------------------------------------------------------------- the tests are real


def test_removing_the_story_title_or_text_rule_hides_the_fixture_violation(tmp_path: Path):
    """Deleting the story's ``sh:or`` (a title or a text) makes its fixture fail."""
    story = "https://scienmag.com/how-ect-rewires-the-brain-genes-and-circuits/"
    wanted = (story, None, "OrConstraintComponent")
    (fixture,) = [
        f
        for f in map(_fixture, FIXTURES)
        if f.path.parent.name == "story" and f.expected == {wanted}
    ]
    assert wanted in fixture.reported(validate(fixture.data).violations)

    for path in SHAPE_FILES:
        shutil.copy(path, tmp_path / path.name)
    graph = Graph().parse(tmp_path / "story.ttl", format="turtle")
    (story_shape,) = graph.subjects(SH.targetClass, SDO.NewsArticle)
    assert graph.value(story_shape, SH["or"]) is not None
    graph.remove((story_shape, SH["or"], None))
    graph.serialize(tmp_path / "story.ttl", format="turtle")

    report = validate(fixture.data, shapes=tmp_path)
    assert wanted not in fixture.reported(report.violations)
    assert fixture.reported(report.violations) != fixture.expected  # test_fixture would fail
    assert report.conforms


def _constraints() -> Iterator[object]:
    """Every (shape, parameter, value) constraint in the bundled shapes, with what it reports."""
    shapes = load_shapes()
    for node_shape in sorted(shapes.subjects(RDF.type, SH.NodeShape)):
        target = shapes.value(node_shape, SH.targetClass)
        owners = [(node_shape, None)] + [
            (ps, shapes.value(ps, SH.path)) for ps in shapes.objects(node_shape, SH.property)
        ]
        for shape, path in owners:
            for parameter, value in sorted(shapes.predicate_objects(shape)):
                if parameter in NOT_CONSTRAINTS:
                    continue
                name = str(parameter).removeprefix(str(SH))
                component = name[0].upper() + name[1:] + "ConstraintComponent"
                label = f"{shapes.qname(target)}/{shapes.qname(path) if path else '.'}/sh:{name}"
                yield pytest.param(target, shape, parameter, value, path, component, id=label)


def _covering_fixtures(
    target: URIRef, path: URIRef | None, component: str
) -> list[tuple[Fixture, frozenset[Expectation]]]:
    """Invalid fixtures expecting ``component`` on ``path`` of a ``target`` node, and those
    expectations."""
    out = []
    for fixture in map(_fixture, FIXTURES):
        if fixture.valid or fixture.id in KNOWN_SHAPE_BUGS:
            continue
        matching = frozenset(
            _expectation(focus, p, c)
            for focus, p, c in fixture.declared
            if c == component and p == path and (focus, RDF.type, target) in fixture.data
        )
        if matching:
            out.append((fixture, matching))
    return out


@pytest.mark.parametrize(
    ("target", "shape", "parameter", "value", "path", "component"), list(_constraints())
)
def test_dropping_a_constraint_is_caught(target, shape, parameter, value, path, component):
    """Mutation test: every constraint has an invalid fixture that fails without it.

    Without the constraint, exactly the violations it is responsible for disappear from
    that fixture's report, and everything else the fixture expects is still reported.
    """
    covering = _covering_fixtures(target, path, component)
    assert covering, f"no invalid fixture expects {component} on {path or 'the node'} of {target}"
    mutated = Graph()
    for triple in load_shapes():
        if triple != (shape, parameter, value):
            mutated.add(triple)
    assert len(mutated) == len(load_shapes()) - 1
    for fixture, gone in covering:
        reported = fixture.reported(validate(fixture.data, shapes=mutated).violations)
        assert not gone & reported, f"{fixture.id} still reports {gone & reported}"
        assert fixture.expected - gone <= reported, fixture.id


#: Fixtures where pyshacl departs from SHACL and kg.shacl does not.
PYSHACL_DIFFERS = ("story/invalid-031", "paper/invalid-037", "journal/invalid-009")


@pytest.mark.parametrize("fid", PYSHACL_DIFFERS)
def test_pyshacl_lets_a_trailing_newline_through(fid):
    """The one known difference between the engines, on purpose: SHACL patterns
    use XPath regexes, where "$" is the end of the string; pyshacl uses Python's
    re, where "$" also matches before a final newline."""
    fixture = _fixture(FIXTURES_DIR / f"{fid}.ttl")
    assert fixture.reported(validate(fixture.data).violations) == fixture.expected
    assert validate(fixture.data, engine="pyshacl").conforms
