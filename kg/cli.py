"""The ``kg`` command: a thin shell over the Python API.

This is the only module that prints or chooses exit codes:

    0  success (``kg build``: the written graph conforms to the shapes;
       stories that did not were set aside and reported)
    1  does not conform (``kg validate``; ``kg build --strict`` when any story
       was set aside or any result was reported; ``kg build`` when the written
       graph itself does not conform, e.g. two feeds disagree about one node)
    2  bad input or usage: a feed or file that cannot be read, bad options
    3  internal error (a bug: please report it)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from kg.errors import KGError
from kg.export import PROPERTY_GRAPH_FORMATS, export_property_graph
from kg.export.networkx import curie
from kg.feeds.sources import read_feed_list, read_opml
from kg.pipeline import BuildResult, FeedSummary, IngestResult, convert, ingest, report_dict
from kg.push import AUTH_SCHEMES, Auth, graphs_from_files, push_graphs
from kg.query import (
    FORMATS_OUT,
    check_params,
    load_store,
    named_queries,
    named_query,
    parse_params,
    run_query,
)
from kg.rdfio import read_rdf
from kg.serve import make_server, serve
from kg.store import is_store, store_graphs, store_triples
from kg.types import Violation
from kg.validate import validate
from kg.vocab import DEFAULT_BASE_IRI

EXIT_OK, EXIT_NONCONFORMING, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
_MAX_LINES = 20
DEFAULT_DATA = Path("output") / "graph.nq"
DEFAULT_STORE = Path("output") / "store"
PASSWORD_ENV = "KG_PUSH_PASSWORD"

EPILOG = """exit codes:
  0  success
  1  does not conform to the shapes (kg validate; kg build when the written
     graph does not; kg build --strict when anything was set aside)
  2  bad input or usage (unreadable feed or file, bad option)
  3  internal error (please report it)
"""


def _positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1 (argparse words the error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Turn news and publication feeds into a validated RDF knowledge graph.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    shapes = argparse.ArgumentParser(add_help=False)
    shapes.add_argument(
        "--shapes",
        type=Path,
        metavar="DIR",
        help="directory of SHACL shapes (*.ttl); default: the bundled shapes",
    )

    build = commands.add_parser(
        "build",
        parents=[shapes],
        help="build the knowledge graph of one or more feeds",
        description="Read feeds (paths, http(s) URLs, or - for stdin), extract stories and the "
        "papers they report on, map them to RDF, validate against the SHACL shapes, and write "
        "graph.ttl, graph.nq, graph.graphml, rejected.nq and report.json. Stories that violate "
        "the shapes are set aside in rejected.nq with their reasons in report.json.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument(
        "feeds", nargs="*", metavar="FEED", help="feed file, http(s) URL, or - for stdin"
    )
    build.add_argument(
        "--feeds",
        dest="feed_lists",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="read feeds from FILE: one URL or path per line, # for comments",
    )
    build.add_argument(
        "--opml",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="read feeds from an OPML file (what feed readers export)",
    )
    build.add_argument(
        "--out",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="output directory (default: output)",
    )
    build.add_argument(
        "--base-iri",
        default=DEFAULT_BASE_IRI,
        metavar="IRI",
        help=f"base for minted IRIs (default: {DEFAULT_BASE_IRI})",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 if any story was set aside or any shape result was reported",
    )
    build.add_argument(
        "--json", action="store_true", help="print the build report as JSON on stdout"
    )
    build.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help="the store the feeds are added to (default: OUT/store); items read before stay",
    )
    build.add_argument(
        "--no-store",
        action="store_true",
        help="build from these feeds alone, without reading or writing a store",
    )
    build.add_argument(
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="read and extract up to N feeds at once, each in its own process "
        "(default: one per CPU available)",
    )
    build.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait up to SECONDS for another kg build writing the store (default: fail at once)",
    )

    check = commands.add_parser(
        "validate",
        parents=[shapes],
        help="validate an RDF file against the SHACL shapes",
        description="Validate an RDF file (.ttl, .nt, .nq, .trig, .jsonld, .rdf) against the "
        "shapes; print each violation on one line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("file", type=Path, metavar="FILE", help="RDF file to validate")
    check.add_argument("--json", action="store_true", help="print the violations as JSON on stdout")

    query = commands.add_parser(
        "query",
        help="run a SPARQL query on graph files",
        description="Run a SPARQL 1.1 query (inline, from a file, or a bundled one by name) on "
        "graph files. Named graphs are kept; the default graph is their union. SELECT gives a "
        "table on a terminal, else CSV; CONSTRUCT/DESCRIBE give Turtle; ASK gives true/false.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    query.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL query text")
    query.add_argument(
        "-f", "--file", type=Path, metavar="FILE.rq", help="read the query from FILE"
    )
    query.add_argument("--name", metavar="NAME", help="run a bundled query (see --list)")
    query.add_argument("--list", action="store_true", help="list the bundled queries and exit")
    _source_options(query, "query")
    query.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind ?NAME to VALUE (doi=10.… must be a DOI); repeatable",
    )
    query.add_argument(
        "--format",
        choices=FORMATS_OUT,
        help="output format (default: table on a terminal, else csv; turtle for graphs)",
    )
    export = commands.add_parser(
        "export",
        help="write the graph for property-graph tools (Neo4j, LadybugDB/Kuzu, Gephi)",
        description="Write the property-graph view of the store (or of graph files): csv, a "
        "directory of node and edge files with loader scripts for neo4j-admin import, LOAD CSV "
        "and LadybugDB/Kuzu COPY FROM; gexf for Gephi; graphml. See docs/loading.md.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument(
        "format",
        choices=sorted(PROPERTY_GRAPH_FORMATS),
        metavar="FORMAT",
        help="csv, gexf or graphml",
    )
    _source_options(export, "export")
    export.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help="where to write (default: output/csv, output/graph.gexf or output/graph.graphml)",
    )

    serve_cmd = commands.add_parser(
        "serve",
        help="serve the graph as a read-only SPARQL endpoint",
        description="Answer SPARQL 1.1 Protocol queries (GET and POST) over the store "
        "(read-only; a build that finishes meanwhile is picked up) or graph files. "
        "Results come as JSON, XML, CSV or TSV, graphs as Turtle, N-Triples, N-Quads, RDF/XML "
        "or JSON-LD, by content negotiation. Updates are refused. See docs/serve.md.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _source_options(serve_cmd, "serve")
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=int, default=7878, help="port (default: 7878; 0 picks a free one)"
    )
    serve_cmd.add_argument("--log", action="store_true", help="log each request on stderr")

    push = commands.add_parser(
        "push",
        help="load the graph into a triple store (SPARQL 1.1 Graph Store Protocol)",
        description="Send each named graph of the store (or of graph files) to a triple "
        "store's SPARQL 1.1 Graph Store Protocol endpoint. PUT (the default) replaces each "
        "graph, so pushing again changes nothing; POST adds to it. Big graphs go in batches; "
        "connection errors, timeouts and 429/502/503/504 answers are retried. The password "
        f"comes from ${PASSWORD_ENV} (or --password, which other users can see). "
        "See docs/loading.md.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    push.add_argument(
        "endpoint",
        metavar="ENDPOINT",
        help="Graph Store Protocol URL (Virtuoso: http://HOST:8890/sparql-graph-crud-auth)",
    )
    _source_options(push, "push")
    push.add_argument(
        "--graph",
        metavar="IRI",
        help="named graph for the triples of --data files that have none (.ttl, .nt, ...)",
    )
    push.add_argument(
        "--method",
        choices=("put", "post"),
        default="put",
        help="put replaces each graph (default); post adds to it",
    )
    push.add_argument("--user", metavar="USER", help="user name at the triple store")
    push.add_argument(
        "--password", metavar="PASSWORD", help=f"password (prefer ${PASSWORD_ENV}: argv is public)"
    )
    push.add_argument(
        "--auth",
        choices=AUTH_SCHEMES,
        default="basic",
        help="HTTP authentication with --user (default: basic; Virtuoso wants digest)",
    )
    push.add_argument(
        "--batch",
        type=int,
        default=50_000,
        metavar="N",
        help="at most N triples per request (default: 50000)",
    )
    push.add_argument(
        "--dry-run", action="store_true", help="list the graphs and requests; send nothing"
    )
    push.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    return parser


def _source_options(command: argparse.ArgumentParser, verb: str) -> None:
    """--store PATH or --data FILE...: where every reading command finds the graph."""
    source = command.add_mutually_exclusive_group()
    source.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help=f"store to {verb} (default: {DEFAULT_STORE} if there is one, else {DEFAULT_DATA})",
    )
    source.add_argument(
        "--data", action="append", type=Path, metavar="FILE", help=f"RDF file to {verb}; repeatable"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "query":
            return _query(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "export":
            return _export(args)
        if args.command == "push":
            return _push(args)
        return _validate(args)
    except KGError as e:
        _err(f"error: {e}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as e:  # the one place a bug becomes an exit code
        _err(f"internal error: {type(e).__name__}: {e} (please report this)")
        return EXIT_INTERNAL


def _build(args: argparse.Namespace) -> int:
    base = args.base_iri
    if not base.startswith(("http://", "https://")) or not base.endswith("/"):
        raise KGError("--base-iri", f"{base!r} must be an http(s) IRI ending in '/'")
    if args.no_store and args.store is not None:
        raise KGError("kg build", "give --store PATH or --no-store, not both")
    listed = [*args.feeds]
    for path in args.feed_lists:
        listed += read_feed_list(path)
    for path in args.opml:
        listed += read_opml(path)
    args.feeds = list(dict.fromkeys(listed))  # a feed named twice is read once
    if not args.feeds:
        raise KGError("kg build", "no feeds: give FEED..., --feeds FILE or --opml FILE")
    bar = ProgressBar(sys.stderr)
    try:
        if args.no_store:
            result = convert(
                args.feeds,
                out_dir=args.out,
                base_iri=base,
                shapes=args.shapes,
                progress=bar,
                jobs=args.jobs,
            )
            bar.clear()
            return _finish_build(args, result.errors, result, report_dict(result))
        ingested = ingest(
            args.feeds,
            store=args.store or args.out / "store",
            out_dir=args.out,
            base_iri=base,
            shapes=args.shapes,
            wait=args.wait,
            progress=bar,
            jobs=args.jobs,
        )
    finally:
        bar.clear()
    return _finish_build(args, ingested.failed, ingested.build, ingested.report, ingested)


class ProgressBar:
    """One line on stderr, redrawn in place, when stderr is a terminal; silent
    otherwise, so logs from cron and pipes get only the summary."""

    WIDTH = 24

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self._drawn_at = 0.0
        self._shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if 0 < done < total and now - self._drawn_at < 0.1:
            return
        self._drawn_at = now
        filled = self.WIDTH * done // total if total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r\x1b[2Kkg: {stage} [{bar}] {done}/{total}")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._shown = False


def _finish_build(
    args: argparse.Namespace,
    errors: Sequence[FeedSummary],
    result: BuildResult | None,
    report: dict[str, Any],
    ingested: IngestResult | None = None,
) -> int:
    read = len(args.feeds) - len(errors)
    if not read:  # nothing could be read: nothing written
        for feed in errors:
            _err(f"error: {feed.error}")
        return EXIT_BAD_INPUT
    if result is not None:
        _print_details(result)
    else:
        for feed in errors:
            _err(f"error: {feed.error}")
    _err(_summary_line(read, len(errors), report, ingested))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    if errors:
        return EXIT_BAD_INPUT
    conforms = result.conforms if result else bool(report.get("conforms", True))
    clean = result.clean if result else bool(report.get("clean", True))
    if not conforms or (args.strict and not clean):
        return EXIT_NONCONFORMING
    return EXIT_OK


def _summary_line(
    ok: int, failed: int, report: dict[str, Any], ingested: IngestResult | None
) -> str:
    """The one line a run ends with: what was read, what it changed, what is wrong."""
    s = report.get("summary", {})
    if ingested is not None:
        c = ingested.changes
        items = (
            f"items: {sum(x.new for x in c)} new, {sum(x.updated for x in c)} updated, "
            f"{sum(x.unchanged for x in c)} unchanged, {sum(x.kept for x in c)} kept from "
            f"earlier reads, {s.get('items_rejected', 0)} set aside"
        )
    else:
        items = (
            f"items: {s.get('items', 0)} read, {s.get('items_kept', 0)} kept, "
            f"{s.get('items_rejected', 0)} set aside"
        )
    conforms = report.get("conforms", True)
    verdict = "conforms" if conforms else "does not conform (see report.json)"
    tail = ""
    if ingested is not None:
        tail = "; unchanged, nothing to build" if ingested.build is None else ""
        tail += f"; store {ingested.store}"
    return (
        f"{ok} feed(s) ok, {failed} failed; {items}; {s.get('papers', 0)} papers; "
        f"{s.get('warnings', 0)} warnings; {verdict}{tail}"
    )


def _print_details(result: BuildResult) -> None:
    for warning in result.warnings[:_MAX_LINES]:
        _err(f"warning: {warning}")
    if len(result.warnings) > _MAX_LINES:
        _err(f"warning: ... and {len(result.warnings) - _MAX_LINES} more (see report.json)")
    for feed in result.errors:
        _err(f"error: {feed.error}")
    lines = [f"set aside: {r.label}: {_reason(v)}" for r in result.rejected for v in r.reasons]
    for line in lines[:_MAX_LINES]:
        _err(line)
    if len(lines) > _MAX_LINES:
        _err(f"set aside: ... and {len(lines) - _MAX_LINES} more reasons (see report.json)")


def _reason(v: Violation) -> str:
    where = f"{_short(v.path)} of <{v.focus}>" if v.path else f"<{v.focus}>"
    value = f" (found {v.value!r})" if v.value is not None else ""
    return f"{where}: {v.message}{value}"


def _short(iri: str | None) -> str:
    return curie(iri) if iri else ""


def _validate(args: argparse.Namespace) -> int:
    graph = read_rdf(args.file)
    report = validate(graph, shapes=args.shapes)
    if args.json:
        print(json.dumps([asdict(v) for v in report.violations], indent=2, ensure_ascii=False))
    for violation in report.violations[:_MAX_LINES]:
        _err(f"{violation.severity.lower()}: {args.file}: {_reason(violation)}")
    if len(report.violations) > _MAX_LINES:
        _err(f"... and {len(report.violations) - _MAX_LINES} more")
    _err(
        f"{args.file}: {len(graph)} triples; "
        + ("conforms" if report.conforms else f"{len(report.violations)} violation(s)")
    )
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


def _query(args: argparse.Namespace) -> int:
    if args.list:
        queries = named_queries()
        width = max(len(q.name) for q in queries)
        for q in queries:
            needs = "".join(f" (--param {p}=…)" for p in q.params)
            print(f"{q.name.ljust(width)}  {q.description}{needs}")
        return EXIT_OK
    given = [x for x in (args.query, args.file, args.name) if x is not None]
    if len(given) != 1:
        raise KGError("kg query", "give exactly one of QUERY, -f FILE or --name NAME (or --list)")
    params = parse_params(args.param)
    if args.name is not None:
        named = named_query(args.name)
        check_params(named, params)
        sparql = named.text
    elif args.file is not None:
        if not args.file.is_file():
            raise KGError(str(args.file), "no such file")
        sparql = args.file.read_text(encoding="utf-8")
    else:
        sparql = args.query
    store, data = _default_source(args.store, args.data)
    result = run_query(sparql, paths=data, params=params, store=store)
    fmt = args.format or ("table" if sys.stdout.isatty() else "csv")
    if result.kind == "graph" and args.format is None:
        fmt = "turtle"
    sys.stdout.write(result.serialize(fmt))
    return EXIT_OK


def _default_source(store: Path | None, data: list[Path] | None) -> tuple[Path | None, list[Path]]:
    """The store, else graph files, else the default store, else output/graph.nq."""
    if data or store is not None:
        return store, data or []
    if is_store(DEFAULT_STORE):
        return DEFAULT_STORE, []
    if DEFAULT_DATA.is_file():
        return None, [DEFAULT_DATA]
    raise KGError(str(DEFAULT_STORE), "no store here; run kg build first or give --data FILE")


def _export(args: argparse.Namespace) -> int:
    store, data = _default_source(args.store, args.data)
    triples = store_triples(store) if store is not None else {q.triple for q in load_store(data)}
    dest = args.out or Path("output") / PROPERTY_GRAPH_FORMATS[args.format]
    files = export_property_graph(args.format, triples, dest)
    _err(f"wrote {len(files)} file(s) to {dest} from {store or ', '.join(map(str, data))}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    store, data = _default_source(args.store, args.data)
    server = make_server(
        store=store, data=data, host=args.host, port=args.port, log=_err if args.log else None
    )
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        _err(f"warning: listening on {args.host}: other machines can query it (no authentication)")
    _err(f"SPARQL endpoint at {server.url} (read-only; Ctrl-C stops it)")
    serve(server)
    _err("stopped")
    return EXIT_OK


def _push(args: argparse.Namespace) -> int:
    password = args.password if args.password is not None else os.environ.get(PASSWORD_ENV)
    auth = None
    if args.user is not None:
        if password is None:
            raise KGError("--user", f"no password: set {PASSWORD_ENV} (or give --password)")
        auth = Auth(args.user, password, args.auth)
    elif args.password is not None:
        raise KGError("--password", "give --user too")
    store, data = _default_source(args.store, args.data)
    if store is not None and args.graph is not None:
        raise KGError("--graph", "names the graph of --data files without one; a store has its own")
    graphs = store_graphs(store) if store is not None else graphs_from_files(data, graph=args.graph)
    result = push_graphs(
        graphs,
        args.endpoint,
        method=args.method,
        auth=auth,
        batch_triples=args.batch,
        dry_run=args.dry_run,
    )
    verb = "would push" if result.dry_run else "pushed"
    if args.json:
        print(json.dumps(asdict(result), indent=2, ensure_ascii=False))
    else:
        for g in result.graphs:
            requests = " + ".join(g.requests) or "nothing"
            print(f"{verb} <{g.graph}>: {g.triples} triples in {requests}")
    retried = f"; {result.retries} request(s) retried" if result.retries else ""
    _err(
        f"{verb} {len(result.graphs)} graph(s), {result.triples} triples, to {result.endpoint} "
        f"from {store or ', '.join(map(str, data))}{retried}"
    )
    return EXIT_OK


def _err(message: str) -> None:
    print(f"kg: {message}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
