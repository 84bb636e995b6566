"""The commands over a built graph: validate, query, export, serve, push."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from kg.cli.output import EXIT_NONCONFORMING, EXIT_OK, MAX_LINES, err, reason
from kg.cli.parser import DEFAULT_DATA, DEFAULT_STORE, PASSWORD_ENV
from kg.errors import KGError
from kg.export import PROPERTY_GRAPH_FORMATS, export_property_graph
from kg.push import Auth, graphs_from_files, push_graphs
from kg.query import (
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
from kg.validate import validate


def validate_command(args: argparse.Namespace) -> int:
    graph = read_rdf(args.file)
    report = validate(graph, shapes=args.shapes)
    if args.json:
        print(json.dumps([asdict(v) for v in report.violations], indent=2, ensure_ascii=False))
    for violation in report.violations[:MAX_LINES]:
        err(f"{violation.severity.lower()}: {args.file}: {reason(violation)}")
    if len(report.violations) > MAX_LINES:
        err(f"... and {len(report.violations) - MAX_LINES} more")
    err(
        f"{args.file}: {len(graph)} triples; "
        + ("conforms" if report.conforms else f"{len(report.violations)} violation(s)")
    )
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


def query_command(args: argparse.Namespace) -> int:
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


def export_command(args: argparse.Namespace) -> int:
    store, data = _default_source(args.store, args.data)
    triples = store_triples(store) if store is not None else {q.triple for q in load_store(data)}
    dest = args.out or Path("output") / PROPERTY_GRAPH_FORMATS[args.format]
    files = export_property_graph(args.format, triples, dest)
    err(f"wrote {len(files)} file(s) to {dest} from {store or ', '.join(map(str, data))}")
    return EXIT_OK


def serve_command(args: argparse.Namespace) -> int:
    store, data = _default_source(args.store, args.data)
    server = make_server(
        store=store, data=data, host=args.host, port=args.port, log=err if args.log else None
    )
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        err(f"warning: listening on {args.host}: other machines can query it (no authentication)")
    err(f"SPARQL endpoint at {server.url} (read-only; Ctrl-C stops it)")
    serve(server)
    err("stopped")
    return EXIT_OK


def push_command(args: argparse.Namespace) -> int:
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
    err(
        f"{verb} {len(result.graphs)} graph(s), {result.triples} triples, to {result.endpoint} "
        f"from {store or ', '.join(map(str, data))}{retried}"
    )
    return EXIT_OK
