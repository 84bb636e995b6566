"""Items that *are* papers: journal, preprint and bibliographic-database feeds.

A journal's table-of-contents feed, a preprint server's feed or a PubMed
search describes one paper per item.  Publishers say so in PRISM
(https://www.w3.org/submissions/2020/SUBM-prism-20200910/) and Dublin Core
elements, or only in the description's text (ScienceDirect's "Author(s): …",
Pensoft's "DOI: …" lines, CNKI's author list, PubMed's citation line; read by
:mod:`kg.extract.descriptions`).  An item is a paper only on evidence *in the
item*: a blog post that links a DOI is not one (that DOI is a citation, read
elsewhere), and neither is a registry record that names a paper (ZooBank,
WoRMS: the item is the registration).

Which DOI is the item's own: prism:doi, then dc:identifier (``doi:…``,
``info:doi/…``, bare), then arxiv:doi, then a DOI URL or DOI-carrying path in
the link, guid or rdf:about (:mod:`kg.extract.identifiers`), and only then a
DOI the description labels "DOI:".  An arXiv preprint without one gets arXiv's
DataCite DOI.  The other facts, too, come from the metadata when it states
them, and from the description or arXiv's journal_ref only when it does not.
"""

from __future__ import annotations

import email.utils
import re
from datetime import date

from kg.extract.descriptions import (
    Description,
    JournalRef,
    read_description,
    read_journal_ref,
    worth_reading,
)
from kg.extract.footer import split_keywords
from kg.extract.identifiers import (
    arxiv_id_of,
    issns_of,
    link_doi,
    metadata_doi,
    normalize_issn,
    pmid_of,
)
from kg.extract.journals import full_title
from kg.extract.names import parse_author_list
from kg.extract.text import clean, html_to_lines, inline_text
from kg.types import PaperRecord, PersonName, RawEntry, RawFeed

__all__ = ["article_from_entry", "normalize_issn", "to_date"]

_OJS_ARTICLE = re.compile(r"/article/view/\d+")
_BIBLIO_KEYS = frozenset(
    "prism:volume prism:startingpage prism:publicationname prism:publicationtitle "
    "prism:pagerange prism:number prism:issn prism:eissn".split()
)
#: Metadata that makes an item worth reading closely (dc:creator and dc:date alone,
#: which every WordPress feed writes, do not).
_BIBLIO_PREFIXES = ("prism:", "arxiv:", "dc:identifier", "dc:source", "foaf:", "dc:doi")


def article_from_entry(entry: RawEntry, feed: RawFeed) -> PaperRecord | None:
    """The paper a journal, preprint or PubMed item is; None when it is not one.

    >>> e = RawEntry(title="A", meta=(("prism:doi", "10.1000/x1"), ("prism:volume", "3")))
    >>> p = article_from_entry(e, RawFeed(source="", version="rss10"))
    >>> p.doi, p.volume, p.origin
    ('10.1000/x1', '3', 'item')
    >>> article_from_entry(RawEntry(title="News"), RawFeed(source="", version="rss20")) is None
    True
    """
    meta = _lower_keys(entry.meta)
    channel = _lower_keys(feed.meta)
    urls = [u for u in (entry.link, entry.guid, *meta.get("rdf:about", ())) if u]
    arxiv_id = arxiv_id_of(urls, meta)
    pmid = pmid_of(urls, meta)
    own_doi = metadata_doi(meta) or link_doi(urls, meta)
    deep = own_doi is not None or any(k.startswith(_BIBLIO_PREFIXES) for k in meta)
    found = _read_text(entry, deep)
    evidence = (
        own_doi
        or arxiv_id
        or pmid
        or found.paper
        or any(k in meta for k in _BIBLIO_KEYS)
        or (entry.creators and any(_OJS_ARTICLE.search(u) for u in urls))
    )
    if not evidence:
        return None
    doi = own_doi or found.doi or (f"10.48550/arXiv.{arxiv_id}" if arxiv_id else None)
    title = _title(entry, meta)
    ref = read_journal_ref(_first(meta, "arxiv:journal_ref", "arxiv:journal_reference"))
    journal = _journal(meta, channel, title, found, ref, feed.title)
    published, year = _when(meta, found, entry, ref, channel)
    authors, truncated = _authors(entry, meta, found)
    pages = _pages(meta) or found.pages or ref.pages
    return PaperRecord(
        doi=doi,
        doi_raw=None if doi else clean(_first(meta, "prism:doi")),
        title=title,
        authors=authors,
        truncated=truncated,
        journal=journal,
        journal_title=_full_title(journal, found.journal),
        volume=clean(_first(meta, "prism:volume")) or found.volume or ref.volume,
        issue=clean(_first(meta, "prism:number", "prism:issueidentifier"))
        or found.issue
        or ref.issue,
        article_number=clean(_first(meta, "prism:articlenumber"))
        or found.article_number
        or ref.article_number,
        pages=pages,
        year=year,
        published=published,
        keywords=_keywords(meta),
        citation=clean(_first(meta, "arxiv:journal_ref", "arxiv:journal_reference"))
        or found.citation,
        issns=issns_of(meta, channel),
        pmid=pmid,
        arxiv_id=arxiv_id,
        origin="item",
    )


def _lower_keys(meta: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, ...]]:
    """Metadata by lower-cased name: feeds spell "prism:eIssn" and "prism:eissn"."""
    out: dict[str, list[str]] = {}
    for key, value in meta:
        if value and value.strip():
            out.setdefault(key.lower(), []).append(value.strip())
    return {k: tuple(v) for k, v in out.items()}


def _first(meta: dict[str, tuple[str, ...]], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return None


def _read_text(entry: RawEntry, deep: bool) -> Description:
    """Read the description only when it can tell something: when the item already
    looks bibliographic, or its first characters carry a known marker."""
    head = (entry.summary_html or "")[:3000]
    content = entry.content_html or ""
    if not deep and not worth_reading(head, content):
        return Description()
    lines = html_to_lines(head)[:8]
    citation_lines = html_to_lines(content[:1500])[:2] if content else lines[:2]
    return read_description(head, lines=lines, citation_lines=citation_lines, title=entry.title)


# --- fields --------------------------------------------------------------------------


def _title(entry: RawEntry, meta: dict[str, tuple[str, ...]]) -> str | None:
    """dc:title when given (MDPI prefixes the RSS title with "Fluids, Vol. 9, Pages
    120: "), else the item title; markup and a stray byte-order mark removed."""
    raw = _first(meta, "dc:title") or entry.title
    return inline_text(raw.replace("\ufeff", "")) if raw else None


def _same_text(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", inline_text(s) or "").split()).casefold()

    return key(a) == key(b)


def _journal(
    meta: dict[str, tuple[str, ...]],
    channel: dict[str, tuple[str, ...]],
    title: str | None,
    found: Description,
    ref: JournalRef,
    feed_title: str | None,
) -> str | None:
    """The journal's name.  Taylor & Francis and Atypon put the *article* title in
    prism:publicationName; a name equal to the title is skipped for dc:source."""
    for key in ("prism:publicationname", "prism:publicationtitle", "dc:source"):
        for value in meta.get(key, ()):
            if not (title and _same_text(value, title)):
                return clean(value)
    if named := _first(channel, "prism:publicationname", "prism:publicationtitle"):
        return clean(named)
    return found.journal or ref.journal or _journal_from_feed_title(feed_title)


_FEED_DECORATION = re.compile(
    r"^(?:ScienceDirect Publication:\s*|Latest (?:Issue|Articles) (?:of|from)\s+|"
    r"\w+:\s+(?=.*Table of Contents$))|"
    r"(?:\s*[:\-–]\s*(?:Most Recent Articles|Table of Contents|Latest Articles|Advance Access|"
    r"Current Issue|CNKI)|\s+(?:Current Issue|Advance Access|RSS Feed))$",
    re.IGNORECASE,
)


def _journal_from_feed_title(feed_title: str | None) -> str | None:
    """A journal feed's title names the journal, decorated ("… Current Issue");
    trusted only when decoration was removed or the journal lists know the name."""
    text = inline_text(feed_title)
    if not text:
        return None
    bare = _FEED_DECORATION.sub("", _FEED_DECORATION.sub("", text)).strip(" :-")
    if bare and (bare != text or full_title(bare)):
        return bare
    return None


def _full_title(journal: str | None, other: str | None) -> str | None:
    for name in (journal, other):
        if name and (title := full_title(name)):
            return title
    return None


def _authors(
    entry: RawEntry, meta: dict[str, tuple[str, ...]], found: Description
) -> tuple[tuple[PersonName, ...], bool]:
    """One creator per author, or one holding the list; else FOAF makers; else the
    description's author line."""
    creators = [c for c in entry.creators if c.strip()] or list(meta.get("foaf:maker", ()))
    if len(creators) == 1:
        return parse_author_list(creators[0])
    if creators:
        return parse_author_list("; ".join(c.replace(";", ",") for c in creators))
    if found.authors:
        return parse_author_list(found.authors)
    return (), False


def _pages(meta: dict[str, tuple[str, ...]]) -> tuple[str, str | None] | None:
    start = clean(_first(meta, "prism:startingpage"))
    end = clean(_first(meta, "prism:endingpage"))
    if start:
        return (start, None if end == start else end)
    page_range = clean(_first(meta, "prism:pagerange"))
    if page_range:
        first = page_range.split(",")[0]
        bounds = [p.strip() for p in re.split(r"\s*[-–]\s*", first, maxsplit=1)]
        return (bounds[0], bounds[1] if len(bounds) > 1 else None)
    return None


def _keywords(meta: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """prism:keyword and dc:subject; a subject that only repeats the section
    ("Editorials" in section "editorial") is the article type, not a keyword."""
    sections = [s.casefold() for s in meta.get("prism:section", ())]
    words: list[str] = []
    for value in (*meta.get("prism:keyword", ()), *meta.get("dc:subject", ())):
        for word in split_keywords(value):
            folded = word.casefold()
            if word not in words and not any(folded.startswith(s) for s in sections):
                words.append(word)
    return tuple(words)


# --- dates ---------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH_FIRST = re.compile(r"^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b")
_DAY_FIRST = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b")
_YEAR_FIRST = re.compile(r"^(\d{4})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2})\b")
_YEAR = re.compile(r"\b(1[5-9]\d{2}|20\d{2})\b")


def to_date(text: str | None) -> date | None:
    """The calendar day a bibliographic date names, as written (no time-zone shift).

    >>> to_date("2016-01-07-08:00"), to_date("May 21 2021 12:00:00:000AM")
    (datetime.date(2016, 1, 7), datetime.date(2021, 5, 21))
    >>> to_date("Wed, 01 Apr 2015 07:00:00 GMT"), to_date("2021 Dec 17"), to_date("May 2021")
    (datetime.date(2015, 4, 1), datetime.date(2021, 12, 17), None)
    """
    if not text:
        return None
    text = " ".join(text.split())
    try:
        if match := _ISO_DAY.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if text[:3].isalpha() and "," in text[:5]:
            return email.utils.parsedate_to_datetime(text).date()
        if match := _MONTH_FIRST.match(text):
            return _dmy(match[2], match[1], match[3])
        if match := _DAY_FIRST.match(text):
            return _dmy(match[1], match[2], match[3])
        if match := _YEAR_FIRST.match(text):
            return _dmy(match[3], match[2], match[1])
    except (TypeError, ValueError, IndexError):
        return None
    return None


def _dmy(day: str, month: str, year: str) -> date | None:
    number = _MONTHS.get(month[:3].lower())
    return date(int(year), number, int(day)) if number else None


def _when(
    meta: dict[str, tuple[str, ...]],
    found: Description,
    entry: RawEntry,
    ref: JournalRef,
    channel: dict[str, tuple[str, ...]],
) -> tuple[date | None, int | None]:
    """The cover date, else the publication date, else what the text says, else the
    issue date the channel gives (Ingenta), else the item's own date."""
    texts = [
        *meta.get("prism:coverdate", ()),
        *meta.get("prism:publicationdate", ()),
        *meta.get("dc:date", ()),
        *meta.get("prism:coverdisplaydate", ()),
        *found.dates,
        *channel.get("prism:coverdate", ()),
        *channel.get("prism:coverdisplaydate", ()),
    ]
    for text in texts:
        if day := to_date(text):
            return day, day.year
    for text in texts:
        if year := _YEAR.search(text):
            return None, int(year.group(1))
    day = to_date(entry.published) or to_date(entry.updated)
    if ref.year and (day is None or day.year != ref.year):
        return None, ref.year  # the published version's year, not the preprint's
    return day, day.year if day else None
