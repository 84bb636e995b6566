"""Each feed format, end to end: real feeds in, the expected facts out, as RDF.

The record-level tests (test_bibliographic, test_citations, test_jsonfeed)
check what extraction reads; these check that it reaches the graph: each case
writes the facts of one real item out as Turtle, and every one of those
triples must be in the built graph, with the authors in the stated order.
"""

# ruff: noqa: E501  (the facts are written out as the sources state them)
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from kg import convert

from .conftest import DATA

PREFIXES = """
@prefix schema: <https://schema.org/> .
@prefix prism: <http://prismstandard.org/namespaces/basic/2.0/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix kg: <https://w3id.org/feedkg/vocab#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix j: <https://w3id.org/feedkg/id/journal/> .
"""

AUTHORS = """
SELECT ?family WHERE {
  ?paper <https://w3id.org/feedkg/vocab#authorship> ?slot .
  ?slot <https://schema.org/position> ?n ; <https://schema.org/item> ?person .
  ?person <https://schema.org/familyName> ?family .
} ORDER BY ?n
"""

CASES = {
    # PubMed: pmid and doi in repeated dc:identifier, the citation line
    # "Arch Microbiol. 2021 Dec 20;204(1):39.", one dc:creator per author.
    "pubmed": (
        "scholarly/pubmed_search.rss.xml",
        "https://doi.org/10.1007/s00203-021-02621-y",
        """<https://doi.org/10.1007/s00203-021-02621-y> a schema:ScholarlyArticle ;
            prism:doi "10.1007/s00203-021-02621-y" ;
            prism:volume "204" ; prism:number "1" ; kg:articleNumber "39" ;
            kg:pmid "34928401" ; schema:sameAs <https://pubmed.ncbi.nlm.nih.gov/34928401/> ;
            schema:identifier "pubmed:34928401" ;
            schema:datePublished "2021-12-20"^^xsd:date ;
            schema:isPartOf j:archives_of_microbiology .
        j:archives_of_microbiology a schema:Periodical ; schema:name "Archives of Microbiology" ;
            schema:alternateName "Archives of microbiology" .""",
        ["Li", "Zhao", "Geng", "Zhou", "Yuan", "Cai", "Wen", "Li", "Tang"],
    ),
    # Taylor & Francis RSS 1.0: the article title sits in prism:publicationName
    # (a publisher bug); the journal is only in dc:source.
    "tandf": (
        "scholarly/tandf_zoology-middle-east.rdf.xml",
        "https://doi.org/10.1080/09397140.2021.1949139",
        """<https://doi.org/10.1080/09397140.2021.1949139> a schema:ScholarlyArticle ;
            prism:doi "10.1080/09397140.2021.1949139" ;
            schema:name "New and non-alien: Echinogammarus mazestiensis sp. n. from the southwestern Caucasus (Amphipoda: Gammaridae)" ;
            prism:volume "67" ; prism:number "4" ;
            schema:pageStart "309" ; schema:pageEnd "320" ;
            schema:isPartOf j:zoology_in_the_middle_east .
        j:zoology_in_the_middle_east schema:name "Zoology in the Middle East" .""",
        ["Marin", "Palatov"],
    ),
    # Science (AAAS) RSS 1.0: the DOI is the first of two dc:identifier
    # elements (feedparser keeps only the second); ISSNs on the channel.
    "science": (
        "scholarly/science-aaas_twis.rdf.xml",
        "https://doi.org/10.1126/science.356.6340.816-a",
        """<https://doi.org/10.1126/science.356.6340.816-a> a schema:ScholarlyArticle ;
            prism:doi "10.1126/science.356.6340.816-a" ;
            schema:name "Neuroplasticity in learning to read" ;
            prism:volume "356" ; prism:number "6340" ; schema:pageStart "816" ;
            schema:datePublished "2017-05-26"^^xsd:date ;
            schema:isPartOf j:science .
        j:science schema:name "Science" ; schema:issn "0036-8075", "1095-9203" .""",
        ["Yeagle"],
    ),
    # OUP (Silverchair): xmlns:prism="prism", an invalid namespace, on every
    # PRISM element; authors as one Vancouver-style <author> with "et al.".
    "oup": (
        "scholarly/oup_zool-j-linn-soc_silverchair.rss.xml",
        "https://doi.org/10.1093/zoolinnean/zlaa101",
        """<https://doi.org/10.1093/zoolinnean/zlaa101> a schema:ScholarlyArticle ;
            prism:doi "10.1093/zoolinnean/zlaa101" ;
            prism:volume "194" ; prism:number "1" ;
            schema:pageStart "136" ; schema:pageEnd "180" ;
            kg:authorListTruncated true ;
            schema:url "https://academic.oup.com/zoolinnean/article/194/1/136/6358980?rss=1"^^xsd:anyURI .""",
        ["De Miranda", "Giupponi", "Scharff"],
    ),
    # arXiv API Atom: old-style id, no DOI (so the DataCite DOI), a journal
    # reference, several <author> elements, categories as tags.
    "arxiv": (
        "scholarly/arxiv_api_id-astro-ph-0601001.atom.xml",
        "https://doi.org/10.48550/arxiv.astro-ph/0601001",
        """<https://doi.org/10.48550/arxiv.astro-ph/0601001> a schema:ScholarlyArticle ;
            prism:doi "10.48550/arxiv.astro-ph/0601001" ;
            kg:arxivId "astro-ph/0601001" ;
            schema:sameAs <https://arxiv.org/abs/astro-ph/0601001> ;
            dcterms:bibliographicCitation "ActaAstron.56:1-50,2006" ;
            schema:about <https://w3id.org/feedkg/id/site/arxiv.org/tag/astro-ph> .""",
        ["Gould", "Dorsher", "Gaudi", "Udalski"],
    ),
    # arXiv RSS: all authors in one dc:creator; a published version's DOI and
    # journal reference (written for the tests: the corpus has no arXiv RSS).
    "arxiv-rss": (
        "scholarly/arxiv-rss_written-for-tests.rss.xml",
        "https://doi.org/10.48550/arxiv.2501.01234",
        """<https://doi.org/10.48550/arxiv.2501.01234> a schema:ScholarlyArticle ;
            kg:arxivId "2501.01234" ; schema:sameAs <https://arxiv.org/abs/2501.01234> .
        <https://doi.org/10.1103/physrevd.111.012345> a schema:ScholarlyArticle ;
            prism:doi "10.1103/physrevd.111.012345" ; kg:arxivId "2501.05678" ;
            prism:volume "111" ;
            dcterms:bibliographicCitation "Phys. Rev. D 111, 012345 (2025)" .""",
        ["Smith", "Zhang", "de la Cruz", "O'Neil"],
    ),
    # MDPI RSS 1.0: "doi: 10.3390/..." with a space in dc:identifier.
    "mdpi": (
        "scholarly/mdpi_fluids_one-item.rdf.xml",
        "https://doi.org/10.3390/fluids9060120",
        """<https://doi.org/10.3390/fluids9060120> a schema:ScholarlyArticle ;
            prism:doi "10.3390/fluids9060120" ; prism:volume "9" ; prism:number "6" ;
            schema:name "Environmental Hydraulics, Turbulence, and Sediment Transport, Second Edition" ;
            schema:isPartOf j:fluids .""",
        ["Pu", "Pandey", "Hanmaiahgari"],
    ),
}


@pytest.fixture(scope="module")
def graphs() -> dict[str, Graph]:
    return {path: convert([str(DATA / path)]).graph for path, *_ in CASES.values()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_format_gives_the_expected_facts(case, graphs):
    path, paper, turtle, families = CASES[case]
    graph = graphs[path]
    expected = Graph().parse(data=PREFIXES + turtle, format="turtle")
    missing = [t for t in expected if t not in graph]
    assert not missing, "\n".join(" ".join(n.n3() for n in t) for t in missing)
    if families is not None:
        rows = graph.query(AUTHORS, initBindings={"paper": URIRef(paper)})
        assert [str(r.family) for r in rows] == families


def test_items_that_are_papers_are_not_stories(graphs):
    schema = "https://schema.org/"
    for path, *_ in CASES.values():
        graph = graphs[path]
        assert not set(graph.subjects(None, URIRef(schema + "NewsArticle"))), path


def test_unicode_names_are_kept_in_order():
    graph = convert([str(DATA / "scholarly/tandf_zoology-middle-east.rdf.xml")]).graph
    rows = graph.query(
        AUTHORS,
        initBindings={"paper": URIRef("https://doi.org/10.1080/09397140.2021.1992834")},
    )
    assert [str(r.family) for r in rows] == ["Çerçi", "Özgen", "Tezcan"]


NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Microbe news</title><link>https://microbes.example.org/</link>
<item>
  <title>A new soil bacterium from Yunnan</title>
  <link>https://microbes.example.org/new-soil-bacterium/</link>
  <pubDate>Tue, 21 Dec 2021 08:00:00 +0000</pubDate>
  <content:encoded><![CDATA[<p>Researchers describe a new species.</p>
  <p><strong>Subject of Research</strong>: Cells</p>
  <p><strong>Article Title</strong>: Propioniciclava soli sp. nov., isolated from forest soil</p>
  <p><strong>Article References</strong>: Li, L., Zhao, J. et al. Propioniciclava soli sp. nov.,
  isolated from forest soil. Arch Microbiol 204, 39 (2021).
  https://doi.org/10.1007/S00203-021-02621-Y</p>
  <p><strong>DOI</strong>: 10.1007/S00203-021-02621-Y</p>]]></content:encoded>
</item></channel></rss>
"""


def test_a_news_footer_and_pubmed_give_one_paper_with_both_facts(tmp_path):
    """The issue's merge case on real PubMed data: "Li, L., Zhao, J. et al." in a
    news footer and PubMed's full author list, one paper, nothing lost."""
    news = tmp_path / "news.rss"
    news.write_text(NEWS, encoding="utf-8")
    for order in ([news, DATA / CASES["pubmed"][0]], [DATA / CASES["pubmed"][0], news]):
        result = convert([str(p) for p in order])
        graph = result.graph
        paper = URIRef("https://doi.org/10.1007/s00203-021-02621-y")
        schema, dcterms = "https://schema.org/", "http://purl.org/dc/terms/"
        papers = set(graph.subjects(URIRef(str(RDF_TYPE)), URIRef(schema + "ScholarlyArticle")))
        assert len([p for p in papers if "s00203-021-02621" in p.lower()]) == 1
        story = URIRef("https://microbes.example.org/new-soil-bacterium/")
        assert (story, URIRef(schema + "citation"), paper) in graph
        rows = graph.query(AUTHORS, initBindings={"paper": paper})
        assert [str(r.family) for r in rows] == CASES["pubmed"][3]  # the complete list wins
        cited = {str(c) for c in graph.objects(paper, URIRef(dcterms + "bibliographicCitation"))}
        assert any(c.startswith("Li, L., Zhao, J. et al.") for c in cited)  # the footer's
        assert any(c.startswith("Arch Microbiol. 2021 Dec 20") for c in cited)  # PubMed's
        (journal,) = graph.objects(paper, URIRef(schema + "isPartOf"))
        names = {str(n) for n in graph.objects(journal, URIRef(schema + "alternateName"))}
        assert names == {"Arch Microbiol", "Archives of microbiology"}
        assert result.conforms and not result.rejected


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
