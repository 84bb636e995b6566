"""Merging what several sources say about one paper and one journal."""

from __future__ import annotations

from datetime import date

from kg.extract.merge import Journals, merge_papers, paper_key
from kg.types import PaperRecord, PersonName

# What a news footer says about a paper (scienmag style) ...
FOOTER = PaperRecord(
    doi="10.1038/S41398-026-03892-Z",
    title="Neurobiological mechanisms of electroconvulsive therapy in major depressive disorder",
    authors=(PersonName("Qian", "R."), PersonName("Huang", "W."), PersonName("Ji", "Y.")),
    truncated=True,
    journal="Transl Psychiatry",
    journal_title="Translational Psychiatry",
    year=2026,
    citation="Qian, R., Huang, W., Ji, Y. et al. Neurobiological mechanisms … (2026).",
    subject="Neurobiological mechanisms and structural-functional coupling changes",
    keywords=("ECT", "Brain Networks"),
    origin="reference",
)
# ... and what the journal's own feed says about it.
JOURNAL_ITEM = PaperRecord(
    doi="10.1038/s41398-026-03892-z",
    title="Structure-function coupling and transcriptomic signatures of ECT",
    authors=(
        PersonName("Qian", "Rui"),
        PersonName("Huang", "Wei"),
        PersonName("Ji", "Yu"),
        PersonName("Zhang", "Lin"),
    ),
    journal="Translational Psychiatry",
    journal_title="Translational Psychiatry",
    volume="16",
    article_number="72",
    published=date(2026, 2, 3),
    issns=("2158-3188",),
    keywords=("ect", "Transcriptomics"),
    url="https://www.nature.com/articles/s41398-026-03892-z",
    origin="item",
)
MENTION = PaperRecord(doi="10.1038/s41398-026-03892-z", origin="mention")


def test_one_record_per_doi_ignoring_case():
    merged = merge_papers([FOOTER, MENTION, JOURNAL_ITEM])
    assert list(merged) == ["doi:10.1038/s41398-026-03892-z"]


def test_the_journal_feed_outranks_the_footer_and_facts_add_up():
    (paper,) = merge_papers([FOOTER, MENTION, JOURNAL_ITEM]).values()
    # single-valued facts: the journal's own item wins, whatever the input order
    assert paper.title == JOURNAL_ITEM.title
    assert paper.doi == "10.1038/s41398-026-03892-z"
    assert paper.url == JOURNAL_ITEM.url
    assert paper.published == date(2026, 2, 3) and paper.year == 2026
    # the complete author list wins over the one cut with "et al."
    assert [a.given for a in paper.authors] == ["Rui", "Wei", "Yu", "Lin"]
    assert paper.truncated is False
    # what only the footer says survives
    assert paper.citation == FOOTER.citation
    assert paper.subject == FOOTER.subject
    assert (paper.more_citations, paper.more_subjects) == ((), ())


def test_every_sources_printed_reference_survives():
    pubmed = PaperRecord(
        doi=JOURNAL_ITEM.doi, citation="Transl Psychiatry. 2026 Feb 3;16(1):72.", origin="item"
    )
    (paper,) = merge_papers([FOOTER, pubmed, JOURNAL_ITEM]).values()
    assert paper.citation == pubmed.citation  # the best source's first
    assert paper.more_citations == (FOOTER.citation,)
    assert paper.subject == FOOTER.subject and paper.more_subjects == ()
    # many-valued facts add up (keywords once up to case)
    assert paper.keywords == ("ect", "Transcriptomics", "Brain Networks")
    assert paper.issns == ("2158-3188",)
    assert (paper.volume, paper.article_number) == ("16", "72")


def test_a_longer_cut_list_beats_a_shorter_one_when_none_is_complete():
    short = PaperRecord(doi="10.1/x", authors=(PersonName("A", "B."),), truncated=True)
    longer = PaperRecord(
        doi="10.1/X", authors=(PersonName("A", "B."), PersonName("C", "D.")), truncated=True
    )
    (paper,) = merge_papers([short, longer]).values()
    assert [a.family for a in paper.authors] == ["A", "C"] and paper.truncated


def test_without_doi_papers_merge_by_landing_page_then_title():
    a = PaperRecord(title="On  Things", origin="reference")
    b = PaperRecord(title="on things", journal="J Things", origin="reference")
    c = PaperRecord(title="On things", url="https://example.org/a/1", origin="item")
    merged = merge_papers([a, b, c])
    assert list(merged) == ["text:on things", "url:https://example.org/a/1"]
    assert merged["text:on things"].journal == "J Things"
    assert paper_key(c) == "url:https://example.org/a/1"


def test_journals_merge_by_full_title_and_by_issn():
    journals = Journals(
        [
            PaperRecord(journal="Transl Psychiatry", journal_title="Translational Psychiatry"),
            PaperRecord(journal="Transl. Psychiatry", journal_title="Translational Psychiatry"),
            PaperRecord(journal="Journal of Unlisted Things", issns=("2158-3188",)),
            PaperRecord(journal="J Unlisted Things", issns=("2158-3188", "0036-8075")),
            PaperRecord(journal="Other Unlisted Journal"),
        ]
    )
    first = journals.get(PaperRecord(journal="transl psychiatry"))
    assert first is not None
    key, known = first
    assert known.name == "Translational Psychiatry"
    assert known.written == ["Transl Psychiatry", "Transl. Psychiatry"]
    by_issn = journals.get(PaperRecord(journal="J Unlisted Things"))
    assert by_issn is not None
    assert by_issn[1].name == "Journal of Unlisted Things"
    assert by_issn[1].issns == ["2158-3188", "0036-8075"]
    assert by_issn[1].written == ["Journal of Unlisted Things", "J Unlisted Things"]
    other = journals.get(PaperRecord(journal="Other Unlisted Journal"))
    assert other is not None and other[0] not in (key, by_issn[0])
    assert journals.get(PaperRecord()) is None
