"""A store on disk: its generations, its state, and how to read it without the lock.

Everything here only reads: a generation never changes once it is current,
so readers (``kg query``, ``kg serve``, ``kg push``, the fetcher asking for
validators) need no lock.  See the package docstring for the layout.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError
from kg.feeds.fetch import Validators

#: Bumped when the layout or the record format changes incompatibly.  2: an
#: item's position is written beside its record in records.jsonl, not in it.
STORE_FORMAT = 2
#: The formats this code reads (an older store is read, then written anew).
READABLE_FORMATS = (1, 2)


class StoreError(KGError):
    """The store cannot be opened or written (missing, in use, damaged)."""


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
        found = data.get("format")
        if found not in READABLE_FORMATS:
            newer = isinstance(found, int) and found > STORE_FORMAT
            why = "written by a newer feedkg: upgrade feedkg" if newer else "unknown"
            raise StoreError(
                where,
                f"store format {found!r} ({why}); this feedkg reads formats 1 to {STORE_FORMAT}",
            )
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


def file_digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()
