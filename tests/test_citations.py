"""Papers named in science-news bodies: the reference formats news sites print, and DOIs.

Fixtures are in tests/data/news/ (see its SOURCES.md): feeds written in the
formats of EurekAlert!, Neuroscience News, phys.org and ScienceDaily around real
papers, and real WordPress and news feeds from the shared corpus.
"""

from __future__ import annotations

import doctest
import gc
import time
from datetime import date

import pytest

import kg.extract.citations
from kg.extract.citations import doi_from_url, papers_in_html
from kg.feeds import read_feed
from kg.types import PaperRecord, PersonName

from .conftest import DATA

NEWS = DATA / "news"

TORINO_TITLE = (
    "The association between white matter hyperintensities and suicide attempts in "
    "affective disorders: a systematic review and meta-analysis"
)
SYNAPSID_TITLE = (
    "A Carboniferous synapsid with caniniform teeth and a reappraisal of mandibular "
    "size-shape heterodonty in the origin of mammals"
)
ROMA_TITLE = (
    "Techno-species in the Becoming Towards a Relational Ontology of Multi-species "
    "Assemblages (ROMA)"
)
MURGAS_TITLE = "In vivo serotonin 1A receptor distribution in treatment-resistant depression"


def items(name: str) -> list[tuple[PaperRecord, ...]]:
    """The papers of each item of a fixture feed (its content, else its description)."""
    feed = read_feed(str(NEWS / name))
    return [papers_in_html(e.content_html or e.summary_html) for e in feed.entries]


def names(paper: PaperRecord) -> list[tuple[str, str]]:
    return [(a.given, a.family) for a in paper.authors]


# --- 1. EurekAlert! field blocks ------------------------------------------------


@pytest.fixture(scope="module")
def eurekalert() -> list[tuple[PaperRecord, ...]]:
    return items("eurekalert-style.rss.xml")


def test_eurekalert_headings_and_values(eurekalert):
    (paper,) = eurekalert[0]
    assert paper == PaperRecord(
        doi="10.1038/s41398-025-03626-7",
        title=TORINO_TITLE,
        journal="Translational Psychiatry",
        journal_title="Translational Psychiatry",
        year=2025,
        published=date(2025, 10, 17),
        subject="People",
        origin="reference",
    )


def test_eurekalert_label_lines(eurekalert):
    (paper,) = eurekalert[1]
    assert (paper.doi, paper.title, paper.journal, paper.published, paper.subject) == (
        "10.1098/rsos.211237",
        SYNAPSID_TITLE,
        "Royal Society Open Science",
        date(2021, 12, 15),
        "Animal tissue samples",
    )
    assert paper.authors == ()  # the block names no authors: none are made up


def test_eurekalert_plain_text_block_without_doi_is_kept(eurekalert):
    (paper,) = eurekalert[2]
    assert paper.doi is None and paper.doi_raw is None
    assert (paper.title, paper.journal, paper.published, paper.year, paper.origin) == (
        ROMA_TITLE,
        "NanoEthics",
        date(2021, 12, 14),
        2021,
        "reference",
    )


def test_eurekalert_a_lone_label_in_prose_is_no_block(eurekalert):
    # A "Journal" heading and a "Subject of Research:" line, but no second fact of a paper.
    assert eurekalert[3] == ()


def test_field_block_doi_placeholder_and_broken_doi():
    pending = papers_in_html("Journal: Nature\nDOI: Pending\nArticle Title: A title")
    assert [(p.doi, p.doi_raw, p.title, p.journal) for p in pending] == [
        (None, None, "A title", "Nature")
    ]
    broken = papers_in_html("<p>Journal: Nature<br>DOI: 10.1038-broken</p>")
    assert [(p.doi, p.doi_raw) for p in broken] == [(None, "10.1038-broken")]


# --- 2. Neuroscience News ---------------------------------------------------------


@pytest.fixture(scope="module")
def neurosciencenews() -> list[tuple[PaperRecord, ...]]:
    return items("neurosciencenews-style.rss.xml")


def test_neurosciencenews_open_access_title_link(neurosciencenews):
    (paper,) = neurosciencenews[0]
    assert (paper.doi, paper.title, paper.journal, paper.journal_title) == (
        "10.1038/s41398-025-03626-7",
        TORINO_TITLE,
        "Translational Psychiatry",
        "Translational Psychiatry",
    )
    assert names(paper) == [("Giulia", "Torino")] and paper.truncated
    assert paper.origin == "reference" and paper.year is None
    assert paper.citation is not None and paper.citation.startswith("“The association")


def test_neurosciencenews_closed_access_with_doi_line(neurosciencenews):
    (paper,) = neurosciencenews[1]
    assert (paper.doi, paper.title, paper.journal) == (
        "10.1007/s11569-021-00401-y",
        ROMA_TITLE,
        "NanoEthics",
    )
    assert names(paper) == [("Tanja", "Kubes"), ("Thomas", "Reinhardt")]
    assert not paper.truncated


def test_neurosciencenews_older_abstract_for_in_journal_published_online(neurosciencenews):
    (paper,) = neurosciencenews[2]
    assert paper.doi == "10.1099/ijsem.0.005170"
    assert paper.title == (
        "Nocardia acididurans sp. nov., an acid-tolerant actinobacterium isolated from "
        "bio-fertilizer of Musa species"
    )
    assert paper.journal == "International Journal of Systematic and Evolutionary Microbiology"
    assert [a.family for a in paper.authors] == [
        "Sirireung",
        "Duangupama",
        "Suriyachadkun",
        "Thawai",
    ]
    assert (paper.published, paper.year) == (date(2021, 12, 20), 2021)


def test_neurosciencenews_initials_and_abbreviated_journal_without_markup(neurosciencenews):
    (paper,) = neurosciencenews[3]
    assert paper.doi is None  # no DOI stated: the reference is kept without one
    assert paper.title == MURGAS_TITLE
    assert names(paper) == [("M.", "Murgaš"), ("C.", "Milz"), ("P.", "Stöhrmann")]
    assert paper.truncated
    assert (paper.journal, paper.journal_title) == ("Transl Psychiatry", "Translational Psychiatry")


@pytest.mark.parametrize(
    ("byline", "authors", "truncated", "journal"),
    [
        ("by Ann Smith and Bob Jones. Frontiers in Neuroscience", ["Smith", "Jones"], False,
         "Frontiers in Neuroscience"),
        ("by A. Smith, B. Jones et al. in Cell Reports", ["Smith", "Jones"], True, "Cell Reports"),
        ("by Smith, A., Jones, B. et al. <em>Neuron</em>", ["Smith", "Jones"], True, "Neuron"),
        ("by Frank C. van den Bosch and Shashank Dattathri. <em>The Open Journal of "
         "Astrophysics</em>", ["van den Bosch", "Dattathri"], False,
         "The Open Journal of Astrophysics"),
    ],
)  # fmt: skip
def test_neurosciencenews_author_forms(byline, authors, truncated, journal):
    html = f"<p><strong>Original Research:</strong> Open access.<br>“A title” {byline}</p>"
    (paper,) = papers_in_html(html)
    assert ([a.family for a in paper.authors], paper.truncated, paper.journal) == (
        authors,
        truncated,
        journal,
    )
    assert paper.title == "A title"


# --- 3. phys.org / Medical Xpress -----------------------------------------------------


@pytest.fixture(scope="module")
def physorg() -> list[tuple[PaperRecord, ...]]:
    return items("physorg-style.rss.xml")


def test_physorg_more_information(physorg):
    (paper,) = physorg[0]
    assert (paper.doi, paper.title, paper.journal, paper.year) == (
        "10.1038/s41398-025-03626-7",
        TORINO_TITLE,
        "Translational Psychiatry",
        2025,
    )
    assert names(paper) == [("Giulia", "Torino")] and paper.truncated
    assert paper.citation == (
        f"Giulia Torino et al, {TORINO_TITLE}, Translational Psychiatry (2025). "
        "DOI: 10.1038/s41398-025-03626-7"
    )


def test_physorg_two_references_titles_with_commas_and_italic_species(physorg):
    first, second = physorg[1]
    assert (first.doi, first.title, first.journal) == (
        "10.1016/j.parint.2021.102531",
        "Description of Gyrodactylus banmae n. sp. (Monogenea, Gyrodactylidae) parasitic "
        "on zebrafish, Danio rerio",
        "Parasitology International",
    )
    assert names(first) == [("Xiao", "Jin")]
    assert (second.doi, second.journal, second.year) == (
        "10.1007/s00203-021-02621-y",
        "Archives of Microbiology",
        2021,
    )
    assert second.title == (
        "Propioniciclava soli sp. nov., isolated from forest soil, Yunnan, China, and "
        "reclassification of the genus Brevilactibacter into the genus Propioniciclava"
    )
    assert names(second) == [("Le-Le", "Li")]


def test_physorg_plain_text_two_authors(physorg):
    (paper,) = physorg[2]
    assert (paper.doi, paper.title, paper.journal, paper.year) == (
        "10.1007/s11569-021-00401-y",
        ROMA_TITLE,
        "NanoEthics",
        2021,
    )
    assert names(paper) == [("Tanja", "Kubes"), ("Thomas", "Reinhardt")]
    assert not paper.truncated


def test_physorg_volume_and_article_number_without_markup(physorg):
    (paper,) = physorg[3]
    assert (paper.doi, paper.title, paper.journal, paper.volume, paper.article_number) == (
        "10.1098/rsos.211237",
        SYNAPSID_TITLE,
        "Royal Society Open Science",
        "8",
        "211237",
    )
    assert names(paper) == [("Adam K.", "Huttenlocker")]


def test_physorg_preprint(physorg):
    (paper,) = physorg[4]
    assert (paper.doi, paper.journal, paper.journal_title, paper.year) == (
        "10.1101/2023.12.16.571984",
        "bioRxiv",
        None,
        2023,
    )
    assert names(paper) == [("N.", "Lapalu")]
    assert paper.title == (
        "Complete genome of the Medicago anthracnose fungus, Colletotrichum destructivum, "
        "reveals a mini-chromosome-like region within a core chromosome"
    )


def test_physorg_title_in_title_case_without_authors():
    html = "<p>More information: Dark Matter Halos Revisited, Nature (2025).</p>"
    (paper,) = papers_in_html(html)
    assert (paper.authors, paper.title, paper.journal, paper.year) == (
        (),
        "Dark Matter Halos Revisited",
        "Nature",
        2025,
    )


def test_physorg_second_doi_on_arxiv_stays_a_mention():
    html = (
        "<p>More information: Ann Smith, Some title, Nature (2025). DOI: "
        "10.5555/news-2025-2. On arXiv: DOI: 10.48550/arxiv.2501.01234</p>"
    )
    paper, preprint = papers_in_html(html)
    assert (paper.doi, paper.origin, names(paper)) == (
        "10.5555/news-2025-2",
        "reference",
        [("Ann", "Smith")],
    )
    assert (preprint.doi, preprint.origin, preprint.title) == (
        "10.48550/arxiv.2501.01234",
        "mention",
        None,
    )


# --- 4. ScienceDaily ------------------------------------------------------------


@pytest.fixture(scope="module")
def sciencedaily() -> list[tuple[PaperRecord, ...]]:
    return items("sciencedaily-style.rss.xml")


def test_sciencedaily_journal_reference(sciencedaily):
    (paper,) = sciencedaily[0]
    assert paper == PaperRecord(
        doi="10.1098/rsos.211237",
        title=SYNAPSID_TITLE,
        authors=(
            PersonName("Huttenlocker", "Adam K."),
            PersonName("Singh", "Suresh A."),
            PersonName("Henrici", "Amy C."),
            PersonName("Sumida", "Stuart S."),
        ),
        journal="Royal Society Open Science",
        journal_title="Royal Society Open Science",
        volume="8",
        issue="12",
        year=2021,
        citation=(
            "Adam K. Huttenlocker, Suresh A. Singh, Amy C. Henrici, Stuart S. Sumida. "
            f"{SYNAPSID_TITLE}. Royal Society Open Science, 2021; 8 (12) DOI: 10.1098/rsos.211237"
        ),
        origin="reference",
    )


def test_sciencedaily_journal_references_list(sciencedaily):
    torino, murgas = sciencedaily[1]
    assert (torino.doi, torino.title, torino.volume, torino.issue, torino.article_number) == (
        "10.1038/s41398-025-03626-7",
        TORINO_TITLE,
        "15",
        "1",
        "411",
    )
    assert names(torino) == [("Giulia", "Torino")] and torino.truncated
    assert (murgas.doi, murgas.title, murgas.article_number) == (
        "10.1038/s41398-025-03406-3",
        MURGAS_TITLE,
        "186",
    )
    assert [a.family for a in murgas.authors] == ["Murgaš", "Milz", "Stöhrmann"]


def test_sciencedaily_numbered_references_in_one_text_line(sciencedaily):
    qian, roe = sciencedaily[2]
    assert (qian.doi, qian.journal, qian.year, qian.volume) == (
        "10.1038/s41398-026-03892-z",
        "Translational Psychiatry",
        2026,
        None,
    )
    assert names(qian) == [("Rui", "Qian"), ("Wei", "Huang"), ("Yu", "Ji")]
    # The second reference states no DOI: it must not take the first one's.
    assert roe.doi is None
    assert (roe.title, roe.journal, roe.journal_title) == (
        "A reference without a DOI, for the test",
        "Proc. R. Soc. B",
        "Proceedings of the Royal Society B",
    )
    assert (roe.volume, roe.issue, roe.article_number, roe.year) == (
        "288",
        "1950",
        "20210042",
        2021,
    )


def test_sciencedaily_pages_and_question_mark_title():
    html = (
        "<p>Journal Reference:</p><ol><li>Ann Smith, Bob Jones. Why do cats purr? Current "
        "Biology, 2020; 30 (4): 123-130 DOI: 10.1016/j.cub.2020.01.001</li></ol>"
        "<p>Cite This Page:</p>"
    )
    (paper,) = papers_in_html(html)
    assert (paper.title, paper.journal, paper.volume, paper.issue, paper.pages) == (
        "Why do cats purr?",
        "Current Biology",
        "30",
        "4",
        ("123", "130"),
    )


# --- 5. DOIs anywhere -------------------------------------------------------------


def test_doi_mentions_every_form_in_order_once_each():
    papers = papers_in_html((NEWS / "doi-mentions.html").read_text(encoding="utf-8"))
    assert [p.doi for p in papers] == [
        "10.1038/s41398-025-03626-7",
        "10.1098/RSOS.211237",  # and again in lower case: one paper
        "10.1016/j.parint.2021.102531",
        "10.1099/IJSEM.0.005170",
        "10.1099/ijsem.0.005176",
        "10.1111/jam.15413",
        "10.1111/phc3.12625",
        "10.1080/02640414.2017.1397282",
        "10.1515/jci-2020-0008",
        "10.3982/ECTA21204",
        "10.1007/s11569-021-00401-y",
        "10.3389/fpsyg.2024.1504060",
        "10.1101/2023.12.16.571984",
        "10.1007/s00203-021-02621-y",
        "10.1093/mind/LIX.236.433",
        "10.1037/h0037350",
        "10.33232/001c.157500",
        "10.1002/lno.70172",
        "10.1111/jvim.16783",
        "10.1038/s41398-025-03406-3",  # not "...Read more" from the next element
    ]
    assert {p.origin for p in papers} == {"mention"}
    assert all(p == PaperRecord(doi=p.doi, origin="mention") for p in papers)


@pytest.mark.parametrize(
    ("url", "doi"),
    [
        ("https://onlinelibrary.wiley.com/doi/full/10.1111/jam.15413?af=R", "10.1111/jam.15413"),
        ("https://onlinelibrary.wiley.com/doi/10.1111/phc3.12625/abstract", "10.1111/phc3.12625"),
        ("https://onlinelibrary.wiley.com/doi/epdf/10.1111/phc3.12625", "10.1111/phc3.12625"),
        (
            "https://onlinelibrary.wiley.com/doi/10.1111/j.1365-2958.2006.05172.x/full;jsessionid=A1",
            "10.1111/j.1365-2958.2006.05172.x",
        ),
        ("https://www.science.org/doi/10.1126/science.abc1234#con1", "10.1126/science.abc1234"),
        (
            "https://iopscience.iop.org/article/10.3847/1538-4357/abc123/pdf",
            "10.3847/1538-4357/abc123",
        ),
        (
            "https://pubs.acs.org/doi/suppl/10.1021/acs.est.0c01234/suppl_file/es0c01234_si_001.pdf",
            "10.1021/acs.est.0c01234",
        ),
        (
            "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0261234&type=printable",
            "10.1371/journal.pone.0261234",
        ),
        ("https://www.medrxiv.org/content/10.1101/726125v3", "10.1101/726125"),
        # A resolver's path is the DOI, whatever it ends with.
        ("https://doi.org/10.1093/mind/LIX.236.433", "10.1093/mind/LIX.236.433"),
        ("https://doi.org/10.1000/view/full", "10.1000/view/full"),
        ("https://doi.org/10.1000%2Fabc", "10.1000/abc"),
        (
            "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-O",
            "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O",
        ),
        ("https://example.org/files/v2.10.1234/readme", None),
        ("https://example.org/10.12/short", None),
    ],
)  # fmt: skip
def test_doi_from_url(url, doi):
    assert doi_from_url(url) == doi


def test_doi_text_forms_and_boundaries():
    html = (
        "<p>doi:10.1515/jci-2013-0003. url: x; (https://doi.org/10.1037/h0037350), "
        "DOI 10.5555/ABC-1; DOI:10.1002/(SICI)1097-4571(199806)49:8&lt;693::AID-ASI4&gt;3.0.CO;2-O "
        "and <a href='https://doi.org/10.1000/single-quoted'>x</a></p>"
        "<!-- https://doi.org/10.9999/commented.out --><script>var d='10.9999/script';</script>"
    )
    assert [p.doi for p in papers_in_html(html)] == [
        "10.1515/jci-2013-0003",
        "10.1037/h0037350",
        "10.5555/ABC-1",
        "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O",
        "10.1000/single-quoted",
    ]


# --- merging, order, corpus feeds ------------------------------------------------------


def test_references_and_mentions_of_one_paper_merge_in_order_of_first_mention():
    # Synthetic papers under Crossref's test prefix 10.5555.
    html = (
        '<p>Earlier work (<a href="https://doi.org/10.5555/earlier-2020">here</a>) '
        'and <a href="https://doi.org/10.5555/NEWS-2025-1">the new paper</a>.</p>'
        "<p><strong>More information:</strong> Ann Smith et al, A title, <i>Translational "
        "Psychiatry</i> (2025). DOI: 10.5555/news-2025-1</p>"
        "<p><strong>Original Research:</strong> “A title” by Ann Smith, Bob Jones and Eve "
        "Roe. Transl Psychiatry</p>"
        "<p>Journal: Translational Psychiatry<br>Article Title: A title<br>"
        "Subject of Research: People</p>"
    )
    earlier, paper = papers_in_html(html)
    assert earlier == PaperRecord(doi="10.5555/earlier-2020", origin="mention")
    # One record: the references' DOI spelling, the first reference's facts, the
    # complete author list rather than the one cut with "et al.", the DOI-less
    # field block joined by its title; what the other reference printed is kept.
    assert (paper.doi, paper.origin, paper.title, paper.journal, paper.year) == (
        "10.5555/news-2025-1",
        "reference",
        "A title",
        "Translational Psychiatry",
        2025,
    )
    assert names(paper) == [("Ann", "Smith"), ("Bob", "Jones"), ("Eve", "Roe")]
    assert not paper.truncated
    assert paper.subject == "People"
    assert paper.citation == (
        "Ann Smith et al, A title, Translational Psychiatry (2025). DOI: 10.5555/news-2025-1"
    )
    assert paper.more_citations == (
        "“A title” by Ann Smith, Bob Jones and Eve Roe. Transl Psychiatry",
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "causality-blog_wordpress.rss.xml",
            {
                0: ["10.1515/jci-2013-0003"],
                1: ["10.1515/jci-2020-0008", "10.3982/ECTA21204"],
                3: ["10.1037/h0037350"],
                6: ["10.1111/phc3.12625", "10.1093/mind/LIX.236.433"],
            },
        ),
        (
            "in-the-dark_wordpresscom.rss.xml",
            {
                4: [f"10.33232/001c.{n}" for n in (157500, 157501, 157554, 157585, 157589, 157701)],
                9: ["10.1007/s10648-024-09914-w"],
            },
        ),
        ("oceanbites_wordpress.atom.xml", {19: ["10.1002/lno.70172"]}),
        ("dcrainmaker_wordpress.rss.xml", {4: ["10.1080/02640414.2017.1397282"]}),
        ("sciencedaily_all.rss.xml", {}),
        ("physorg_latest_browser-copy.rss.xml", {}),
    ],
)
def test_real_feeds_name_exactly_their_dois(name, expected):
    found = {i: [p.doi for p in papers] for i, papers in enumerate(items(name)) if papers}
    assert found == expected
    assert all(p.origin == "mention" for papers in items(name) for p in papers)


# --- speed and edge cases ------------------------------------------------------------


def test_nothing_to_find():
    assert papers_in_html(None) == ()
    assert papers_in_html("") == ()
    assert papers_in_html("<p>A story with no reference at all.</p>") == ()
    assert papers_in_html("<p>Version 2.10.1234/abc, 10.12/short, 10.5 per cent.</p>") == ()
    # Labels in other roles: a heading over a contact line, a label inside a sentence.
    assert papers_in_html("<h3>More information</h3><p>Contact Jane Doe, Press (2020)</p>") == ()
    assert papers_in_html("<p>For more information: Smith et al, A, Nature (2020).</p>") == ()


HOSTILE = {
    "quotes": lambda n: '<p class="unclosed>' * n + "journal",
    "tags": lambda n: "<p>More information: " + "<i>" * n + "x (2020)</p>",
    "scripts": lambda n: "<script>10.1234/abc " * n,
    "labels": lambda n: "<p>Journal</p><p>DOI</p>" * n,
    "titles": lambda n: "<p>Original Research: " + "“a” by " * n + "</p>",
    "authors": lambda n: "<p>More information: " + "Abc Def, " * n + "Nature (2020)</p>",
    "dois": lambda n: " ".join(f"doi:10.{1000 + i % 9000}/abc{i}" for i in range(n)),
}


@pytest.mark.parametrize(
    ("name", "size"),
    [("quotes", 20_000), ("tags", 2_500), ("scripts", 2_500), ("labels", 2_500),
     ("titles", 8_000), ("authors", 8_000), ("dois", 2_500)],
)  # fmt: skip
def test_hostile_bodies_take_linear_time(name, size):
    """Twice the hostile pattern must not take four times as long (a quadratic scan would).

    CPU time of this process, best of five, garbage collector off: other
    processes and collections do not count.
    """

    def seconds(text: str) -> float:
        gc.disable()
        try:
            start = time.process_time()
            papers_in_html(text)
            return time.process_time() - start
        finally:
            gc.enable()

    single = min(seconds(HOSTILE[name](size)) for _ in range(5))
    double = min(seconds(HOSTILE[name](2 * size)) for _ in range(5))
    assert double < 2.9 * single + 0.01


def test_module_doctests():
    assert doctest.testmod(kg.extract.citations).failed == 0
