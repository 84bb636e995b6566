"""Record -> triples, one small pure function per class of the data model.

Each story's triples include the shared nodes it touches (its bylines, tags,
tag scheme, papers, their authors and journal), so a story is self-contained:
it can be validated, kept or set aside as one unit, and the union of kept
stories is the graph.  Terms come only from :mod:`kg.vocab`; IRIs only from
:mod:`kg.mapping.iris`.  See docs/model.md for the model this implements.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.mapping import iris
from kg.types import BylineKind, FeedRecord, ItemRecord, PaperRecord
from kg.vocab import DCTERMS, KG, PRISM, PROV, RDF, SDO, SKOS, XSD

Triple = tuple[URIRef, URIRef, Node]


@dataclass(frozen=True)
class Context:
    """What mapping one story needs from outside the story itself."""

    base: str
    feed: URIRef
    site: str
    language: str | None
    #: The spelling used for a tag / byline / journal key across the whole build.
    spelling: Callable[[str, str], str] = field(default=lambda kind, text: text)


def literal_datetime(value: datetime) -> Literal:
    """xsd:dateTime in UTC with a ``Z``, the form SPARQL users compare against."""
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return Literal(text + "Z", datatype=XSD.dateTime, normalize=False)


def feed_triples(feed: FeedRecord, feed_id: URIRef) -> list[Triple]:
    out: list[Triple] = [(feed_id, RDF.type, SDO.DataFeed)]
    if feed.title:
        out.append((feed_id, SDO.name, Literal(feed.title)))
    if feed.site:
        out.append((feed_id, SDO.url, Literal(feed.site, datatype=XSD.anyURI)))
    if feed.language:
        out.append((feed_id, SDO.inLanguage, Literal(feed.language)))
    if feed.updated:
        out.append((feed_id, SDO.dateModified, literal_datetime(feed.updated)))
    return out


def story_triples(item: ItemRecord, story: URIRef, ctx: Context) -> list[Triple]:
    out: list[Triple] = [(story, RDF.type, SDO.NewsArticle), (story, PROV.wasDerivedFrom, ctx.feed)]
    if item.title:
        out += [(story, SDO.name, Literal(item.title)), (story, SDO.headline, Literal(item.title))]
    url = item.link or item.link_raw
    if url:
        out.append((story, SDO.url, Literal(url, datatype=XSD.anyURI)))
    if item.guid:
        out.append((story, SDO.identifier, Literal(item.guid)))
    out += _date(story, SDO.datePublished, item.published, item.published_raw)
    out += _date(story, SDO.dateModified, item.updated, item.updated_raw)
    if item.summary:
        out.append((story, SDO.description, Literal(item.summary)))
    if item.image_credit:
        out.append((story, KG.imageCredit, Literal(item.image_credit)))
    for byline in item.bylines:
        name = ctx.spelling("byline", byline.name)
        node = URIRef(iris.byline_iri(ctx.site, name, ctx.base))
        kind = SDO.Organization if byline.kind is BylineKind.ORGANIZATION else SDO.Person
        out += [(story, SDO.author, node), (node, RDF.type, kind), (node, SDO.name, Literal(name))]
    if item.categories:
        scheme = URIRef(iris.scheme_iri(ctx.site, ctx.base))
        out += [
            (scheme, RDF.type, SKOS.ConceptScheme),
            (scheme, SKOS.prefLabel, Literal(f"{ctx.site} tags", lang=ctx.language)),
        ]
        for label in item.categories:
            text = ctx.spelling("tag", label)
            concept = URIRef(iris.tag_iri(ctx.site, text, ctx.base))
            out += [
                (story, SDO.about, concept),
                (concept, RDF.type, SKOS.Concept),
                (concept, SKOS.prefLabel, Literal(text, lang=ctx.language)),
                (concept, SKOS.inScheme, scheme),
            ]
    for paper in item.papers:
        paper_id = URIRef(iris.paper_iri(paper, ctx.base))
        out.append((story, SDO.citation, paper_id))
        out += paper_triples(paper, paper_id, ctx)
    return out


def paper_triples(paper: PaperRecord, paper_id: URIRef, ctx: Context) -> list[Triple]:
    out: list[Triple] = [(paper_id, RDF.type, SDO.ScholarlyArticle)]
    if paper.doi:
        out.append((paper_id, PRISM.doi, Literal(paper.doi.lower())))
        out.append((paper_id, SDO.url, Literal(iris.doi_iri(paper.doi), datatype=XSD.anyURI)))
    elif paper.doi_raw:
        out.append((paper_id, PRISM.doi, Literal(paper.doi_raw)))
    if paper.title:
        out.append((paper_id, SDO.name, Literal(paper.title)))
    for position, person in enumerate(paper.authors, start=1):
        person_id = URIRef(iris.reference_person_iri(str(paper_id), position))
        slot = URIRef(iris.authorship_iri(str(paper_id), position))
        out += [
            (paper_id, SDO.author, person_id),
            (paper_id, KG.authorship, slot),
            (slot, RDF.type, SDO.ListItem),
            (slot, SDO.position, Literal(position)),
            (slot, SDO.item, person_id),
            (person_id, RDF.type, SDO.Person),
            (person_id, SDO.familyName, Literal(person.family)),
            (person_id, SDO.name, Literal(person.full)),
        ]
        if person.given:
            out.append((person_id, SDO.givenName, Literal(person.given)))
    if paper.authors:
        out.append((paper_id, KG.authorListTruncated, Literal(paper.truncated)))
    if paper.journal:
        name = ctx.spelling("journal", paper.journal)
        journal = URIRef(iris.journal_iri(name, ctx.base))
        out += [
            (paper_id, SDO.isPartOf, journal),
            (journal, RDF.type, SDO.Periodical),
            (journal, SDO.name, Literal(name)),
            (journal, SDO.alternateName, Literal(paper.journal)),
        ]
    if paper.volume:
        out.append((paper_id, PRISM.volume, Literal(paper.volume)))
    if paper.issue:
        out.append((paper_id, PRISM.number, Literal(paper.issue)))
    if paper.article_number:
        out.append((paper_id, KG.articleNumber, Literal(paper.article_number)))
    if paper.pages:
        out.append((paper_id, SDO.pageStart, Literal(paper.pages[0])))
        if paper.pages[1]:
            out.append((paper_id, SDO.pageEnd, Literal(paper.pages[1])))
    if paper.published:
        out.append((paper_id, SDO.datePublished, Literal(paper.published, datatype=XSD.date)))
    elif paper.year:
        out.append((paper_id, SDO.datePublished, Literal(f"{paper.year:04d}", datatype=XSD.gYear)))
    out += [(paper_id, SDO.keywords, Literal(k)) for k in paper.keywords]
    if paper.citation:
        out.append((paper_id, DCTERMS.bibliographicCitation, Literal(paper.citation)))
    if paper.subject:
        out.append((paper_id, KG.researchSubject, Literal(paper.subject)))
    return out


def _date(
    subject: URIRef, predicate: URIRef, value: datetime | None, raw: str | None
) -> list[Triple]:
    """A date that could not be read is still stated, as a plain string: the
    shapes then reject the story saying which date was wrong."""
    if value is not None:
        return [(subject, predicate, literal_datetime(value))]
    if raw:
        return [(subject, predicate, Literal(raw))]
    return []
