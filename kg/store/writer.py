"""The one process writing a store: lock, plan, and a new generation swapped in."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox

from kg.export.atomic import write_bytes
from kg.feeds.fetch import Validators
from kg.runtime import give_back_free_memory, usable_cpus
from kg.store import contents
from kg.store.layout import (
    FeedState,
    State,
    StoreError,
    current_generation,
    file_digest,
    graph_iri,
)
from kg.store.records import decode, feed_hash, item_hash, item_key
from kg.terms import NTriple
from kg.types import FeedRecord, ItemRecord

#: Generations kept besides the current one, for readers still on them.
_KEEP_PREVIOUS = 1


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# ------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class FeedChange:
    """What one ingest did to one feed."""

    iri: str
    source: str
    new: int = 0  #: items never seen before
    updated: int = 0  #: items seen before whose content changed
    unchanged: int = 0
    kept: int = 0  #: items of earlier fetches that this fetch no longer shows
    channel_changed: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.channel_changed)


@dataclass(frozen=True)
class Plan:
    """Incoming feeds matched against the store: what is new, what changed."""

    changes: tuple[FeedChange, ...]
    incoming: dict[str, FeedRecord]  #: feed IRI -> the record read now (items merged)
    settings_changed: bool

    @property
    def changed(self) -> bool:
        return self.settings_changed or any(c.changed for c in self.changes)


# ---------------------------------------------------------------------- writer


class StoreWriter:
    """The one process allowed to write a store, from lock to new generation."""

    def __init__(self, path: Path, lock: TextIO) -> None:
        self.path = path
        self._lock = lock
        self.generation = current_generation(path)
        self.state = self._read_state()

    @classmethod
    @contextmanager
    def open(cls, path: Path, *, wait: float = 0.0) -> Iterator[StoreWriter]:
        """Lock the store for writing; another writer gets a clear error.

        :raises StoreError: the store is locked for longer than ``wait`` seconds,
            or is not a feedkg store.
        """
        if path.exists() and not path.is_dir():
            raise StoreError(str(path), "is a file, not a store directory")
        if path.is_dir() and any(path.iterdir()) and not (path / "lock").exists():
            raise StoreError(str(path), "is a directory but not a feedkg store; choose another")
        path.mkdir(parents=True, exist_ok=True)
        lock = (path / "lock").open("a+", encoding="utf-8")
        try:
            _acquire(lock, path, wait)
            lock.seek(0)
            lock.truncate()
            lock.write(f"{os.getpid()}\n")
            lock.flush()
            writer = cls(path, lock)
            writer._clean_leftovers()
            yield writer
        finally:
            lock.close()  # closing releases the lock

    def _read_state(self) -> State:
        if self.generation is None:
            return State()
        where = str(self.generation / "state.json")
        try:
            return State.from_json((self.generation / "state.json").read_text("utf-8"), where)
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise StoreError(where, f"store state unreadable ({e})") from e

    def _clean_leftovers(self) -> None:
        """Generations a killed build left half-written, and old ones no reader needs."""
        current = self.generation.name if self.generation else None
        gens = sorted(p for p in self.path.glob("gen-*") if p.is_dir())
        finished = [p for p in gens if not p.name.endswith(".tmp")]
        keep = {current, *[p.name for p in finished if p.name != current][-_KEEP_PREVIOUS:]}
        for gen in gens:
            if gen.name not in keep:
                shutil.rmtree(gen, ignore_errors=True)

    # -- planning

    def plan(
        self,
        records: Sequence[FeedRecord],
        *,
        base_iri: str,
        settings: str,
        not_modified: Sequence[str] = (),
    ) -> Plan:
        """Match what was read against what the store has, item by item.

        ``not_modified`` are sources that answered 304 to a conditional GET:
        their feeds are unchanged without being read.
        """
        from kg.mapping.iris import feed_iri

        incoming: dict[str, FeedRecord] = {}
        for record in records:  # two sources of one feed: one feed, later items win
            iri = feed_iri(record, base_iri)
            if iri in incoming:
                earlier = incoming[iri]
                keys = {item_key(i) for i in record.items}
                rest = tuple(i for i in earlier.items if item_key(i) not in keys)
                record = replace(record, items=record.items + rest)
            incoming[iri] = record
        changes = []
        for iri, record in incoming.items():
            stored = self.state.feeds.get(iri)
            known = dict(stored.items) if stored else {}
            new = updated = unchanged = 0
            seen = set()
            for item in record.items:
                key = item_key(item)
                seen.add(key)
                if key not in known:
                    new += 1
                elif known[key] != item_hash(item):
                    updated += 1
                else:
                    unchanged += 1
            kept = sum(1 for key in known if key not in seen)
            channel = stored is None or stored.channel_hash != feed_hash(record)
            changes.append(FeedChange(iri, record.source, new, updated, unchanged, kept, channel))
        by_source = {f.source: iri for iri, f in self.state.feeds.items()}
        for source in not_modified:
            same = by_source.get(source)
            if same is None or same in incoming:
                continue
            feed = self.state.feeds[same]
            kept = len(feed.items) - feed.in_window
            changes.append(FeedChange(same, source, unchanged=feed.in_window, kept=kept))
        settings_changed = bool(self.state.feeds) and (
            self.state.base_iri != base_iri or self.state.settings != settings
        )
        return Plan(tuple(changes), incoming, settings_changed)

    def outputs_current(self, out_dir: Path | None, names: Sequence[str]) -> bool:
        """The files in ``out_dir`` are the ones the current generation's build wrote."""
        if out_dir is None:
            return True
        digest = self.state.outputs.get("graph.nq")
        nq = out_dir / "graph.nq"
        if not digest or not nq.is_file() or not all((out_dir / n).is_file() for n in names):
            return False
        return file_digest(nq) == digest

    def all_records(self, plan: Plan) -> list[FeedRecord]:
        """Every feed's record: this fetch's items first, then the ones it no longer shows."""
        stored = self._stored_records()
        out: list[FeedRecord] = []
        for iri in sorted(set(stored) | set(plan.incoming)):
            channel, items = stored.get(iri, (None, []))
            record = plan.incoming.get(iri) or channel
            assert record is not None
            if iri in plan.incoming:
                keys = {item_key(i) for i in record.items}
                left = [i for i in items if item_key(i) not in keys]
                record = replace(record, items=record.items + tuple(left))
            else:
                record = replace(record, items=tuple(items))
            out.append(record)
        return out

    def _stored_records(self) -> dict[str, tuple[FeedRecord, list[ItemRecord]]]:
        if self.generation is None:
            return {}
        out: dict[str, tuple[FeedRecord, list[ItemRecord]]] = {}
        path = self.generation / "records.jsonl"
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if "channel" in row:
                    out[row["feed"]] = (decode(FeedRecord, row["channel"]), [])
                else:
                    item = row["item"]
                    if "index" in row:  # the item's position is kept beside it, not in it
                        item["index"] = row["index"]
                    out[row["feed"]][1].append(decode(ItemRecord, item))
        return out

    # -- committing

    def commit(
        self,
        plan: Plan,
        records: Sequence[FeedRecord],
        graphs: Sequence[tuple[str, Sequence[NTriple]]],
        *,
        base_iri: str,
        settings: str,
        report: dict[str, Any],
        validators: Mapping[str, Validators] | None = None,
        now: datetime | None = None,
        meanwhile: Callable[[Path], None] | None = None,
    ) -> Path:
        """Write the new generation in full, then make it current.

        ``graphs`` are the named graphs of the build, each sorted (as
        :func:`kg.export.rdf.nquads_chunks` takes them).  ``validators`` are
        saved only here, with the data they describe: saved earlier, a failed
        build would make the next fetch a 304 for items the store never got.

        The generation's ``graph.nq`` is written first; the database is loaded
        from it on a second thread (pyoxigraph releases the GIL while it loads,
        the longest step of a large build), while this one writes the
        generation's other files and then runs ``meanwhile`` with the path of
        that ``graph.nq``: work that must finish before the commit but need not
        wait for the database, such as staging the output files.  Either
        failing fails the commit.
        """
        from kg.export.rdf import nquads_of_graphs
        from kg.mapping.iris import feed_iri

        now = now or _now()
        state = State(base_iri, settings, {}, {}, report, self._validators(validators))
        for record in records:
            iri = feed_iri(record, base_iri)
            old = self.state.feeds.get(iri)
            change = next((c for c in plan.changes if c.iri == iri), None)
            stamp = now.isoformat()
            state.feeds[iri] = FeedState(
                source=record.source,
                channel_hash=feed_hash(record),
                first_fetched=old.first_fetched if old else stamp,
                last_fetched=stamp if change or not old else old.last_fetched,
                last_changed=stamp if (change and change.changed) or not old else old.last_changed,
                in_window=(change.new + change.updated + change.unchanged)
                if change
                else (old.in_window if old else 0),
                items=[],  # filled as the records file is written
            )
        # The provenance graph needs the items' count, known only once they are
        # written: the loader takes it last, so the load can start first.
        provenance: Future[bytes] = Future()
        with self._new_generation() as gen, ThreadPoolExecutor(1) as loader:
            nquads = gen / "graph.nq"
            state.outputs["graph.nq"] = nquads_of_graphs(graphs, nquads)
            load = partial(
                contents.load_database, gen, nquads, provenance, base_iri, self.generation
            )
            # On one CPU the two threads would only take turns, and the loader's
            # buffers would add to the outputs' at the peak: load afterwards.
            loading = loader.submit(load) if usable_cpus() > 1 else None
            try:
                contents.write_records(gen / "records.jsonl", records, base_iri, state)
                provenance.set_result(contents.provenance_graph(state, base_iri))
            except BaseException as e:
                provenance.set_exception(e)  # the loader must not wait for it
                raise
            write_bytes(gen / "state.json", state.to_json().encode("utf-8"))
            if meanwhile is not None:
                meanwhile(nquads)
            if loading is None:
                give_back_free_memory()
                loading = loader.submit(load)
            loading.result()
        # On failure, leaving the executor waits for the load to end before the
        # unfinished generation is removed.
        self.state = state
        return self.path

    def _validators(
        self, fresh: Mapping[str, Validators] | None
    ) -> dict[str, dict[str, str | None]]:
        out = dict(self.state.validators)
        for source, v in (fresh or {}).items():
            out[source] = {"etag": v.etag, "last_modified": v.last_modified}
        return out

    def touch(
        self,
        plan: Plan,
        *,
        validators: Mapping[str, Validators] | None = None,
        now: datetime | None = None,
    ) -> None:
        """Record that the feeds were read again, unchanged: only fetch times move."""
        now = now or _now()
        assert self.generation is not None
        state = State.from_json(self.state.to_json(), "state")
        state.validators = self._validators(validators)
        for change in plan.changes:
            state.feeds[change.iri].last_fetched = now.isoformat()
        base = state.base_iri
        prov = ox.NamedNode(graph_iri(base, "provenance"))
        with self._new_generation() as gen:
            ox.Store.read_only(str(self.generation / "oxigraph")).backup(str(gen / "oxigraph"))
            db = ox.Store(str(gen / "oxigraph"))
            db.remove_graph(prov)
            db.bulk_load(contents.provenance_graph(state, base), format=ox.RdfFormat.N_QUADS)
            db.flush()
            del db
            for name in ("records.jsonl", "graph.nq"):  # never rewritten: share them
                try:
                    os.link(self.generation / name, gen / name)
                except OSError:
                    shutil.copyfile(self.generation / name, gen / name)
            write_bytes(gen / "state.json", state.to_json().encode("utf-8"))
        self.state = state

    @contextmanager
    def _new_generation(self) -> Iterator[Path]:
        number = int(self.generation.name.split("-")[1]) + 1 if self.generation else 1
        final = self.path / f"gen-{number:06d}"
        tmp = final.with_name(final.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            yield tmp
            _fsync_tree(tmp)
            tmp.rename(final)
            link = self.path / "current.tmp"
            with suppress(FileNotFoundError):
                link.unlink()
            link.symlink_to(final.name)
            os.replace(link, self.path / "current")  # the commit point
            _fsync_dir(self.path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self.generation = final
        self._clean_leftovers()


def _acquire(lock: TextIO, path: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES):
                raise StoreError(str(path), f"cannot lock the store: {e}") from e
        if time.monotonic() >= deadline:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise StoreError(
                str(path),
                f"the store is being written by process {holder} (another kg build); "
                "try again when it ends, or give --wait SECONDS",
            )
        time.sleep(0.1)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, files in os.walk(root):
        for name in files:
            with suppress(OSError):
                fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
