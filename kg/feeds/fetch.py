"""Get a feed's bytes from a path, an http(s) URL or standard input.

This is the only place the pipeline reads input, so every limit a server
could otherwise abuse lives here: a timeout per connect and read plus one for
the whole download (a server trickling a byte a second never trips a read
timeout), a cap on the bytes downloaded and another on what they decompress
to, and a cap on redirects, which are followed here rather than by httpx so
that each target is checked: a feed may move to another http(s) URL, never to
``file:``, ``ftp:`` or ``data:``.

Fetching behaves like a polite feed reader: it says who it is (``USER_AGENT``),
asks for compressed responses, and makes conditional requests.  A caller that
remembers a feed's :class:`Validators` (ETag, Last-Modified) from the last
fetch and passes them back gets ``not_modified`` from a server that answers
304, so an unchanged feed costs one small response and no parsing.

Each failure is one :class:`~kg.errors.FeedError` naming the URL and the
cause; :func:`fetch_all` returns them in place of the result, so one dead feed
never stops the others (RFC 9110 for the status codes and redirects, RFC 9111
section 4.3 for validators).
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from kg.errors import FeedError
from kg.feeds.compression import MAX_GUNZIPPED, Decoder, size_text

USER_AGENT = "feedkg/0.1 (+https://w3id.org/feedkg)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.5"
)
TIMEOUT_S = 30.0  #: to connect, and between two reads
TOTAL_TIMEOUT_S = 300.0  #: for one whole download, redirects included
MAX_BYTES = 64 * 1024 * 1024  #: bytes on the wire (compressed, when the server compresses)
MAX_REDIRECTS = 5
WORKERS = 8

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_LOCATION = "X-Feedkg-Location"  #: where _set_location_aside puts a redirect's target
_SSL_SOURCE = re.compile(r"\s*\(_ssl\.c:\d+\)")  # where in CPython, not why


@dataclass(frozen=True)
class Validators:
    """What a server said identifies this version of a feed; sent back on the
    next fetch so that an unchanged feed is answered with 304 Not Modified.

    Store them per feed URL as they are (``dataclasses.asdict`` and
    ``Validators(**d)`` round-trip through JSON): both are opaque strings.
    """

    etag: str | None = None  #: the ``ETag`` header, sent back as ``If-None-Match``
    last_modified: str | None = None  #: ``Last-Modified``, sent back as ``If-Modified-Since``

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def headers(self) -> dict[str, str]:
        """The conditional request headers these validators make."""
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


@dataclass(frozen=True)
class Fetched:
    """One source fetched: its bytes, or the news that they have not changed."""

    url: str  #: the source as asked for (a URL, a path or "-")
    final_url: str  #: where the bytes came from, after redirects
    status: int | None  #: the final HTTP status (200 or 304); None for files and stdin
    data: bytes | None  #: the body, decompressed; None when not modified
    validators: Validators  #: to send next time (the ones sent, when a 304 repeats none)
    redirects: tuple[tuple[int, str], ...] = ()  #: each redirect followed: (status, target)

    @property
    def not_modified(self) -> bool:
        """The server answered 304: the feed is as it was when the validators were saved."""
        return self.status == 304

    @property
    def moved_permanently(self) -> bool:
        """Every redirect was permanent (301/308): a feed reader updates the URL it keeps."""
        return bool(self.redirects) and all(s in (301, 308) for s, _ in self.redirects)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def fetch(source: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> bytes:
    """Return the raw bytes behind ``source`` ("-" means standard input).

    Only downloads are capped at ``max_bytes``: a server can send anything,
    while a local file or a pipe is the user's own choice.

    :raises FeedError: the file is missing or unreadable, the URL fails or the
        download is larger than ``max_bytes``.
    """
    fetched = fetch_source(source, timeout=timeout, max_bytes=max_bytes)
    assert fetched.data is not None  # no validators were sent, so no 304 is accepted
    return fetched.data


def fetch_source(
    source: str,
    *,
    validators: Validators | None = None,
    timeout: float = TIMEOUT_S,
    total_timeout: float = TOTAL_TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
    max_decoded: int = MAX_GUNZIPPED,
    max_redirects: int = MAX_REDIRECTS,
    client: httpx.Client | None = None,
) -> Fetched:
    """Fetch a path, "-" or an http(s) URL; the options apply to URLs only
    (:func:`fetch_url`), since local input is the user's own choice.

    :raises FeedError: as :func:`fetch_url`, or the file cannot be read.
    """
    if is_url(source):
        return fetch_url(
            source,
            validators=validators,
            timeout=timeout,
            total_timeout=total_timeout,
            max_bytes=max_bytes,
            max_decoded=max_decoded,
            max_redirects=max_redirects,
            client=client,
        )
    return Fetched(source, source, None, _read_local(source), Validators())


def _read_local(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    if "://" in source:
        scheme = source.split("://", 1)[0]
        raise FeedError(source, f"unsupported URL scheme {scheme!r}; use http(s), a path or '-'")
    path = Path(source)
    if not path.exists():
        raise FeedError(source, "no such file")
    if path.is_dir():
        raise FeedError(source, "is a directory, not a feed file")
    try:
        return path.read_bytes()  # the user's own file: no cap, an archive may be large
    except OSError as e:
        raise FeedError(source, f"cannot read: {e.strerror or e}") from e


def fetch_url(
    url: str,
    *,
    validators: Validators | None = None,
    timeout: float = TIMEOUT_S,
    total_timeout: float = TOTAL_TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
    max_decoded: int = MAX_GUNZIPPED,
    max_redirects: int = MAX_REDIRECTS,
    client: httpx.Client | None = None,
) -> Fetched:
    """GET an http(s) feed URL as a feed reader should (see the module docstring).

    ``timeout`` bounds connecting and each read, ``total_timeout`` the whole
    exchange; ``max_bytes`` caps the bytes received and ``max_decoded`` what a
    ``Content-Encoding`` expands them to.  A gzip *file* (a ``.gz`` feed) is
    returned as it is: :func:`gunzip` opens it, with its own cap.  Pass
    ``client`` to share connections between calls (it must be usable from
    the calling thread; its redirect and timeout settings are overridden).

    :raises FeedError: one line naming ``url`` and the cause: DNS failure,
        connection refused, TLS error, timeout, HTTP status >= 400, too big,
        too many redirects, a redirect loop or a redirect to a non-http(s) URL.
    """
    if not is_url(url):
        raise FeedError(url, "not an http(s) URL")
    http = client if client is not None else _client(1)
    try:
        return _get(
            http,
            url,
            validators or Validators(),
            httpx.Timeout(timeout),
            time.monotonic() + total_timeout,
            total_timeout,
            max_bytes,
            max_decoded,
            max_redirects,
        )
    except httpx.TimeoutException as e:
        raise FeedError(url, f"cannot fetch: timed out after {timeout:g} s {_phase(e)}") from e
    except httpx.TransportError as e:  # connect, read, protocol and proxy errors
        raise FeedError(url, f"cannot fetch: {_cause(e)}") from e
    except httpx.InvalidURL as e:
        raise FeedError(url, f"not a valid URL ({e})") from e
    finally:
        if client is None:
            http.close()


def fetch_all(
    sources: Sequence[str],
    *,
    workers: int = WORKERS,
    validators: Mapping[str, Validators] | None = None,
    timeout: float = TIMEOUT_S,
    total_timeout: float = TOTAL_TIMEOUT_S,
    max_bytes: int = MAX_BYTES,
    max_decoded: int = MAX_GUNZIPPED,
    max_redirects: int = MAX_REDIRECTS,
    client: httpx.Client | None = None,
) -> list[Fetched | FeedError]:
    """Fetch every source (URL, path or "-"), at most ``workers`` at a time,
    and return the results in the order of ``sources``.

    A source that fails gives its :class:`FeedError` in its place instead of
    raising (P9: one dead feed must not stop a cron run over hundreds).
    ``validators`` maps a source, exactly as given, to what its last fetch
    returned.  Sources are fetched as given: remove duplicates first
    (:mod:`kg.feeds.sources` does).

    :raises ValueError: ``workers`` is less than 1.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers!r}")
    known = validators or {}
    http = client if client is not None else _client(workers)

    def one(source: str) -> Fetched | FeedError:
        try:
            return fetch_source(
                source,
                validators=known.get(source),
                timeout=timeout,
                total_timeout=total_timeout,
                max_bytes=max_bytes,
                max_decoded=max_decoded,
                max_redirects=max_redirects,
                client=http,
            )
        except FeedError as e:
            return e

    try:
        if workers == 1 or len(sources) <= 1:
            return [one(source) for source in sources]
        with ThreadPoolExecutor(max_workers=min(workers, len(sources))) as pool:
            return list(pool.map(one, sources))
    finally:
        if client is None:
            http.close()


# -- one exchange ---------------------------------------------------------------


def _client(workers: int) -> httpx.Client:
    """A client whose pool holds one connection per worker; redirects are ours."""
    return httpx.Client(
        follow_redirects=False,
        limits=httpx.Limits(max_connections=workers, max_keepalive_connections=workers),
        event_hooks={"response": [_set_location_aside]},
    )


def _set_location_aside(response: httpx.Response) -> None:
    """httpx parses a redirect's Location even when it does not follow it, and
    fails on ``data:`` or ``javascript:`` ones before we could name them; so the
    header is moved out of its way and judged by :func:`_redirect_target`."""
    if "Location" in response.headers:
        response.headers[_LOCATION] = response.headers.pop("Location")


def _get(
    http: httpx.Client,
    url: str,
    validators: Validators,
    timeout: httpx.Timeout,
    deadline: float,
    total_timeout: float,
    max_bytes: int,
    max_decoded: int,
    max_redirects: int,
) -> Fetched:
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": ACCEPT,
        # only what _Decoder reads: a server must not pick br or zstd for us
        "Accept-Encoding": "gzip, deflate",
        **validators.headers(),
    }
    current, seen = url, {url}
    hops: list[tuple[int, str]] = []
    while True:
        with _stream(http, url, current, headers, timeout) as response:
            status = response.status_code
            if status in _REDIRECTS:
                target = _redirect_target(url, current, response, len(hops), max_redirects)
                if target in seen:
                    chain = " -> ".join([url, *(t for _, t in hops), target])
                    raise FeedError(url, f"redirect loop: {chain}")
                seen.add(target)
                hops.append((status, target))
                current = target
                if time.monotonic() > deadline:
                    raise FeedError(url, f"cannot fetch: redirects took over {total_timeout:g} s")
                continue
            got = _validators(response.headers)
            if status == 304:
                if not validators:
                    raise FeedError(url, "HTTP 304 Not Modified to a request without validators")
                kept = Validators(
                    got.etag or validators.etag, got.last_modified or validators.last_modified
                )
                return Fetched(url, current, 304, None, kept, tuple(hops))
            if status >= 300:
                raise FeedError(url, _status_message(response))
            data = _body(url, response, deadline, total_timeout, max_bytes, max_decoded)
            return Fetched(url, current, status, data, got, tuple(hops))


@contextlib.contextmanager
def _stream(
    http: httpx.Client, url: str, current: str, headers: dict[str, str], timeout: httpx.Timeout
) -> Iterator[httpx.Response]:
    httpx.URL(current)  # an invalid URL raises here, so the one below is the redirect's
    try:
        response = http.send(
            http.build_request("GET", current, headers=headers, timeout=timeout),
            stream=True,
            follow_redirects=False,
        )
    except httpx.InvalidURL as e:  # only a client not made by _client() gets here
        raise FeedError(url, f"redirects to a URL that cannot be followed ({e})") from e
    try:
        yield response
    finally:
        response.close()


def _redirect_target(
    url: str, current: str, response: httpx.Response, done: int, max_redirects: int
) -> str:
    location = str(response.headers.get(_LOCATION) or response.headers.get("Location", "")).strip()
    if not location:
        raise FeedError(url, f"{_status_message(response)} without a Location header")
    target = urljoin(current, location)
    scheme = urlsplit(target).scheme.lower()
    if scheme not in ("http", "https"):
        shown = target if len(target) <= 80 else target[:77] + "..."
        raise FeedError(
            url,
            f"redirects to {shown!r}: only http(s) redirects are followed, never {scheme!r}",
        )
    if done >= max_redirects:
        raise FeedError(url, f"more than {max_redirects} redirects (the last to {target})")
    return target


def _validators(headers: httpx.Headers) -> Validators:
    return Validators(headers.get("ETag") or None, headers.get("Last-Modified") or None)


def _status_message(response: httpx.Response) -> str:
    status = response.status_code
    message = f"HTTP {status} {response.reason_phrase}".rstrip()
    if status == 410:
        message += "; the feed is gone for good: remove it from the list"
    elif status in (429, 503) and "Retry-After" in response.headers:
        message += f"; the server asks to retry after {response.headers['Retry-After']}"
    return message


def _body(
    url: str,
    response: httpx.Response,
    deadline: float,
    total_timeout: float,
    max_bytes: int,
    max_decoded: int,
) -> bytes:
    """The body, decompressed, read chunk by chunk so no cap is ever overrun in memory."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FeedError(
            url, f"too big: {size_text(int(declared))}, over the {size_text(max_bytes)} limit"
        )
    decoder = Decoder(url, response.headers.get("Content-Encoding", ""), max_decoded)
    received = 0
    for chunk in response.iter_raw():  # as it arrives, so a trickle meets the deadline
        received += len(chunk)
        if received > max_bytes:
            raise FeedError(url, f"too big: larger than the {size_text(max_bytes)} limit")
        if time.monotonic() > deadline:
            raise FeedError(url, f"cannot fetch: the download took over {total_timeout:g} s")
        decoder.feed(chunk)
    return decoder.finish()


# -- messages -------------------------------------------------------------------


def _phase(e: httpx.TimeoutException) -> str:
    if isinstance(e, httpx.ConnectTimeout):
        return "connecting"
    if isinstance(e, httpx.PoolTimeout):
        return "waiting for a free connection"
    return "waiting for the server" if isinstance(e, httpx.ReadTimeout) else "sending"


def _causes(e: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = e
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _cause(e: httpx.TransportError) -> str:
    """The root cause in words: DNS, refused, TLS or what the socket said."""
    host = e.request.url.host if _has_request(e) else ""
    for cause in _causes(e):
        if isinstance(cause, socket.gaierror):
            return f"DNS lookup of {host!r} failed ({cause.strerror or cause})"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (is the server up, and is the port right?)"
        if isinstance(cause, ssl.SSLCertVerificationError):
            why = getattr(cause, "verify_message", None) or _one_line(cause)
            return f"TLS error: the certificate of {host!r} is not valid ({why})"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {_SSL_SOURCE.sub('', _one_line(cause))}"
        if isinstance(cause, ConnectionResetError):
            return "the server closed the connection"
    if isinstance(e, httpx.RemoteProtocolError):
        return f"the server broke the HTTP protocol ({_one_line(e)})"
    return f"{type(e).__name__}: {_one_line(e)}"


def _has_request(e: httpx.TransportError) -> bool:
    try:
        e.request  # noqa: B018 -- httpx raises RuntimeError when no request was set
    except RuntimeError:
        return False
    return True


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split()) or type(e).__name__
