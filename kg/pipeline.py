"""The build pipeline, written down once::

    all sources:       read_sources(sources)      kg.reading    (in worker processes)
                         fetch_all(sources)       kg.feeds      bytes, or 304 Not Modified
      for each source:   read_feed(source)        kg.feeds      bytes -> RawFeed
                         extract_feed(raw)        kg.extract    RawFeed -> FeedRecord
    all feeds:         map_feeds(records)         kg.mapping    -> one triple set per story
                       validate_nt(union)         kg.validate   -> ValidationReport
                       set aside failing stories  (here)        -> kept graph + rejected quads
    outputs:           sort_triples (once)        kg.terms      tuples of N-Triples text
                       turtle_sorted              kg.export     graph.ttl
                       write_nquads               kg.export     graph.nq (feed, shared), rejected.nq
                       property_graph + graphml   kg.export     graph.graphml
                       report_dict                kg.results    report.json

:func:`ingest` runs the same stages for a store (kg.store): what was read is
matched against the stored items (new, updated, unchanged, kept), the graph
is built from every stored item, committed as a new store generation (its
database loading on a second thread while the outputs are staged, or after
them on one CPU), and only then are the outputs shown; nothing changed,
nothing is built.

A feed that cannot be read is an error for that feed only; a story whose
triples violate the shapes is set aside with its reasons, and the rest is
written.  Nothing here prints or exits: :class:`~kg.results.BuildResult`
says what happened and the CLI decides what to show and which exit code to use.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kg.export import write_graphml
from kg.export.atomic import copy_file, write_bytes
from kg.export.networkx import property_graph
from kg.export.rdf import turtle_sorted, write_nquads
from kg.mapping import MappedFeed, all_triples, map_feeds
from kg.reading import Progress, quiet, read_sources
from kg.results import (
    BuildResult,
    FeedSummary,
    RejectedItem,
    count_papers,
    ingest_dict,
    report_dict,
)
from kg.runtime import bulk_allocation, give_back_free_memory
from kg.store import STORE_FORMAT, FeedChange, StoreWriter, graph_iri, known_validators
from kg.terms import NTriple, iri_value, sort_triples
from kg.types import FeedRecord, Violation
from kg.validate import SHAPES_DIR, validate_nt
from kg.vocab import DEFAULT_BASE_IRI

#: Files a build writes under its output directory.
OUTPUT_FILES = ("graph.ttl", "graph.nq", "graph.graphml", "report.json", "rejected.nq")


def convert(
    sources: Sequence[str],
    *,
    out_dir: Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    shapes: Path | None = None,
    progress: Progress = quiet,
    jobs: int | None = None,
) -> BuildResult:
    """Build the knowledge graph of ``sources`` (paths, URLs or "-").

    With ``out_dir``, writes graph.ttl, graph.nq, graph.graphml, rejected.nq
    and report.json there (each atomically); without, only returns the result.
    Unreadable feeds are reported in the result, not raised.

    :raises ShapesError: the shapes cannot be loaded.
    """
    with bulk_allocation():
        read = read_sources(sources, progress, jobs=jobs)
        records, failed = read.records, read.failed
        if not records:  # nothing readable: leave any previous outputs as they are
            out_dir = None
        return _build(
            records,
            failed=failed,
            out_dir=out_dir,
            base_iri=base_iri,
            shapes=shapes,
            progress=progress,
        )


@dataclass(frozen=True)
class IngestResult:
    """What ingesting feeds into the store did.

    ``build`` is None when nothing read was new or changed: the store's graph
    and the output files are then already right, and ``report`` is the report
    of the build that made them.
    """

    store: Path
    changes: tuple[FeedChange, ...]
    failed: tuple[FeedSummary, ...]
    build: BuildResult | None
    report: dict[str, Any]

    @property
    def conforms(self) -> bool:
        return bool(self.report.get("conforms", True))

    @property
    def clean(self) -> bool:
        return bool(self.report.get("clean", True))


def ingest(
    sources: Sequence[str],
    *,
    store: Path,
    out_dir: Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    shapes: Path | None = None,
    wait: float = 0.0,
    progress: Progress = quiet,
    jobs: int | None = None,
) -> IngestResult:
    """Add what ``sources`` say to the store at ``store``, then write the outputs.

    New items are added, items whose content changed replace their earlier
    version, and items no longer in a feed's window stay.  The whole graph is
    built again from every item the store holds (a paper is merged from all
    the stories that name it, old and new) and swapped in at once: a failed or
    killed ingest leaves the store as it was.  When nothing read is new or
    changed, only the fetch times are recorded and the build is skipped.

    :raises StoreError: the store is locked by another writer or unreadable.
    :raises ShapesError: the shapes cannot be loaded.
    """
    with bulk_allocation():
        read = read_sources(sources, progress, validators=known_validators(store), jobs=jobs)
        records, failed = read.records, read.failed
        if not records and not read.not_modified:  # nothing readable: the store stays as is
            return IngestResult(store, (), tuple(failed), None, {})
        with StoreWriter.open(store, wait=wait) as writer:
            settings = _settings_digest(shapes)
            plan = writer.plan(
                records, base_iri=base_iri, settings=settings, not_modified=read.not_modified
            )
            if not plan.changed and writer.outputs_current(out_dir, OUTPUT_FILES):
                writer.touch(plan, validators=read.validators)
                report = _with_ingest(writer.state.report, plan.changes, failed)
                return IngestResult(store, plan.changes, tuple(failed), None, report)
            everything = writer.all_records(plan)
            result = _build(
                everything,
                failed=failed,
                out_dir=None,
                base_iri=base_iri,
                shapes=shapes,
                progress=progress,
            )
            result = replace(result, changes=plan.changes)
            report = report_dict(result)
            progress("write store", 0, 1)
            with _staging(out_dir) as stage:
                staged: list[BuildResult] = []

                def stage_outputs(nquads: Path) -> None:  # shown only once committed
                    assert stage is not None
                    progress("write outputs", 0, 1)
                    staged.append(write_outputs(result, stage, nquads=nquads))
                    progress("write outputs", 1, 1)

                writer.commit(
                    plan,
                    everything,
                    result.graphs,
                    base_iri=base_iri,
                    settings=settings,
                    report=report,
                    validators=read.validators,
                    meanwhile=None if stage is None else stage_outputs,
                )
                if out_dir is not None:
                    result = _publish(staged[0], out_dir)
            progress("write store", 1, 1)
        return IngestResult(store, plan.changes, tuple(failed), result, report)


@contextmanager
def _staging(out_dir: Path | None) -> Iterator[Path | None]:
    """A hidden directory in ``out_dir`` for outputs not to be shown yet."""
    if out_dir is None:
        yield None
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".kg-outputs.", dir=out_dir))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _publish(result: BuildResult, out_dir: Path) -> BuildResult:
    """Move staged outputs into ``out_dir``, each with one atomic rename."""
    files = {}
    for name, staged in result.files.items():
        files[name] = out_dir / name
        os.replace(staged, files[name])
    return replace(result, out_dir=out_dir, files=files)


def _settings_digest(shapes: Path | None) -> str:
    """What besides the items decides the graph: the code's version and the shapes."""
    from kg import __version__

    sha = hashlib.sha256(f"{__version__}\n{STORE_FORMAT}\n".encode())
    folder = shapes or SHAPES_DIR
    for path in sorted(folder.glob("*.ttl")):
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def _with_ingest(
    report: dict[str, Any], changes: Sequence[FeedChange], failed: Sequence[FeedSummary]
) -> dict[str, Any]:
    return {**report, "ingest": ingest_dict(changes), "failed": [f.error for f in failed]}


def build(
    records: Sequence[FeedRecord],
    *,
    failed: Sequence[FeedSummary] = (),
    out_dir: Path | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    shapes: Path | None = None,
) -> BuildResult:
    """Map, validate and (with ``out_dir``) write records already extracted:
    what :func:`convert` does after reading.

    :raises ShapesError: the shapes cannot be loaded.
    """
    with bulk_allocation():
        return _build(records, failed=failed, out_dir=out_dir, base_iri=base_iri, shapes=shapes)


def _build(
    records: Sequence[FeedRecord],
    *,
    failed: Sequence[FeedSummary],
    out_dir: Path | None,
    base_iri: str,
    shapes: Path | None,
    progress: Progress = quiet,
) -> BuildResult:
    items = sum(len(r.items) for r in records)
    progress("map items", 0, items)
    mapped = map_feeds(records, base_iri=base_iri)
    progress("map items", items, items)
    unmappable = _unmappable(mapped)
    rejected_iris: set[str] = {v.item for v in unmappable if v.item}
    reasons: list[Violation] = list(unmappable)  # why each set-aside story was set aside
    # Setting a story aside can (rarely) leave a shared node short of a fact
    # only that story gave; validate again until the kept graph is stable.
    # Each round sets at least one more story aside, so this ends.
    while True:
        triples = all_triples(mapped, exclude=rejected_iris)
        progress("validate", 0, items)
        report = validate_nt(triples, shapes=shapes)
        progress("validate", items, items)
        located = _locate(report.violations, mapped, exclude=rejected_iris)
        newly = {v.item for v in located if v.item and v.severity == "Violation"}
        if not newly:
            remaining = located
            break
        reasons += [v for v in located if v.item in newly]
        rejected_iris |= newly
    rejected = _rejected(mapped, rejected_iris, reasons)
    summaries = [
        _summary(rec, feed, rejected_iris) for rec, feed in zip(records, mapped, strict=True)
    ]
    ordered = tuple(sort_triples(triples))  # one sort for every output
    give_back_free_memory()  # the sort's groups, the validator's columns: before the outputs
    result = BuildResult(
        kept=triples,
        papers=count_papers(triples, {node for feed in mapped for node in feed.papers}),
        ordered=ordered,
        feeds=(*summaries, *failed),
        rejected=rejected,
        violations=(*reasons, *remaining),
        remaining=tuple(remaining),
        graphs=tuple(_kept_graphs(mapped, rejected_iris, ordered, graph_iri(base_iri, "shared"))),
        rejected_graphs=tuple(_rejected_graphs(mapped, rejected_iris)),
    )
    if out_dir is not None:
        progress("write outputs", 0, 1)
        result = write_outputs(result, out_dir)
        progress("write outputs", 1, 1)
    return result


def _unmappable(mapped: Sequence[MappedFeed]) -> list[Violation]:
    """Stories the mapper could not turn into RDF at all, as violations of their own."""
    return [
        Violation(
            severity="Violation",
            focus=item.iri,
            path=None,
            value=None,
            message=item.error,
            component="MappingError",
            shape=None,
            item=item.iri,
            feed=feed.iri,
        )
        for feed in mapped
        for item in feed.items
        if item.error
    ]


def _locate(
    violations: Sequence[Violation], mapped: Sequence[MappedFeed], *, exclude: set[str]
) -> list[Violation]:
    """Name the story (and feed) behind each result: the kept stories whose
    triples have the focus node as subject."""
    if not violations:  # the usual case: no need to index every story's subjects
        return []
    focus = {v.focus for v in violations}
    owners: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for feed in mapped:
        owners[feed.iri].append(("", feed.iri))
        for item in feed.items:
            if item.iri in exclude:
                continue
            subjects = {iri_value(s) for s, _, _ in item.triples if s[0] == "<"}
            for subject in subjects & focus:
                owners[subject].append((item.iri, feed.iri))
    out = []
    for violation in violations:
        found = owners.get(violation.focus) or [("", "")]
        for item_iri, feed_iri in dict.fromkeys(found):
            out.append(replace(violation, item=item_iri or None, feed=feed_iri or None))
    return out


def _rejected(
    mapped: Sequence[MappedFeed], rejected_iris: set[str], violations: Sequence[Violation]
) -> tuple[RejectedItem, ...]:
    reasons: dict[str, list[Violation]] = defaultdict(list)
    for violation in violations:
        if violation.item:
            reasons[violation.item].append(violation)
    out: dict[str, RejectedItem] = {}
    for feed in mapped:
        for item in feed.items:
            if item.iri in rejected_iris and item.iri not in out:
                out[item.iri] = RejectedItem(
                    iri=item.iri, label=item.label, feed=feed.iri, reasons=tuple(reasons[item.iri])
                )
    return tuple(out.values())


def _summary(record: FeedRecord, feed: MappedFeed, rejected_iris: set[str]) -> FeedSummary:
    rejected = sum(1 for item in feed.items if item.iri in rejected_iris)
    warnings = list(record.warnings)
    for item in feed.items:
        warnings += [f"{record.source}: {item.label}: {w}" for w in item.warnings]
    return FeedSummary(
        source=record.source,
        iri=feed.iri,
        format=record.version,
        items=len(feed.items),
        kept=len(feed.items) - rejected,
        rejected=rejected,
        warnings=tuple(warnings),
    )


def _kept_graphs(
    mapped: Sequence[MappedFeed], rejected: set[str], ordered: Sequence[NTriple], shared: str
) -> list[tuple[str, Sequence[NTriple]]]:
    """The kept graph partitioned into named graphs, for provenance.

    A triple that one feed states (its feed node, its stories, and the shared
    nodes only its stories touch) is in that feed's graph, named by the feed
    IRI; a triple that several feeds state is once in the ``shared`` graph.
    No triple is in two graphs, so the union of the graphs (the default graph
    of every store that unions them) is the graph itself, without duplicates.
    ``ordered`` is the whole kept graph, sorted, reused when there is one feed.
    """
    if len({feed.iri for feed in mapped}) == 1:  # one feed states every triple
        return [(mapped[0].iri, ordered)] if ordered else []
    stated_by: dict[NTriple, str] = {}
    for feed in mapped:  # two sources may be one feed (same IRI): still one feed
        chosen = [feed.triples, *(i.triples for i in feed.items if i.iri not in rejected)]
        for triples in chosen:
            for triple in triples:
                if stated_by.setdefault(triple, feed.iri) != feed.iri:
                    stated_by[triple] = shared
    graphs: dict[str, list[NTriple]] = defaultdict(list)
    if not stated_by:
        return []
    if len(set(stated_by.values())) == 1:
        return [(next(iter(stated_by.values())), ordered)]
    for triple in ordered:
        graphs[stated_by[triple]].append(triple)
    return sorted(graphs.items())


def _rejected_graphs(
    mapped: Sequence[MappedFeed], rejected: set[str]
) -> list[tuple[str, list[NTriple]]]:
    """Each feed's set-aside stories with the feed node: a self-contained dataset,
    so validating it shows only the reasons stories were set aside."""
    by_feed: dict[str, set[NTriple]] = {}
    for feed in mapped:
        chosen = [item for item in feed.items if item.iri in rejected]
        if not chosen:
            continue
        triples = by_feed.setdefault(feed.iri, set())
        triples.update(feed.triples)
        for item in chosen:
            triples.update(item.triples)
    return sorted((iri, sort_triples(t)) for iri, t in by_feed.items())


def write_outputs(result: BuildResult, out_dir: Path, *, nquads: Path | None = None) -> BuildResult:
    """Write every output file of ``result`` under ``out_dir``, each atomically.

    ``nquads`` is a file holding the result's graphs as N-Quads already (the
    store's copy, written by an ingest): it is copied, not made again.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {name: out_dir / name for name in OUTPUT_FILES}
    ordered = result.ordered or tuple(sort_triples(result.kept))
    turtle_sorted(ordered, files["graph.ttl"])
    if nquads is None:
        write_nquads(result.graphs, files["graph.nq"])
    else:
        copy_file(nquads, files["graph.nq"])
    write_nquads(result.rejected_graphs, files["rejected.nq"])
    write_graphml(property_graph(ordered), files["graph.graphml"])
    report = json.dumps(report_dict(result), indent=2, ensure_ascii=False)
    write_bytes(files["report.json"], (report + "\n").encode("utf-8"))
    return replace(result, out_dir=out_dir, files=files)


__all__ = [
    "BuildResult",
    "FeedSummary",
    "IngestResult",
    "Progress",
    "RejectedItem",
    "build",
    "convert",
    "ingest",
    "report_dict",
]
