"""What several sources say about one paper or one journal, made one record.

A news footer names "Qian, R. et al."; the journal's own feed lists all
authors; PubMed adds the PMID.  The graph must hold one paper with all of
that, not three papers, and not one paper with two titles or two author
lists (the shapes would set it aside).  So the build first gathers every
:class:`~kg.types.PaperRecord` it read, merges those that are the same paper
(same DOI, ignoring case; else the same landing page; else the same title),
and maps the merged record wherever any of them occurred.

For a fact that can have only one value, the better source wins: an item of a
journal, preprint or PubMed feed (origin ``"item"``) over a news story's
reference (``"reference"``) over a bare DOI mention (``"mention"``); among
equals, the one read first.  Facts that can have many values (keywords,
ISSNs) add up.  A complete author list beats one cut with "et al.", whatever
its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kg.extract.journals import journal_key
from kg.types import PaperRecord

_RANK = {"item": 0, "reference": 1, "mention": 2}


def paper_key(paper: PaperRecord) -> str:
    """Identity of a paper across sources: its DOI, else its landing page,
    else its title (or raw citation) up to case and spacing."""
    if paper.doi:
        return "doi:" + paper.doi.lower()
    if paper.url:
        return "url:" + paper.url
    text = paper.title or paper.citation or paper.doi_raw or ""
    return "text:" + " ".join(text.casefold().split())


def _first(ranked: list[PaperRecord], name: str) -> Any:
    """The first non-empty value of a field, best source first."""
    return next((v for p in ranked if (v := getattr(p, name))), None)


def _others(ranked: list[PaperRecord], name: str) -> tuple[str, ...]:
    """Every distinct value of a text field after the first, best source first."""
    values = list(dict.fromkeys(v for p in ranked if (v := getattr(p, name))))
    return tuple(values[1:])


def _bare(paper: PaperRecord) -> bool:
    """A DOI mention states the DOI and nothing else (that is what "mention" means)."""
    return paper.origin == "mention"


def merge_papers(papers: Iterable[PaperRecord]) -> dict[str, PaperRecord]:
    """One merged record per :func:`paper_key`, in order of first appearance."""
    groups: dict[str, list[PaperRecord]] = {}
    for paper in papers:
        groups.setdefault(paper_key(paper), []).append(paper)
    return {key: merge_group(group) for key, group in groups.items()}


def merge_group(group: list[PaperRecord]) -> PaperRecord:
    """Merge records of one paper (see the module docstring for the rules)."""
    if len(group) > 1:  # a bare mention adds nothing to a record of the same DOI
        group = [p for p in group if not _bare(p)] or group[:1]
    if len(group) == 1:
        return group[0]
    ranked = sorted(group, key=lambda p: _RANK.get(p.origin, len(_RANK)))  # stable
    best = ranked[0]
    complete = [p for p in ranked if p.authors and not p.truncated]
    cut = sorted((p for p in ranked if p.authors), key=lambda p: -len(p.authors))
    by_authors = complete[0] if complete else cut[0] if cut else best
    by_journal = next((p for p in ranked if p.journal), best)
    by_pages = next((p for p in ranked if p.pages), best)
    by_date = next((p for p in ranked if p.published), None) or next(
        (p for p in ranked if p.year), best
    )
    keywords: dict[str, str] = {}
    for p in ranked:
        for k in p.keywords:
            keywords.setdefault(k.casefold(), k)

    def first(name: str) -> Any:
        return _first(ranked, name)

    return replace(
        best,
        doi=first("doi"),
        doi_raw=None if first("doi") else first("doi_raw"),
        title=first("title"),
        authors=by_authors.authors,
        truncated=by_authors.truncated,
        journal=by_journal.journal,
        journal_title=by_journal.journal_title,
        volume=first("volume"),
        issue=first("issue"),
        article_number=first("article_number"),
        pages=by_pages.pages,
        year=by_date.year or (by_date.published.year if by_date.published else None),
        published=by_date.published,
        keywords=tuple(keywords.values()),
        citation=first("citation"),
        subject=first("subject"),
        more_citations=_others(ranked, "citation"),
        more_subjects=_others(ranked, "subject"),
        issns=tuple(dict.fromkeys(i for p in ranked for i in p.issns)),
        pmid=first("pmid"),
        arxiv_id=first("arxiv_id"),
        url=first("url"),
    )


@dataclass
class Journal:
    """Everything the build knows about one journal."""

    name: str  #: the name the node is called by (full title when known)
    written: list[str] = field(default_factory=list)  #: every spelling met
    issns: list[str] = field(default_factory=list)


class Journals:
    """One journal per normalised name, joined by a shared ISSN.

    "Transl Psychiatry", "Transl. Psychiatry" and "Translational Psychiatry"
    share a key through the abbreviation lists; a journal the lists do not
    know still gets one node per normalised name; and two names given with
    the same ISSN are one journal (the first name met names it).
    """

    def __init__(self, papers: Iterable[PaperRecord] = ()) -> None:
        self._by_key: dict[str, Journal] = {}
        self._alias: dict[str, str] = {}
        self._by_issn: dict[str, str] = {}
        for paper in papers:
            self.add(paper)

    @staticmethod
    def _name(paper: PaperRecord) -> str:
        return paper.journal_title or paper.journal or ""

    def add(self, paper: PaperRecord) -> None:
        if not paper.journal:
            return
        names = (journal_key(self._name(paper)), journal_key(paper.journal))
        key = next((self._alias[n] for n in names if n in self._alias), None) or next(
            (self._by_issn[i] for i in paper.issns if i in self._by_issn), names[0]
        )
        for name in names:  # the full title's key and the written one's
            self._alias.setdefault(name, key)
        journal = self._by_key.setdefault(key, Journal(name=self._name(paper)))
        if paper.journal not in journal.written:
            journal.written.append(paper.journal)
        for issn in paper.issns:
            self._by_issn.setdefault(issn, key)
            if issn not in journal.issns:
                journal.issns.append(issn)

    def get(self, paper: PaperRecord) -> tuple[str, Journal] | None:
        """The journal of ``paper`` (its key and record), if it names one."""
        if not paper.journal:
            return None
        key = journal_key(self._name(paper))
        key = self._alias.get(key) or self._alias.get(journal_key(paper.journal), key)
        journal = self._by_key.get(key)
        if journal is None:  # not registered: stands alone
            journal = Journal(name=self._name(paper), written=[paper.journal], issns=[*paper.issns])
        return key, journal
