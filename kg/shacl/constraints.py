"""The constraint components of SHACL Core (https://www.w3.org/TR/shacl/#core-components)
as checks over a shape's value nodes, giving pyshacl's results."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.shacl.engine import (
    STRING,
    Check,
    Data,
    Failure,
    Passes,
    Shape,
    Term,
    Values,
    lexical,
    run,
    value_of,
)
from kg.terms import literal_parts

KINDS: dict[Node, str] = {  # node kind -> the first characters of its terms
    SH.IRI: "<", SH.BlankNode: "_", SH.Literal: '"',
    SH.BlankNodeOrIRI: "_<", SH.IRIOrLiteral: '<"', SH.BlankNodeOrLiteral: '_"',
}  # fmt: skip
_VALUE_TYPES: dict[str, type] = {  # what pyshacl wants rdflib's literal value to be (4.1.2)
    str(XSD.integer): int, str(XSD.float): float, str(XSD.decimal): Decimal,
    str(XSD.boolean): bool, str(XSD.date): date, str(XSD.time): time, str(XSD.dateTime): datetime,
}  # fmt: skip
RANGES: dict[URIRef, tuple[str, Callable[[int], bool]]] = {  # 4.3
    SH.minInclusive: (">=", lambda c: c >= 0),
    SH.minExclusive: (">", lambda c: c > 0),
    SH.maxInclusive: ("<=", lambda c: c <= 0),
    SH.maxExclusive: ("<", lambda c: c < 0),
}


def unique(failures: list[Failure]) -> list[Failure]:
    return list(dict.fromkeys(failures)) if len(failures) > 1 else failures


def each(passes: Passes) -> Check:
    """A constraint on each value node alone (4.1, 4.3, 4.4.1-4.4.3, 4.8.3)."""
    return lambda _, values: unique([(f, v) for f, v in values.pairs() if not passes(v)])


def of_class(cls: Term) -> Check:
    def check(data: Data, values: Values) -> list[Failure]:
        instances = data.instances(cls)
        return unique([(f, v) for f, v in values.pairs() if v not in instances])

    return check


def node_kind(kinds: str) -> Check:
    return lambda _, values: unique([(f, v) for f, v in values.pairs() if v[0] not in kinds])


def strings(_: Data, values: Values) -> list[Failure]:
    """``sh:datatype xsd:string``, the most common constraint, without a call per value."""
    return unique([(f, v) for f, v in values.pairs() if not (v[0] == '"' == v[-1])])


def count(minimum: bool, n: int) -> Check:
    def check(_: Data, values: Values) -> list[Failure]:
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
    if datatype == STRING:
        return Literal(lexical)
    return Literal(lexical, datatype=URIRef(datatype), normalize=False)


@lru_cache(maxsize=1 << 14)
def _well_typed(lexical: str, datatype: str) -> bool:
    literal = _rdflib(lexical, datatype, None)
    return literal.ill_typed is not True and isinstance(
        literal.value, _VALUE_TYPES.get(datatype, object)
    )


def of_datatype(rule: str) -> Passes:
    """pyshacl's 4.1.2: the same datatype, not ill-typed, and the Python value expected."""
    if rule == str(RDFS.Literal):
        return lambda v: v[0] == '"'
    if rule == str(RDFS.Datatype):  # typed: the text ends with its datatype's ">"
        return lambda v: v[0] == '"' and v[-1] == ">"
    if rule == str(RDF.langString):
        return lambda v: v[0] == '"' and v[-1] not in '">'
    suffix = f'"^^<{rule}>'
    return lambda v: v.endswith(suffix) and v[0] == '"' and _well_typed(lexical(v), rule)


def in_range(bound: Literal, accepts: Callable[[int], bool]) -> Passes:
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
        text, type_, language = literal_parts(v)
        return passes(text, type_ or STRING, language)

    return literal_passes


def length_within(minimum: bool, n: int) -> Passes:
    """4.4.1-4.4.2: a blank node has no length, so it fails (unless sh:minLength is 0)."""
    if minimum:
        return lambda v: n == 0 or (v[0] != "_" and len(value_of(v)) >= n)
    return lambda v: v[0] != "_" and len(value_of(v)) <= n


def xpath_anchors(pattern: str, *, multiline: bool) -> str:
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


def pattern(rx: re.Pattern[str]) -> Passes:
    return lambda v: v[0] != "_" and rx.search(value_of(v)) is not None


def has_value(term: Term | None) -> Check:
    return lambda _, values: [(f, None) for f, vs in values.groups().items() if term not in vs]


def unique_lang(_: Data, values: Values) -> list[Failure]:
    out: list[Failure] = []
    for f, vs in values.groups().items():
        langs = [lang.lower() for v in vs if v[0] == '"' and (lang := literal_parts(v)[2])]
        out += [(f, None)] * len({lang for lang in langs if langs.count(lang) > 1})
    return out


def any_of(shapes: Sequence[Shape]) -> Check:
    def check(data: Data, values: Values) -> list[Failure]:
        nodes = dict.fromkeys(values.nodes, 1)
        failing = set(nodes)
        for shape in shapes:
            failing &= run(data, shape, nodes, None)
        return unique([(f, v) for f, v in values.pairs() if v in failing])

    return check
