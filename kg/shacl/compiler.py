"""Shapes (an rdflib Graph) compiled once into the engine's checks, or refused."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD, NamespaceManager
from rdflib.term import Node

from kg.shacl.constraints import (
    KINDS,
    RANGES,
    any_of,
    count,
    each,
    has_value,
    in_range,
    length_within,
    node_kind,
    of_class,
    of_datatype,
    pattern,
    strings,
    unique_lang,
    xpath_anchors,
)
from kg.shacl.engine import (
    STRING,
    SUBCLASS,
    TYPE,
    Check,
    CompiledShapes,
    Constraint,
    Shape,
    Targets,
    Term,
    UnsupportedShapes,
)
from kg.terms import to_ox

_SH = str(SH)
_TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
_KNOWN = {*_TARGETS, SH.path, SH.property, SH.deactivated, SH.severity, SH.message, SH.name,
          SH.description, SH.order, SH.group, SH.defaultValue, SH["class"], SH.datatype,
          SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive, SH.maxInclusive,
          SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern, SH.flags,
          SH.uniqueLang, SH["in"], SH.hasValue, SH["or"]}  # fmt: skip


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
        self.done: dict[tuple[Node, bool], Shape] = {}
        self.active: set[Node] = set()
        self.predicates = {TYPE, SUBCLASS}

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
                targets = Targets(
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

    def shape(self, node: Node, *, reporting: bool) -> Shape:
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
        self.done[node, reporting] = shape = Shape(
            name=str(node) if isinstance(node, URIRef) else None,
            path=None if path is None else str(path),
            severity=str(severity).rsplit("#", 1)[-1],
            blocking=severity not in (SH.Warning, SH.Info),
            deactivated=deactivated is not None and bool(deactivated.value),
            constraints=tuple(constraints),
            properties=tuple(properties),
        )
        return shape

    def constraints(self, node: Node, path: Node | None, message: str | None) -> list[Constraint]:
        """The constraints of a shape; ``message``: its sh:message, else pyshacl's own."""
        g, out, name = self.g, [], node.n3(self.nm)

        def add(
            parameter: URIRef, check: Check, value: Node = RDF.nil, of: Sequence[Node] = ()
        ) -> None:
            """``value``: the parameter's value, ``of``: all its values (for the message)."""
            local = parameter.removeprefix(_SH)  # sh:minCount: sh:MinCountConstraintComponent
            component = f"{local[0].upper()}{local[1:]}ConstraintComponent"
            text = message or self.generated(parameter, value, of)
            out.append(Constraint(component, text, check))

        for parameter in (SH.minCount, SH.maxCount, SH.minLength, SH.maxLength):
            if (n := self.one(node, parameter)) is None:
                continue
            if not (isinstance(n, Literal) and isinstance(n.value, int) and n.value >= 0):
                raise UnsupportedShapes(f"{name}: {parameter.n3(self.nm)} {n.n3()}")
            minimum = parameter in (SH.minCount, SH.minLength)
            if parameter in (SH.minLength, SH.maxLength):
                add(parameter, each(length_within(minimum, n.value)))
            elif path is None:
                raise UnsupportedShapes(f"{name}: {parameter.n3(self.nm)} on a node shape")
            else:
                add(parameter, count(minimum, n.value))
        classes = list(g.objects(node, SH["class"]))
        for cls in classes:
            add(SH["class"], of_class(_term(cls)), cls, classes)
        if (datatype := self.one(node, SH.datatype)) is not None:
            rule = self.iri(datatype)
            add(SH.datatype, strings if rule == STRING else each(of_datatype(rule)), datatype)
        if (kind := self.one(node, SH.nodeKind)) is not None:
            add(SH.nodeKind, node_kind(KINDS.get(kind, "")), kind)
        patterns = list(g.objects(node, SH.pattern))
        flags = str(next(iter(set(g.objects(node, SH.flags))), "")).lower()
        re_flags = (re.I if "i" in flags else 0) | (re.M if "m" in flags else 0)
        for p in patterns:
            if not isinstance(p, Literal):
                raise UnsupportedShapes(f"{name}: sh:pattern {p.n3()}")
            rx = re.compile(xpath_anchors(str(p), multiline="m" in flags), re_flags)
            add(SH.pattern, each(pattern(rx)), p, patterns)
        if (unique := self.one(node, SH.uniqueLang)) is not None:
            if path is None or not isinstance(unique, Literal) or type(unique.value) is not bool:
                raise UnsupportedShapes(f"{name}: sh:uniqueLang {unique.n3()}")
            if unique.value:
                add(SH.uniqueLang, unique_lang)
        for parameter, (_, accepts) in RANGES.items():
            bounds = list(g.objects(node, parameter))
            for b in bounds:
                if not isinstance(b, Literal):
                    raise UnsupportedShapes(f"{name}: {parameter.n3(self.nm)} {b.n3()}")
                add(parameter, each(in_range(b, accepts)), b, bounds)
        if (members := self.one(node, SH["in"])) is not None:
            allowed = frozenset(map(_data_term, g.items(members))) - {None}
            add(SH["in"], each(allowed.__contains__))
        for value in g.objects(node, SH.hasValue):
            add(SH.hasValue, has_value(_data_term(value)))
        for alternatives in g.objects(node, SH["or"]):
            shapes = [self.shape(m, reporting=False) for m in set(g.items(alternatives))]
            if not shapes:
                raise UnsupportedShapes(f"{name}: an empty sh:or")
            add(SH["or"], any_of(shapes))
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
        if parameter in RANGES:
            shown = f"in ({', '.join(map(self.text, values))})" if several else self.text(value)
            return f"Value is not {RANGES[parameter][0]} {shown}"
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
