"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a store or graph files.

Spec: https://www.w3.org/TR/sparql11-protocol/ (query operation only).  The
standard library's ``ThreadingHTTPServer`` is enough for a local endpoint and
adds no dependency; pyoxigraph parses, evaluates and writes every results and
graph format, so what clients receive is the W3C serialisation, not ours.

The dataset is always fixed here, never left to pyoxigraph's defaults: a
store's default graph holds private bookkeeping, and both pyoxigraph's own
default and ``use_default_graph_as_union`` (which also unions the default
graph) would expose it.  Without ``default-graph-uri``/``named-graph-uri`` or
``FROM`` the default graph is the union of the named graphs; graph names only
ever become ``NamedNode``\\ s, so no request can select the real default graph.
``SERVICE`` is refused: pyoxigraph would fetch any URL a query names.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import KGError
from kg.query import load_store
from kg.store import generation_marker, open_readonly

MAX_BODY = 1 << 20
_Log = Callable[[str], None]
_Opener = Callable[[Path], ox.Store]
_Marker = Callable[[Path], object]
#: ``format=`` name -> (media type, writer).  The first of each table is the default.
RESULTS_FORMATS: dict[str, tuple[str, ox.QueryResultsFormat]] = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
}
GRAPH_FORMATS: dict[str, tuple[str, ox.RdfFormat]] = {
    "turtle": ("text/turtle", ox.RdfFormat.TURTLE),
    "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "nquads": ("application/n-quads", ox.RdfFormat.N_QUADS),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
}
#: Generic media types that clients send for the results formats (answered under that name).
_ALIASES = {"application/json": "json", "application/xml": "xml"}
#: Other ``format=`` names for graphs, as clients send them (SPARQLWrapper: n3, rdf+xml,
#: json-ld; and xml or json, meaning the XML or JSON flavour of whatever the result is).
_GRAPH_NAMES = {
    **dict.fromkeys(["ttl", "n3"], "turtle"),
    **dict.fromkeys(["nt", "n-triples"], "ntriples"),
    **dict.fromkeys(["nq", "n-quads"], "nquads"),
    **dict.fromkeys(["xml", "rdf+xml", "rdf"], "rdfxml"),
    **dict.fromkeys(["json", "json-ld"], "jsonld"),
}
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
}
_SD = "http://www.w3.org/ns/sparql-service-description#"
# Lexemes that can hide a keyword (IRIs, strings, comments, variables, prefixed names,
# escapes), then bare words: keywords are read only where the SPARQL grammar reads them.
_LEXEME = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | \#[^\r\n]*
    | '''(?:[^'\\]|\\.|'(?!''))*''' | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\r\n]|\\.)*' | "(?:[^"\\\r\n]|\\.)*"
    | [?$]\w+
    | (?:[\w.-]|\\.|%[0-9A-Fa-f]{2})*:(?:[\w.:-]|\\.|%[0-9A-Fa-f]{2})*
    | \\.
    | (?P<word>[A-Za-z]+)""",
    re.VERBOSE | re.DOTALL,
)


class _Refused(Exception):
    """A request answered with an error status and a one-line plain-text reason."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def _dataset_of(sparql: str) -> tuple[list[str], list[str]] | None:
    """The ``FROM`` and ``FROM NAMED`` IRIs of a query, or None when it names no dataset.

    The dataset is passed to pyoxigraph explicitly (it must be, see the module
    docstring), which overrides the query's own clauses, so they are read here.

    >>> _dataset_of("SELECT * FROM <urn:a> FROM NAMED <urn:b> { ?s ?p ?o }")
    (['urn:a'], ['urn:b'])
    >>> _dataset_of('SELECT * { ?s ?p "SERVICE" } # SERVICE <http://x/>') is None
    True

    :raises _Refused: the query uses ``SERVICE``, or ``FROM`` without a full ``<IRI>``.
    """
    default: list[str] = []
    named: list[str] = []
    tokens = [(m["iri"], (m["word"] or "").upper()) for m in _LEXEME.finditer(sparql)]
    tokens = [t for t in tokens if t[0] or t[1]]
    for i, (_, word) in enumerate(tokens):
        if word == "SERVICE":
            raise _Refused(HTTPStatus.FORBIDDEN, "SERVICE (federated query) is disabled here")
        if word != "FROM":
            continue
        is_named = i + 1 < len(tokens) and tokens[i + 1][1] == "NAMED"
        target = tokens[i + 1 + is_named][0] if i + 1 + is_named < len(tokens) else None
        if not target:
            raise _Refused(HTTPStatus.BAD_REQUEST, "write FROM <IRI> with a full IRI")
        (named if is_named else default).append(target[1:-1])
    return (default, named) if default or named else None


class _Source:
    """Hands out the store to query; for a store directory, reopens it after a write.

    A read-only handle sees a snapshot, so a ``kg build`` finishing while the
    server runs would stay invisible.  ``marker(path)`` changes when the store
    does and is cheap enough to compare before every query.
    """

    def __init__(
        self, data: Sequence[Path], store: Path | None, opener: _Opener, marker: _Marker
    ) -> None:
        self.path, self._opener, self._marker = store, opener, marker
        self.private_default = store is not None
        self._lock = threading.Lock()
        self._stamp: object = None
        self._store = load_store(list(data)) if store is None else self._open()

    def _open(self) -> ox.Store:
        assert self.path is not None
        stamp = self._marker(self.path)
        try:
            store = self._opener(self.path)
        except OSError as e:
            raise KGError(str(self.path), f"cannot open the store read-only: {e}") from e
        self._stamp = stamp
        return store

    def get(self) -> ox.Store:
        if self.path is None:
            return self._store
        with self._lock:
            if self._marker(self.path) != self._stamp:
                try:
                    self._store = self._open()
                except KGError:  # caught mid-write: keep the old snapshot, retry next time
                    self._stamp = None
            return self._store

    def stale(self) -> None:
        """Reopen before the next query: this snapshot lost a file to a compaction."""
        with self._lock:
            self._stamp = None


def default_marker(path: Path) -> object:
    """What changes when a build commits: the generation a feedkg store points to,
    or, for a plain pyoxigraph database, its RocksDB files."""
    return generation_marker(path) or rocksdb_marker(path)


def rocksdb_marker(path: Path) -> object:
    """Names, sizes and times of a RocksDB directory's CURRENT, MANIFEST and WAL files.

    Every write appends to the WAL, and flushes and compactions rewrite the
    MANIFEST, so this changes whenever the database does; SST files need no look.
    """
    stamp = []
    try:
        with os.scandir(path) as entries:
            for e in entries:
                if e.name == "CURRENT" or e.name.startswith("MANIFEST-") or e.name.endswith(".log"):
                    info = e.stat()
                    stamp.append((e.name, info.st_size, info.st_mtime_ns))
    except OSError:  # a WAL file removed while listing: a write is under way
        return object()
    return sorted(stamp)


class SparqlServer(ThreadingHTTPServer):
    """The endpoint: ``serve_forever()`` answers at ``url`` until ``shutdown()``."""

    daemon_threads = True

    def __init__(
        self, source: _Source, *, host: str, port: int, log: _Log | None, max_body: int
    ) -> None:
        self.source, self.log, self.max_body = source, log, max_body
        if ":" in host:
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host, port), _Handler)
        except OSError as e:
            raise KGError(
                f"{host}:{port}", f"cannot listen: {e.strerror or e}; try another --port"
            ) from e
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.server_address[1]}/sparql"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One log line, not socketserver's traceback on stderr (a client hung up, or a bug)."""
        error = sys.exc_info()[1]
        if self.log is not None:
            self.log(f"{client_address[0]} error: {type(error).__name__}: {error}")

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]


def make_server(
    *,
    store: Path | str | None = None,
    data: Sequence[Path | str] = (),
    host: str = "127.0.0.1",
    port: int = 0,
    log: _Log | None = None,
    max_body: int = MAX_BODY,
    open_store: _Opener | None = None,
    store_marker: _Marker | None = None,
) -> SparqlServer:
    """A SPARQL endpoint over a store directory (opened read-only) or graph files.

    ``port=0`` picks a free port (see ``.url``).  Bound to the loopback by
    default: there is no authentication.  ``log`` receives one line per request.
    ``open_store`` and ``store_marker`` say how to open ``store`` read-only
    (default: a feedkg store or a plain pyoxigraph database) and what changes
    when it is written.

    :raises KGError: neither or both of ``store`` and ``data``, a store that
        cannot be opened, an unreadable file, or an address already in use.
    """
    if (store is None) == (not data):
        raise KGError("kg serve", "give a store directory or graph files (one of the two)")
    if store is not None and not Path(store).is_dir():
        raise KGError(str(store), "no such store directory; run kg build first")
    opener = open_store or (lambda path: open_readonly(Path(path)))
    store_path = None if store is None else Path(store)
    source = _Source([Path(p) for p in data], store_path, opener, store_marker or default_marker)
    return SparqlServer(source, host=host, port=port, log=log, max_body=max_body)


def serve(server: SparqlServer) -> None:
    """Answer requests until Ctrl-C, then close the socket and return normally.

    Ctrl-C is how a foreground server is meant to stop, so it is not an error.
    """
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the ``Accept`` header rates highest (ties: first offer), None if none.

    >>> negotiate("text/*;q=0.5, application/xml", ["text/csv", "application/xml"])
    'application/xml'
    >>> negotiate("*/*;q=0.1, text/*;q=0", ["text/csv", "application/xml"])
    'application/xml'
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges: list[tuple[str, float]] = []
    for part in accept.split(","):
        media, *params = part.split(";")
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media.strip().lower(), q))
    best, best_q = None, 0.0
    for offer in offers:
        wild = offer.split("/")[0] + "/*"
        rank = [(m == offer, m == wild, q) for m, q in ranges if m in (offer, wild, "*/*")]
        if rank and max(rank)[2] > best_q:
            best, best_q = offer, max(rank)[2]
    return best


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") or "xml" in media else media


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "feedkg-serve"
    timeout = 60  # seconds a client may stay silent; not a query timeout
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms stall

    def do_GET(self) -> None:
        self._answer()

    do_HEAD = do_GET

    def do_POST(self) -> None:
        self._answer()

    def do_OPTIONS(self) -> None:
        self._send(HTTPStatus.NO_CONTENT, "text/plain", b"")

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log is not None:
            line = format % args  # the request line holds the whole query: keep its ends
            cut = line if len(line) <= 300 else f"{line[:200]}…{line[-80:]}"
            self.server.log(f"{self.address_string()} {cut}")

    def _answer(self) -> None:
        try:
            self._dispatch()
        except _Refused as e:
            self._refuse(e)
        except Exception as e:  # a bug: the client gets a 500 rather than a dropped connection
            self.close_connection = True  # the handler's state is unknown: start afresh
            self._refuse(_Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {e!r}"))
            if self.server.log is not None:
                self.server.log(f"{self.address_string()} error: {type(e).__name__}: {e}")

    def _refuse(self, error: _Refused) -> None:
        if self.command == "POST":  # its body may be unread: do not take it as a request
            self.close_connection = True
        body = (str(error) + "\n").encode("utf-8")
        self._send(error.status, "text/plain; charset=utf-8", body)

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        params = _parse_qs(url.query)
        if self.command == "POST":
            self._read_post(params)
        if url.path not in ("/", "/sparql"):
            raise _Refused(HTTPStatus.NOT_FOUND, "no such page; the endpoint is /sparql")
        if "update" in params:
            raise _Refused(HTTPStatus.FORBIDDEN, "read-only endpoint: SPARQL Update is refused")
        queries = params.get("query", [])
        if len(queries) > 1:
            raise _Refused(HTTPStatus.BAD_REQUEST, "give one query, not several")
        if not queries:
            if self.command == "POST":
                raise _Refused(HTTPStatus.BAD_REQUEST, "no query: send query=… or a SPARQL body")
            self._describe()
            return
        result = self._run(queries[0], params)
        kind = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else RESULTS_FORMATS
        name = (params.get("format") or [""])[0].lower()
        if kind is GRAPH_FORMATS:
            name = _GRAPH_NAMES.get(name, name)
        if name and name not in {**RESULTS_FORMATS, **GRAPH_FORMATS, **_GRAPH_NAMES}:
            known = ", ".join([*RESULTS_FORMATS, *GRAPH_FORMATS])
            raise _Refused(HTTPStatus.BAD_REQUEST, f"unknown format={name!r}; use one of {known}")
        offers = {media: key for key, (media, _) in kind.items()}
        if kind is RESULTS_FORMATS:
            offers.update(_ALIASES)
        if name:
            media = kind[name][0] if name in kind else None
        else:
            media = negotiate(self.headers.get("Accept"), list(offers))
        if media is None:
            raise _Refused(HTTPStatus.NOT_ACCEPTABLE, f"this result comes as {', '.join(offers)}")
        try:
            body = result.serialize(format=kind[offers[media]][1])
        except (OSError, RuntimeError) as e:  # solutions are evaluated lazily, while written
            self.server.source.stale()
            raise _Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {e}") from e
        self._send(HTTPStatus.OK, _content_type(media), body, vary=True)

    def _read_post(self, params: dict[str, list[str]]) -> None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise _Refused(HTTPStatus.LENGTH_REQUIRED, "POST needs a Content-Length")
        if int(length) > self.server.max_body:
            self._drain(int(length))
            raise _Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"body over {self.server.max_body} bytes"
            )
        try:
            body = self.rfile.read(int(length)).decode("utf-8")
        except UnicodeDecodeError as e:
            raise _Refused(HTTPStatus.BAD_REQUEST, "the body is not UTF-8") from e
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/x-www-form-urlencoded":
            for key, values in _parse_qs(body).items():
                params.setdefault(key, []).extend(values)
        elif media == "application/sparql-query":
            params.setdefault("query", []).append(body)
        elif media == "application/sparql-update":
            params.setdefault("update", []).append(body)
        else:
            raise _Refused(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"Content-Type {media!r}: send application/sparql-query or a form",
            )

    def _drain(self, length: int) -> None:
        """Read and drop a refused body: closing on unread data resets the connection
        before the client reads the 413.  Bodies far over the limit are not worth it."""
        while 0 < length <= 16 * self.server.max_body:
            chunk = self.rfile.read(min(length, 1 << 16))
            if not chunk:
                break
            length -= len(chunk)

    def _run(self, sparql: str, params: dict[str, list[str]]) -> Any:
        given = (params.get("default-graph-uri", []), params.get("named-graph-uri", []))
        in_query = _dataset_of(sparql)  # the protocol's dataset wins over the query's
        dataset = given if any(given) else in_query
        try:
            graphs = [[ox.NamedNode(iri) for iri in names] for names in dataset or ()]
        except ValueError as e:
            raise _Refused(HTTPStatus.BAD_REQUEST, f"a graph name is not an IRI: {e}") from e
        source = self.server.source
        store = source.get()
        try:
            if graphs:
                options: dict[str, Any] = {"default_graph": graphs[0], "named_graphs": graphs[1]}
            elif source.private_default:
                options = {"default_graph": list(store.named_graphs())}
            else:  # graph files: their default graph is theirs to see, as in kg query
                options = {"use_default_graph_as_union": True}
            return store.query(sparql, **options)
        except SyntaxError as e:
            raise _Refused(HTTPStatus.BAD_REQUEST, str(e)) from e
        except (OSError, RuntimeError) as e:  # a compaction removed a file of the snapshot
            source.stale()
            raise _Refused(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {e}") from e

    def _describe(self) -> None:
        media = negotiate(self.headers.get("Accept"), ["text/turtle", "text/html"])
        url = self.server.url
        if media == "text/html":
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", _page(url).encode(), vary=True)
            return
        if media is None:
            raise _Refused(HTTPStatus.NOT_ACCEPTABLE, "this page comes as text/turtle, text/html")
        iris = [f.iri for _, f in RESULTS_FORMATS.values()] + [
            f.iri for _, f in GRAPH_FORMATS.values()
        ]
        formats = ", ".join(f"<{iri}>" for iri in iris)
        text = (
            f"@prefix sd: <{_SD}> .\n<{url}> a sd:Service ;\n  sd:endpoint <{url}> ;\n"
            f"  sd:supportedLanguage sd:SPARQL11Query ;\n  sd:feature sd:UnionDefaultGraph ;\n"
            f"  sd:resultFormat {formats} .\n"
        )
        self._send(HTTPStatus.OK, "text/turtle; charset=utf-8", text.encode(), vary=True)

    def _send(self, status: HTTPStatus, ctype: str, body: bytes, *, vary: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        for key, value in _CORS.items():
            self.send_header(key, value)
        if vary:
            self.send_header("Vary", "Accept")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _parse_qs(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=1000)
    except (UnicodeDecodeError, ValueError) as e:
        raise _Refused(HTTPStatus.BAD_REQUEST, f"bad query string or form: {e}") from e


def _page(url: str) -> str:
    example = "SELECT ?paper ?title WHERE {\n  ?paper a <https://schema.org/ScholarlyArticle> ;\n"
    example += "         <https://schema.org/name> ?title .\n}\nLIMIT 20"
    options = "".join(f"<option>{name}</option>" for name in [*RESULTS_FORMATS, *GRAPH_FORMATS])
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>feedkg SPARQL</title>\n'
        f"<h1>feedkg SPARQL endpoint</h1>\n<p>Read-only SPARQL 1.1 Protocol endpoint: "
        f'<code>{html.escape(url)}</code></p>\n<form action="/sparql" method="get">\n'
        f'<textarea name="query" rows="12" cols="80">{html.escape(example)}</textarea><br>\n'
        f'<select name="format"><option value="">(negotiate)</option>{options}</select>\n'
        "<button>Run</button></form>\n"
    )
