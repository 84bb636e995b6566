"""What a build did: plain records of feeds, set-aside stories and the graph,
and the report (``report.json``) made of them.

Nothing here prints or exits: the CLI decides what to show and which exit
code to use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from kg.store import FeedChange
from kg.terms import NTriple, nt, to_ox_triples, to_rdflib_graph
from kg.types import Violation
from kg.vocab import RDF, SDO


@dataclass(frozen=True)
class FeedSummary:
    source: str
    iri: str | None = None
    format: str | None = None
    items: int = 0
    kept: int = 0
    rejected: int = 0
    warnings: tuple[str, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class RejectedItem:
    iri: str
    label: str
    feed: str
    reasons: tuple[Violation, ...]


@dataclass(frozen=True)
class BuildResult:
    """What a build did: per feed, what was kept and set aside, and why."""

    #: The kept graph, as N-Triples text triples (:data:`kg.terms.NTriple`):
    #: what the build worked with; :attr:`triples` has it as pyoxigraph triples.
    kept: Set[NTriple]
    feeds: tuple[FeedSummary, ...]
    rejected: tuple[RejectedItem, ...] = ()
    #: Every result: the reasons stories were set aside, then what remains.
    violations: tuple[Violation, ...] = ()
    #: Results about the written graph (warnings, or violations no story owns).
    remaining: tuple[Violation, ...] = ()
    out_dir: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    #: The kept graph split into named graphs, (graph IRI, sorted triples): each
    #: triple in the graph of the one feed that states it, or in the shared graph.
    graphs: tuple[tuple[str, Sequence[NTriple]], ...] = ()
    #: The set-aside stories, per feed, each graph with its feed node's triples.
    rejected_graphs: tuple[tuple[str, list[NTriple]], ...] = ()
    #: Set by :func:`ingest`: per feed read, what was new, changed or kept.
    changes: tuple[FeedChange, ...] = ()
    #: Nodes typed ``schema:ScholarlyArticle`` in the kept graph (counted once:
    #: a pass over every triple costs as much as a small stage).
    papers: int = 0
    #: The kept graph sorted (tuples of N-Triples text sort as the triples'
    #: N-Triples lines do): sorted once, and every output is written from it.
    ordered: tuple[NTriple, ...] = ()

    @cached_property
    def triples(self) -> frozenset[ox.Triple]:
        """The kept graph as pyoxigraph triples (converted on first use)."""
        return frozenset(to_ox_triples(self.kept))

    @cached_property
    def graph(self) -> Graph:
        """The kept graph as an rdflib Graph (converted on first use)."""
        return to_rdflib_graph(self.kept)

    @property
    def errors(self) -> tuple[FeedSummary, ...]:
        return tuple(f for f in self.feeds if f.error)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for f in self.feeds for w in f.warnings)

    @property
    def conforms(self) -> bool:
        """The written graph conforms to the shapes (set-aside stories are not in it)."""
        return not any(v.severity == "Violation" for v in self.remaining)

    @property
    def clean(self) -> bool:
        """Nothing was set aside and nothing was reported: what ``--strict`` asks for."""
        return not self.violations


def ingest_dict(changes: Sequence[FeedChange]) -> list[dict[str, Any]]:
    return [
        {
            "feed": c.iri,
            "source": c.source,
            "new": c.new,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "kept": c.kept,
        }
        for c in changes
    ]


def _violation_dict(v: Violation) -> dict[str, Any]:
    return {
        "severity": v.severity,
        "item": v.item,
        "feed": v.feed,
        "focus": v.focus,
        "path": v.path,
        "value": v.value,
        "message": v.message,
        "constraint": v.component,
        "shape": v.shape,
    }


def count_papers(graph: Set[NTriple], candidates: Iterable[str]) -> int:
    """How many of ``candidates`` (distinct nodes) are typed schema:ScholarlyArticle
    in ``graph``: the papers of the graph when the candidates include every paper
    (the mapping's paper nodes do), by lookups instead of a pass over every
    triple (that took 0.5 s for 10,000 items)."""
    typed, article = nt(RDF.type), nt(SDO.ScholarlyArticle)
    return sum(1 for node in candidates if (node, typed, article) in graph)


def report_dict(result: BuildResult) -> dict[str, Any]:
    """The build report as JSON-ready data (what report.json holds)."""
    return {
        "conforms": result.conforms,
        "clean": result.clean,
        "summary": {
            "feeds": len(result.feeds),
            "feeds_failed": len(result.errors),
            "items": sum(f.items for f in result.feeds),
            "items_kept": sum(f.kept for f in result.feeds),
            "items_rejected": sum(f.rejected for f in result.feeds),
            "stories_rejected": len(result.rejected),
            "triples": len(result.kept),
            "papers": result.papers,
            "violations": len(result.violations),
            "warnings": len(result.warnings),
        },
        "feeds": [
            {
                "source": f.source,
                "iri": f.iri,
                "format": f.format,
                "items": f.items,
                "kept": f.kept,
                "rejected": f.rejected,
                "warnings": list(f.warnings),
                "error": f.error,
            }
            for f in result.feeds
        ],
        "rejected": [
            {
                "item": r.iri,
                "label": r.label,
                "feed": r.feed,
                "reasons": [_violation_dict(v) for v in r.reasons],
            }
            for r in result.rejected
        ],
        "violations": [_violation_dict(v) for v in result.violations],
        **({"ingest": ingest_dict(result.changes)} if result.changes else {}),
    }
