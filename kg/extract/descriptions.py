"""Papers that an item states only in text: its description's lines, arXiv's journal_ref.

Many journal feeds carry no bibliographic metadata at all; the description
says it in the publisher's words instead:

* ScienceDirect: ``Publication date: …``, ``Source: Journal, Volume 167``, ``Author(s): …``;
* Atypon, Wiley, Taylor & Francis: ``Journal, Volume 105, Issue S2, Page e1-e7, April 2015.``;
* Pensoft: ``ZooKeys 1078: 135-188`` above ``DOI: …`` and ``Authors: …`` lines;
* Schweizerbart: ``Nova Hedwigia, (2021), p. 281 - 290`` under the author list;
* CNKI: the author list alone, every name ending in ``;``;
* PubMed: ``Arch Microbiol. 2021 Dec 20;204(1):39. doi: …``.

An arXiv preprint that was published states where in ``arxiv:journal_ref``,
as free text in many spellings.  A reader fills in only what its format
states, and says whether the text alone shows the item is a paper; what the
metadata states wins over it (:mod:`kg.extract.bibliographic`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.dois import normalize_doi
from kg.extract.text import clean, inline_text

#: Words that start the description of a paper in the formats read below.
_TEXT_MARKERS = ("author", "publication date", "doi", "volume", "), p.", ")</a>, p.")
_PUBMED_HINT = re.compile(r"\.\s(?:1[89]|20)\d\d[\s;:.]")


@dataclass
class Description:
    """What the description's text states (ScienceDirect, Pensoft, CNKI, PubMed...)."""

    paper: bool = False  #: the text alone shows the item is a paper
    authors: str | None = None
    doi: str | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: tuple[str, str | None] | None = None
    article_number: str | None = None
    dates: list[str] = field(default_factory=list)
    citation: str | None = None


_LABEL = re.compile(
    r"^(?P<label>Author\(s\)|Authors?|Publication date|Source|DOI)\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)
_ISSUE_LINE = re.compile(
    r"^(?:(?P<journal>[^,]+?),\s*)?Volume\s+(?P<volume>[\w.\-]+)"
    r"(?:,\s*Issue\s+(?P<issue>[\w.\-]+))?(?:,\s*(?P<d1>[A-Z][a-z]+\.?\s+\d{4}))?"
    r"(?:,\s*Pages?\s+(?P<start>[\w.]+)(?:\s*[-–]\s*(?P<end>[\w.]+))?)?"
    r"(?:,\s*(?P<d2>[A-Z][a-z]+\.?\s+\d{4}))?\s*\.?$"
)
_YEAR_PAGES_LINE = re.compile(
    r"^(?P<journal>[^,()]+?),\s*(?P<volume>\d+)?\s*\((?P<year>\d{4})\),?\s*"
    r"p\.?\s*(?P<start>\w+)(?:\s*[-–]\s*(?P<end>\w+))?$"
)
_PENSOFT_LINE = re.compile(
    r"^(?P<journal>\D+?)\s+(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?:\s*"
    r"(?P<start>\w+)(?:\s*[-–]\s*(?P<end>\w+))?$"
)
_PUBMED_LINE = re.compile(
    r"^(?P<journal>[^.]+(?:\.[^.\s][^.]*)*?)\.\s+"
    r"(?P<date>(?:1[89]|20)\d{2}(?:\s+[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?(?:\s+\d{1,2})?)?)"
    r"(?:;(?P<volume>[^(:;.\s]+)?(?:\((?P<issue>[^)]+)\))?)?"
    r"(?::(?P<locator>[A-Za-z]?\d[\w]*(?:\s*-\s*[A-Za-z]?\d+)?))?\.(?:\s|$)"
)
_NAME_LIKE = re.compile(r"^[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){1,3}$")
_PUBMED_DOI = re.compile(r"\bdoi:\s*(10\.\S+)", re.IGNORECASE)
_CNKI = re.compile(r"^\s*(?P<names>(?:[^;<>]{2,60};)+)\s*(?:<\s*/?\s*br\s*/?>|$)")


def read_description(
    head: str, *, lines: list[str], citation_lines: list[str], title: str | None
) -> Description:
    """What the start of an item's description states about the paper the item is.

    ``head`` is the description's HTML (CNKI's author list ends at a ``<br>``),
    ``lines`` its first lines of text, ``citation_lines`` the lines where PubMed
    puts its citation line, and ``title`` the item's title (a line equal to it
    is no author list).
    """
    found = Description()
    cnki = _CNKI.match(head)
    if cnki and _caps_names(cnki.group("names")):
        found.paper, found.authors = True, cnki.group("names")
    labels: dict[str, str] = {}
    for line in lines[:6]:
        match = _LABEL.match(line)
        if match:
            labels.setdefault(match.group("label").lower(), match.group("value"))
    if "author(s)" in labels or "publication date" in labels:  # ScienceDirect
        found.paper = True
        found.authors = labels.get("author(s)") or labels.get("authors")
        if "publication date" in labels:
            found.dates.append(labels["publication date"])
        _issue_line(labels.get("source", ""), found)
    if "doi" in labels and ("authors" in labels or "author" in labels):  # Pensoft
        found.paper = True
        found.doi = normalize_doi(labels["doi"])
        found.authors = labels.get("authors") or labels.get("author")
        for line in lines[:2]:
            if match := _PENSOFT_LINE.match(line):
                found.journal, found.volume = clean(match.group("journal")), match.group("volume")
                found.issue = match.group("issue")
                found.pages = (match.group("start"), match.group("end"))
                found.citation = line
    for i, line in enumerate(lines):
        if _issue_line(line, found):
            found.paper = True
            break
        if match := _YEAR_PAGES_LINE.match(line):  # Schweizerbart
            found.paper = True
            found.journal, found.volume = clean(match.group("journal")), match.group("volume")
            found.pages = (match.group("start"), match.group("end"))
            found.dates.append(match.group("year"))
            found.citation = line
            before = lines[i - 1] if i else ""
            if before and ("," in before or ";" in before) and before != inline_text(title):
                found.authors = found.authors or before
            break
    _pubmed(citation_lines, found)
    return found


def worth_reading(head: str, content: str) -> bool:
    """Whether the description's ``head`` (its HTML) or the ``content`` may state a paper.

    Substring tests first: this runs on every item of every feed.
    """
    lowered = head[:1500].lower()
    if any(marker in lowered for marker in _TEXT_MARKERS):
        return True
    if ";" in head[:300] and _CNKI.match(head):
        return True
    return bool(content) and bool(_PUBMED_HINT.search(content[:400]))


def _issue_line(line: str, found: Description) -> bool:
    """ "Journal, Volume 105, Issue S2, Page e1-e7, April 2015." (Atypon, Wiley, T&F)."""
    match = _ISSUE_LINE.match(line.strip()) if "Volume" in line else None
    if not match:
        return False
    found.journal = found.journal or clean(match.group("journal"))
    found.volume, found.issue = match.group("volume"), match.group("issue")
    if match.group("start"):
        end = match.group("end")
        found.pages = (match.group("start"), None if end == match.group("start") else end)
    found.dates += [d for d in (match.group("d1"), match.group("d2")) if d]
    found.citation = found.citation or clean(line)
    return True


def _pubmed(lines: list[str], found: Description) -> None:
    """PubMed's citation line: "Arch Microbiol. 2021 Dec 20;204(1):39. doi: …"."""
    for line in lines:
        match = _PUBMED_LINE.match(line)
        if not match:
            continue
        found.paper = True
        found.journal = found.journal or clean(match.group("journal"))
        found.volume = found.volume or match.group("volume")
        found.issue = found.issue or match.group("issue")
        locator = match.group("locator")
        if locator and "-" in locator:
            start, end = (p.strip() for p in locator.split("-", 1))
            found.pages = found.pages or (start, end)
        elif locator:
            found.article_number = found.article_number or locator
        found.dates.append(match.group("date"))
        found.citation = found.citation or line
        labelled = _PUBMED_DOI.search(line)  # "doi: 10.…": used only when nothing else is
        found.doi = found.doi or (normalize_doi(labelled.group(1)) if labelled else None)
        return


def _caps_names(text: str) -> bool:
    """CNKI's list: nothing but short names, each ending in ';' ("Guocheng SHU;"),
    several of them or one with the upper-case family CNKI writes."""
    names = [n.strip() for n in text.split(";") if n.strip()]
    if not names or not all(_NAME_LIKE.match(n) for n in names):
        return False
    return len(names) > 1 or any(w.isupper() and len(w) > 1 for w in names[0].split())


# --- arXiv journal references --------------------------------------------------------


@dataclass(frozen=True)
class JournalRef:
    """Where an arXiv preprint was published, as its journal_ref states it."""

    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: tuple[str, str | None] | None = None
    article_number: str | None = None
    year: int | None = None


_REF_COMPACT = re.compile(
    r"^(?P<journal>[^\d]*?[A-Za-z.)])[\s,]*(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?\s*"
    r"[:,]\s*(?P<start>[A-Za-z]?\d+)(?:\s*[-–]\s*(?P<end>[A-Za-z]?\d+))?\s*[,;]?\s*"
    r"\(?(?P<year>(?:19|20)\d{2})\)?\.?$"
)
_REF_LABELLED = re.compile(
    r"^(?P<journal>[^\d]+?)[\s,(]*\bVol(?:ume)?\.?\s*:?\s*(?P<volume>\d+)\s*,?\s*"
    r"(?:(?:Issue|No)\.?\s*:?\s*(?P<issue>\w+))?[^\d]*(?P<year>(?:19|20)\d{2})?"
)


def read_journal_ref(raw: str | None) -> JournalRef:
    """arxiv:journal_ref: "Phys.Lett.B573:94-100,2003", "Softw. Test. Verif. Reliab.,
    35(2):e1914, 2025", "IEEE Trans. X ( Volume: 65 , Issue: 4 , April 2019 )".
    Conference venues with no volume are kept only as the citation text."""
    text = clean(raw)
    if not text:
        return JournalRef()
    if match := _REF_COMPACT.match(text):
        start, end = match.group("start"), match.group("end")
        return JournalRef(
            journal=match.group("journal").strip(" ,"),
            volume=match.group("volume"),
            issue=match.group("issue"),
            pages=(start, end) if end else None,
            article_number=None if end else start,
            year=int(match.group("year")),
        )
    if match := _REF_LABELLED.match(text):
        year = match.group("year")
        return JournalRef(
            journal=match.group("journal").strip(" ,("),
            volume=match.group("volume"),
            issue=match.group("issue"),
            year=int(year) if year else None,
        )
    return JournalRef()
