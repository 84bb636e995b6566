"""What a store generation holds besides its state, and how each part is made:
the records file, the provenance graph and the database.  The writer
(:mod:`kg.store.writer`) decides when they are made and when the generation
becomes current."""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.export.atomic import atomic_write
from kg.store.layout import State, graph_iri
from kg.store.records import dumps, dumps_with_hash, item_key
from kg.types import FeedRecord

#: A new generation copies the old database and applies the difference when
#: at most this share of the graph's quads changed; else it loads afresh.
DELTA_LIMIT = 0.25


def write_records(path: Path, records: Sequence[FeedRecord], base_iri: str, state: State) -> None:
    """Every feed's channel and items, one JSON object a line, tagged with the
    feed IRI; and each item's key and digest into ``state``, from the same
    encoding.  An item's position is beside its record, not in it, so the
    record's text is what its digest is of.  Written as made: the file is
    about the size of the feeds, and joined in memory first it was the peak
    of a large ingest."""
    from kg.mapping.iris import feed_iri

    with atomic_write(path) as out:
        for record in records:
            iri = feed_iri(record, base_iri)
            feed = json.dumps(iri, ensure_ascii=False)
            line = f'{{"feed":{feed},"channel":{dumps(replace(record, items=()))}}}\n'
            out.write(line.encode("utf-8"))
            digests = state.feeds[iri].items
            for item in record.items:
                index, text, digest = dumps_with_hash(item)
                digests.append((item_key(item), digest))
                out.write(f'{{"feed":{feed},"index":{index},"item":{text}}}\n'.encode())


def provenance_graph(state: State, base: str) -> bytes:
    """When each feed was read and what it held: the store's provenance graph."""
    from kg.vocab import KG, XSD

    graph = ox.NamedNode(graph_iri(base, "provenance"))
    dt, integer = ox.NamedNode(str(XSD.dateTime)), ox.NamedNode(str(XSD.integer))
    quads = []
    for iri, feed in sorted(state.feeds.items()):
        s = ox.NamedNode(iri)
        facts: list[tuple[Any, ox.Literal]] = [
            (KG.source, ox.Literal(feed.source)),
            (KG.firstFetched, ox.Literal(feed.first_fetched, datatype=dt)),
            (KG.lastFetched, ox.Literal(feed.last_fetched, datatype=dt)),
            (KG.lastChanged, ox.Literal(feed.last_changed, datatype=dt)),
            (KG.itemsInWindow, ox.Literal(str(feed.in_window), datatype=integer)),
            (KG.itemsStored, ox.Literal(str(len(feed.items)), datatype=integer)),
        ]
        quads += [ox.Quad(s, ox.NamedNode(str(p)), o, graph) for p, o in facts]
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def load_database(
    gen: Path, nquads: Path, provenance: Future[bytes], base: str, previous: Path | None
) -> None:
    """The new generation's database in ``gen``: ``previous``'s plus the
    difference, when the difference is small (a daily feed), else loaded afresh
    in bulk from ``nquads``; then the provenance graph, once ``provenance`` has it.

    The previous generation's ``graph.nq`` is exactly what its database holds
    (besides provenance), so comparing lines gives the quads to remove and add.
    """
    target = str(gen / "oxigraph")
    db: ox.Store | None = None
    try:
        if previous is not None and (previous / "graph.nq").is_file():
            before = set((previous / "graph.nq").read_bytes().splitlines())
            after = [line for line in nquads.read_bytes().splitlines() if line]
            removed = before.difference(after)
            added = [line for line in after if line not in before]
            if len(removed) + len(added) <= DELTA_LIMIT * len(after):
                ox.Store.read_only(str(previous / "oxigraph")).backup(target)
                db = ox.Store(target)
                db.remove_graph(ox.NamedNode(graph_iri(base, "provenance")))
                for quad in ox.parse(b"\n".join(removed), format=ox.RdfFormat.N_QUADS):
                    db.remove(quad)
                db.bulk_load(b"\n".join(added), format=ox.RdfFormat.N_QUADS)
        if db is None:
            db = ox.Store(target)
            # The file was just written from the pipeline's text, every IRI
            # already checked by pyoxigraph: ``lenient`` skips checking them again.
            db.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
        db.bulk_load(provenance.result(), format=ox.RdfFormat.N_QUADS)
        db.flush()
    except BaseException:
        # The error's traceback keeps this frame alive, and with it the open
        # database and its lock: the next ingest in this process could not
        # open the same path.  Let go of it before the error travels on.
        db = None
        raise
