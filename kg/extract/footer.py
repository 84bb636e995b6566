"""The paper behind a science-news story, read from the story's footer.

Science-news sites (scienmag and other WordPress sites fed by press
releases) end each story with labelled fields::

    Subject of Research: ...
    Article Title: ...
    Article References: Qian, R., Huang, W., Ji, Y. et al. <title>.
                        Transl Psychiatry 15, 411 (2025). https://doi.org/10.1038/...
    Image Credits: ...
    DOI: https://doi.org/10.1038/...
    Keywords: ...

The labels may sit in ``<strong>`` with the colon inside or outside, the
citation may follow on the same paragraph after a ``<br>`` or in the next one;
so the footer is reduced to text lines first and read line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from kg.extract.dois import find_dois, normalize_doi, strip_trailing
from kg.extract.journals import full_title
from kg.extract.names import parse_reference_authors
from kg.extract.text import clean, html_to_lines
from kg.types import PaperRecord, PersonName

#: Footer labels, lower-cased, mapped to the field they fill.
LABELS: dict[str, str] = {
    "subject of research": "subject",
    "article title": "title",
    "article references": "citation",
    "article reference": "citation",
    "references": "citation",
    "image credits": "image_credit",
    "image credit": "image_credit",
    "doi": "doi",
    "keywords": "keywords",
    "journal": "journal",
}
_LABEL_ALT = "|".join(sorted((re.escape(k) for k in LABELS), key=len, reverse=True))
#: Where the footer starts in the HTML: the first bold known label.
_FOOTER_START = re.compile(rf"<(strong|b)\b[^>]*>\s*(?:{_LABEL_ALT})\s*:?\s*</\1>", re.IGNORECASE)
_FIELD_LINE = re.compile(rf"^(?P<label>{_LABEL_ALT})\s*:\s*(?P<value>.*)$", re.IGNORECASE)
_TAIL = re.compile(
    r"\s*(?P<journal>[^()\d][^()]*?)\.?\s*"
    r"(?:(?P<volume>\d+)\s*(?:\((?P<issue>[^)]{1,12})\))?\s*"
    r"(?:[,:]\s*(?P<locator>[A-Za-z]{0,2}\d[\w]*(?:\s*[-–]\s*[A-Za-z]{0,2}\d+)?))?)?\s*"
    r"\((?P<year>(?:1[89]|20)\d{2})\)"
)


@dataclass(frozen=True, slots=True)
class Footer:
    """The labelled fields of a story's footer (values as plain text)."""

    fields: dict[str, str]
    link_dois: tuple[str, ...] = ()


def read_footer(body_html: str | None) -> Footer | None:
    """Find and read the labelled footer of a story body, or None if it has none."""
    if not body_html:
        return None
    start = _FOOTER_START.search(body_html)
    if start is None:
        return None
    block_start = max(body_html.rfind("<p", 0, start.start()), 0)
    fields: dict[str, str] = {}
    current: str | None = None
    for line in html_to_lines(body_html[block_start:]):
        match = _FIELD_LINE.match(line)
        if match:
            current = LABELS[match.group("label").lower()]
            if current in fields:  # a repeated label starts a second footer; keep the first
                current = None
                continue
            fields[current] = match.group("value").strip()
        elif current is not None:
            fields[current] = f"{fields[current]} {line}".strip()
    if not fields:
        return None
    return Footer(fields=fields)


def paper_from_footer(footer: Footer) -> PaperRecord | None:
    """The paper the footer names, with what its fields and citation state."""
    f = footer.fields
    citation = clean(f.get("citation"))
    title = _strip_period(clean(f.get("title")))
    doi_text = f.get("doi") or ""
    doi = normalize_doi(doi_text) or next(iter(find_dois(doi_text)), None)
    cited = _read_citation(citation, title_hint=title) if citation else _NOT_CITED
    if doi is None:
        doi = cited.doi
    if not (doi or title or citation):
        return None
    doi_raw = None if doi else (clean(doi_text) or None)
    journal = clean(f.get("journal")) or cited.journal
    return PaperRecord(
        doi=doi,
        doi_raw=doi_raw,
        title=title or cited.title,
        authors=cited.authors,
        truncated=cited.truncated,
        journal=journal,
        journal_title=full_title(journal) if journal else None,
        volume=cited.volume,
        issue=cited.issue,
        article_number=cited.article_number,
        pages=cited.pages,
        year=cited.year,
        keywords=split_keywords(f.get("keywords")),
        citation=citation,
        subject=clean(f.get("subject")),
    )


def parse_citation(citation: str, *, title_hint: str | None = None) -> PaperRecord:
    """Read a Nature-style reference: ``Authors et al. Title. Journal Vol, Art (Year). DOI``.

    >>> p = parse_citation("Torino, G., Maggioni, E. et al. White matter. "
    ...                    "Transl Psychiatry 15, 411 (2025). https://doi.org/10.1038/s41398-025-03626-7")
    >>> p.journal, p.volume, p.article_number, p.year, p.doi, p.truncated
    ('Transl Psychiatry', '15', '411', 2025, '10.1038/s41398-025-03626-7', True)
    """
    c = _read_citation(citation, title_hint=title_hint)
    return PaperRecord(
        doi=c.doi,
        title=c.title,
        authors=c.authors,
        truncated=c.truncated,
        journal=c.journal,
        volume=c.volume,
        issue=c.issue,
        article_number=c.article_number,
        pages=c.pages,
        year=c.year,
        citation=citation,
    )


class _Cited(NamedTuple):
    """What a citation states.  A tuple, not a :class:`PaperRecord`: building a
    frozen 24-field record costs more than reading the citation's DOI, and
    :func:`paper_from_footer` builds its own record anyway."""

    doi: str | None = None
    title: str | None = None
    authors: tuple[PersonName, ...] = ()
    truncated: bool = False
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    article_number: str | None = None
    pages: tuple[str, str | None] | None = None
    year: int | None = None


_NOT_CITED = _Cited()


def _read_citation(citation: str, *, title_hint: str | None) -> _Cited:
    authors, truncated, end = parse_reference_authors(citation)
    rest = citation[end:].strip(" .,")
    title: str | None = None
    tail_text = rest
    if title_hint:
        at = rest.casefold().find(title_hint.casefold())
        if at >= 0:
            title = rest[at : at + len(title_hint)]
            tail_text = rest[at + len(title_hint) :].lstrip(" .")
    tail = None
    if title is None:
        for split in re.finditer(r"[.?!]\s+", rest):
            tail = _TAIL.match(rest, split.end())
            if tail:
                title = rest[: split.start() + (0 if rest[split.start()] == "." else 1)]
                break
    else:
        tail = _TAIL.match(tail_text)
    dois = find_dois(citation)
    volume = issue = article = None
    pages: tuple[str, str | None] | None = None
    journal = year = None
    if tail:
        journal = clean(tail.group("journal").strip(" .,"))
        volume, issue = tail.group("volume"), tail.group("issue")
        year = int(tail.group("year"))
        locator = tail.group("locator")
        if locator:
            bounds = re.split(r"\s*[-–]\s*", locator)
            if len(bounds) == 2:
                pages = (bounds[0], bounds[1])
            else:
                article = locator
    return _Cited(
        doi=dois[0] if dois else None,
        title=_strip_period(clean(title)),
        authors=authors,
        truncated=truncated,
        journal=journal,
        volume=volume,
        issue=issue,
        article_number=article,
        pages=pages,
        year=year,
    )


_KEYWORD_MARK = re.compile(r"[,;()\[\]]")


def split_keywords(text: str | None) -> tuple[str, ...]:
    """Keywords separated by commas or semicolons; commas inside brackets kept."""
    if not text:
        return ()
    parts: list[str] = []
    depth = 0
    start = 0
    # Only separators and brackets decide: visiting them alone, not every character.
    for mark in _KEYWORD_MARK.finditer(text):
        char = mark.group()
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(text[start : mark.start()])
            start = mark.end()
    parts.append(text[start:])
    seen: dict[str, str] = {}
    for part in parts:
        keyword = clean(strip_trailing(part.strip()))
        if keyword and keyword.casefold() not in seen:
            seen[keyword.casefold()] = keyword
    return tuple(seen.values())


def _strip_period(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.rstrip()
    while text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text or None
