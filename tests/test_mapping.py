"""Mapping rules: IRIs, merging of shared nodes, and what is kept or set aside."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st

from kg import build
from kg.extract.journals import journal_key
from kg.mapping import all_triples, map_feeds
from kg.mapping.iris import doi_iri, key_segment
from kg.terms import NTriple, nt_triples_of, to_ox_triples
from kg.types import Byline, BylineKind, FeedRecord, ItemRecord, PaperRecord, PersonName
from kg.vocab import RDF, SDO, SKOS

BASE = "https://w3id.org/feedkg/id/"


def item(n: int, **changes) -> ItemRecord:
    fields = dict(
        index=n,
        title=f"Story {n}",
        link=f"https://news.example.org/story-{n}/",
        link_raw=None,
        guid=f"guid-{n}",
        published=datetime(2025, 1, n + 1, tzinfo=UTC),
        published_raw=None,
        updated=None,
        updated_raw=None,
        bylines=(Byline("Jane Doe"),),
        categories=("Neuroscience",),
        summary="A summary.",
    )
    fields.update(changes)
    return ItemRecord(**fields)


def feed(
    *items: ItemRecord, site: str | None = "https://news.example.org/", **changes
) -> FeedRecord:
    fields = dict(
        source="feed.xml",
        version="rss20",
        title="Example news",
        site=site,
        self_link=f"{site}feed/" if site else None,
        language="en",
        updated=None,
        items=items,
    )
    fields.update(changes)
    return FeedRecord(**fields)


def as_ox(triples: Iterable[ox.Triple | NTriple]) -> list[ox.Triple]:
    """pyoxigraph triples of a result's triples or of the mapping's own."""
    return to_ox_triples(nt_triples_of(triples))


def subjects(triples: Iterable[ox.Triple | NTriple], cls) -> set[str]:
    return {
        t.subject.value
        for t in as_ox(triples)
        if t.predicate.value == str(RDF.type) and t.object.value == str(cls)
    }


def values(triples: Iterable[ox.Triple | NTriple], subject: str, predicate) -> set[str]:
    return {
        t.object.value
        for t in as_ox(triples)
        if t.subject.value == subject and t.predicate.value == str(predicate)
    }


def test_journal_spellings_merge_into_one_node_named_by_full_title():
    papers = [
        PaperRecord(doi=f"10.1000/x{i}", title=f"Paper {i}", journal=j, journal_title=t)
        for i, (j, t) in enumerate(
            [
                ("Transl Psychiatry", "Translational Psychiatry"),
                ("Transl. Psychiatry", "Translational Psychiatry"),
                ("Translational Psychiatry", "Translational Psychiatry"),
            ]
        )
    ]
    records = feed(*(item(i, papers=(p,)) for i, p in enumerate(papers)))
    triples = all_triples(map_feeds([records]))
    (journal,) = subjects(triples, SDO.Periodical)
    assert values(triples, journal, SDO.name) == {"Translational Psychiatry"}
    assert values(triples, journal, SDO.alternateName) == {
        "Transl Psychiatry",
        "Transl. Psychiatry",
        "Translational Psychiatry",
    }


def test_unknown_journal_gets_one_node_per_normalised_name():
    papers = [
        PaperRecord(doi=f"10.1000/y{i}", journal=j)
        for i, j in enumerate(["J. Obscure Stud.", "J Obscure Stud"])
    ]
    triples = all_triples(map_feeds([feed(*(item(i, papers=(p,)) for i, p in enumerate(papers)))]))
    (journal,) = subjects(triples, SDO.Periodical)
    assert values(triples, journal, SDO.name) == {"J. Obscure Stud."}  # first spelling met
    assert journal_key("J. Obscure Stud.") == journal_key("j obscure  stud")


def test_byline_spellings_merge_and_kind_follows_the_merged_spelling():
    records = feed(
        item(1, bylines=(Byline("SCIENMAG", BylineKind.ORGANIZATION),)),
        item(2, bylines=(Byline("Scienmag", BylineKind.PERSON),)),
    )
    triples = all_triples(map_feeds([records]))
    assert len(subjects(triples, SDO.Organization)) == 1
    assert not subjects(triples, SDO.Person)


def test_tags_merge_by_case_and_spacing_across_feeds_of_one_site():
    a = feed(item(1, categories=("Brain  Research",)))
    b = feed(
        item(2, categories=("brain research",)), self_link="https://news.example.org/other/feed/"
    )
    triples = all_triples(map_feeds([a, b]))
    (concept,) = subjects(triples, SKOS.Concept)
    assert values(triples, concept, SKOS.prefLabel) == {"Brain  Research"}


def test_feeds_without_links_do_not_share_tags():
    a = feed(item(1, categories=("Physics",)), site=None, title="A")
    b = feed(
        item(2, categories=("Physics",), link="https://other.example.net/2/"), site=None, title="B"
    )
    triples = all_triples(map_feeds([a, b]))
    assert len(subjects(triples, SKOS.Concept)) == 2
    assert len(subjects(triples, SKOS.ConceptScheme)) == 2


def test_story_without_link_gets_minted_iri_and_is_kept():
    records = feed(item(1, link=None, guid="tag:news.example.org,2025:1"))
    result = build([records])
    (story,) = subjects(set(result.triples), SDO.NewsArticle)
    assert story.startswith(f"{BASE}story/")
    assert not result.rejected and result.conforms
    assert build([records]).triples == result.triples  # deterministic


def test_reference_authors_in_order_scoped_to_paper():
    authors = (PersonName("Qian", "R."), PersonName("Huang", "W."))
    paper = PaperRecord(doi="10.1038/ABC", title="T", authors=authors, truncated=True)
    triples = all_triples(map_feeds([feed(item(1, papers=(paper,)))]))
    iri = "https://doi.org/10.1038/abc"
    assert values(triples, f"{iri}#author-1", SDO.item) == {f"{iri}#person-1"}
    assert values(triples, f"{iri}#person-2", SDO.familyName) == {"Huang"}
    assert values(triples, iri, SDO.author) == {f"{iri}#person-1", f"{iri}#person-2"}


def test_story_with_unmappable_iri_is_set_aside_not_lost():
    # A base IRI with a space (an API caller's mistake) makes every minted IRI
    # invalid: each story is set aside with the reason, none is lost, no crash.
    records = feed(item(1), item(2, bylines=()), item(3, bylines=(), categories=()))
    result = build([records], base_iri="https://example.org/my kg/")
    kept = subjects(set(result.triples), SDO.NewsArticle)
    assert kept == {"https://news.example.org/story-3/"}
    assert {r.iri for r in result.rejected} == {
        "https://news.example.org/story-1/",
        "https://news.example.org/story-2/",
    }
    for rejected in result.rejected:
        (reason,) = rejected.reasons
        assert reason.component == "MappingError" and reason.message.startswith("invalid IRI")


def test_ipv6_links_keep_their_brackets():
    from kg.extract.urls import canonical_url

    assert canonical_url("http://[::1]:8080/x?utm_source=a") == "http://[::1]:8080/x"
    ox.NamedNode(canonical_url("https://[2001:db8::1]/a"))


@given(st.lists(st.text(min_size=1, max_size=20), min_size=2, max_size=8, unique=True))
def test_key_segments_are_injective(keys):
    segments = [key_segment(k) for k in keys]
    assert len(set(segments)) == len(segments)
    for segment in segments:
        ox.NamedNode(f"{BASE}tag/{segment}")  # always a valid IRI


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_doi_iris_are_valid_iris(suffix):
    ox.NamedNode(doi_iri(f"10.1000/{suffix}"))


def test_one_link_for_two_different_items_gives_two_stories():
    link = "https://elsewhere.example.com/article"
    records = feed(item(1, link=link, guid="post-1"), item(2, link=link, guid="post-2"), item(3))
    result = build([records])
    stories = subjects(set(result.triples), SDO.NewsArticle)
    assert len(stories) == 3 and result.conforms and not result.rejected
    assert sum(s.startswith(f"{BASE}story/") for s in stories) == 2
    assert len(result.warnings) == 2 and "shared with other items" in result.warnings[0]


def test_same_item_twice_in_a_feed_is_one_story():
    records = feed(item(1), item(1))
    result = build([records])
    assert subjects(set(result.triples), SDO.NewsArticle) == {"https://news.example.org/story-1/"}


def test_a_story_read_again_with_an_edited_title_is_updated_not_duplicated():
    old = feed(item(1, categories=("Neuroscience",)))
    edited = item(
        1,
        title="Story 1, corrected",
        updated=datetime(2025, 3, 1, tzinfo=UTC),
        categories=("Psychiatry",),
        bylines=(Byline("John Roe"),),
    )
    new = feed(edited, self_link="https://news.example.org/other-feed/")
    for order in ([old, new], [new, old]):  # the newer version wins in any input order
        result = build(order)
        triples = set(result.triples)
        story = "https://news.example.org/story-1/"
        assert subjects(triples, SDO.NewsArticle) == {story}
        assert values(triples, story, SDO.name) == {"Story 1, corrected"}
        assert values(triples, story, SDO.headline) == {"Story 1, corrected"}
        # what can have many values adds up: both feeds, both tags, both bylines
        assert len(values(triples, story, SDO.about)) == 2
        assert len(values(triples, story, SDO.author)) == 2
        assert len(values(triples, story, _PROV)) == 2
        assert result.conforms and not result.rejected
        assert any("read again with a different" in w for w in result.warnings)


_PROV = "http://www.w3.org/ns/prov#wasDerivedFrom"


def test_a_footer_and_the_journals_own_feed_give_one_paper_with_all_facts():
    doi = "10.1038/s41398-026-03892-z"
    footer = PaperRecord(
        doi=doi.upper(),
        title="ECT and the brain",
        authors=(PersonName("Qian", "R."), PersonName("Huang", "W.")),
        truncated=True,
        journal="Transl Psychiatry",
        journal_title="Translational Psychiatry",
        year=2026,
        citation="Qian, R., Huang, W. et al. ECT and the brain. Transl Psychiatry (2026).",
        origin="reference",
    )
    article = PaperRecord(
        doi=doi,
        title="Structure-function coupling after electroconvulsive therapy",
        authors=(PersonName("Qian", "Rui"), PersonName("Huang", "Wei"), PersonName("Ji", "Yu")),
        journal="Translational Psychiatry",
        journal_title="Translational Psychiatry",
        volume="16",
        issns=("2158-3188",),
        url="https://www.nature.com/articles/s41398-026-03892-z",
        origin="item",
    )
    news = feed(item(1, papers=(footer,)))
    journal_item = item(
        2,
        link="https://www.nature.com/articles/s41398-026-03892-z",
        bylines=(),
        article=article,
    )
    journal_feed = feed(journal_item, site="https://www.nature.com/tp/")
    result = build([news, journal_feed])
    triples = set(result.triples)
    paper = doi_iri(doi)
    assert subjects(triples, SDO.ScholarlyArticle) == {paper}
    assert values(triples, "https://news.example.org/story-1/", SDO.citation) == {paper}
    assert values(triples, paper, SDO.name) == {article.title}
    assert len(values(triples, paper, SDO.author)) == 3
    assert values(triples, paper, _PROV) == {"https://www.nature.com/tp/feed/"}
    assert values(triples, paper, SDO.url) == {article.url}
    assert values(triples, paper, PRISM_VOLUME) == {"16"}
    assert len(values(triples, paper, DCTERMS_CITATION)) == 1
    (journal,) = subjects(triples, SDO.Periodical)
    assert values(triples, journal, SDO.issn) == {"2158-3188"}
    assert values(triples, journal, SDO.alternateName) == {
        "Transl Psychiatry",
        "Translational Psychiatry",
    }
    # the journal item is not a story
    assert subjects(triples, SDO.NewsArticle) == {"https://news.example.org/story-1/"}
    assert result.conforms and not result.rejected


PRISM_VOLUME = "http://prismstandard.org/namespaces/basic/2.0/volume"
DCTERMS_CITATION = "http://purl.org/dc/terms/bibliographicCitation"


def test_text_no_file_can_hold_sets_the_story_aside(tmp_path):
    """Records handed to kg.build() directly may hold a lone surrogate (the
    extractor never makes one): that story is set aside with its reason, the
    others are written."""
    records = feed(item(1, title="bad \ud800 title"), item(2))
    result = build([records], out_dir=tmp_path)
    (rejected,) = result.rejected
    assert rejected.iri == "https://news.example.org/story-1/"
    assert "lone surrogate" in rejected.reasons[0].message
    assert subjects(result.kept, SDO.NewsArticle) == {"https://news.example.org/story-2/"}
    assert "story-2" in (tmp_path / "graph.ttl").read_text(encoding="utf-8")
