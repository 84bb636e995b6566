"""Record -> triples, one small pure function per class of the data model.

Each story's triples include the shared nodes it touches (its bylines, tags,
tag scheme, papers, their authors and journal), so a story is self-contained:
it can be validated, kept or set aside as one unit, and the union of kept
stories is the graph.  Terms come only from :mod:`kg.vocab` (through
:func:`kg.terms.nt`); IRIs only from :mod:`kg.mapping.iris`.  Triples are
tuples of N-Triples terms, every IRI checked by pyoxigraph as it is made (see
:mod:`kg.terms` for why).  See docs/model.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from kg.extract.merge import Journals, paper_key
from kg.extract.names import byline_kind
from kg.mapping import iris
from kg.terms import NTriple, iri_value, nt, nt_iri, nt_literal
from kg.types import BylineKind, FeedRecord, ItemRecord, PaperRecord
from kg.vocab import DCTERMS, KG, PRISM, PROV, RDF, SDO, SKOS, XSD

Triple = NTriple

# Vocabulary terms as N-Triples text, made once: building them per triple
# through rdflib's Namespace costs more than the rest of mapping.
_DCTERMS_BIBLIOGRAPHIC_CITATION = nt(DCTERMS.bibliographicCitation)
_KG_ARTICLE_NUMBER = nt(KG.articleNumber)
_KG_AUTHORSHIP = nt(KG.authorship)
_KG_AUTHOR_LIST_TRUNCATED = nt(KG.authorListTruncated)
_KG_ARXIV_ID = nt(KG.arxivId)
_KG_IMAGE_CREDIT = nt(KG.imageCredit)
_KG_PMID = nt(KG.pmid)
_KG_RESEARCH_SUBJECT = nt(KG.researchSubject)
_PRISM_DOI = nt(PRISM.doi)
_PRISM_NUMBER = nt(PRISM.number)
_PRISM_VOLUME = nt(PRISM.volume)
_PROV_WAS_DERIVED_FROM = nt(PROV.wasDerivedFrom)
_RDF_TYPE = nt(RDF.type)
_SDO_ABOUT = nt(SDO.about)
_SDO_ALTERNATE_NAME = nt(SDO.alternateName)
_SDO_AUTHOR = nt(SDO.author)
_SDO_CITATION = nt(SDO.citation)
_SDO_DATA_FEED = nt(SDO.DataFeed)
_SDO_DATE_MODIFIED = nt(SDO.dateModified)
_SDO_DATE_PUBLISHED = nt(SDO.datePublished)
_SDO_DESCRIPTION = nt(SDO.description)
_SDO_FAMILY_NAME = nt(SDO.familyName)
_SDO_GIVEN_NAME = nt(SDO.givenName)
_SDO_HEADLINE = nt(SDO.headline)
_SDO_IDENTIFIER = nt(SDO.identifier)
_SDO_IN_LANGUAGE = nt(SDO.inLanguage)
_SDO_IS_PART_OF = nt(SDO.isPartOf)
_SDO_ISSN = nt(SDO.issn)
_SDO_ITEM = nt(SDO.item)
_SDO_KEYWORDS = nt(SDO.keywords)
_SDO_LIST_ITEM = nt(SDO.ListItem)
_SDO_NAME = nt(SDO.name)
_SDO_NEWS_ARTICLE = nt(SDO.NewsArticle)
_SDO_ORGANIZATION = nt(SDO.Organization)
_SDO_PAGE_END = nt(SDO.pageEnd)
_SDO_PAGE_START = nt(SDO.pageStart)
_SDO_PERIODICAL = nt(SDO.Periodical)
_SDO_PERSON = nt(SDO.Person)
_SDO_POSITION = nt(SDO.position)
_SDO_SAME_AS = nt(SDO.sameAs)
_SDO_SCHOLARLY_ARTICLE = nt(SDO.ScholarlyArticle)
_SDO_URL = nt(SDO.url)
_SKOS_CONCEPT = nt(SKOS.Concept)
_SKOS_CONCEPT_SCHEME = nt(SKOS.ConceptScheme)
_SKOS_IN_SCHEME = nt(SKOS.inScheme)
_SKOS_PREF_LABEL = nt(SKOS.prefLabel)
_XSD_ANY_URI = nt(XSD.anyURI)
_XSD_BOOLEAN = nt(XSD.boolean)
_XSD_DATE = nt(XSD.date)
_XSD_DATE_TIME = nt(XSD.dateTime)
_XSD_G_YEAR = nt(XSD.gYear)
_XSD_INTEGER = nt(XSD.integer)


@dataclass(frozen=True)
class Context:
    """What mapping one story needs from outside the story itself."""

    base: str
    feed: str
    site: str
    language: str | None
    #: The spelling used for a tag / byline / journal key across the whole build.
    spelling: Callable[[str, str], str] = field(default=lambda kind, text: text)
    #: Triples of shared nodes (tags, bylines, journals), made once per build:
    #: every story that touches a node states the same triples about it.
    shared: dict[tuple[str, str], tuple[str, list[Triple]]] = field(default_factory=dict)
    #: The same for papers and journals, which are not scoped to a site: one
    #: dict for every feed of the build.
    across_feeds: dict[tuple[str, str], tuple[str, list[Triple]]] = field(default_factory=dict)
    #: Every paper of the build, merged across sources (see kg.extract.merge):
    #: a paper is stated from its merged record wherever it occurs.
    papers: dict[str, PaperRecord] = field(default_factory=dict)
    journals: Journals = field(default_factory=Journals)

    def node(
        self, kind: str, key: str, make: Callable[[], tuple[str, list[Triple]]]
    ) -> tuple[str, list[Triple]]:
        memo = self.across_feeds if kind in ("paper", "journal") else self.shared
        found = memo.get((kind, key))
        if found is None:
            found = memo[(kind, key)] = make()
        return found


def literal_datetime(value: datetime) -> str:
    """xsd:dateTime in UTC with a ``Z``, the form SPARQL users compare against."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return nt_literal(text + "Z", _XSD_DATE_TIME)


def _text(value: str, language: str | None = None) -> str:
    return nt_literal(value, None, language)


def _url(value: str) -> str:
    return nt_literal(value, _XSD_ANY_URI)


def feed_triples(feed: FeedRecord, feed_id: str) -> list[Triple]:
    out = [(feed_id, _RDF_TYPE, _SDO_DATA_FEED)]
    if feed.title:
        out.append((feed_id, _SDO_NAME, _text(feed.title)))
    if feed.site:
        out.append((feed_id, _SDO_URL, _url(feed.site)))
    if feed.language:
        out.append((feed_id, _SDO_IN_LANGUAGE, _text(feed.language)))
    if feed.updated:
        out.append((feed_id, _SDO_DATE_MODIFIED, literal_datetime(feed.updated)))
    return out


def story_triples(item: ItemRecord, story: str, ctx: Context) -> list[Triple]:
    out = [
        (story, _RDF_TYPE, _SDO_NEWS_ARTICLE),
        (story, _PROV_WAS_DERIVED_FROM, ctx.feed),
    ]
    if item.title:
        title = _text(item.title)
        out += [(story, _SDO_NAME, title), (story, _SDO_HEADLINE, title)]
    url = item.link or item.link_raw
    if url:
        out.append((story, _SDO_URL, _url(url)))
    if item.guid:
        out.append((story, _SDO_IDENTIFIER, _text(item.guid)))
    out += _date(story, _SDO_DATE_PUBLISHED, item.published, item.published_raw)
    out += _date(story, _SDO_DATE_MODIFIED, item.updated, item.updated_raw)
    if item.summary:
        out.append((story, _SDO_DESCRIPTION, _text(item.summary)))
    if item.image_credit:
        out.append((story, _KG_IMAGE_CREDIT, _text(item.image_credit)))
    for byline in item.bylines:
        node, about = ctx.node("byline", byline.name, partial(_byline, byline.name, ctx))
        out.append((story, _SDO_AUTHOR, node))
        out += about
    if item.categories:
        out += _tags(story, item.categories, ctx)
    out += _citations(story, item, ctx)
    return out


def _citations(citing: str, item: ItemRecord, ctx: Context) -> list[Triple]:
    out: list[Triple] = []
    for paper in item.papers:
        paper_id, about = _paper(paper, ctx)
        if paper_id != citing:  # an article's text naming its own DOI
            out.append((citing, _SDO_CITATION, paper_id))
            out += about
    return out


def _paper(paper: PaperRecord, ctx: Context) -> tuple[str, list[Triple]]:
    key = paper_key(paper)

    def make() -> tuple[str, list[Triple]]:
        merged = ctx.papers.get(key, paper)
        node = nt_iri(iris.paper_iri(merged, ctx.base))
        return node, paper_triples(merged, node, ctx)

    return ctx.node("paper", key, make)


def article_triples(item: ItemRecord, ctx: Context) -> tuple[str, list[Triple]]:
    """An item that is a paper: the paper's (merged) triples, plus what this
    feed's item adds (where it was read, its guid, abstract, tags, the papers
    its text cites).  Its creators are the paper's authors, not bylines."""
    assert item.article is not None
    node, about = _paper(item.article, ctx)
    out = [*about, (node, _PROV_WAS_DERIVED_FROM, ctx.feed)]
    if item.guid:
        out.append((node, _SDO_IDENTIFIER, _text(item.guid)))
    merged = ctx.papers.get(paper_key(item.article), item.article)
    if not (merged.published or merged.year):
        out += _date(node, _SDO_DATE_PUBLISHED, item.published, item.published_raw)
    out += _date(node, _SDO_DATE_MODIFIED, item.updated, item.updated_raw)
    if item.summary:
        out.append((node, _SDO_DESCRIPTION, _text(item.summary)))
    if item.categories:
        out += _tags(node, item.categories, ctx)
    out += _citations(node, item, ctx)
    return node, out


def _byline(written: str, ctx: Context) -> tuple[str, list[Triple]]:
    # The kind follows the build-wide spelling, so "SCIENMAG" and "Scienmag"
    # on one site are one node of one kind.
    name = ctx.spelling("byline", written)
    node = nt_iri(iris.byline_iri(ctx.site, name, ctx.base))
    organization = byline_kind(name) is BylineKind.ORGANIZATION
    kind = _SDO_ORGANIZATION if organization else _SDO_PERSON
    return node, [(node, _RDF_TYPE, kind), (node, _SDO_NAME, _text(name))]


def _scheme(ctx: Context) -> tuple[str, list[Triple]]:
    scheme = nt_iri(iris.scheme_iri(ctx.site, ctx.base))
    label = _text(f"{ctx.site} tags", ctx.language)
    return scheme, [
        (scheme, _RDF_TYPE, _SKOS_CONCEPT_SCHEME),
        (scheme, _SKOS_PREF_LABEL, label),
    ]


def _concept(label: str, ctx: Context) -> tuple[str, list[Triple]]:
    scheme, _ = ctx.node("scheme", "", partial(_scheme, ctx))
    text = ctx.spelling("tag", label)
    concept = nt_iri(iris.tag_iri(ctx.site, text, ctx.base))
    return concept, [
        (concept, _RDF_TYPE, _SKOS_CONCEPT),
        (concept, _SKOS_PREF_LABEL, _text(text, ctx.language)),
        (concept, _SKOS_IN_SCHEME, scheme),
    ]


def _tags(story: str, labels: tuple[str, ...], ctx: Context) -> list[Triple]:
    out = list(ctx.node("scheme", "", partial(_scheme, ctx))[1])
    for label in labels:
        concept, about = ctx.node("tag", label, partial(_concept, label, ctx))
        out.append((story, _SDO_ABOUT, concept))
        out += about
    return out


def _journal(name: str, written: list[str], issns: list[str], ctx: Context) -> list[Triple]:
    """One node per journal: named by its full title when the abbreviation
    lists know it, every name as written kept as an alternate name, and
    every ISSN any source gave."""
    journal = nt_iri(iris.journal_iri(name, ctx.base))
    out = [
        (journal, _RDF_TYPE, _SDO_PERIODICAL),
        (journal, _SDO_NAME, _text(name)),
    ]
    out += [(journal, _SDO_ALTERNATE_NAME, _text(w)) for w in written]
    out += [(journal, _SDO_ISSN, _text(i)) for i in issns]
    return out


def paper_triples(paper: PaperRecord, paper_id: str, ctx: Context) -> list[Triple]:
    out = [(paper_id, _RDF_TYPE, _SDO_SCHOLARLY_ARTICLE)]
    if paper.doi:
        out.append((paper_id, _PRISM_DOI, _text(paper.doi.lower())))
    elif paper.doi_raw:
        out.append((paper_id, _PRISM_DOI, _text(paper.doi_raw)))
    if paper.url or paper.doi:
        out.append((paper_id, _SDO_URL, _url(paper.url or iris.doi_iri(paper.doi or ""))))
    if paper.title:
        out.append((paper_id, _SDO_NAME, _text(paper.title)))
    out += _authors(paper, paper_id)
    found = ctx.journals.get(paper)
    if found is not None:
        key, known = found
        name = known.name

        def make() -> tuple[str, list[Triple]]:
            node = nt_iri(iris.journal_iri(name, ctx.base))
            return node, _journal(name, known.written, known.issns, ctx)

        journal, about = ctx.node("journal", key, make)
        out.append((paper_id, _SDO_IS_PART_OF, journal))
        out += about
    if paper.pmid:
        out.append((paper_id, _KG_PMID, _text(paper.pmid)))
        out.append((paper_id, _SDO_SAME_AS, nt_iri(iris.pubmed_iri(paper.pmid))))
    if paper.arxiv_id:
        out.append((paper_id, _KG_ARXIV_ID, _text(paper.arxiv_id)))
        out.append((paper_id, _SDO_SAME_AS, nt_iri(iris.arxiv_iri(paper.arxiv_id))))
    facts = [
        (_PRISM_VOLUME, paper.volume),
        (_PRISM_NUMBER, paper.issue),
        (_KG_ARTICLE_NUMBER, paper.article_number),
        (_SDO_PAGE_START, paper.pages[0] if paper.pages else None),
        (_SDO_PAGE_END, paper.pages[1] if paper.pages else None),
        (_DCTERMS_BIBLIOGRAPHIC_CITATION, paper.citation),
        (_KG_RESEARCH_SUBJECT, paper.subject),
    ]
    out += [(paper_id, p, _text(v)) for p, v in facts if v]
    out += [(paper_id, _DCTERMS_BIBLIOGRAPHIC_CITATION, _text(c)) for c in paper.more_citations]
    out += [(paper_id, _KG_RESEARCH_SUBJECT, _text(c)) for c in paper.more_subjects]
    if paper.published:
        date = nt_literal(paper.published.isoformat(), _XSD_DATE)
        out.append((paper_id, _SDO_DATE_PUBLISHED, date))
    elif paper.year:
        year = nt_literal(f"{paper.year:04d}", _XSD_G_YEAR)
        out.append((paper_id, _SDO_DATE_PUBLISHED, year))
    out += [(paper_id, _SDO_KEYWORDS, _text(k)) for k in paper.keywords]
    return out


def _authors(paper: PaperRecord, paper_id: str) -> list[Triple]:
    """Authors in order: ``schema:author`` for simple queries, and numbered
    ``schema:ListItem`` nodes because RDF sets forget order."""
    out: list[Triple] = []
    for position, person in enumerate(paper.authors, start=1):
        person_id = nt_iri(iris.reference_person_iri(iri_value(paper_id), position))
        slot = nt_iri(iris.authorship_iri(iri_value(paper_id), position))
        out += [
            (paper_id, _SDO_AUTHOR, person_id),
            (paper_id, _KG_AUTHORSHIP, slot),
            (slot, _RDF_TYPE, _SDO_LIST_ITEM),
            (slot, _SDO_POSITION, nt_literal(str(position), _XSD_INTEGER)),
            (slot, _SDO_ITEM, person_id),
            (person_id, _RDF_TYPE, _SDO_PERSON),
            (person_id, _SDO_FAMILY_NAME, _text(person.family)),
            (person_id, _SDO_NAME, _text(person.full)),
        ]
        if person.given:
            out.append((person_id, _SDO_GIVEN_NAME, _text(person.given)))
    if paper.authors:
        flag = nt_literal("true" if paper.truncated else "false", _XSD_BOOLEAN)
        out.append((paper_id, _KG_AUTHOR_LIST_TRUNCATED, flag))
    return out


def _date(subject: str, predicate: str, value: datetime | None, raw: str | None) -> list[Triple]:
    """A date that could not be read is still stated, as a plain string: the
    shapes then reject the story saying which date was wrong."""
    if value is not None:
        return [(subject, predicate, literal_datetime(value))]
    if raw:
        return [(subject, predicate, _text(raw))]
    return []
