"""Extraction: pure functions on real footer text from the seed, and their edge cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kg.extract import extract_feed, merge_categories
from kg.extract.dates import parse_datetime
from kg.extract.dois import find_dois, normalize_doi
from kg.extract.footer import parse_citation, read_footer, split_keywords
from kg.extract.names import parse_reference_authors, split_bylines
from kg.extract.text import clean, html_to_text
from kg.extract.urls import canonical_url
from kg.feeds import read_feed
from kg.types import BylineKind

from .conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return extract_feed(read_feed(str(SEED)))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1038/s41398-025-03626-7", "10.1038/s41398-025-03626-7"),
        ("https://doi.org/10.1038/s41398-025-03626-7", "10.1038/s41398-025-03626-7"),
        ("http://dx.doi.org/10.1038/S41398-025-03626-7.", "10.1038/S41398-025-03626-7"),
        ("doi:10.1000/xyz123", "10.1000/xyz123"),
        ("doi: 10.3390/ijms26010001;", "10.3390/ijms26010001"),
        ("DOI 10.1000/abc", "10.1000/abc"),
        ("info:doi/10.1000/abc", "10.1000/abc"),
        (
            "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8",
            "10.1002/(SICI)1097-4571(199806)49:8",
        ),
        ("(10.1000/abc)", None),  # a bracket before the DOI is not part of a DOI text
        ("https://doi.org/10.1000%2Fabc", "10.1000/abc"),
        ("10.1038-broken", None),
        ("banana", None),
        ("", None),
        ("10.12/short-registrant", None),
    ],
)
def test_normalize_doi(raw, expected):
    assert normalize_doi(raw) == expected


def test_find_dois_in_text_keeps_order_and_drops_duplicates():
    text = (
        'See <a href="https://doi.org/10.1038/A">https://doi.org/10.1038/a</a> and '
        "doi:10.1000/xyz. Also DOI: 10.5555/ABC-1), end."
    )
    assert find_dois(text) == ["10.1038/A", "10.1000/xyz", "10.5555/ABC-1"]


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("Sat, 14 Feb 2026 05:25:34 +0000", "2026-02-14T05:25:34+00:00"),
        ("Tue, 03 Jun 2025 22:18:47 +0200", "2025-06-03T20:18:47+00:00"),
        ("Tue, 03 Jun 2025 20:18:47 GMT", "2025-06-03T20:18:47+00:00"),
        ("2025-10-18T05:48:56Z", "2025-10-18T05:48:56+00:00"),
        ("2025-10-18T07:48:56.250+02:00", "2025-10-18T05:48:56.250000+00:00"),
        ("2025-10-18", "2025-10-18T00:00:00+00:00"),
        ("2025-10-18 05:48:56", "2025-10-18T05:48:56+00:00"),
    ],
)
def test_parse_datetime_is_timezone_aware_utc(raw, iso):
    parsed = parse_datetime(raw)
    assert parsed is not None and parsed.tzinfo is not None
    assert parsed.isoformat() == iso


@pytest.mark.parametrize("raw", ["the day before yesterday", "32/13/2025", "Mon, 99 Foo 2025", ""])
def test_parse_datetime_rejects_non_dates(raw):
    assert parse_datetime(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://scienmag.com/a/?utm_source=rss&utm_medium=feed", "https://scienmag.com/a/"),
        ("https://scienmag.com/a/?p=3&utm_campaign=x#comments", "https://scienmag.com/a/?p=3"),
        ("HTTP://Example.ORG:80/Path", "http://example.org/Path"),
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("https://example.org/ü", "https://example.org/%C3%BC"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("/relative/link", None),
        ("ftp://example.org/x", None),
        ("https://", None),
    ],
)
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected


def test_bylines_split_and_kind():
    bylines = split_bylines(
        ["Dr. Jane Doe and John Roe", "Ann Lee, Bo Chen", "Doe, J.", "SCIENMAG"]
    )
    assert [b.name for b in bylines] == [
        "Jane Doe",
        "John Roe",
        "Ann Lee",
        "Bo Chen",
        "J. Doe",
        "SCIENMAG",
    ]
    assert bylines[-1].kind is BylineKind.ORGANIZATION
    assert bylines[0].kind is BylineKind.PERSON
    assert split_bylines(["News Staff"])[0].kind is BylineKind.ORGANIZATION


def test_reference_authors_keep_unicode_particles_and_order():
    authors, truncated, _ = parse_reference_authors(
        "van der Berg, J.-P., Murgaš, M., Stöhrmann, P. & O’Neil, C. A title"
    )
    assert [(a.family, a.given) for a in authors] == [
        ("van der Berg", "J.-P."),
        ("Murgaš", "M."),
        ("Stöhrmann", "P."),
        ("O’Neil", "C."),
    ]
    assert truncated is False


def test_parse_citation_without_title_hint():
    paper = parse_citation(
        "Murgaš, M., Milz, C., Stöhrmann, P. et al. In vivo serotonin 1A receptor distribution "
        "in treatment-resistant depression. Transl Psychiatry 15, 186 (2025). "
        "https://doi.org/10.1038/s41398-025-03406-3"
    )
    assert (
        paper.title
        == "In vivo serotonin 1A receptor distribution in treatment-resistant depression"
    )
    assert (paper.journal, paper.volume, paper.article_number, paper.year) == (
        "Transl Psychiatry",
        "15",
        "186",
        2025,
    )
    assert paper.truncated and len(paper.authors) == 3


def test_parse_citation_with_pages_and_issue():
    paper = parse_citation(
        "Smith, A. B. & Jones, C. A study of things. Nature 612(7940), 45–50 (2022)."
    )
    assert paper.title == "A study of things"
    assert (paper.journal, paper.volume, paper.issue, paper.pages, paper.year) == (
        "Nature",
        "612",
        "7940",
        ("45", "50"),
        2022,
    )
    assert paper.article_number is None and not paper.truncated


def test_keywords_split_outside_brackets():
    assert split_keywords("Electroconvulsive Therapy (ECT, shock), MDD; Gene Expression.") == (
        "Electroconvulsive Therapy (ECT, shock)",
        "MDD",
        "Gene Expression",
    )


def test_categories_trimmed_deduplicated_by_case_and_spacing():
    assert merge_categories(
        ("  Brain ", "brain", "", "Brain  Research", "brain research", "X")
    ) == (
        "Brain",
        "Brain Research",
        "X",
    )


def test_text_cleaning_removes_markup_and_control_characters():
    assert clean("a\x00b\x1f  c\u0085d") == "a b c d"
    assert (
        html_to_text("<p>One &amp; <b>two</b></p><script>x()</script><p>three</p>")
        == "One & two three"
    )


def test_footer_fields_of_all_three_seed_formats():
    # <i>et al.</i> + <br /> inside; plain "et al." + DOI link; <em> + <strong>15</strong>
    from kg.feeds import read_feed as _read

    entries = _read(str(SEED)).entries
    footers = [read_footer(e.content_html) for e in entries]
    assert all(f is not None for f in footers)
    assert [sorted(f.fields) for f in footers] == [
        ["citation", "doi", "image_credit", "keywords", "subject", "title"],
        ["citation", "doi", "image_credit", "subject", "title"],
        ["citation", "doi", "image_credit", "subject", "title"],
    ]
    assert footers[0].fields["image_credit"] == "AI Generated"


def test_seed_items(seed):
    assert [i.title for i in seed.items] == [
        "How ECT Rewires the Brain: Genes and Circuits",
        "White Matter Links to Suicide Attempts in Mood Disorders",
        "Mapping Serotonin 1A Receptors in Resistant Depression",
    ]
    assert [i.published for i in seed.items] == [
        datetime(2026, 2, 14, 5, 25, 34, tzinfo=UTC),
        datetime(2025, 10, 18, 5, 48, 56, tzinfo=UTC),
        datetime(2025, 6, 3, 20, 18, 47, tzinfo=UTC),
    ]
    assert all(len(i.categories) == 13 for i in seed.items)
    assert all([b.name for b in i.bylines] == ["SCIENMAG"] for i in seed.items)
    assert seed.language == "en-US" and seed.site == "https://scienmag.com/"
    assert seed.self_link == "https://scienmag.com/tag/neuroimaging-in-psychiatry/feed/"
    assert seed.items[0].summary.startswith("The human brain pulses")
    assert "<" not in seed.items[0].summary


def test_seed_papers(seed):
    papers = [i.papers[0] for i in seed.items]
    assert [p.doi for p in papers] == [
        "10.1038/s41398-026-03892-z",
        "10.1038/s41398-025-03626-7",
        "10.1038/s41398-025-03406-3",
    ]
    assert [[a.family for a in p.authors] for p in papers] == [
        ["Qian", "Huang", "Ji"],
        ["Torino", "Maggioni", "Lengvenyte"],
        ["Murgaš", "Milz", "Stöhrmann"],
    ]
    assert all(p.truncated for p in papers)
    assert [(p.volume, p.article_number, p.year) for p in papers] == [
        (None, None, 2026),
        ("15", "411", 2025),
        ("15", "186", 2025),
    ]
    assert {p.journal for p in papers} == {"Transl Psychiatry"}
    assert papers[1].title == (
        "The association between white matter hyperintensities and suicide attempts in "
        "affective disorders: a systematic review and meta-analysis"
    )
    assert "Neuroplasticity" in papers[0].keywords and "Gene Expression" in papers[0].keywords
    assert papers[0].subject.startswith("Neurobiological mechanisms and structural-functional")
    assert papers[2].citation.startswith("Murgaš, M., Milz, C., Stöhrmann, P. et al. In vivo")


def test_html_lines_handle_attributes_comments_and_scripts():
    from kg.extract.text import html_to_lines

    html = (
        '<p>One &amp; <b>two</b></p><script>x("<p>")</script><p>three<br/>four</p>'
        '<!-- <p>hidden</p> --><div title="a>b">five</div><P CLASS=x>six &#8211; 6</P>'
    )
    assert html_to_lines(html) == ["One & two", "three", "four", "five", "six – 6"]


def test_footer_doi_that_disagrees_with_the_citation_is_a_warning():
    from kg.extract import extract_item
    from kg.types import RawEntry

    body = (
        "<p><strong>Article Title</strong>: A study</p>"
        "<p><strong>Article References</strong>: Doe, J. et al. A study. Nature 1, 2 (2020). "
        "https://doi.org/10.1000/cited</p>"
        "<p><strong>DOI</strong>: https://doi.org/10.1000/field</p>"
    )
    item = extract_item(RawEntry(title="T", link="https://e.org/a", content_html=body))
    paper, mentioned = item.papers
    assert (paper.doi, paper.title) == ("10.1000/field", "A study")
    # the reference's own DOI is still a DOI the story names: a bare citation
    assert (mentioned.doi, mentioned.title, mentioned.origin) == ("10.1000/cited", None, "mention")
    assert item.warnings == (
        "footer DOI '10.1000/field' differs from the citation's DOI '10.1000/cited'; "
        "the DOI field wins",
    )


def test_relative_links_resolve_against_the_feed():
    from kg.types import RawEntry, RawFeed

    raw = RawFeed(
        source="local.atom",
        version="atom10",
        link="/blog/",
        self_link="https://example.org/blog/feed.atom",
        entries=(RawEntry(title="A", link="2025/a.html"), RawEntry(title="B", link="javascript:x")),
    )
    feed = extract_feed(raw)
    assert feed.site == "https://example.org/blog/"
    assert [i.link for i in feed.items] == ["https://example.org/blog/2025/a.html", None]
    assert feed.items[1].link_raw == "javascript:x"


def test_a_relative_link_with_nothing_to_resolve_it_is_dropped_not_fatal():
    from kg.types import RawEntry, RawFeed

    raw = RawFeed(
        source="local.atom",
        version="atom10",
        entries=(RawEntry(title="A", link="entries/a.html"), RawEntry(title="B", link="data:,x")),
    )
    relative, hostile = extract_feed(raw).items
    assert (relative.link, relative.link_raw) == (None, None)
    assert relative.warnings == (
        "relative link 'entries/a.html' cannot be resolved; the story has no link",
    )
    assert (hostile.link, hostile.link_raw) == (None, "data:,x")  # stated, so the shape rejects it
