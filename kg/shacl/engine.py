"""The engine: the data graph in columns, and shapes run over all focus nodes at once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter

from rdflib.namespace import RDF, RDFS, XSD

from kg.runtime import bulk_allocation
from kg.terms import NTriple, literal_parts
from kg.types import ValidationReport, Violation

Term = str  #: N-Triples text
Edge = tuple[Term, Term]  # (focus node, value node)
Failure = tuple[Term, Term | None]  # (focus node, sh:value)
Check = Callable[["Data", "Values"], list[Failure]]
Passes = Callable[[Term], bool]  # a test of one value node


class UnsupportedShapes(Exception):
    """The shapes use a feature outside this engine's subset (the message says which)."""


@dataclass(frozen=True, slots=True)
class Constraint:
    component: str  #: local name of the sh:sourceConstraintComponent
    message: str | None  #: None: pyshacl would generate it from data terms
    check: Check


@dataclass(frozen=True, slots=True, eq=False)
class Shape:
    name: str | None  #: the shape's IRI (None: a blank node)
    path: str | None  #: the predicate of a property shape
    severity: str  #: as kg.validate reports it
    blocking: bool  #: a failure makes it non-conforming (not sh:Warning, not sh:Info)
    deactivated: bool
    constraints: tuple[Constraint, ...]
    properties: tuple[Shape, ...]


@dataclass(frozen=True, slots=True)
class Targets:
    nodes: tuple[Term, ...]
    classes: tuple[Term, ...]
    subjects_of: tuple[str, ...]
    objects_of: tuple[str, ...]


@dataclass(frozen=True)
class CompiledShapes:
    """The shapes that have targets, compiled by :func:`compile_shapes` for :func:`check`."""

    shapes: tuple[tuple[Shape, Targets], ...]
    predicates: frozenset[str]  #: the predicates :func:`check` reads


TYPE, SUBCLASS, STRING = str(RDF.type), str(RDFS.subClassOf), str(XSD.string)


class Data:
    """The data graph: for each predicate read, a column of subjects and one of objects."""

    def __init__(self, triples: Iterable[NTriple], predicates: frozenset[str]) -> None:
        buckets: dict[str, list[NTriple]] = {f"<{p}>": [] for p in predicates}
        get = buckets.get
        for t in triples:
            if (bucket := get(t[1])) is not None:
                bucket.append(t)
        subject, object_ = itemgetter(0), itemgetter(2)
        self.columns: dict[str, tuple[list[Term], list[Term]]] = {
            p[1:-1]: (list(map(subject, b)), list(map(object_, b))) for p, b in buckets.items()
        }
        self._by_type: dict[Term, list[Term]] = {}
        for s, o in zip(*self.columns[TYPE], strict=True):
            self._by_type.setdefault(o, []).append(s)
        self._super: dict[Term, list[Term]] = {}
        for s, o in zip(*self.columns[SUBCLASS], strict=True):
            self._super.setdefault(s, []).append(o)
        self._instances: dict[Term, set[Term]] = {}

    def values(self, predicate: str, foci: dict[Term, int]) -> Values:
        """The values of ``foci`` by ``predicate``."""
        subjects, objects = self.columns[predicate]
        mask = list(map(foci.__contains__, subjects))
        return Values(foci, list(compress(subjects, mask)), list(compress(objects, mask)))

    def instances(self, cls: Term) -> set[Term]:
        """SHACL instances of ``cls``: its ``rdf:type/rdfs:subClassOf*`` (3.2)."""
        if cls not in self._instances:
            found = set()
            for t, nodes in self._by_type.items():
                seen, todo = {t}, [t]  # t and its superclasses
                while todo and cls not in seen:
                    todo += [c for c in self._super.get(todo.pop(), ()) if c not in seen]
                    seen.update(todo)
                if cls in seen:
                    found.update(nodes)
            self._instances[cls] = found
        return self._instances[cls]


class Values:
    """The value nodes of a shape: ``nodes[i]`` is a value of ``owners[i]``, maybe twice.

    ``foci`` counts how often each focus node is validated: pyshacl validates a node that
    is the value of two focus nodes twice, and reports its results twice.
    """

    def __init__(self, foci: dict[Term, int], owners: list[Term], nodes: list[Term]) -> None:
        self.foci, self.owners, self.nodes = foci, owners, nodes
        self._groups: dict[Term, list[Term]] | None = None
        self._counts: dict[Term, int] | None = None

    def groups(self) -> dict[Term, list[Term]]:
        """The distinct values of each focus node."""
        if self._groups is None:
            groups: dict[Term, dict[Term, None]] = {f: {} for f in self.foci}
            for f, v in zip(self.owners, self.nodes, strict=True):
                groups[f][v] = None
            self._groups = {f: list(values) for f, values in groups.items()}
        return self._groups

    def pairs(self) -> Iterable[Edge]:
        return zip(self.owners, self.nodes, strict=True)

    def counts(self) -> dict[Term, int]:
        """How many distinct values the focus nodes that have some have."""
        if self._counts is None:
            self._counts = Counter(self.owners)
            for f in [f for f, n in self._counts.items() if n > 1]:
                self._counts[f] = len(self.groups()[f])
        return self._counts


def run(data: Data, shape: Shape, foci: dict[Term, int], out: list[Violation] | None) -> set[Term]:
    """Validate ``foci`` against ``shape`` and add the results to ``out``; the foci that fail.

    ``out`` None: only conformance matters (``sh:or``), so a non-blocking shape conforms.
    """
    if shape.deactivated or (out is None and not shape.blocking):
        return set()
    if shape.path is None:
        values = Values(foci, list(foci), list(foci))
    else:
        values = data.values(shape.path, foci)
    failed: set[Term] = set()
    for c in shape.constraints:
        for focus, value in c.check(data, values):
            failed.add(focus)
            if out is not None:
                text = None if value is None else value_of(value)
                result = Violation(shape.severity, value_of(focus), shape.path, text,
                                   c.message or "", c.component, shape.name)  # fmt: skip
                out += [result] * foci[focus]
    for prop in shape.properties:
        if shape.path is None:  # the value of a focus node is the focus node
            failed |= run(data, prop, foci, out)
            continue
        nodes: dict[Term, int] = Counter()
        for f, vs in values.groups().items():
            for v in vs:
                nodes[v] += foci[f]
        if bad := run(data, prop, nodes, out):
            failed.update(f for f, vs in values.groups().items() if not bad.isdisjoint(vs))
    return failed if shape.blocking else set()


def check(compiled: CompiledShapes, triples: Iterable[NTriple]) -> ValidationReport:
    """Validate ``triples`` (a set: a triple given twice counts once) against the shapes."""
    with bulk_allocation():  # the columns: many small objects that live to the end
        data = Data(triples, compiled.predicates)
        out: list[Violation] = []
        conforms = True
        for shape, targets in compiled.shapes:
            foci = set(targets.nodes)
            for cls in targets.classes:
                foci |= data.instances(cls)
            for p in targets.subjects_of:
                foci.update(data.columns[p][0])
            for p in targets.objects_of:
                foci.update(data.columns[p][1])
            conforms = not run(data, shape, dict.fromkeys(foci, 1), out) and conforms
        del data
    out.sort(key=lambda v: (v.focus, v.path or "", v.message, v.component, v.value or ""))
    return ValidationReport(conforms=conforms, violations=tuple(out))


def lexical(text: Term) -> str:
    return literal_parts(text)[0]


def value_of(text: Term) -> str:
    """What a result shows of a term: an IRI, a blank node's label, a lexical form."""
    first = text[0]
    if first == "<":
        return text[1:-1]
    if first == "_":
        return text[2:]
    return lexical(text)
