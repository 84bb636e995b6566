"""Record -> triples, one small pure function per class of the data model.

Each story's triples include the shared nodes it touches (its bylines, tags,
tag scheme, papers, their authors and journal), so a story is self-contained:
it can be validated, kept or set aside as one unit, and the union of kept
stories is the graph.  Terms come only from :mod:`kg.vocab` (through
:func:`kg.terms.iri`); IRIs only from :mod:`kg.mapping.iris`.  Triples are
pyoxigraph terms (see :mod:`kg.terms` for why).  See docs/model.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

import pyoxigraph as ox

from kg.extract.merge import Journals, paper_key
from kg.extract.names import byline_kind
from kg.mapping import iris
from kg.terms import iri
from kg.types import BylineKind, FeedRecord, ItemRecord, PaperRecord
from kg.vocab import DCTERMS, KG, PRISM, PROV, RDF, SDO, SKOS, XSD

Triple = ox.Triple

# Vocabulary terms as pyoxigraph nodes, made once: building them per triple
# through rdflib's Namespace costs more than the rest of mapping.
_DCTERMS_BIBLIOGRAPHIC_CITATION = iri(DCTERMS.bibliographicCitation)
_KG_ARTICLE_NUMBER = iri(KG.articleNumber)
_KG_AUTHORSHIP = iri(KG.authorship)
_KG_AUTHOR_LIST_TRUNCATED = iri(KG.authorListTruncated)
_KG_ARXIV_ID = iri(KG.arxivId)
_KG_IMAGE_CREDIT = iri(KG.imageCredit)
_KG_PMID = iri(KG.pmid)
_KG_RESEARCH_SUBJECT = iri(KG.researchSubject)
_PRISM_DOI = iri(PRISM.doi)
_PRISM_NUMBER = iri(PRISM.number)
_PRISM_VOLUME = iri(PRISM.volume)
_PROV_WAS_DERIVED_FROM = iri(PROV.wasDerivedFrom)
_RDF_TYPE = iri(RDF.type)
_SDO_ABOUT = iri(SDO.about)
_SDO_ALTERNATE_NAME = iri(SDO.alternateName)
_SDO_AUTHOR = iri(SDO.author)
_SDO_CITATION = iri(SDO.citation)
_SDO_DATA_FEED = iri(SDO.DataFeed)
_SDO_DATE_MODIFIED = iri(SDO.dateModified)
_SDO_DATE_PUBLISHED = iri(SDO.datePublished)
_SDO_DESCRIPTION = iri(SDO.description)
_SDO_FAMILY_NAME = iri(SDO.familyName)
_SDO_GIVEN_NAME = iri(SDO.givenName)
_SDO_HEADLINE = iri(SDO.headline)
_SDO_IDENTIFIER = iri(SDO.identifier)
_SDO_IN_LANGUAGE = iri(SDO.inLanguage)
_SDO_IS_PART_OF = iri(SDO.isPartOf)
_SDO_ISSN = iri(SDO.issn)
_SDO_ITEM = iri(SDO.item)
_SDO_KEYWORDS = iri(SDO.keywords)
_SDO_LIST_ITEM = iri(SDO.ListItem)
_SDO_NAME = iri(SDO.name)
_SDO_NEWS_ARTICLE = iri(SDO.NewsArticle)
_SDO_ORGANIZATION = iri(SDO.Organization)
_SDO_PAGE_END = iri(SDO.pageEnd)
_SDO_PAGE_START = iri(SDO.pageStart)
_SDO_PERIODICAL = iri(SDO.Periodical)
_SDO_PERSON = iri(SDO.Person)
_SDO_POSITION = iri(SDO.position)
_SDO_SAME_AS = iri(SDO.sameAs)
_SDO_SCHOLARLY_ARTICLE = iri(SDO.ScholarlyArticle)
_SDO_URL = iri(SDO.url)
_SKOS_CONCEPT = iri(SKOS.Concept)
_SKOS_CONCEPT_SCHEME = iri(SKOS.ConceptScheme)
_SKOS_IN_SCHEME = iri(SKOS.inScheme)
_SKOS_PREF_LABEL = iri(SKOS.prefLabel)
_XSD_ANY_URI = iri(XSD.anyURI)
_XSD_BOOLEAN = iri(XSD.boolean)
_XSD_DATE = iri(XSD.date)
_XSD_DATE_TIME = iri(XSD.dateTime)
_XSD_G_YEAR = iri(XSD.gYear)
_XSD_INTEGER = iri(XSD.integer)


@dataclass(frozen=True)
class Context:
    """What mapping one story needs from outside the story itself."""

    base: str
    feed: ox.NamedNode
    site: str
    language: str | None
    #: The spelling used for a tag / byline / journal key across the whole build.
    spelling: Callable[[str, str], str] = field(default=lambda kind, text: text)
    #: Triples of shared nodes (tags, bylines, journals), made once per build:
    #: every story that touches a node states the same triples about it.
    shared: dict[tuple[str, str], tuple[ox.NamedNode, list[Triple]]] = field(default_factory=dict)
    #: The same for papers and journals, which are not scoped to a site: one
    #: dict for every feed of the build.
    across_feeds: dict[tuple[str, str], tuple[ox.NamedNode, list[Triple]]] = field(
        default_factory=dict
    )
    #: Every paper of the build, merged across sources (see kg.extract.merge):
    #: a paper is stated from its merged record wherever it occurs.
    papers: dict[str, PaperRecord] = field(default_factory=dict)
    journals: Journals = field(default_factory=Journals)

    def node(
        self, kind: str, key: str, make: Callable[[], tuple[ox.NamedNode, list[Triple]]]
    ) -> tuple[ox.NamedNode, list[Triple]]:
        memo = self.across_feeds if kind in ("paper", "journal") else self.shared
        found = memo.get((kind, key))
        if found is None:
            found = memo[(kind, key)] = make()
        return found


def literal_datetime(value: datetime) -> ox.Literal:
    """xsd:dateTime in UTC with a ``Z``, the form SPARQL users compare against."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return ox.Literal(text + "Z", datatype=_XSD_DATE_TIME)


def _text(value: str, language: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def _url(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=_XSD_ANY_URI)


def feed_triples(feed: FeedRecord, feed_id: ox.NamedNode) -> list[Triple]:
    out = [Triple(feed_id, _RDF_TYPE, _SDO_DATA_FEED)]
    if feed.title:
        out.append(Triple(feed_id, _SDO_NAME, _text(feed.title)))
    if feed.site:
        out.append(Triple(feed_id, _SDO_URL, _url(feed.site)))
    if feed.language:
        out.append(Triple(feed_id, _SDO_IN_LANGUAGE, _text(feed.language)))
    if feed.updated:
        out.append(Triple(feed_id, _SDO_DATE_MODIFIED, literal_datetime(feed.updated)))
    return out


def story_triples(item: ItemRecord, story: ox.NamedNode, ctx: Context) -> list[Triple]:
    out = [
        Triple(story, _RDF_TYPE, _SDO_NEWS_ARTICLE),
        Triple(story, _PROV_WAS_DERIVED_FROM, ctx.feed),
    ]
    if item.title:
        title = _text(item.title)
        out += [Triple(story, _SDO_NAME, title), Triple(story, _SDO_HEADLINE, title)]
    url = item.link or item.link_raw
    if url:
        out.append(Triple(story, _SDO_URL, _url(url)))
    if item.guid:
        out.append(Triple(story, _SDO_IDENTIFIER, _text(item.guid)))
    out += _date(story, _SDO_DATE_PUBLISHED, item.published, item.published_raw)
    out += _date(story, _SDO_DATE_MODIFIED, item.updated, item.updated_raw)
    if item.summary:
        out.append(Triple(story, _SDO_DESCRIPTION, _text(item.summary)))
    if item.image_credit:
        out.append(Triple(story, _KG_IMAGE_CREDIT, _text(item.image_credit)))
    for byline in item.bylines:
        node, about = ctx.node("byline", byline.name, partial(_byline, byline.name, ctx))
        out.append(Triple(story, _SDO_AUTHOR, node))
        out += about
    if item.categories:
        out += _tags(story, item.categories, ctx)
    out += _citations(story, item, ctx)
    return out


def _citations(citing: ox.NamedNode, item: ItemRecord, ctx: Context) -> list[Triple]:
    out: list[Triple] = []
    for paper in item.papers:
        paper_id, about = _paper(paper, ctx)
        if paper_id != citing:  # an article's text naming its own DOI
            out.append(Triple(citing, _SDO_CITATION, paper_id))
            out += about
    return out


def _paper(paper: PaperRecord, ctx: Context) -> tuple[ox.NamedNode, list[Triple]]:
    key = paper_key(paper)

    def make() -> tuple[ox.NamedNode, list[Triple]]:
        merged = ctx.papers.get(key, paper)
        node = ox.NamedNode(iris.paper_iri(merged, ctx.base))
        return node, paper_triples(merged, node, ctx)

    return ctx.node("paper", key, make)


def article_triples(item: ItemRecord, ctx: Context) -> tuple[ox.NamedNode, list[Triple]]:
    """An item that is a paper: the paper's (merged) triples, plus what this
    feed's item adds (where it was read, its guid, abstract, tags, the papers
    its text cites).  Its creators are the paper's authors, not bylines."""
    assert item.article is not None
    node, about = _paper(item.article, ctx)
    out = [*about, Triple(node, _PROV_WAS_DERIVED_FROM, ctx.feed)]
    if item.guid:
        out.append(Triple(node, _SDO_IDENTIFIER, _text(item.guid)))
    merged = ctx.papers.get(paper_key(item.article), item.article)
    if not (merged.published or merged.year):
        out += _date(node, _SDO_DATE_PUBLISHED, item.published, item.published_raw)
    out += _date(node, _SDO_DATE_MODIFIED, item.updated, item.updated_raw)
    if item.summary:
        out.append(Triple(node, _SDO_DESCRIPTION, _text(item.summary)))
    if item.categories:
        out += _tags(node, item.categories, ctx)
    out += _citations(node, item, ctx)
    return node, out


def _byline(written: str, ctx: Context) -> tuple[ox.NamedNode, list[Triple]]:
    # The kind follows the build-wide spelling, so "SCIENMAG" and "Scienmag"
    # on one site are one node of one kind.
    name = ctx.spelling("byline", written)
    node = ox.NamedNode(iris.byline_iri(ctx.site, name, ctx.base))
    organization = byline_kind(name) is BylineKind.ORGANIZATION
    kind = _SDO_ORGANIZATION if organization else _SDO_PERSON
    return node, [Triple(node, _RDF_TYPE, kind), Triple(node, _SDO_NAME, _text(name))]


def _scheme(ctx: Context) -> tuple[ox.NamedNode, list[Triple]]:
    scheme = ox.NamedNode(iris.scheme_iri(ctx.site, ctx.base))
    label = _text(f"{ctx.site} tags", ctx.language)
    return scheme, [
        Triple(scheme, _RDF_TYPE, _SKOS_CONCEPT_SCHEME),
        Triple(scheme, _SKOS_PREF_LABEL, label),
    ]


def _concept(label: str, ctx: Context) -> tuple[ox.NamedNode, list[Triple]]:
    scheme, _ = ctx.node("scheme", "", partial(_scheme, ctx))
    text = ctx.spelling("tag", label)
    concept = ox.NamedNode(iris.tag_iri(ctx.site, text, ctx.base))
    return concept, [
        Triple(concept, _RDF_TYPE, _SKOS_CONCEPT),
        Triple(concept, _SKOS_PREF_LABEL, _text(text, ctx.language)),
        Triple(concept, _SKOS_IN_SCHEME, scheme),
    ]


def _tags(story: ox.NamedNode, labels: tuple[str, ...], ctx: Context) -> list[Triple]:
    out = list(ctx.node("scheme", "", partial(_scheme, ctx))[1])
    for label in labels:
        concept, about = ctx.node("tag", label, partial(_concept, label, ctx))
        out.append(Triple(story, _SDO_ABOUT, concept))
        out += about
    return out


def _journal(name: str, written: list[str], issns: list[str], ctx: Context) -> list[Triple]:
    """One node per journal: named by its full title when the abbreviation
    lists know it, every name as written kept as an alternate name, and
    every ISSN any source gave."""
    journal = ox.NamedNode(iris.journal_iri(name, ctx.base))
    out = [
        Triple(journal, _RDF_TYPE, _SDO_PERIODICAL),
        Triple(journal, _SDO_NAME, _text(name)),
    ]
    out += [Triple(journal, _SDO_ALTERNATE_NAME, _text(w)) for w in written]
    out += [Triple(journal, _SDO_ISSN, _text(i)) for i in issns]
    return out


def paper_triples(paper: PaperRecord, paper_id: ox.NamedNode, ctx: Context) -> list[Triple]:
    out = [Triple(paper_id, _RDF_TYPE, _SDO_SCHOLARLY_ARTICLE)]
    if paper.doi:
        out.append(Triple(paper_id, _PRISM_DOI, _text(paper.doi.lower())))
    elif paper.doi_raw:
        out.append(Triple(paper_id, _PRISM_DOI, _text(paper.doi_raw)))
    if paper.url or paper.doi:
        out.append(Triple(paper_id, _SDO_URL, _url(paper.url or iris.doi_iri(paper.doi or ""))))
    if paper.title:
        out.append(Triple(paper_id, _SDO_NAME, _text(paper.title)))
    out += _authors(paper, paper_id)
    found = ctx.journals.get(paper)
    if found is not None:
        key, known = found
        name = known.name

        def make() -> tuple[ox.NamedNode, list[Triple]]:
            node = ox.NamedNode(iris.journal_iri(name, ctx.base))
            return node, _journal(name, known.written, known.issns, ctx)

        journal, about = ctx.node("journal", key, make)
        out.append(Triple(paper_id, _SDO_IS_PART_OF, journal))
        out += about
    if paper.pmid:
        out.append(Triple(paper_id, _KG_PMID, _text(paper.pmid)))
        out.append(Triple(paper_id, _SDO_SAME_AS, ox.NamedNode(iris.pubmed_iri(paper.pmid))))
    if paper.arxiv_id:
        out.append(Triple(paper_id, _KG_ARXIV_ID, _text(paper.arxiv_id)))
        out.append(Triple(paper_id, _SDO_SAME_AS, ox.NamedNode(iris.arxiv_iri(paper.arxiv_id))))
    facts = [
        (_PRISM_VOLUME, paper.volume),
        (_PRISM_NUMBER, paper.issue),
        (_KG_ARTICLE_NUMBER, paper.article_number),
        (_SDO_PAGE_START, paper.pages[0] if paper.pages else None),
        (_SDO_PAGE_END, paper.pages[1] if paper.pages else None),
        (_DCTERMS_BIBLIOGRAPHIC_CITATION, paper.citation),
        (_KG_RESEARCH_SUBJECT, paper.subject),
    ]
    out += [Triple(paper_id, p, _text(v)) for p, v in facts if v]
    out += [
        Triple(paper_id, _DCTERMS_BIBLIOGRAPHIC_CITATION, _text(c)) for c in paper.more_citations
    ]
    out += [Triple(paper_id, _KG_RESEARCH_SUBJECT, _text(c)) for c in paper.more_subjects]
    if paper.published:
        date = ox.Literal(paper.published.isoformat(), datatype=_XSD_DATE)
        out.append(Triple(paper_id, _SDO_DATE_PUBLISHED, date))
    elif paper.year:
        year = ox.Literal(f"{paper.year:04d}", datatype=_XSD_G_YEAR)
        out.append(Triple(paper_id, _SDO_DATE_PUBLISHED, year))
    out += [Triple(paper_id, _SDO_KEYWORDS, _text(k)) for k in paper.keywords]
    return out


def _authors(paper: PaperRecord, paper_id: ox.NamedNode) -> list[Triple]:
    """Authors in order: ``schema:author`` for simple queries, and numbered
    ``schema:ListItem`` nodes because RDF sets forget order."""
    out: list[Triple] = []
    for position, person in enumerate(paper.authors, start=1):
        person_id = ox.NamedNode(iris.reference_person_iri(paper_id.value, position))
        slot = ox.NamedNode(iris.authorship_iri(paper_id.value, position))
        out += [
            Triple(paper_id, _SDO_AUTHOR, person_id),
            Triple(paper_id, _KG_AUTHORSHIP, slot),
            Triple(slot, _RDF_TYPE, _SDO_LIST_ITEM),
            Triple(slot, _SDO_POSITION, ox.Literal(str(position), datatype=_XSD_INTEGER)),
            Triple(slot, _SDO_ITEM, person_id),
            Triple(person_id, _RDF_TYPE, _SDO_PERSON),
            Triple(person_id, _SDO_FAMILY_NAME, _text(person.family)),
            Triple(person_id, _SDO_NAME, _text(person.full)),
        ]
        if person.given:
            out.append(Triple(person_id, _SDO_GIVEN_NAME, _text(person.given)))
    if paper.authors:
        flag = ox.Literal("true" if paper.truncated else "false", datatype=_XSD_BOOLEAN)
        out.append(Triple(paper_id, _KG_AUTHOR_LIST_TRUNCATED, flag))
    return out


def _date(
    subject: ox.NamedNode, predicate: ox.NamedNode, value: datetime | None, raw: str | None
) -> list[Triple]:
    """A date that could not be read is still stated, as a plain string: the
    shapes then reject the story saying which date was wrong."""
    if value is not None:
        return [Triple(subject, predicate, literal_datetime(value))]
    if raw:
        return [Triple(subject, predicate, _text(raw))]
    return []
