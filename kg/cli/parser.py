"""The command line's grammar: every command, option and help text."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.export import PROPERTY_GRAPH_FORMATS
from kg.push import AUTH_SCHEMES
from kg.query import FORMATS_OUT
from kg.vocab import DEFAULT_BASE_IRI

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


def make_parser() -> argparse.ArgumentParser:
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
