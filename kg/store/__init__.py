"""The store: a persistent pyoxigraph database that grows with every build.

Feeds are sliding windows, so a graph rebuilt from today's fetch forgets
yesterday's items.  The store remembers them: it keeps every item it has read,
as its extracted record (:mod:`kg.store.records`), and the graph made from all
of them, in one named graph per feed plus a shared and a provenance graph.

On disk, a store is a directory of immutable *generations*::

    STORE/lock              held by the one process writing (kg build)
    STORE/current -> gen-000007
    STORE/gen-000007/oxigraph/       the pyoxigraph (RocksDB) database
    STORE/gen-000007/graph.nq        what the database holds (provenance aside)
    STORE/gen-000007/records.jsonl   every item ever read, per feed
    STORE/gen-000007/state.json      per feed: item keys and digests, fetch times

A build writes a complete new generation beside the current one and then
swaps the ``current`` link, which is one atomic rename: a build that fails or
is killed leaves the store exactly as it was, and readers (``kg query``,
``kg serve``) never see half an ingest.  Writing a fresh database in bulk is
also faster than pyoxigraph's transactional writes.  A generation starts as
a copy of the previous database by hard links (:meth:`pyoxigraph.Store.backup`)
when little changed, and gets only the difference; a build that changed
nothing only updates the fetch times.

:mod:`kg.store.layout` reads a store (no lock needed), :mod:`kg.store.writer`
writes one, :mod:`kg.store.records` turns records into JSON and back.
"""

from kg.store.layout import (
    STORE_FORMAT,
    State,
    StoreError,
    current_generation,
    file_digest,
    generation_marker,
    graph_iri,
    is_store,
    known_validators,
    open_readonly,
    store_graphs,
    store_triples,
)
from kg.store.writer import FeedChange, Plan, StoreWriter

__all__ = [
    "STORE_FORMAT",
    "FeedChange",
    "Plan",
    "State",
    "StoreError",
    "StoreWriter",
    "current_generation",
    "file_digest",
    "generation_marker",
    "graph_iri",
    "is_store",
    "known_validators",
    "open_readonly",
    "store_graphs",
    "store_triples",
]
