"""A compiled SHACL Core subset validator that gives pyshacl's results, ~30x faster.

pyshacl (the reference, see :mod:`kg.validate`) interprets the shapes graph focus node
by focus node.  :func:`compile_shapes` turns shapes (https://www.w3.org/TR/shacl/) once
into Python checks; :func:`check` groups the triples by predicate and runs each check over
all focus nodes at once.  Terms are the pipeline's N-Triples text (:mod:`kg.terms`): a
node's kind is its first character, and only the literals a check reads are taken apart.
A shape outside this subset makes :func:`compile_shapes` raise :class:`UnsupportedShapes`
(the caller then uses pyshacl):

* 2.1.3 targets (``sh:targetNode``, ``sh:targetClass``, implicit class targets,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``); 2.1.4-2.1.6 ``sh:severity``,
  ``sh:message``, ``sh:deactivated``; 2.3.1 property paths that are one IRI;
* 4.1 ``sh:class``, ``sh:datatype``, ``sh:nodeKind``; 4.2 ``sh:minCount``, ``sh:maxCount``;
  4.3 ``sh:minInclusive``, ``sh:maxInclusive``, ``sh:minExclusive``, ``sh:maxExclusive``;
  4.4 ``sh:minLength``, ``sh:maxLength``, ``sh:pattern`` (and ``sh:flags``),
  ``sh:uniqueLang``; 4.6.3 ``sh:or``; 4.7.2 ``sh:property``; 4.8 ``sh:hasValue``, ``sh:in``.

The results (3.6) are the :class:`~kg.types.Violation` records :func:`kg.validate.validate`
makes of pyshacl's report (``inference="none"``, ``allow_warnings=True``) for the rdflib
view of the triples (``kg.terms.to_rdflib_graph``: lexical forms kept, ``xsd:string``
plain), so this follows pyshacl where pyshacl departs from the spec: rdflib decides
whether a literal is well-typed (an ``xsd:gYear`` always is) and how literals compare;
``sh:pattern`` is ``re.search`` with the ``i`` and ``m`` flags only (but ``$`` is the end of
the string, as in XPath, where pyshacl also matches before a final newline); a result's message is
its own shape's ``sh:message`` (one of several: the one pyshacl picks), never its parent's;
a ``sh:Warning`` or ``sh:Info`` shape conforms, inside ``sh:or`` too.  With no
``sh:message``, pyshacl generates one; those of ``sh:minCount``, ``sh:maxCount``,
``sh:minLength``, ``sh:maxLength``, ``sh:in``, ``sh:hasValue`` and ``sh:or`` print data terms
with the data graph's prefixes, which triples do not have, so these need a ``sh:message``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from itertools import compress
from operator import itemgetter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD, NamespaceManager
from rdflib.term import Node

from kg.runtime import bulk_allocation
from kg.terms import NTriple, literal_parts, to_ox
from kg.types import ValidationReport, Violation

Term = str  #: N-Triples text
Edge = tuple[Term, Term]  # (focus node, value node)
Failure = tuple[Term, Term | None]  # (focus node, sh:value)
Check = Callable[["_Data", "_Values"], list[Failure]]
Passes = Callable[[Term], bool]  # a test of one value node


class UnsupportedShapes(Exception):
    """The shapes use a feature outside this engine's subset (the message says which)."""


@dataclass(frozen=True, slots=True)
class _Constraint:
    component: str  #: local name of the sh:sourceConstraintComponent
    message: str | None  #: None: pyshacl would generate it from data terms
    check: Check


@dataclass(frozen=True, slots=True, eq=False)
class _Shape:
    name: str | None  #: the shape's IRI (None: a blank node)
    path: str | None  #: the predicate of a property shape
    severity: str  #: as kg.validate reports it
    blocking: bool  #: a failure makes it non-conforming (not sh:Warning, not sh:Info)
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
    """The shapes that have targets, compiled by :func:`compile_shapes` for :func:`check`."""

    shapes: tuple[tuple[_Shape, _Targets], ...]
    predicates: frozenset[str]  #: the predicates :func:`check` reads


_SH, _TYPE, _SUBCLASS, _STRING = str(SH), str(RDF.type), str(RDFS.subClassOf), str(XSD.string)
_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
_KNOWN = {*_TARGETS, SH.path, SH.property, SH.deactivated, SH.severity, SH.message, SH.name,
          SH.description, SH.order, SH.group, SH.defaultValue, SH["class"], SH.datatype,
          SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive, SH.maxInclusive,
          SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags,
          SH.uniqueLang, SH["in"], SH.hasValue, SH["or"]}  # fmt: skip
_KINDS: dict[Node, str] = {  # node kind -> the first characters of its terms
    SH.IRI: "<", SH.BlankNode: "_", SH.Literal: '"',
    SH.BlankNodeOrIRI: "_<", SH.IRIOrLiteral: '<"', SH.BlankNodeOrLiteral: '_"',
}  # fmt: skip
_VALUE_TYPES: dict[str, type] = {  # what pyshacl wants rdflib's literal value to be (4.1.2)
    str(XSD.integer): int, str(XSD.float): float, str(XSD.decimal): Decimal,
    str(XSD.boolean): bool, str(XSD.date): date, str(XSD.time): time, str(XSD.dateTime): datetime,
}  # fmt: skip
_RANGES: dict[URIRef, tuple[str, Callable[[int], bool]]] = {  # 4.3
    SH.minInclusive: (">=", lambda c: c >= 0),
    SH.minExclusive: (">", lambda c: c > 0),
    SH.maxInclusive: ("<=", lambda c: c <= 0),
    SH.maxExclusive: ("<", lambda c: c < 0),
}


class _Data:
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
        for s, o in zip(*self.columns[_TYPE], strict=True):
            self._by_type.setdefault(o, []).append(s)
        self._super: dict[Term, list[Term]] = {}
        for s, o in zip(*self.columns[_SUBCLASS], strict=True):
            self._super.setdefault(s, []).append(o)
        self._instances: dict[Term, set[Term]] = {}

    def values(self, predicate: str, foci: dict[Term, int]) -> _Values:
        """The values of ``foci`` by ``predicate``."""
        subjects, objects = self.columns[predicate]
        mask = list(map(foci.__contains__, subjects))
        return _Values(foci, list(compress(subjects, mask)), list(compress(objects, mask)))

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


class _Values:
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


def _run(
    data: _Data, shape: _Shape, foci: dict[Term, int], out: list[Violation] | None
) -> set[Term]:
    """Validate ``foci`` against ``shape`` and add the results to ``out``; the foci that fail.

    ``out`` None: only conformance matters (``sh:or``), so a non-blocking shape conforms.
    """
    if shape.deactivated or (out is None and not shape.blocking):
        return set()
    if shape.path is None:
        values = _Values(foci, list(foci), list(foci))
    else:
        values = data.values(shape.path, foci)
    failed: set[Term] = set()
    for c in shape.constraints:
        for focus, value in c.check(data, values):
            failed.add(focus)
            if out is not None:
                text = None if value is None else _value(value)
                result = Violation(shape.severity, _value(focus), shape.path, text,
                                   c.message or "", c.component, shape.name)  # fmt: skip
                out += [result] * foci[focus]
    for prop in shape.properties:
        if shape.path is None:  # the value of a focus node is the focus node
            failed |= _run(data, prop, foci, out)
            continue
        nodes: dict[Term, int] = Counter()
        for f, vs in values.groups().items():
            for v in vs:
                nodes[v] += foci[f]
        if bad := _run(data, prop, nodes, out):
            failed.update(f for f, vs in values.groups().items() if not bad.isdisjoint(vs))
    return failed if shape.blocking else set()


def check(compiled: CompiledShapes, triples: Iterable[NTriple]) -> ValidationReport:
    """Validate ``triples`` (a set: a triple given twice counts once) against the shapes."""
    with bulk_allocation():  # the columns: many small objects that live to the end
        data = _Data(triples, compiled.predicates)
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
            conforms = not _run(data, shape, dict.fromkeys(foci, 1), out) and conforms
        del data
    out.sort(key=lambda v: (v.focus, v.path or "", v.message, v.component, v.value or ""))
    return ValidationReport(conforms=conforms, violations=tuple(out))


def _unique(failures: list[Failure]) -> list[Failure]:
    return list(dict.fromkeys(failures)) if len(failures) > 1 else failures


def _each(passes: Passes) -> Check:
    """A constraint on each value node alone (4.1, 4.3, 4.4.1-4.4.3, 4.8.3)."""
    return lambda _, values: _unique([(f, v) for f, v in values.pairs() if not passes(v)])


def _class(cls: Term) -> Check:
    def check(data: _Data, values: _Values) -> list[Failure]:
        instances = data.instances(cls)
        return _unique([(f, v) for f, v in values.pairs() if v not in instances])

    return check


def _node_kind(kinds: str) -> Check:
    return lambda _, values: _unique([(f, v) for f, v in values.pairs() if v[0] not in kinds])


def _strings(_: _Data, values: _Values) -> list[Failure]:
    """``sh:datatype xsd:string``, the most common constraint, without a call per value."""
    return _unique([(f, v) for f, v in values.pairs() if not (v[0] == '"' == v[-1])])


def _count(minimum: bool, n: int) -> Check:
    def check(_: _Data, values: _Values) -> list[Failure]:
        counts = values.counts()  # the foci with values
        if not minimum:
            return [(f, None) for f, count in counts.items() if count > n]
        return [(f, None) for f in values.foci if counts.get(f, 0) < n]

    return check


@lru_cache(maxsize=1 << 14)
def _rdflib(lexical: str, datatype: str, language: str | None) -> Literal:
    """A data literal as pyshacl sees it (``kg.terms.to_rdflib``)."""
    if language:
        return Literal(lexical, lang=language)
    if datatype == _STRING:
        return Literal(lexical)
    return Literal(lexical, datatype=URIRef(datatype), normalize=False)


@lru_cache(maxsize=1 << 14)
def _well_typed(lexical: str, datatype: str) -> bool:
    literal = _rdflib(lexical, datatype, None)
    return literal.ill_typed is not True and isinstance(
        literal.value, _VALUE_TYPES.get(datatype, object)
    )


def _datatype(rule: str) -> Passes:
    """pyshacl's 4.1.2: the same datatype, not ill-typed, and the Python value expected."""
    if rule == str(RDFS.Literal):
        return lambda v: v[0] == '"'
    if rule == str(RDFS.Datatype):  # typed: the text ends with its datatype's ">"
        return lambda v: v[0] == '"' and v[-1] == ">"
    if rule == str(RDF.langString):
        return lambda v: v[0] == '"' and v[-1] not in '">'
    suffix = f'"^^<{rule}>'
    return lambda v: v.endswith(suffix) and v[0] == '"' and _well_typed(_lexical(v), rule)


def _in_range(bound: Literal, accepts: Callable[[int], bool]) -> Passes:
    """pyshacl's 4.3: its ``compare_literal`` (rdflib's equality, then rdflib's order)."""

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
        except (TypeError, NotImplementedError, ArithmeticError):  # pyshacl: not the last
            return False

    def literal_passes(v: Term) -> bool:
        if v[0] != '"':
            return False
        lexical, datatype, language = literal_parts(v)
        return passes(lexical, datatype or _STRING, language)

    return literal_passes


def _length_within(minimum: bool, n: int) -> Passes:
    """4.4.1-4.4.2: a blank node has no length, so it fails (unless sh:minLength is 0)."""
    if minimum:
        return lambda v: n == 0 or (v[0] != "_" and len(_value(v)) >= n)
    return lambda v: v[0] != "_" and len(_value(v)) <= n


def _xpath_anchors(pattern: str, *, multiline: bool) -> str:
    """XPath's ``$`` is the end of the string (without the ``m`` flag); Python's
    also matches before a final newline, so "10.1/x\\n" would pass "^10\\.[^\\s]+$".
    Unescaped ``$`` outside character classes becomes ``\\Z``: the one place
    this engine follows the SHACL spec where pyshacl does not."""
    if multiline:
        return pattern
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)


def _pattern(rx: re.Pattern[str]) -> Passes:
    return lambda v: v[0] != "_" and rx.search(_value(v)) is not None


def _has_value(term: Term | None) -> Check:
    return lambda _, values: [(f, None) for f, vs in values.groups().items() if term not in vs]


def _unique_lang(_: _Data, values: _Values) -> list[Failure]:
    out: list[Failure] = []
    for f, vs in values.groups().items():
        langs = [lang.lower() for v in vs if v[0] == '"' and (lang := literal_parts(v)[2])]
        out += [(f, None)] * len({lang for lang in langs if langs.count(lang) > 1})
    return out


def _or(shapes: Sequence[_Shape]) -> Check:
    def check(data: _Data, values: _Values) -> list[Failure]:
        nodes = dict.fromkeys(values.nodes, 1)
        failing = set(nodes)
        for shape in shapes:
            failing &= _run(data, shape, nodes, None)
        return _unique([(f, v) for f, v in values.pairs() if v in failing])

    return check


def _lexical(text: Term) -> str:
    return literal_parts(text)[0]


def _value(text: Term) -> str:
    """What a result shows of a term: an IRI, a blank node's label, a lexical form."""
    first = text[0]
    if first == "<":
        return text[1:-1]
    if first == "_":
        return text[2:]
    return _lexical(text)


def _term(node: Node) -> Term:
    """A term of the shapes graph as the data's text (pyoxigraph checks it)."""
    return str(to_ox(node))


def _data_term(node: Node) -> Term | None:
    """The data term equal to ``node`` in rdflib, where ``"a"^^xsd:string`` is not ``"a"``."""
    return None if isinstance(node, Literal) and node.datatype == XSD.string else _term(node)


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile the shapes that have targets, and the shapes they use.

    :raises UnsupportedShapes: one of them uses a feature outside the subset.
    """
    try:
        return _Compiler(shapes).compile()
    except (ValueError, re.error) as e:  # pyoxigraph refuses a term, or Python a regex
        raise UnsupportedShapes(f"{type(e).__name__}: {e}") from e


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.nm = NamespaceManager(Graph(bind_namespaces="none"), bind_namespaces="none")
        for prefix, namespace in graph.namespace_manager.namespaces():
            self.nm.bind(prefix, namespace)
        self.nm.bind("sh", SH, override=False, replace=False)  # as pyshacl does
        self.done: dict[tuple[Node, bool], _Shape] = {}
        self.active: set[Node] = set()
        self.predicates = {_TYPE, _SUBCLASS}

    def compile(self) -> CompiledShapes:
        g = self.g
        kinds = {SH.ConstraintComponent, *g.subjects(RDFS.subClassOf, SH.ConstraintComponent)}
        if any(not str(c).startswith(_SH) for k in kinds for c in g.subjects(RDF.type, k)):
            raise UnsupportedShapes("custom constraint components (sh:ConstraintComponent)")
        if (None, SH.target, None) in g:
            raise UnsupportedShapes("SHACL-AF custom targets (sh:target)")
        # The nodes pyshacl takes for shapes, for implicit class targets (2.1.3.3).
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
                    nodes=tuple(map(_term, g.objects(node, SH.targetNode))),
                    classes=(
                        *map(_term, g.objects(node, SH.targetClass)),
                        *[_term(node)] * implicit,
                    ),
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
        """The shape ``node``; ``reporting``: its results reach the report (not in sh:or)."""
        if (node, reporting) in self.done:
            return self.done[node, reporting]
        g, name = self.g, node.n3(self.nm)
        if node in self.active:
            raise UnsupportedShapes(f"recursive shapes at {name}")
        self.active.add(node)
        if unknown := {p for p in g.predicates(node) if str(p).startswith(_SH)} - _KNOWN:
            raise UnsupportedShapes(f"{name} uses {', '.join(sorted(map(self.text, unknown)))}")
        path = self.one(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise UnsupportedShapes(f"{name} has a complex sh:path")
        deactivated = self.one(node, SH.deactivated)
        if not isinstance(deactivated, Literal | None):
            raise UnsupportedShapes(f"{name} has a sh:deactivated that is not a literal")
        messages = set(g.objects(node, SH.message))  # pyshacl reports the first of the set
        # kg.validate reports an empty message as "does not conform"
        message = (str(next(iter(messages))) or "does not conform") if messages else None
        severity = next(iter(set(g.objects(node, SH.severity))), SH.Violation)
        constraints = self.constraints(node, path, message)
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
        """The constraints of a shape; ``message``: its sh:message, else pyshacl's own."""
        g, out, name = self.g, [], node.n3(self.nm)

        def add(
            parameter: URIRef, check: Check, value: Node = RDF.nil, of: Sequence[Node] = ()
        ) -> None:
            """``value``: the parameter's value, ``of``: all its values (for the message)."""
            local = parameter.removeprefix(_SH)  # sh:minCount: sh:MinCountConstraintComponent
            component = f"{local[0].upper()}{local[1:]}ConstraintComponent"
            text = message or self.generated(parameter, value, of)
            out.append(_Constraint(component, text, check))

        for parameter in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            if (n := self.one(node, parameter)) is None:
                continue
            if not (isinstance(n, Literal) and isinstance(n.value, int) and n.value >= 0):
                raise UnsupportedShapes(f"{name}: {parameter.n3(self.nm)} {n.n3()}")
            minimum = parameter in (SH.minCount, SH.minLength)
            if parameter in (SH.minLength, SH.maxLength):
                add(parameter, _each(_length_within(minimum, n.value)))
            elif path is None:
                raise UnsupportedShapes(f"{name}: {parameter.n3(self.nm)} on a node shape")
            else:
                add(parameter, _count(minimum, n.value))
        classes = list(g.objects(node, SH["class"]))
        for cls in classes:
            add(SH["class"], _class(_term(cls)), cls, classes)
        if (datatype := self.one(node, SH.datatype)) is not None:
            rule = self.iri(datatype)
            add(SH.datatype, _strings if rule == _STRING else _each(_datatype(rule)), datatype)
        if (kind := self.one(node, SH.nodeKind)) is not None:
            add(SH.nodeKind, _node_kind(_KINDS.get(kind, "")), kind)
        patterns = list(g.objects(node, SH.pattern))
        flags = str(next(iter(set(g.objects(node, SH.flags))), "")).lower()
        re_flags = (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0)
        for p in patterns:
            if not isinstance(p, Literal):
                raise UnsupportedShapes(f"{name}: sh:pattern {p.n3()}")
            rx = re.compile(_xpath_anchors(str(p), multiline="m" in flags), re_flags)
            add(SH.pattern, _each(_pattern(rx)), p, patterns)
        if (unique := self.one(node, SH.uniqueLang)) is not None:
            if path is None or not isinstance(unique, Literal) or type(unique.value) is not bool:
                raise UnsupportedShapes(f"{name}: sh:uniqueLang {unique.n3()}")
            if unique.value:
                add(SH.uniqueLang, _unique_lang)
        for parameter, (_, accepts) in _RANGES.items():
            bounds = list(g.objects(node, parameter))
            for b in bounds:
                if not isinstance(b, Literal):
                    raise UnsupportedShapes(f"{name}: {parameter.n3(self.nm)} {b.n3()}")
                add(parameter, _each(_in_range(b, accepts)), b, bounds)
        if (members := self.one(node, SH["in"])) is not None:
            allowed = frozenset(map(_data_term, g.items(members))) - {None}
            add(SH["in"], _each(allowed.__contains__))
        for value in g.objects(node, SH.hasValue):
            add(SH.hasValue, _has_value(_data_term(value)))
        for alternatives in g.objects(node, SH["or"]):
            shapes = [self.shape(m, reporting=False) for m in set(g.items(alternatives))]
            if not shapes:
                raise UnsupportedShapes(f"{name}: an empty sh:or")
            add(SH["or"], _or(shapes))
        return out

    def generated(self, parameter: URIRef, value: Node, values: Sequence[Node]) -> str | None:
        """pyshacl's message for a shape without sh:message; None: it prints data terms."""
        several = len(values) > 1
        if parameter == SH["class"]:
            if several:
                return f"Value class is not in classes ({', '.join(map(self.text, values))})"
            return f"Value does not have class {self.text(value)}"
        if parameter == SH.datatype:
            return f"Value is not Literal with datatype {self.text(value)}"
        if parameter == SH.nodeKind:
            return f"Value is not of Node Kind {self.text(value)}"
        if parameter == SH.pattern:
            if several:
                listed = "', '".join(str(getattr(p, "value", p)) for p in values)
                return f"Value does not match every pattern in ('{listed}')"
            return f"Value does not match pattern '{getattr(value, 'value', value)}'"
        if parameter == SH.uniqueLang:
            return "More than one String shares the same Language"
        if parameter in _RANGES:
            shown = f"in ({', '.join(map(self.text, values))})" if several else self.text(value)
            return f"Value is not {_RANGES[parameter][0]} {shown}"
        return None

    def text(self, node: Node) -> str:
        """pyshacl's ``stringify_node`` of an IRI or literal of the shapes graph."""
        if isinstance(node, URIRef):
            return node.n3(self.nm)
        if not isinstance(node, Literal):
            raise UnsupportedShapes(f"a blank node ({node.n3()}) as a constraint parameter")
        value = None if node.value is None else str(node.value)
        if value is not None and value.find(" object at 0x") > 0:
            value = value[: value.find(" object at 0x")]
        text = f'"{node}"' if value in (None, str(node)) else f'"{node}" = {value}'
        text += f", lang={node.language}" if node.language else ""
        text += f", datatype={self.text(node.datatype)}" if node.datatype else ""
        return f"Literal({text})"
