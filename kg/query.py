"""SPARQL over built graphs: load RDF files into pyoxigraph, run a query, shape the results.

pyoxigraph is the engine because it is already the pipeline's term model, it
implements SPARQL 1.1 fully and fast, and it writes the W3C results formats
itself, so ``kg query --format csv|tsv|json`` is the standard, not our reading
of it.  Loading happens in ``load_store`` and querying in ``query_store`` so
that a persistent store can later replace the in-memory one without touching
the query code.  Parameters (``--param doi=…``) are validated here and bound as
RDF terms through pyoxigraph's substitutions (SEP-0007), never pasted into
the query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from kg.errors import KGError, RDFInputError
from kg.export.rdf import to_turtle
from kg.rdfio import rdf_format
from kg.terms import OxTerm, ox_to_rdflib_graph, to_rdflib, triples_of

QUERIES_DIR = Path(__file__).parent / "queries"

#: rdflib parser name (``kg.rdfio.FORMATS``) -> pyoxigraph format, so both readers
#: accept the same file extensions.
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}
_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}
#: Every ``--format``; ``table`` is for people, the rest for programs.
FORMATS_OUT = ("table", "csv", "tsv", "json", "turtle")

# The model's DOI pattern (docs/model.md, prism:doi), on the lower-cased DOI.
_DOI = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEADER = re.compile(r"#\s*(name|description|param)\s*:\s*(.*)")


class QueryError(KGError):
    """A query that cannot run: bad SPARQL, an unknown named query, a bad parameter."""


@dataclass(frozen=True)
class NamedQuery:
    """A bundled query (``kg/queries/NAME.rq``) and what its header declares.

    ``params`` maps each parameter the query needs to its description, so the
    CLI can refuse a missing or unknown ``--param`` before running anything.
    """

    name: str
    description: str
    text: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryResult:
    """What a query returned, as rdflib terms, plus the W3C serialisations.

    ``kind`` is ``"select"`` (``variables`` and ``rows``; an unbound cell is
    None), ``"ask"`` (``boolean``) or ``"graph"`` for CONSTRUCT and DESCRIBE
    (``graph``).  The SELECT results are kept in W3C TSV, which is lossless
    and keeps the column order, so ``serialize`` can write any results format
    with pyoxigraph's own writers without running the query again.
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None
    _tsv: bytes = field(default=b"", repr=False)
    _triples: tuple[ox.Triple, ...] = field(default=(), repr=False)

    def serialize(self, format: str = "table") -> str:
        """The result as text in ``format`` (one of ``FORMATS_OUT``).

        :raises QueryError: the format does not fit the kind of result (rows
            as Turtle, a graph as CSV).
        """
        if format not in FORMATS_OUT:
            raise QueryError("--format", f"unknown format {format!r}; use one of {FORMATS_OUT}")
        if self.kind == "graph":
            if format not in ("table", "turtle"):
                raise QueryError("--format", f"a {format} result needs a SELECT or ASK query")
            return to_turtle(self._triples) or ""
        if format == "turtle":
            raise QueryError("--format", "turtle needs a CONSTRUCT or DESCRIBE query")
        if self.kind == "ask":
            if format == "json":
                return '{"head":{},"boolean":%s}\n' % ("true" if self.boolean else "false")
            return ("true" if self.boolean else "false") + "\n"
        if format == "table":
            return format_table(self.variables, self.rows)
        solutions = ox.parse_query_results(self._tsv, ox.QueryResultsFormat.TSV)
        raw = solutions.serialize(format=_RESULT_FORMATS[format])
        assert raw is not None  # no output given: pyoxigraph returns the bytes
        text = raw.decode("utf-8")
        return text if text.endswith("\n") else text + "\n"


def format_table(variables: Sequence[str], rows: Iterable[Sequence[Node | None]]) -> str:
    """An aligned text table: IRIs and literals by their plain value, unbound empty."""
    cells = [[_cell(term) for term in row] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def _cell(term: Node | None) -> str:
    return "" if term is None else " ".join(str(term).split())


def named_queries() -> list[NamedQuery]:
    """Every bundled query, sorted by name.

    :raises QueryError: a bundled file lacks its ``# name:`` header (a packaging bug).
    """
    return [_read_named(path) for path in sorted(QUERIES_DIR.glob("*.rq"))]


def named_query(name: str) -> NamedQuery:
    """The bundled query called ``name``.

    :raises QueryError: there is none; the message lists the names there are.
    """
    for query in named_queries():
        if query.name == name:
            return query
    known = ", ".join(q.name for q in named_queries())
    raise QueryError(name, f"no such named query; kg query --list shows them: {known}")


def _read_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.fullmatch(line.strip())
        if match is None:
            continue
        key, value = match.groups()
        if key == "param":
            pname, _, about = value.partition(":")
            params[pname.strip()] = about.strip()
        else:
            header[key] = value.strip()
    if "name" not in header:
        raise QueryError(path.name, "bundled query has no '# name:' header")
    return NamedQuery(header["name"], header.get("description", ""), text, params)


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings (``--param``) as a dict.

    :raises QueryError: no ``=``, a name that is not a SPARQL variable name, or a repeat.
    """
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _PARAM_NAME.fullmatch(name):
            raise QueryError("--param", f"{pair!r} is not NAME=VALUE")
        if name in params:
            raise QueryError("--param", f"{name} given twice")
        params[name] = value.strip()
    return params


def check_params(query: NamedQuery, params: Mapping[str, str]) -> None:
    """Refuse parameters a named query does not declare, and missing ones.

    :raises QueryError: naming the parameter and what the query expects.
    """
    for name in params:
        if name not in query.params:
            expected = ", ".join(query.params) or "none"
            raise QueryError("--param", f"{query.name} takes no {name!r} (parameters: {expected})")
    for name, about in query.params.items():
        if name not in params:
            raise QueryError("--param", f"{query.name} needs --param {name}=… ({about})")


def bind_param(name: str, value: str) -> OxTerm:
    """A parameter value as the RDF term the query sees in ``?name``.

    ``doi`` must be a DOI (``10.…/…``, optionally as a ``doi.org`` address or
    ``doi:``) and becomes the lower-case string that ``prism:doi`` holds; any
    other parameter is a plain string.  Terms are substituted by the engine,
    so no value can change the query's text.

    >>> bind_param("doi", "https://doi.org/10.1038/S41398-025-03626-7").value
    '10.1038/s41398-025-03626-7'

    :raises QueryError: ``doi`` is not a valid DOI.
    """
    if name == "doi":
        doi = value.strip()
        for prefix in (*_DOI_PREFIXES, "doi:"):
            if doi.lower().startswith(prefix):
                doi = doi[len(prefix) :]
                break
        doi = doi.lower()
        if not _DOI.fullmatch(doi):
            raise QueryError("--param", f"doi={value!r} is not a DOI (expected 10.NNNN/…)")
        return ox.Literal(doi)
    return ox.Literal(value)


_TRIPLE_TERMS = "ASK { ?s ?p ?o FILTER(isTRIPLE(?o)) }"


def load_store(paths: Sequence[Path | str] = (), *, graph: Graph | None = None) -> ox.Store:
    """An in-memory store holding the RDF files (named graphs kept) and ``graph``.

    The format comes from the extension, as for ``kg.read_rdf``.

    :raises RDFInputError: an unknown extension, a missing file, a syntax error,
        or an RDF 1.2 triple term (no output of feedkg has one, and neither its
        property graph nor rdflib has a place for it).
    """
    store = ox.Store()
    for path in map(Path, paths):
        fmt = rdf_format(path)
        try:
            store.load(path=path, format=_OX_FORMATS[fmt])
        except (SyntaxError, ValueError, OSError) as e:
            raise RDFInputError(str(path), f"not valid {fmt}: {_one_line(e)}") from e
        if store.query(_TRIPLE_TERMS, use_default_graph_as_union=True):
            raise RDFInputError(str(path), "holds an RDF 1.2 triple term, which is not supported")
    if graph is not None:
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples_of(graph))
    return store


def query_store(
    store: ox.Store, sparql: str, *, params: Mapping[str, str] | None = None
) -> QueryResult:
    """Run ``sparql`` on ``store``, its default graph being the union of all graphs.

    :raises QueryError: the SPARQL does not parse, or a parameter is invalid or
        not a variable of the query's result.
    """
    substitutions: dict[ox.Variable, OxTerm | ox.Triple] = {
        ox.Variable(k): bind_param(k, v) for k, v in (params or {}).items()
    }
    try:
        result = store.query(
            sparql, use_default_graph_as_union=True, substitutions=substitutions or None
        )
    except SyntaxError as e:
        raise QueryError("SPARQL", _one_line(e)) from e
    except (RuntimeError, ValueError) as e:  # pyoxigraph: bad substitution, evaluation error
        raise QueryError("SPARQL", _one_line(e)) from e
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        triples = tuple(result)
        return QueryResult("graph", graph=ox_to_rdflib_graph(triples), _triples=triples)
    variables = tuple(v.value for v in result.variables)
    tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
    assert tsv is not None
    parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
    rows = tuple(
        tuple(None if s[v] is None else to_rdflib(s[v]) for v in variables)
        for s in parsed  # type: ignore[union-attr]
    )
    return QueryResult("select", variables, rows, _tsv=tsv)


def run_query(
    sparql: str,
    *,
    paths: Sequence[Path | str] = (),
    graph: Graph | None = None,
    params: Mapping[str, str] | None = None,
    store: Path | str | None = None,
) -> QueryResult:
    """Run a SPARQL 1.1 query on RDF files and/or an rdflib graph, or on a store.

    With ``store`` (a directory ``kg build`` wrote, or any pyoxigraph
    database), the query runs on it read-only, so it can run while a build
    writes; its default graph is the union of the store's named graphs.

    N-Quads and TriG files keep their named graphs (``GRAPH ?feed { … }``
    works); everything else sees the union of all graphs as the default graph.

    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> name = URIRef("https://schema.org/name")
    >>> _ = g.add((URIRef("https://example.org/a"), name, Literal("A")))
    >>> run_query("SELECT ?n WHERE { ?s <https://schema.org/name> ?n }", graph=g).rows
    ((rdflib.term.Literal('A'),),)

    :raises RDFInputError: a data file cannot be read.
    :raises QueryError: the query or a parameter is bad.
    """
    if store is not None:
        if paths or graph is not None:
            raise QueryError("run_query", "give a store or data files, not both")
        from kg.store import open_readonly

        return query_store(open_readonly(Path(store)), sparql, params=params)
    return query_store(load_store(paths, graph=graph), sparql, params=params)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]
