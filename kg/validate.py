"""SHACL validation: the only module that imports pyshacl.

Shapes are loaded once per process from ``kg/shapes`` (or a directory the
user names) and checked against SHACL-SHACL when loaded.  pyshacl's results
graph is turned into plain :class:`~kg.types.Violation` records here, so no
pyshacl object leaves this module.  https://www.w3.org/TR/shacl/
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyshacl
from pyshacl.entrypoints import meta_validate
from rdflib import Graph, URIRef
from rdflib.term import Node

from kg.errors import ShapesError
from kg.types import ValidationReport, Violation
from kg.vocab import RDF, SH

SHAPES_DIR = Path(__file__).parent / "shapes"


def load_shapes(directory: Path | None = None) -> Graph:
    """Every ``*.ttl`` in ``directory`` (default: the bundled shapes) as one graph.

    :raises ShapesError: a file does not parse or the shapes are not valid SHACL.
    """
    return _load_shapes(str(directory or SHAPES_DIR))


@cache
def _load_shapes(directory: str) -> Graph:
    path = Path(directory)
    files = sorted(path.glob("*.ttl"))
    if not files:
        raise ShapesError(directory, "no *.ttl shape files in this directory")
    graph = Graph()
    for file in files:
        try:
            graph.parse(file, format="turtle")
        except Exception as e:  # rdflib raises many types for bad Turtle
            raise ShapesError(str(file), f"cannot parse: {' '.join(str(e).split())}") from e
    conforms, _, text = meta_validate(graph, inference="none")
    if not conforms:
        first = next((line.strip() for line in text.splitlines() if "Message:" in line), text)
        raise ShapesError(directory, f"the shapes are not valid SHACL: {first}")
    return graph


def validate(graph: Graph, *, shapes: Path | Graph | None = None) -> ValidationReport:
    """Check ``graph`` against the shapes; every result becomes a :class:`Violation`.

    :raises ShapesError: the shapes cannot be loaded.
    """
    shapes_graph = shapes if isinstance(shapes, Graph) else load_shapes(shapes)
    conforms, results, _ = pyshacl.validate(
        graph,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=False,
        allow_warnings=True,
    )
    violations = tuple(
        sorted(_violations(results), key=lambda v: (v.focus, v.path or "", v.message))
    )
    return ValidationReport(conforms=bool(conforms), violations=violations)


def _violations(results: Graph) -> list[Violation]:
    out = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = _value(results, result, SH.resultSeverity) or str(SH.Violation)
        out.append(
            Violation(
                severity=severity.rsplit("#", 1)[-1],
                focus=_value(results, result, SH.focusNode) or "",
                path=_value(results, result, SH.resultPath),
                value=_value(results, result, SH.value),
                message=_value(results, result, SH.resultMessage) or "does not conform",
                component=(_value(results, result, SH.sourceConstraintComponent) or "").rsplit(
                    "#", 1
                )[-1],
                shape=_shape_name(results, result),
            )
        )
    return out


def _value(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    value = graph.value(subject, predicate)
    return None if value is None else str(value)


def _shape_name(results: Graph, result: Node) -> str | None:
    """The node shape a result comes from (property shapes are blank nodes)."""
    shape = results.value(result, SH.sourceShape)
    return str(shape) if isinstance(shape, URIRef) else None
