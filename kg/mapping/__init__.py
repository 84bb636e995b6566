"""Mapping: clean records to RDF, one self-contained triple set per story.

:func:`map_feeds` is what the pipeline uses (it keeps each story's triples
apart so that a story that fails the shapes can be set aside whole);
:func:`to_graph` is the one-call public form returning an rdflib ``Graph``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain, islice

from rdflib import Graph

from kg.extract import category_key
from kg.extract.merge import Journals, merge_papers
from kg.mapping import iris
from kg.mapping.rules import Context, Triple, article_triples, feed_triples, story_triples
from kg.terms import iri_value, nt_iri, to_rdflib_graph
from kg.types import FeedRecord, ItemRecord
from kg.vocab import DEFAULT_BASE_IRI


@dataclass(frozen=True)
class MappedItem:
    iri: str
    label: str  #: how messages name the item (its link or guid)
    triples: tuple[Triple, ...]
    warnings: tuple[str, ...] = ()
    #: Why the item could not be mapped at all (its triples are then empty).
    error: str | None = None


@dataclass(frozen=True)
class MappedFeed:
    iri: str
    source: str
    triples: tuple[Triple, ...]  #: the feed node's own triples
    items: tuple[MappedItem, ...]
    #: The paper nodes first made while mapping this feed (a paper several feeds
    #: name is made once): every schema:ScholarlyArticle of the build is one of
    #: them, so the papers of a graph are counted without a pass over its triples.
    papers: tuple[str, ...] = ()


class Spellings:
    """One spelling per tag and byline across a whole build.

    "Neuroscience" and "neuroscience " are one tag; whichever spelling the
    build meets first (in input order) names it everywhere, so the label does
    not depend on which story is mapped first.
    """

    def __init__(self) -> None:
        self._first: dict[tuple[str, str, str], str] = {}

    @staticmethod
    def _key(kind: str, scope: str, text: str) -> tuple[str, str, str]:
        return (kind, scope, category_key(text))

    def register(self, kind: str, scope: str, text: str) -> None:
        self._first.setdefault(self._key(kind, scope, text), text)

    def get(self, kind: str, scope: str, text: str) -> str:
        return self._first.get(self._key(kind, scope, text), text)


def _spelling(spellings: Spellings, site: str, kind: str, text: str) -> str:
    return spellings.get(kind, site, text)


def _shared_links(feed: FeedRecord) -> set[str]:
    """Links the feed gives to several items that are not the same item.

    A story is normally its link, which is what merges it across feeds; but
    link blogs give two posts about one article the article's link, and those
    must stay two stories.  Items count as the same when their guids (or,
    without guids, their titles) are equal.
    """
    identities: dict[str, set[str]] = defaultdict(set)
    for item in feed.items:
        if item.link:
            identities[item.link].add(item.guid or item.title or str(item.index))
    return {link for link, ids in identities.items() if len(ids) > 1}


def _feed_node(feed: FeedRecord, base_iri: str) -> str:
    try:
        return nt_iri(iris.feed_iri(feed, base_iri))
    except ValueError:  # a self link that is no valid IRI: mint one instead
        return nt_iri(f"{base_iri}feed/{iris.digest(feed.site or '', feed.title or '')}")


def map_feeds(feeds: Sequence[FeedRecord], *, base_iri: str = DEFAULT_BASE_IRI) -> list[MappedFeed]:
    """Map every feed; several feeds share nodes by IRI, so they merge."""
    spellings = Spellings()
    contexts: list[tuple[FeedRecord, str, str]] = []
    for feed in feeds:
        feed_node = _feed_node(feed, base_iri)
        site = iris.site_key(feed, iri_value(feed_node), base_iri)
        contexts.append((feed, feed_node, site))
        for item in feed.items:
            for byline in item.bylines:
                spellings.register("byline", site, byline.name)
            for label in item.categories:
                spellings.register("tag", site, label)
    every_paper = [
        paper
        for feed in feeds
        for item in feed.items
        for paper in ((item.article,) if item.article else ()) + item.papers
    ]
    papers = merge_papers(every_paper)
    journals = Journals(every_paper)  # every spelling, not only the merged records' ones
    story_of = {
        (f, i): iris.story_iri(item, iri_value(node), base_iri, shared_link=item.link in links)
        for f, (feed, node, _) in enumerate(contexts)
        for links in [_shared_links(feed)]
        for i, item in enumerate(feed.items)
        if item.article is None
    }
    newest = _newest_versions(feeds, story_of)
    across: dict[tuple[str, str], tuple[str, list[Triple]]] = {}
    mapped: list[MappedFeed] = []
    for f, (feed, feed_node, site) in enumerate(contexts):
        ctx = Context(
            base=base_iri,
            feed=feed_node,
            site=site,
            language=feed.language,
            spelling=partial(_spelling, spellings, site),
            across_feeds=across,
            papers=papers,
            journals=journals,
        )
        items = []
        links = _shared_links(feed)
        made_before = len(across)  # dicts keep insertion order
        for i, item in enumerate(feed.items):
            if item.article is not None:
                items.append(_map_article(item, ctx))
                continue
            story = story_of[(f, i)]
            item, warnings = newest.get((f, i), (item, item.warnings))
            if item.link in links:
                warnings += (
                    f"link {item.link} is shared with other items of this feed; "
                    "the story is identified by its guid instead",
                )
            try:
                triples = tuple(story_triples(item, nt_iri(story), ctx))
            except ValueError as e:  # pyoxigraph refused an IRI: keep the item aside
                items.append(MappedItem(story, item.label, (), warnings, f"invalid IRI: {e}"))
                continue
            items.append(MappedItem(story, item.label, triples, warnings))
        mapped.append(
            MappedFeed(
                iri=iri_value(feed_node),
                source=feed.source,
                triples=tuple(feed_triples(feed, feed_node)),
                items=tuple(items),
                papers=tuple(
                    n for k, (n, _) in islice(across.items(), made_before, None) if k[0] == "paper"
                ),
            )
        )
    return mapped


#: A story's facts that have one value; when the story is read more than once
#: (two feeds, or one feed listing it twice) they come from its newest version.
_SINGLE = ("title", "summary", "published", "published_raw", "updated", "updated_raw",
           "guid", "link_raw", "image_credit")  # fmt: skip


def _newest_versions(
    feeds: Sequence[FeedRecord], story_of: dict[tuple[int, int], str]
) -> dict[tuple[int, int], tuple[ItemRecord, tuple[str, ...]]]:
    """Items that are one story, each given the newest version's single facts.

    The newest is the one updated (else published) last; among equals, the
    one read last, as a feed read again shows the story as it is now.  An
    edited title thus replaces the old one instead of giving the story two
    titles (and setting it aside).  Tags, bylines and papers add up.
    """
    groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for place, iri in story_of.items():
        groups[iri].append(place)
    out: dict[tuple[int, int], tuple[ItemRecord, tuple[str, ...]]] = {}
    for iri, places in groups.items():
        if len(places) < 2:
            continue
        versions = [feeds[f].items[i] for f, i in places]

        def when(n: int, versions: list[ItemRecord] = versions) -> tuple[float, int]:
            stamp = versions[n].updated or versions[n].published
            return (stamp.timestamp() if stamp else float("-inf"), n)

        best = versions[max(range(len(versions)), key=when)]
        stamp = best.updated or best.published
        facts = {name: getattr(best, name) for name in _SINGLE}
        differ = sorted(name for name in _SINGLE if len({getattr(v, name) for v in versions}) > 1)
        for place, version in zip(places, versions, strict=True):
            warnings = version.warnings
            if differ and version is not best:
                warnings += (
                    f"story {iri} is read again with a different {', '.join(differ)}; "
                    f"the newest version ({best.label}, {stamp or 'undated'}) is kept",
                )
            out[place] = (replace(version, **facts), warnings)
    return out


def _map_article(item: ItemRecord, ctx: Context) -> MappedItem:
    assert item.article is not None
    try:
        node, triples = article_triples(item, ctx)
    except ValueError as e:  # pyoxigraph refused an IRI: keep the item aside
        iri = iris.paper_iri(item.article, ctx.base)
        return MappedItem(iri, item.label, (), item.warnings, f"invalid IRI: {e}")
    return MappedItem(iri_value(node), item.label, tuple(triples), item.warnings)


def all_triples(mapped: Sequence[MappedFeed], *, exclude: Set[str] = frozenset()) -> Set[Triple]:
    """The union of the feeds' and their stories' triples, minus excluded stories.

    A set that iterates in the order the triples were made (the keys of a
    dict, read-only, as no one else holds the dict).  Each story's triples
    were made together, so they lie together in memory: the validator and the
    sort, which walk every triple, ran 1.5x and 3x faster than over a
    frozenset's hash order at 10,000 items, and 2x and 4x at 100,000, where
    the hash order was missing the CPU caches on almost every triple.
    """

    def parts() -> Iterator[Sequence[Triple]]:
        for feed in mapped:
            yield feed.triples
            yield from (item.triples for item in feed.items if item.iri not in exclude)

    return dict.fromkeys(chain.from_iterable(parts())).keys()


def to_graph(feeds: Sequence[FeedRecord], *, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """The whole graph of ``feeds`` (every story, valid or not) as an rdflib Graph."""
    return to_rdflib_graph(all_triples(map_feeds(feeds, base_iri=base_iri)))


__all__ = ["MappedFeed", "MappedItem", "all_triples", "map_feeds", "to_graph"]
