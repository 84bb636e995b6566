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
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import pyoxigraph as ox

from kg.errors import KGError
from kg.export.atomic import write_bytes
from kg.feeds.fetch import Validators
from kg.store.records import decode, dumps, feed_hash, item_hash, item_key
from kg.types import FeedRecord, ItemRecord

#: Bumped when the layout or the record format changes incompatibly.
STORE_FORMAT = 1
#: Generations kept besides the current one, for readers still on them.
_KEEP_PREVIOUS = 1
#: A new generation copies the old database and applies the difference when
#: at most this share of the graph's quads changed; else it loads afresh.
DELTA_LIMIT = 0.25


class StoreError(KGError):
    """The store cannot be opened or written (missing, in use, damaged)."""


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def graph_iri(base: str, name: str) -> str:
    """The store's own named graphs: ``shared`` and ``provenance``."""
    return f"{base}graph/{name}"


# --------------------------------------------------------------------- reading


def current_generation(path: Path) -> Path | None:
    """The generation directory ``current`` points to, or None for an empty store."""
    link = path / "current"
    if not link.is_symlink():
        return None
    return path / os.readlink(link)


def is_store(path: Path) -> bool:
    return current_generation(path) is not None


def open_readonly(path: Path) -> ox.Store:
    """The current graph, read-only: usable while a build writes the next one.

    ``path`` may also be a plain pyoxigraph database directory, so that any
    Oxigraph store can be queried and served.

    :raises StoreError: there is no store at ``path``.
    """
    gen = current_generation(path)
    db = gen / "oxigraph" if gen is not None else path
    if not (db / "CURRENT").is_file():
        raise StoreError(str(path), "no store here; run kg build first (or give --store PATH)")
    try:
        return ox.Store.read_only(str(db))
    except OSError as e:
        raise StoreError(str(path), f"cannot open the store: {e}") from e


def store_triples(path: Path) -> set[ox.Triple]:
    """The store's graph (its provenance aside), as the output files show it.

    A feedkg store reads its generation's own ``graph.nq``, much faster than
    walking the database; a plain pyoxigraph database gives all its triples.
    """
    gen = current_generation(path)
    if gen is not None and (gen / "graph.nq").is_file():
        quads = ox.parse(path=str(gen / "graph.nq"), format=ox.RdfFormat.N_QUADS)
        return {q.triple for q in quads}
    return {q.triple for q in open_readonly(path)}


def store_graphs(path: Path) -> list[tuple[str, list[ox.Triple]]]:
    """The store's named graphs, provenance included, sorted by name: what
    ``kg push`` sends (the default graph is never part of the graph)."""
    graphs: dict[str, list[ox.Triple]] = {}
    gen = current_generation(path)
    if gen is not None and (gen / "graph.nq").is_file():
        for quad in ox.parse(path=str(gen / "graph.nq"), format=ox.RdfFormat.N_QUADS):
            graphs.setdefault(str(quad.graph_name.value), []).append(quad.triple)
        state = json.loads((gen / "state.json").read_text(encoding="utf-8"))
        prov = ox.NamedNode(graph_iri(state["base_iri"], "provenance"))
        db = open_readonly(path)
        graphs[prov.value] = [q.triple for q in db.quads_for_pattern(None, None, None, prov)]
    else:
        for quad in open_readonly(path):
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    return sorted(graphs.items())


def known_validators(path: Path) -> dict[str, Validators]:
    """What each stored HTTP feed's last fetch returned (ETag, Last-Modified), to
    ask again with a conditional GET; empty for a new store.  Read without the
    lock: a generation never changes once it is current."""
    gen = current_generation(path)
    if gen is None or not (gen / "state.json").is_file():
        return {}
    try:
        state = State.from_json((gen / "state.json").read_text("utf-8"), str(gen))
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # the writer reports a damaged store; a fetch just asks in full
    stored = {f.source for f in state.feeds.values()}
    return {src: Validators(**v) for src, v in state.validators.items() if src in stored}


def generation_marker(path: Path) -> str:
    """Changes exactly when a build has swapped in a new generation (cheap to poll)."""
    link = path / "current"
    try:
        return os.readlink(link)
    except OSError:
        return ""


# ----------------------------------------------------------------------- state


@dataclass
class FeedState:
    """What the store knows of one feed (its named graph is the feed IRI)."""

    source: str
    channel_hash: str
    first_fetched: str
    last_fetched: str
    last_changed: str
    in_window: int  #: items in the latest fetch
    items: list[tuple[str, str]] = field(default_factory=list)  #: (key, digest), feed order


@dataclass
class State:
    base_iri: str = ""
    settings: str = ""  #: digest of what else changes the graph (version, shapes)
    feeds: dict[str, FeedState] = field(default_factory=dict)
    #: sha256 of the graph.nq the generation's build wrote, to tell stale outputs.
    outputs: dict[str, str] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)  #: the last build's report
    #: Per source (as given), the ETag / Last-Modified its last fetch returned.
    validators: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def to_json(self) -> str:
        feeds = {
            iri: {**vars(f), "items": [list(kv) for kv in f.items]}
            for iri, f in sorted(self.feeds.items())
        }
        data = {
            "format": STORE_FORMAT,
            "base_iri": self.base_iri,
            "settings": self.settings,
            "feeds": feeds,
            "outputs": self.outputs,
            "report": self.report,
            "validators": dict(sorted(self.validators.items())),
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str) -> State:
        data = json.loads(text)
        if data.get("format") != STORE_FORMAT:
            raise StoreError(where, f"store format {data.get('format')!r} is not {STORE_FORMAT}")
        feeds = {
            iri: FeedState(**{**f, "items": [tuple(kv) for kv in f["items"]]})
            for iri, f in data["feeds"].items()
        }
        return cls(
            data["base_iri"],
            data["settings"],
            feeds,
            data["outputs"],
            data["report"],
            data.get("validators", {}),
        )


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
                    out[row["feed"]][1].append(decode(ItemRecord, row["item"]))
        return out

    # -- committing

    def commit(
        self,
        plan: Plan,
        records: Sequence[FeedRecord],
        nquads: bytes,
        *,
        base_iri: str,
        settings: str,
        report: dict[str, Any],
        outputs: dict[str, str],
        validators: Mapping[str, Validators] | None = None,
        now: datetime | None = None,
    ) -> Path:
        """Write the new generation in full, then make it current.

        ``validators`` are saved only here, with the data they describe: saved
        earlier, a failed build would make the next fetch a 304 for items the
        store never got.
        """
        from kg.mapping.iris import feed_iri

        now = now or _now()
        state = State(base_iri, settings, {}, outputs, report, self._validators(validators))
        lines: list[str] = []
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
                items=[(item_key(i), item_hash(i)) for i in record.items],
            )
            channel = replace(record, items=())
            lines.append(json.dumps({"feed": iri, "channel": json.loads(dumps(channel))}))
            for item in record.items:
                row = {"feed": iri, "item": json.loads(dumps(item))}
                lines.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        with self._new_generation() as gen:
            self._write_graph(gen, nquads, _provenance(state, base_iri), base_iri)
            write_bytes(gen / "graph.nq", nquads)
            write_bytes(gen / "records.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))
            write_bytes(gen / "state.json", state.to_json().encode("utf-8"))
        self.state = state
        return self.path

    def _write_graph(self, gen: Path, nquads: bytes, provenance: bytes, base: str) -> None:
        """The new generation's database: the old one plus the difference, when the
        difference is small (a daily feed), else loaded afresh in bulk.

        The previous generation's ``graph.nq`` is exactly what its database holds
        (besides provenance), so comparing lines gives the quads to remove and add.
        """
        target = str(gen / "oxigraph")
        old = self.generation / "graph.nq" if self.generation else None
        if old is not None and old.is_file() and self.generation is not None:
            before = set(old.read_bytes().splitlines())
            after = [line for line in nquads.splitlines() if line]
            removed = before.difference(after)
            added = [line for line in after if line not in before]
            if len(removed) + len(added) <= DELTA_LIMIT * len(after):
                ox.Store.read_only(str(self.generation / "oxigraph")).backup(target)
                db = ox.Store(target)
                db.remove_graph(ox.NamedNode(graph_iri(base, "provenance")))
                for quad in ox.parse(b"\n".join(removed), format=ox.RdfFormat.N_QUADS):
                    db.remove(quad)
                db.bulk_load(b"\n".join([*added, provenance]), format=ox.RdfFormat.N_QUADS)
                db.flush()
                return
        db = ox.Store(target)
        db.bulk_load(nquads + provenance, format=ox.RdfFormat.N_QUADS)
        db.flush()

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
            db.bulk_load(_provenance(state, base), format=ox.RdfFormat.N_QUADS)
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


def _provenance(state: State, base: str) -> bytes:
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


def file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


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


__all__ = [
    "FeedChange",
    "Plan",
    "StoreError",
    "StoreWriter",
    "current_generation",
    "generation_marker",
    "graph_iri",
    "is_store",
    "known_validators",
    "open_readonly",
    "store_graphs",
    "store_triples",
]
