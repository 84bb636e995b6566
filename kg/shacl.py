"""A compiled SHACL Core subset validator with pyshacl's results, ~50x faster.

pyshacl, the reference (see :mod:`kg.validate`), interprets the shapes graph
node by node and checks ~10k triples/s.  Our shapes use a small part of SHACL
Core (https://www.w3.org/TR/shacl/), so :func:`compile_shapes` turns them once
into Python checks, and :func:`check` runs each check over all focus nodes at
once, on indexes of pyoxigraph triples.  Shapes outside the subset make
:func:`compile_shapes` raise :class:`UnsupportedShapes`.  The subset, by section:

* 2.1.3 targets: ``sh:targetNode``, ``sh:targetClass``, implicit class targets,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``; 2.1.4-2.1.6 ``sh:severity``,
  ``sh:message``, ``sh:deactivated``; 2.3.1 a ``sh:path`` that is one IRI;
* 4.1 ``sh:class`` (``rdfs:subClassOf*`` in the data), ``sh:datatype``,
  ``sh:nodeKind``; 4.2 ``sh:minCount``, ``sh:maxCount``; 4.3 ``sh:minInclusive``,
  ``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``; 4.4 ``sh:minLength``,
  ``sh:maxLength``, ``sh:pattern`` and ``sh:flags``, ``sh:uniqueLang``; 4.6.3
  ``sh:or``; 4.7.2 ``sh:property``; 4.8.2 ``sh:hasValue``; 4.8.3 ``sh:in``.

The results (3.6) are the :class:`~kg.types.Violation` records that
:func:`kg.validate.validate` makes from pyshacl's report (``inference="none"``,
``allow_warnings=True``) on the rdflib view of the triples
(``kg.terms.to_rdflib_graph``: lexical forms kept, ``xsd:string`` plain).  So
this follows pyshacl where pyshacl departs from the spec: literal
well-formedness and order are rdflib's (an ``xsd:gYear`` is never ill-typed),
``sh:pattern`` is ``re.search`` with only the ``i`` and ``m`` flags, a result's
message is its shape's own ``sh:message`` (one of several, picked as pyshacl
picks it), never its parent's, and a ``sh:Warning`` or ``sh:Info`` shape always
conforms, even inside ``sh:or``.  Without ``sh:message`` pyshacl generates one;
the generated messages of ``sh:minCount``, ``sh:maxCount``, ``sh:minLength``,
``sh:maxLength``, ``sh:in``, ``sh:hasValue`` and ``sh:or`` print data terms with
the data graph's prefixes, which triples lack, so those need a ``sh:message``.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD, NamespaceManager
from rdflib.term import Node

from kg.types import ValidationReport, Violation

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Pairs = list[tuple[Term, Sequence[Term]]]  # (focus node, its value nodes)
Test = Callable[["_Data", Term], bool]  # does a value node pass?
Check = Callable[["_Data", Pairs], list[tuple[Term, Term | None]]]  # failures: (focus, sh:value)


class UnsupportedShapes(Exception):
    """The shapes use a feature outside this engine's subset (the message says which)."""


@dataclass(frozen=True, slots=True)
class _Constraint:
    component: str  #: local name of the sh:sourceConstraintComponent
    message: str | None  #: None: only pyshacl's data-dependent generated message would do
    check: Check


@dataclass(frozen=True, slots=True, eq=False)
class _Shape:
    name: str | None  #: the IRI of the shape, None for a blank node
    path: str | None  #: the predicate of a property shape
    severity: str  #: local name
    blocking: bool  #: a failure makes the shape not conform (not sh:Warning / sh:Info)
    deactivated: bool
    constraints: tuple[_Constraint, ...]
    properties: tuple[_Shape, ...]


@dataclass(frozen=True, slots=True)
class _Targets:
    nodes: tuple[Term, ...]
    classes: tuple[Term, ...]
    subjects_of: tuple[str, ...]
    objects_of: tuple[str, ...]


@dataclass(frozen=True)
class CompiledShapes:
    """The shapes with targets, compiled by :func:`compile_shapes` for :func:`check`."""

    shapes: tuple[tuple[_Shape, _Targets], ...]
    predicates: frozenset[str]  #: the predicates :func:`check` indexes


_SH, _RDF_TYPE, _SUBCLASS = str(SH), str(RDF.type), str(RDFS.subClassOf)
_XSD_STRING = str(XSD.string)
_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
_KNOWN = {*_TARGETS, SH.path, SH.property, SH.deactivated, SH.severity, SH.message, SH.name,
          SH.description, SH.order, SH.group, SH.defaultValue, SH["class"], SH.datatype,
          SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive, SH.maxInclusive,
          SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags,
          SH.uniqueLang, SH["in"], SH.hasValue, SH["or"]}  # fmt: skip
_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (ox.NamedNode,), SH.BlankNode: (ox.BlankNode,), SH.Literal: (ox.Literal,),
    SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode), SH.IRIOrLiteral: (ox.NamedNode, ox.Literal),
    SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
}  # fmt: skip
_PYTHON_TYPES: dict[str, type] = {  # pyshacl's check of rdflib's value (4.1.2)
    str(XSD.integer): int, str(XSD.float): float, str(XSD.decimal): Decimal,
    str(XSD.boolean): bool, str(XSD.date): date, str(XSD.time): time, str(XSD.dateTime): datetime,
}  # fmt: skip
_RANGES: dict[Node, tuple[str, str, Callable[[int], bool]]] = {
    SH.minInclusive: ("MinInclusive", ">=", lambda c: c >= 0),
    SH.minExclusive: ("MinExclusive", ">", lambda c: c > 0),
    SH.maxInclusive: ("MaxInclusive", "<=", lambda c: c <= 0),
    SH.maxExclusive: ("MaxExclusive", "<", lambda c: c < 0),
}


@lru_cache(maxsize=1 << 14)
def _rdflib(lexical: str, datatype: str, language: str | None) -> Literal:
    """A data literal as pyshacl sees it (``kg.terms.to_rdflib``)."""
    if language:
        return Literal(lexical, lang=language)
    if datatype == _XSD_STRING:
        return Literal(lexical)
    return Literal(lexical, datatype=URIRef(datatype), normalize=False)


def _ox(node: Node) -> Term:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal) and node.language:
        return ox.Literal(str(node), language=node.language)
    if isinstance(node, Literal) and node.datatype not in (None, XSD.string):
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


class _Data:
    """The data graph as ``predicate -> subject -> objects``, for the predicates needed."""

    def __init__(self, triples: Iterable[ox.Triple], predicates: frozenset[str]) -> None:
        self.index: dict[str, dict[Term, Sequence[Term]]] = {p: {} for p in predicates}
        get, several = self.index.get, []
        for t in triples:
            by_subject = get(t.predicate.value)
            if by_subject is not None:
                s = t.subject
                objects = by_subject.get(s)  # type: ignore[arg-type]
                if objects is None:
                    by_subject[s] = (t.object,)  # type: ignore[index]
                elif type(objects) is tuple:
                    by_subject[s] = [*objects, t.object]  # type: ignore[index,list-item]
                    several.append((by_subject, s))
                else:
                    objects.append(t.object)  # type: ignore[attr-defined]
        for by_subject, s in several:  # the triples are a set
            by_subject[s] = list(dict.fromkeys(by_subject[s]))  # type: ignore[index]
        self._supers: dict[Term, set[Term]] = {}
        self._instances: dict[Term, set[Term]] = {}
        self._by_class: dict[Term, list[Term]] = {}
        for s, types in self.index[_RDF_TYPE].items():
            for t in types:
                self._by_class.setdefault(t, []).append(s)

    def superclasses(self, cls: Term) -> set[Term]:
        """``cls`` and its superclasses by ``rdfs:subClassOf*``."""
        if cls not in self._supers:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self.index[_SUBCLASS].get(todo.pop(), ()):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._supers[cls] = found
        return self._supers[cls]

    def instances(self, cls: Term) -> set[Term]:
        """SHACL instances of ``cls``: ``rdf:type/rdfs:subClassOf*`` (3.2)."""
        if cls not in self._instances:
            self._instances[cls] = {
                s
                for t, nodes in self._by_class.items()
                if cls in self.superclasses(t)
                for s in nodes
            }
        return self._instances[cls]


def _run(data: _Data, shape: _Shape, foci: list[Term], out: list[Violation] | None) -> set[Term]:
    """Validate ``foci`` against ``shape``, adding results to ``out``; the foci that fail.

    ``foci`` may repeat a node (two focus nodes with one value): pyshacl then
    reports twice.  ``out`` None: only conformance is wanted (for ``sh:or``).
    """
    if shape.deactivated or (out is None and not shape.blocking):
        return set()
    if shape.path is None:
        pairs: Pairs = [(f, (f,)) for f in foci]
    else:
        objects = data.index[shape.path]
        pairs = [(f, objects.get(f, ())) for f in foci]
    failed: set[Term] = set()
    for c in shape.constraints:
        for focus, value in c.check(data, pairs):
            failed.add(focus)
            if out is not None:
                out.append(
                    Violation(
                        shape.severity,
                        focus.value,
                        shape.path,
                        None if value is None else value.value,
                        c.message or "",
                        c.component,
                        shape.name,
                    )  # fmt: skip
                )
    for prop in shape.properties:
        if bad := _run(data, prop, [v for _, values in pairs for v in values], out):
            failed.update(f for f, values in pairs if not bad.isdisjoint(values))
    return failed if shape.blocking else set()


def check(compiled: CompiledShapes, triples: Iterable[ox.Triple]) -> ValidationReport:
    """Validate ``triples`` (a set: duplicates count once) against ``compiled``."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the indexes are many small long-lived objects: collecting them is wasted
    try:
        data = _Data(triples, compiled.predicates)
        out: list[Violation] = []
        conforms = True
        for shape, targets in compiled.shapes:
            foci = set(targets.nodes)
            for cls in targets.classes:
                foci |= data.instances(cls)
            for p in targets.subjects_of:
                foci.update(data.index[p])
            for p in targets.objects_of:
                foci.update(o for objects in data.index[p].values() for o in objects)
            conforms = not _run(data, shape, list(foci), out) and conforms
    finally:
        if gc_was_enabled:
            gc.enable()
    out.sort(key=lambda v: (v.focus, v.path or "", v.message, v.component, v.value or ""))
    return ValidationReport(conforms=conforms, violations=tuple(out))


def _each(test: Test) -> Check:
    return lambda data, pairs: [(f, v) for f, values in pairs for v in values if not test(data, v)]


def _counter(parameter: Node, n: int) -> tuple[str, Check]:
    """4.2 and 4.4.1-4.4.2: a blank node has no length (it fails, unless sh:minLength is 0)."""
    if parameter in (SH.minCount, SH.maxCount):
        less = parameter == SH.minCount
        return ("MinCount" if less else "MaxCount"), lambda _, pairs: [
            (f, None) for f, values in pairs if (len(values) < n if less else len(values) > n)
        ]
    if parameter == SH.minLength:
        return "MinLength", _each(lambda _, v: n == 0 or _length(v) >= n)
    return "MaxLength", _each(lambda _, v: 0 <= _length(v) <= n)


def _datatype(rule: str) -> Test:
    """pyshacl's 4.1.2: same datatype, not ill-typed, and the Python value rdflib expects."""
    if rule == str(RDFS.Literal):
        return lambda _, v: isinstance(v, ox.Literal)
    if rule == str(RDFS.Datatype):
        return lambda _, v: (
            isinstance(v, ox.Literal) and not v.language and v.datatype.value != _XSD_STRING
        )
    if rule == str(RDF.langString):
        return lambda _, v: isinstance(v, ox.Literal) and bool(v.language)
    if rule == _XSD_STRING:
        return lambda _, v: isinstance(v, ox.Literal) and v.datatype.value == _XSD_STRING
    return lambda _, v: (
        isinstance(v, ox.Literal) and v.datatype.value == rule and _well_typed(v.value, rule)
    )


@lru_cache(maxsize=1 << 14)
def _well_typed(lexical: str, datatype: str) -> bool:
    literal = _rdflib(lexical, datatype, None)
    expected = _PYTHON_TYPES.get(datatype, object)
    return literal.ill_typed is not True and isinstance(literal.value, expected)


def _in_range(bound: Literal, accepts: Callable[[int], bool]) -> Test:
    """pyshacl's 4.3: ``compare_literal`` (rdflib's equality, then rdflib's order)."""

    @lru_cache(maxsize=1 << 12)
    def passes(lexical: str, datatype: str, language: str | None) -> bool:
        a = _rdflib(lexical, datatype, language)
        if isinstance(a.value, str) != isinstance(bound.value, str):
            return False
        try:
            if a.eq(bound):
                return accepts(0)
            if a.value.__class__ in (datetime, time):
                return accepts(0 if a.value == bound.value else 1 if a.value > bound.value else -1)
            return accepts(1 if a > bound else -1)
        except (TypeError, NotImplementedError):
            return False

    return lambda _, v: isinstance(v, ox.Literal) and passes(v.value, v.datatype.value, v.language)


def _class(cls: Term) -> Check:
    def check(data: _Data, pairs: Pairs) -> list[tuple[Term, Term | None]]:
        instances = data.instances(cls)
        return [(f, v) for f, values in pairs for v in values if v not in instances]

    return check


def _pattern(rx: re.Pattern[str]) -> Test:
    return lambda _, v: not isinstance(v, ox.BlankNode) and rx.search(v.value) is not None


def _has_value(term: Term | None) -> Check:
    return lambda _, pairs: [(f, None) for f, values in pairs if term not in values]


def _unique_lang(_: _Data, pairs: Pairs) -> list[tuple[Term, Term | None]]:
    out: list[tuple[Term, Term | None]] = []
    for f, values in pairs:
        langs = [v.language.lower() for v in values if isinstance(v, ox.Literal) and v.language]
        out += [(f, None)] * len({lang for lang in langs if langs.count(lang) > 1})
    return out


def _or(shapes: Sequence[_Shape]) -> Check:
    def check(data: _Data, pairs: Pairs) -> list[tuple[Term, Term | None]]:
        values = [v for _, vs in pairs for v in vs]
        failing = set(values)
        for shape in shapes:
            failing &= _run(data, shape, values, None)
        return [(f, v) for f, vs in pairs for v in vs if v in failing]

    return check


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile the shapes that have targets, and the shapes they use.

    :raises UnsupportedShapes: a shape uses a feature outside the subset.
    """
    return _Compiler(shapes).compile()


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.nm = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
        for prefix, namespace in graph.namespace_manager.namespaces():
            self.nm.bind(prefix, namespace)
        self.nm.bind("sh", SH, override=False, replace=False)  # as pyshacl does
        self.done: dict[tuple[Node, bool], _Shape] = {}
        self.active: set[Node] = set()
        self.predicates = {_RDF_TYPE, _SUBCLASS}

    def compile(self) -> CompiledShapes:
        g = self.g
        kinds = {SH.ConstraintComponent, *g.subjects(RDFS.subClassOf, SH.ConstraintComponent)}
        if any(not str(c).startswith(_SH) for k in kinds for c in g.subjects(RDF.type, k)):
            raise UnsupportedShapes("custom constraint components (sh:ConstraintComponent)")
        # Every node pyshacl takes for a shape, for implicit class targets (2.1.3.3).
        nodes = {s for s, p, _ in g if p in _TARGETS or p in (SH.property, SH.node)}
        nodes |= {o for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
                  for o in g.objects(None, p)}  # fmt: skip
        nodes |= {m for p in (SH["and"], SH["or"], SH.xone) for x in g.objects(None, p)
                  for m in g.items(x)}  # fmt: skip
        nodes |= {*g.subjects(RDF.type, SH.NodeShape), *g.subjects(RDF.type, SH.PropertyShape)}
        classes = {RDFS.Class, OWL.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
        compiled = []
        for node in sorted(nodes, key=str):
            implicit = not classes.isdisjoint(g.objects(node, RDF.type))
            if implicit or any(g.value(node, p) is not None for p in _TARGETS):
                targets = _Targets(
                    nodes=tuple(map(_ox, g.objects(node, SH.targetNode))),
                    classes=(*map(_ox, g.objects(node, SH.targetClass)), *[_ox(node)] * implicit),
                    subjects_of=tuple(map(self.iri, g.objects(node, SH.targetSubjectsOf))),
                    objects_of=tuple(map(self.iri, g.objects(node, SH.targetObjectsOf))),
                )
                self.predicates.update(targets.subjects_of, targets.objects_of)
                compiled.append((self.shape(node, reporting=True), targets))
        return CompiledShapes(shapes=tuple(compiled), predicates=frozenset(self.predicates))

    def iri(self, node: Node) -> str:
        if not isinstance(node, URIRef):
            raise UnsupportedShapes(f"{node.n3()} where an IRI is expected")
        return str(node)

    def one(self, node: Node, parameter: URIRef) -> Node | None:
        values = list(self.g.objects(node, parameter))
        if len(values) > 1:
            raise UnsupportedShapes(f"{node.n3(self.nm)} has several {parameter.n3(self.nm)}")
        return values[0] if values else None

    def shape(self, node: Node, *, reporting: bool) -> _Shape:
        """The shape ``node`` compiled; ``reporting``: its results reach the report."""
        if (node, reporting) in self.done:
            return self.done[node, reporting]
        g, name = self.g, node.n3(self.nm)
        if node in self.active:
            raise UnsupportedShapes(f"recursive shapes at {name}")
        self.active.add(node)
        unknown = {p for p in g.predicates(node) if str(p).startswith(_SH)} - _KNOWN
        if unknown:
            raise UnsupportedShapes(
                f"{name} uses {', '.join(sorted(self.text(p) for p in unknown))}"
            )
        path = self.one(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShapes(f"{name} has a complex sh:path")
        deactivated = self.one(node, SH.deactivated)
        if not isinstance(deactivated, Literal | None):
            raise UnsupportedShapes(f"{name} has a non-literal sh:deactivated")
        messages = set(g.objects(node, SH.message))  # pyshacl reports the first of the set
        severity = next(iter(set(g.objects(node, SH.severity))), SH.Violation)
        constraints = self.constraints(node, path, str(next(iter(messages))) if messages else None)
        for c in constraints if reporting else ():
            if c.message is None:
                raise UnsupportedShapes(f"{name} needs a sh:message for its {c.component}")
        properties = []
        for prop in g.objects(node, SH.property):
            if g.value(prop, SH.path) is None:
                raise UnsupportedShapes(f"{name}: sh:property {prop.n3(self.nm)} has no sh:path")
            properties.append(self.shape(prop, reporting=reporting))
        self.active.discard(node)
        if path is not None:
            self.predicates.add(str(path))
        self.done[node, reporting] = shape = _Shape(
            name=str(node) if isinstance(node, URIRef) else None,
            path=None if path is None else str(path),
            severity=str(severity).rsplit("#", 1)[-1],
            blocking=severity not in (SH.Warning, SH.Info),
            deactivated=deactivated is not None and bool(deactivated.value),
            constraints=tuple(constraints),
            properties=tuple(properties),
        )
        return shape

    def constraints(self, node: Node, path: Node | None, message: str | None) -> list[_Constraint]:
        g, out = self.g, []

        def add(component: str, check: Check, generic: str | None = None) -> None:
            out.append(_Constraint(f"{component}ConstraintComponent", message or generic, check))

        for parameter in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            if (n := self.one(node, parameter)) is None:
                continue
            if not (isinstance(n, Literal) and n.datatype == XSD.integer and n.value >= 0):
                raise UnsupportedShapes(f"{node.n3(self.nm)}: {parameter.n3(self.nm)} {n.n3()}")
            if path is None and parameter in (SH.minCount, SH.maxCount):
                raise UnsupportedShapes(f"{parameter.n3(self.nm)} on node shape {node.n3()}")
            add(*_counter(parameter, n.value))
        classes = list(g.objects(node, SH["class"]))
        for cls in classes:
            generic = f"Value class is not in classes ({', '.join(map(self.text, classes))})"
            if len(classes) == 1:
                generic = f"Value does not have class {self.text(cls)}"
            add("Class", _class(_ox(cls)), generic)
        if (dt := self.one(node, SH.datatype)) is not None:
            generic = f"Value is not Literal with datatype {self.text(dt)}"
            add("Datatype", _each(_datatype(self.iri(dt))), generic)
        if (kind := self.one(node, SH.nodeKind)) is not None:
            kinds = _KINDS.get(kind, ())
            generic = f"Value is not of Node Kind {self.text(kind)}"
            add("NodeKind", _each(lambda _, v: isinstance(v, kinds)), generic)
        patterns = list(g.objects(node, SH.pattern))
        flags = str(next(iter(set(g.objects(node, SH.flags))), "")).lower()
        re_flags = (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0)
        for p in patterns:
            if not isinstance(p, Literal):
                raise UnsupportedShapes(f"{node.n3(self.nm)}: sh:pattern {p.n3()}")
            listed = "', '".join(str(q.value) for q in patterns if isinstance(q, Literal))
            generic = f"Value does not match every pattern in ('{listed}')"
            if len(patterns) == 1:
                generic = f"Value does not match pattern '{p.value}'"
            add("Pattern", _each(_pattern(re.compile(str(p), re_flags))), generic)
        if (unique := self.one(node, SH.uniqueLang)) is not None:
            if (
                path is None
                or not isinstance(unique, Literal)
                or not isinstance(unique.value, bool)
            ):
                raise UnsupportedShapes(f"{node.n3(self.nm)}: sh:uniqueLang {unique.n3()}")
            if unique.value:
                add("UniqueLang", _unique_lang, "More than one String shares the same Language")
        for bound_parameter, (component, op, accepts) in _RANGES.items():
            bounds = list(g.objects(node, bound_parameter))
            for b in bounds:
                if not isinstance(b, Literal):
                    raise UnsupportedShapes(f"{node.n3(self.nm)}: {b.n3()} as a bound")
                listed = ", ".join(map(self.text, bounds))
                generic = (
                    f"Value is not {op} {self.text(b) if len(bounds) == 1 else f'in ({listed})'}"
                )
                add(component, _each(_in_range(b, accepts)), generic)
        if (members := self.one(node, SH["in"])) is not None:
            allowed = frozenset(_ox(m) for m in g.items(members) if self.comparable(m))
            add("In", _each(lambda _, v: v in allowed))
        for value in g.objects(node, SH.hasValue):
            term = _ox(value) if self.comparable(value) else None
            add("HasValue", _has_value(term))
        for alternatives in g.objects(node, SH["or"]):
            members_ = [self.shape(m, reporting=False) for m in set(g.items(alternatives))]
            if not members_:
                raise UnsupportedShapes(f"{node.n3(self.nm)}: an empty sh:or")
            add("Or", _or(members_))
        return out

    @staticmethod
    def comparable(node: Node) -> bool:
        """Can ``node`` equal a data term?  (In rdflib, ``"a"^^xsd:string`` is not ``"a"``.)"""
        return not (isinstance(node, Literal) and node.datatype == XSD.string)

    def text(self, node: Node) -> str:
        """pyshacl's ``stringify_node`` of an IRI or literal of the shapes graph."""
        if isinstance(node, URIRef):
            return node.n3(self.nm)
        if not isinstance(node, Literal):
            raise UnsupportedShapes(f"a blank node {node.n3()} as a constraint parameter")
        value = None if node.value is None else str(node.value).split(" object at 0x")[0]
        text = f'"{node}" = {value}' if value not in (None, str(node)) else f'"{node}"'
        text += f", lang={node.language}" if node.language else ""
        text += f", datatype={self.text(node.datatype)}" if node.datatype else ""
        return f"Literal({text})"


def _length(v: Term) -> int:
    """Length of the string of ``v``; -1 for a blank node (never passes 4.4.1-4.4.3)."""
    return -1 if isinstance(v, ox.BlankNode) else len(v.value)
