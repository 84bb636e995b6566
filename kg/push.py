"""Push the knowledge graph to an external triple store over the SPARQL 1.1 Graph Store Protocol.

Spec: https://www.w3.org/TR/sparql11-http-rdf-update/ (``?graph=IRI``).  Each feed's named
graph is sent on its own, named in the request, so a push touches no other graph and needs
no store's SPARQL Update dialect.

* ``PUT`` replaces a graph, so pushing a build twice leaves the same store; ``POST`` appends.
  A graph bigger than ``batch_triples`` goes as a ``PUT`` of its first batch and ``POST``\\s
  of the rest: still a replacement, with bounded request bodies.
* Only named graphs are pushed: a store's default graph is local bookkeeping.
* Connection errors, timeouts and 429/502/503/504 are retried with exponential backoff,
  honouring ``Retry-After``.  Retrying a ``POST`` is safe: a triple added twice is there
  once.  Blank nodes would be doubled, and a blank node's label means one node only within
  one request, so their triples all go in a graph's last batch (our graphs have none).
* Anything else is a ``PushError`` naming the endpoint (never its credentials), the graph,
  the HTTP status and what the server said.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx
import pyoxigraph as ox

from kg.errors import KGError, RDFInputError
from kg.query import load_store

#: A graph to push: its IRI and its triples (any iterable; read once, in batches).
Graphs = Iterable[tuple[str, Iterable[ox.Triple]]]
METHODS = ("PUT", "POST")
AUTH_SCHEMES = ("basic", "digest")
_TRANSIENT = frozenset({429, 502, 503, 504})
_MAX_WAIT = 60.0  # seconds; a longer Retry-After is a maintenance window, not a hiccup
_CONTENT_TYPE = "application/n-triples"
_TAG = re.compile(r"<[^>]*>")
_HEAD = re.compile(r"<head\b.*?</head>", re.IGNORECASE | re.DOTALL)
_sleep = time.sleep  # replaced in tests to check the waits without waiting


class PushError(KGError):
    """The triple store refused or could not take a graph; ``subject`` is the endpoint."""

    def __init__(
        self, endpoint: str, message: str, *, graph: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(endpoint, message)
        self.graph = graph
        self.status = status


@dataclass(frozen=True)
class Auth:
    """Credentials for the store; the password stays out of ``repr`` so it is never logged.

    >>> Auth("dba", "secret", "digest")
    Auth(user='dba', scheme='digest')
    """

    user: str
    password: str = field(repr=False)
    scheme: Literal["basic", "digest"] = "basic"

    def __post_init__(self) -> None:
        if self.scheme not in AUTH_SCHEMES:
            raise PushError("--auth", f"unknown scheme {self.scheme!r}; use basic or digest")

    def httpx_auth(self) -> httpx.Auth:
        """The httpx flow for the scheme; digest keeps its nonce across the client's requests."""
        if self.scheme == "digest":
            return httpx.DigestAuth(self.user, self.password)
        return httpx.BasicAuth(self.user, self.password)


@dataclass(frozen=True)
class GraphPush:
    """What was (or, in a dry run, would be) sent for one graph."""

    graph: str
    #: triples sent (duplicates in the source counted once per occurrence)
    triples: int
    #: the HTTP method of each request, in order: ``("PUT", "POST", …)``
    requests: tuple[str, ...]


@dataclass(frozen=True)
class PushResult:
    """The whole push, for the CLI to report; ``endpoint`` has no credentials in it."""

    endpoint: str
    method: str
    graphs: tuple[GraphPush, ...]
    #: requests that had to be repeated after a transient failure
    retries: int = 0
    dry_run: bool = False

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs)


def graphs_from_store(store: ox.Store) -> Iterator[tuple[str, Iterator[ox.Triple]]]:
    """The store's named graphs, by name, each read lazily; never its default graph.

    :raises PushError: a graph is named by a blank node, which no remote store can address.
    """
    names = sorted(store.named_graphs(), key=str)
    for name in names:  # all checked before the first graph is sent
        if not isinstance(name, ox.NamedNode):
            raise PushError("store", f"graph {name} has a blank-node name; only IRIs can be pushed")
    for name in names:
        quads = store.quads_for_pattern(None, None, None, name)
        yield str(name.value), (q.triple for q in quads)


def graphs_from_files(
    paths: Sequence[Path | str], *, graph: str | None = None
) -> Iterator[tuple[str, Iterator[ox.Triple]]]:
    """The named graphs of RDF files (N-Quads and TriG keep theirs).

    Triples outside any named graph (all of a Turtle or N-Triples file) go to ``graph``:
    there is no sensible default name for them, so without one this fails rather than
    push them somewhere the user did not choose.

    :raises RDFInputError: a file cannot be read, or it has triples outside a named graph
        and no ``graph`` was given.
    :raises PushError: ``graph`` is not an absolute IRI.
    """
    store = load_store(paths)
    default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    if default:
        if graph is None:
            where = ", ".join(map(str, paths))
            raise RDFInputError(
                where, f"{len(default)} triples outside any named graph; give --graph IRI"
            )
        target = _named_node(graph, "--graph")
        store.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in default)
        store.clear_graph(ox.DefaultGraph())
    return graphs_from_store(store)


def push_graphs(
    graphs: Graphs,
    endpoint: str,
    *,
    method: str = "PUT",
    auth: Auth | None = None,
    batch_triples: int = 50_000,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 60.0,
    dry_run: bool = False,
    client: httpx.Client | None = None,
) -> PushResult:
    """Send each graph to ``endpoint``, a Graph Store Protocol service, as N-Triples batches.

    ``dry_run`` reads the graphs and plans the requests without connecting, so the user can
    see what a push would replace.  A ``client`` given is used as is (its own timeout and
    transport); otherwise one is made and closed here.

    >>> name = ox.NamedNode("https://schema.org/name")
    >>> things = [ox.Triple(ox.NamedNode(f"https://example.org/{n}"), name, ox.Literal(n))
    ...           for n in "abc"]
    >>> push_graphs([("https://example.org/g", things)], "http://localhost:8890/gsp",
    ...             batch_triples=2, dry_run=True).graphs
    (GraphPush(graph='https://example.org/g', triples=3, requests=('PUT', 'POST')),)

    :raises PushError: a bad endpoint, method or batch size, a graph that is not an IRI, or a
        request that failed for good (after the retries, for transient failures).
    """
    shown = _redact(endpoint)
    method = method.upper()
    if method not in METHODS:
        raise PushError(shown, f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if not endpoint.startswith(("http://", "https://")):
        raise PushError(shown, "not an http(s) URL of a Graph Store Protocol service")
    if batch_triples < 1:
        raise PushError(shown, f"batch size must be at least 1 (got {batch_triples})")
    own = client is None and not dry_run
    http = httpx.Client(timeout=timeout) if own else client
    sender = None if dry_run or http is None else _Sender(http, shown, auth, retries, backoff)
    pushed: list[GraphPush] = []
    try:
        for name, triples in graphs:
            _named_node(name, shown)
            url = httpx.URL(endpoint).copy_merge_params({"graph": name})
            sent: list[str] = []
            count = 0
            for batch in _batches(triples, batch_triples, keep_empty=method == "PUT"):
                verb = method if not sent else "POST"  # later batches add to the first
                if sender is not None:
                    sender.send(verb, url, name, batch, done=count if sent else None)
                sent.append(verb)
                count += len(batch)
            pushed.append(GraphPush(name, count, tuple(sent)))
    finally:
        if own and http is not None:
            http.close()
    retried = 0 if sender is None else sender.retried
    return PushResult(shown, method, tuple(pushed), retried, dry_run)


def _batches(
    triples: Iterable[ox.Triple], size: int, *, keep_empty: bool
) -> Iterator[list[ox.Triple]]:
    """Lists of ``size`` triples, blank-node triples held back for the last one.

    An empty graph still gives one (empty) batch, so that a PUT clears it.
    """
    held: list[ox.Triple] = []
    batch: list[ox.Triple] = []
    yielded = False
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            held.append(triple)
            continue
        batch.append(triple)
        if len(batch) == size:
            yield batch
            batch, yielded = [], True
    if batch or held or (keep_empty and not yielded):
        yield batch + held


class _Sender:
    """Sends batches through one client and one auth flow, after a ``HEAD`` to check access.

    A server that refuses credentials may answer 401 and close the connection while a big
    body is still being sent (Virtuoso does), which the client sees as a broken connection,
    not a 401.  So the first request is a bodiless ``HEAD``: it fails fast and clearly on bad
    credentials, and it leaves one ``httpx.DigestAuth`` holding the server's nonce, so no
    batch is sent unauthenticated first (or twice).
    """

    def __init__(
        self, http: httpx.Client, shown: str, auth: Auth | None, retries: int, backoff: float
    ) -> None:
        self.http = http
        self.shown = shown
        self.auth = auth
        self.flow = auth.httpx_auth() if auth is not None else http.auth
        self.retries = max(retries, 0)
        self.backoff = backoff
        self.retried = 0
        self.checked = False

    def send(
        self, verb: str, url: httpx.URL, graph: str, batch: Sequence[ox.Triple], *, done: int | None
    ) -> None:
        """One request, repeated on transient failures; ``done``: triples of the graph sent so far.

        :raises PushError: the store refused it, or it still failed after the retries.
        """
        if not self.checked:
            self.checked = True
            try:
                probe = self.http.request("HEAD", url, auth=self.flow)
            except httpx.TransportError:
                probe = None  # the request itself will retry and tell
            if probe is not None and probe.status_code == 401:
                raise self._error(f"{verb} graph <{graph}>", probe, graph, 1, None)
        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self.http.request(
                    verb, url, content=body, headers={"Content-Type": _CONTENT_TYPE}, auth=self.flow
                )
            except httpx.TransportError as e:  # refused, reset, timed out: worth another try
                if last:
                    raise self._error(f"{verb} graph <{graph}>", e, graph, attempt + 1, done) from e
                self._wait(attempt, None)
                continue
            if response.is_success:
                return
            if response.status_code not in _TRANSIENT or last:
                raise self._error(f"{verb} graph <{graph}>", response, graph, attempt + 1, done)
            self._wait(attempt, response)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait(self, attempt: int, response: httpx.Response | None) -> None:
        asked = None if response is None else _retry_after(response)
        _sleep(asked if asked is not None else min(self.backoff * 2**attempt, _MAX_WAIT))
        self.retried += 1

    def _error(
        self,
        what: str,
        failure: httpx.Response | httpx.TransportError,
        graph: str,
        attempts: int,
        done: int | None,
    ) -> PushError:
        """One line: the request, the status and what the server said, a hint, what is left."""
        if isinstance(failure, httpx.Response):
            status: int | None = failure.status_code
            message = f"{what}: HTTP {status} {failure.reason_phrase}{_server_said(failure)}"
            message += _hint(failure, self.auth)
        else:
            status = None
            message = f"{what}: {type(failure).__name__}: {' '.join(str(failure).split())}"
        if attempts > 1:
            message += f" (after {attempts} attempts)"
        if done is not None:
            message += f"; the store has only the first {done} triples of <{graph}>: push again"
        return PushError(self.shown, message, graph=graph, status=status)


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds the server asked us to wait (``Retry-After``: seconds or an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), _MAX_WAIT)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max((when - datetime.now(UTC)).total_seconds(), 0.0), _MAX_WAIT)


def _hint(response: httpx.Response, auth: Auth | None) -> str:
    """How to fix the usual refusals, in the CLI's terms ("; …", or nothing)."""
    status = response.status_code
    if status == 401:
        asked = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
        if auth is None:
            return "; the store needs credentials: give --user and a password"
        if asked in AUTH_SCHEMES and asked != auth.scheme:
            return f"; the store asks for {asked} authentication: use --auth {asked}"
        # Virtuoso answers Basic credentials with a bare 401, naming no scheme
        other = ", or try --auth digest" if asked != auth.scheme else ""
        return f"; check the user {auth.user!r} and the password{other}"
    if 300 <= status < 400 and "Location" in response.headers:
        return f"; the store redirects to {_redact(response.headers['Location'])}; push there"
    if status == 403:
        return "; the store does not let this user write graphs"
    if status in (404, 405, 501):
        return "; is this the store's Graph Store Protocol address?"
    return ""


def _server_said(response: httpx.Response) -> str:
    """What the server said (": …"), on one line and capped.

    Plain text: its first non-blank line.  HTML: the text of the body (Virtuoso puts the
    status in an ``<h1>`` and the reason after it, so the first line alone says nothing).
    """
    text = response.text
    if "html" in response.headers.get("Content-Type", "").lower():
        text = " ".join(_TAG.sub(" ", _HEAD.sub(" ", text)).split())
    line = next((line for line in text.splitlines() if line.strip()), "")
    return f": {' '.join(line.split())[:300]}" if line else ""


def _named_node(name: str, subject: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(name)
    except ValueError as e:
        raise PushError(subject, f"graph {name!r} is not an absolute IRI: {e}") from e


def _redact(url: str) -> str:
    """The URL without user:password, so no message or log shows a password."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return url.rpartition("@")[2] if "@" in url else url
    return str(parsed.copy_with(username=None, password=None)) if parsed.userinfo else url
