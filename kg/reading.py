"""Reading sources: fetch them all, then read and extract each feed.

The first stage of a build (see :mod:`kg.pipeline`): URLs are fetched several
at a time (:mod:`kg.feeds.fetch`), then each feed is read (:mod:`kg.feeds`)
and extracted (:mod:`kg.extract`), in worker processes when there are several
large ones.  What comes out is plain records, and a one-line error for each
feed that could not be read.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from kg.errors import FeedError
from kg.extract import extract_feed
from kg.feeds import read_feed
from kg.feeds.fetch import Validators, fetch_all
from kg.results import FeedSummary
from kg.runtime import give_back_free_memory, usable_cpus
from kg.types import FeedRecord

#: Told what a long run is doing: (stage, done, total), e.g. ("read", 3, 20).
#: The CLI draws it as a progress bar on a terminal; the library never prints.
Progress = Callable[[str, int, int], None]


def quiet(stage: str, done: int, total: int) -> None:
    pass


@dataclass
class SourcesRead:
    """What reading the sources gave: records, failures, and for HTTP feeds the
    answers a store needs to ask again cheaply next time."""

    records: list[FeedRecord] = field(default_factory=list)
    failed: list[FeedSummary] = field(default_factory=list)
    #: Sources that answered 304 Not Modified to the validators sent.
    not_modified: list[str] = field(default_factory=list)
    #: Each HTTP source's ETag / Last-Modified, to send with its next fetch.
    validators: dict[str, Validators] = field(default_factory=dict)


def read_sources(
    sources: Sequence[str],
    progress: Progress = quiet,
    *,
    validators: Mapping[str, Validators] | None = None,
    jobs: int | None = None,
) -> SourcesRead:
    """Fetch every source (several URLs at a time), then read and extract each.

    Feeds are read and extracted in ``jobs`` processes (default: one per CPU
    this process may use) when there are several: reading is pure Python and
    most of a build's time, and feeds are independent until they are mapped.
    A failure is that feed's only: it becomes a summary with an error.
    """
    out = SourcesRead()
    progress("fetch feeds", 0, len(sources))
    fetched = fetch_all(sources, validators=validators)
    todo: list[tuple[str, bytes]] = []
    for source, got in zip(sources, fetched, strict=True):
        if isinstance(got, FeedError):
            out.failed.append(FeedSummary(source=source, error=str(got)))
        elif got.not_modified:
            out.not_modified.append(source)
        else:
            assert got.data is not None
            if got.validators:
                out.validators[source] = got.validators
            todo.append((source, got.data))
    del fetched
    total = len(todo)  # _read_all lets go of each feed's bytes as it goes
    progress("read feeds", 0, total)
    for done, (source, read) in enumerate(_read_all(todo, jobs), start=1):
        if isinstance(read, str):
            out.failed.append(FeedSummary(source=source, error=read))
        else:
            out.records.append(read)
        progress("read feeds", done, total)
    give_back_free_memory()  # the feeds' bytes and parsed documents are gone
    return out


#: Below this many bytes of feeds, starting worker processes costs more
#: than it saves, unless the caller asks for them.
PARALLEL_MIN_BYTES = 4 << 20


def _read_all(
    todo: list[tuple[str, bytes]], jobs: int | None
) -> Iterator[tuple[str, FeedRecord | str]]:
    """Each feed read and extracted (or its error), in the order given."""
    if jobs is None:
        small = sum(len(data) for _, data in todo) < PARALLEL_MIN_BYTES
        jobs = 1 if small else usable_cpus()
    jobs = min(jobs, len(todo))
    if jobs < 2:
        todo.reverse()
        while todo:  # each feed's bytes are let go once it is read
            source, data = todo.pop()
            yield source, _read_one(source, data)
        return
    # fork starts workers with everything imported, but is only safe with no
    # other thread running (one could hold a lock the child then waits on).
    method = "fork" if threading.active_count() == 1 else "forkserver"
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [(source, pool.submit(_read_one, source, data)) for source, data in todo]
        todo.clear()
        for source, future in futures:
            yield source, future.result()


def _read_one(source: str, data: bytes) -> FeedRecord | str:
    """One feed read and extracted, or why it could not be (a worker's job:
    the error goes back as its one-line text)."""
    try:
        return extract_feed(read_feed(source, data=data))
    except FeedError as e:
        return str(e)
