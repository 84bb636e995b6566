"""Mapping: clean records to RDF, one self-contained triple set per story.

:func:`map_feeds` is what the pipeline uses (it keeps each story's triples
apart so that a story that fails the shapes can be set aside whole);
:func:`to_graph` is the one-call public form returning an rdflib ``Graph``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from rdflib import Graph, URIRef

from kg.extract import category_key
from kg.mapping import iris
from kg.mapping.rules import Context, Triple, feed_triples, story_triples
from kg.types import FeedRecord
from kg.vocab import DEFAULT_BASE_IRI, PREFIXES


@dataclass(frozen=True)
class MappedItem:
    iri: str
    label: str  #: how messages name the item (its link or guid)
    triples: tuple[Triple, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MappedFeed:
    iri: str
    source: str
    triples: tuple[Triple, ...]  #: the feed node's own triples
    items: tuple[MappedItem, ...]


class Spellings:
    """One spelling per tag, byline and journal across a whole build.

    "Neuroscience" and "neuroscience " are one tag; whichever spelling the
    build meets first (in input order) names it everywhere, so the label does
    not depend on which story is mapped first.
    """

    def __init__(self) -> None:
        self._first: dict[tuple[str, str, str], str] = {}

    @staticmethod
    def _key(kind: str, scope: str, text: str) -> tuple[str, str, str]:
        if kind == "journal":
            return (kind, "", iris.journal_key(text))
        return (kind, scope, category_key(text))

    def register(self, kind: str, scope: str, text: str) -> None:
        self._first.setdefault(self._key(kind, scope, text), text)

    def get(self, kind: str, scope: str, text: str) -> str:
        return self._first.get(self._key(kind, scope, text), text)


def _spelling(spellings: Spellings, site: str, kind: str, text: str) -> str:
    return spellings.get(kind, site, text)


def map_feeds(feeds: Sequence[FeedRecord], *, base_iri: str = DEFAULT_BASE_IRI) -> list[MappedFeed]:
    """Map every feed; several feeds share nodes by IRI, so they merge."""
    spellings = Spellings()
    contexts: list[tuple[FeedRecord, str, str]] = []
    for feed in feeds:
        feed_id = iris.feed_iri(feed, base_iri)
        site = iris.site_key(feed, feed_id)
        contexts.append((feed, feed_id, site))
        for item in feed.items:
            for byline in item.bylines:
                spellings.register("byline", site, byline.name)
            for label in item.categories:
                spellings.register("tag", site, label)
            for paper in item.papers:
                if paper.journal:
                    spellings.register("journal", "", paper.journal)
    mapped: list[MappedFeed] = []
    for feed, feed_id, site in contexts:
        ctx = Context(
            base=base_iri,
            feed=URIRef(feed_id),
            site=site,
            language=feed.language,
            spelling=partial(_spelling, spellings, site),
        )
        items = []
        for item in feed.items:
            story = URIRef(iris.story_iri(item, feed_id, base_iri))
            items.append(
                MappedItem(
                    iri=str(story),
                    label=item.label,
                    triples=tuple(story_triples(item, story, ctx)),
                    warnings=item.warnings,
                )
            )
        mapped.append(
            MappedFeed(
                iri=feed_id,
                source=feed.source,
                triples=tuple(feed_triples(feed, URIRef(feed_id))),
                items=tuple(items),
            )
        )
    return mapped


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def to_graph(feeds: Sequence[FeedRecord], *, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """The whole graph of ``feeds`` (every story, valid or not) as an rdflib Graph."""
    graph = new_graph()
    for feed in map_feeds(feeds, base_iri=base_iri):
        for triple in feed.triples:
            graph.add(triple)
        for item in feed.items:
            for triple in item.triples:
                graph.add(triple)
    return graph


__all__ = ["MappedFeed", "MappedItem", "map_feeds", "new_graph", "to_graph"]
