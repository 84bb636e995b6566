"""SHACL validation: the only module that imports pyshacl.

Shapes are loaded once per process from ``kg/shapes`` (or a directory the
user names) and checked against SHACL-SHACL when loaded.  Two engines give
the same results (tests/test_shacl_engine.py compares them on valid and
invalid graphs):

* ``fast``: :mod:`kg.shacl`, a compiled SHACL Core subset engine over
  the pipeline's triples, ~30x faster than pyshacl; used whenever the shapes stay
  within its subset (the bundled ones do);
* ``pyshacl``: the reference implementation, used for shapes outside that
  subset, or on request.

pyshacl's results graph is turned into plain :class:`~kg.types.Violation`
records here, so no pyshacl object leaves this module.
https://www.w3.org/TR/shacl/
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import cache, partial
from pathlib import Path
from typing import Literal

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg import shacl
from kg.errors import ShapesError
from kg.terms import NTriple, Triples, nt_triples_of, to_rdflib_graph
from kg.types import ValidationReport, Violation
from kg.vocab import RDF, SH

SHAPES_DIR = Path(__file__).parent / "shapes"


def load_shapes(directory: Path | None = None, *, meta: bool | None = None) -> Graph:
    """Every ``*.ttl`` in ``directory`` (default: the bundled shapes) as one graph.

    ``meta`` checks the shapes against SHACL-SHACL (pyshacl, about a second).
    By default a user's shapes are checked and the bundled ones are not: the
    test suite checks those, and a build should not pay for it every run.

    :raises ShapesError: a file does not parse or the shapes are not valid SHACL.
    """
    path = directory or SHAPES_DIR
    if meta is None:
        meta = path.resolve() != SHAPES_DIR.resolve()
    return _load_shapes(str(path), meta)


@cache
def _load_shapes(directory: str, meta: bool) -> Graph:
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
    if not meta:
        return graph
    from pyshacl.entrypoints import meta_validate

    conforms, _, text = meta_validate(graph, inference="none")
    if not conforms:
        first = next((line.strip() for line in text.splitlines() if "Message:" in line), text)
        raise ShapesError(directory, f"the shapes are not valid SHACL: {first}")
    return graph


Engine = Literal["auto", "fast", "pyshacl"]


def validate(
    data: Graph | Triples,
    *,
    shapes: Path | Graph | None = None,
    engine: Engine = "auto",
) -> ValidationReport:
    """Check ``data`` (an rdflib Graph, pyoxigraph triples or N-Triples text
    triples) against the shapes.

    An rdflib Graph that goes to pyshacl (shapes outside the fast engine's
    subset, or ``engine="pyshacl"``) goes as it is.

    :raises ShapesError: the shapes cannot be loaded, or ``engine="fast"`` was
        asked for shapes outside its subset.
    """
    if isinstance(data, Graph):
        return _validate(lambda: nt_triples_of(data), lambda: data, shapes, engine)
    return validate_nt(nt_triples_of(data), shapes=shapes, engine=engine)


def validate_nt(
    triples: Collection[NTriple],
    *,
    shapes: Path | Graph | None = None,
    engine: Engine = "auto",
) -> ValidationReport:
    """:func:`validate` for the pipeline's triples (distinct, as N-Triples text).

    :raises ShapesError: as :func:`validate`.
    """
    return _validate(lambda: triples, lambda: to_rdflib_graph(triples), shapes, engine)


def _validate(
    triples: Callable[[], Collection[NTriple]],
    graph: Callable[[], Graph],
    shapes: Path | Graph | None,
    engine: Engine,
) -> ValidationReport:
    """The fast engine over the data's text, else pyshacl over its rdflib
    Graph: each view of the data is made only if its engine runs."""
    if isinstance(shapes, Graph):
        shapes_graph = shapes
        compile_ = partial(shacl.compile_shapes, shapes)
    else:
        shapes_graph = load_shapes(shapes)
        compile_ = partial(_compiled, shapes_graph)
    if engine != "pyshacl":
        try:
            compiled = compile_()
        except shacl.UnsupportedShapes as e:
            if engine == "fast":
                raise ShapesError("shapes", f"outside the fast engine's subset: {e}") from e
        else:
            return shacl.check(compiled, triples())
    return _pyshacl(graph(), shapes_graph)


_COMPILED: dict[int, tuple[Graph, shacl.CompiledShapes]] = {}


def _compiled(shapes_graph: Graph) -> shacl.CompiledShapes:
    """Compile each loaded shapes graph once (loaded graphs are cached and kept
    alive here, so their ids are never reused)."""
    found = _COMPILED.get(id(shapes_graph))
    if found is None:
        found = _COMPILED[id(shapes_graph)] = (shapes_graph, shacl.compile_shapes(shapes_graph))
    return found[1]


def _pyshacl(graph: Graph, shapes_graph: Graph) -> ValidationReport:
    import pyshacl  # slow to import, and only needed for shapes outside the fast subset

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
