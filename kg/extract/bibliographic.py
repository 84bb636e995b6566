"""Items that *are* papers: journal, preprint and bibliographic-database feeds.

A journal's table-of-contents feed, a preprint server's feed or a PubMed
search describes one paper per item.  Publishers say so in PRISM
(https://www.w3.org/submissions/2020/SUBM-prism-20200910/) and Dublin Core
elements, or only in the description's text (ScienceDirect's "Author(s): …",
Pensoft's "DOI: …" lines, CNKI's author list, PubMed's citation line).  An item
is a paper only on evidence *in the item*: a blog post that links a DOI is not
one (that DOI is a citation, read elsewhere), and neither is a registry record
that names a paper (ZooBank, WoRMS: the item is the registration).

Which DOI is the item's own: prism:doi, then dc:identifier (``doi:…``,
``info:doi/…``, bare), then arxiv:doi, then a DOI URL or DOI-carrying path in
the link, guid or rdf:about, and only then a DOI the description labels
"DOI:".  An arXiv preprint without one gets arXiv's DataCite DOI.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, unquote, urlsplit

from kg.extract.dois import normalize_doi
from kg.extract.footer import split_keywords
from kg.extract.journals import full_title
from kg.extract.names import parse_author_list
from kg.extract.text import clean, html_to_lines, inline_text
from kg.types import PaperRecord, PersonName, RawEntry, RawFeed

_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|oai:arxiv\.org:|^arxiv:\s*)"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_PMID_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d+)")
_PMID_ID = re.compile(r"^\s*(?:pmid|pubmed|info:pmid/)\s*[:/]?\s*(\d+)\s*$", re.IGNORECASE)
_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
_PATH_DOI = re.compile(r"(?:^|/)(10\.\d{4,9}/.+)$")
_PATH_TAIL = re.compile(r"/(?:full|abstract|abs|pdf|epdf|html|fulltext|meta|references)/?$")
_OJS_ARTICLE = re.compile(r"/article/view/\d+")
_ISSN = re.compile(r"^(\d{7}[\dX])$")
_BIBLIO_KEYS = frozenset(
    "prism:volume prism:startingpage prism:publicationname prism:publicationtitle "
    "prism:pagerange prism:number prism:issn prism:eissn".split()
)
#: Metadata that makes an item worth reading closely (dc:creator and dc:date alone,
#: which every WordPress feed writes, do not).
_BIBLIO_PREFIXES = ("prism:", "arxiv:", "dc:identifier", "dc:source", "foaf:", "dc:doi")
#: Words that start the description of a paper in the formats read below.
_TEXT_MARKERS = ("author", "publication date", "doi", "volume", "), p.", ")</a>, p.")
_PUBMED_HINT = re.compile(r"\.\s(?:1[89]|20)\d\d[\s;:.]")


@dataclass
class _Found:
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
    arxiv_id = _arxiv_id(urls, meta)
    pmid = _pmid(urls, meta)
    own_doi = _meta_doi(meta) or _url_doi(urls, meta)
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
    ref = _journal_ref(_first(meta, "arxiv:journal_ref"))
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
        citation=clean(_first(meta, "arxiv:journal_ref")) or found.citation,
        issns=_issns(meta, channel),
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


# --- identifiers ---------------------------------------------------------------------


def _meta_doi(meta: dict[str, tuple[str, ...]]) -> str | None:
    """The DOI the metadata states, in the order of trust the module docstring gives."""
    for value in meta.get("prism:doi", ()):
        if doi := normalize_doi(value):
            return doi
    for key in ("dc:identifier", "dc:doi"):
        for value in meta.get(key, ()):
            if (value.lower().startswith(("doi", "info:doi", "10.", "http"))) and (
                doi := normalize_doi(value)
            ):
                return doi
    for value in meta.get("arxiv:doi", ()):
        if doi := normalize_doi(value.split()[0]):
            return doi
    return None


def _url_doi(urls: list[str], meta: dict[str, tuple[str, ...]]) -> str | None:
    """A DOI that a link, guid or rdf:about is (``https://doi.org/…``, a bare DOI)
    or carries in its path (``/doi/abs/10.…``, ``/content/journal/ijsem/10.…``)."""
    for url in (*urls, *meta.get("prism:url", ())):
        text = url.strip()
        if text.lower().startswith(("10.", "doi:", "info:doi")):
            if doi := normalize_doi(text):
                return doi
            continue
        if "10." not in text:
            continue
        try:
            parts = urlsplit(text)
            host = parts.hostname
        except ValueError:  # "http://[::1" and other broken links
            continue
        if parts.scheme not in ("http", "https"):
            continue
        path = unquote(parts.path)
        if host in _DOI_HOSTS and (doi := normalize_doi(path.lstrip("/"))):
            return doi
        match = _PATH_DOI.search(_PATH_TAIL.sub("", path))
        if match and (doi := normalize_doi(match.group(1))):
            return doi
        for name, value in parse_qsl(parts.query):
            if name.lower() in ("doi", "id") and (doi := normalize_doi(value)):
                return doi
    return None


def _arxiv_id(urls: list[str], meta: dict[str, tuple[str, ...]]) -> str | None:
    for text in (*urls, *meta.get("dc:identifier", ())):
        match = _ARXIV.search(text)
        if match:
            return match.group("id")
    return None


def _pmid(urls: list[str], meta: dict[str, tuple[str, ...]]) -> str | None:
    for text in (*meta.get("dc:identifier", ()), *urls):
        match = _PMID_ID.match(text) or _PMID_URL.search(text)
        if match:
            return match.group(1)
    return None


def _issns(
    meta: dict[str, tuple[str, ...]], channel: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """Print and electronic ISSNs of item and channel, valid ones only, each once."""
    found: list[str] = []
    for source in (meta, channel):
        for key in ("prism:issn", "prism:eissn", "prism:ispartof"):
            for value in source.get(key, ()):
                issn = normalize_issn(value)
                if issn and issn not in found:
                    found.append(issn)
    return tuple(found)


def normalize_issn(text: str) -> str | None:
    """ "1234-567X" when ``text`` is an ISSN whose check digit holds, else None.

    >>> normalize_issn("0008347X"), normalize_issn("urn:issn:0363-6445")
    ('0008-347X', '0363-6445')
    >>> normalize_issn("0000-0000") is None, normalize_issn("0008-3470") is None
    (True, True)
    """
    bare = re.sub(r"[\s\-]", "", re.sub(r"^urn:issn:", "", text.strip(), flags=re.I)).upper()
    if not _ISSN.match(bare) or bare == "00000000":
        return None
    total = sum(int(d) * (8 - i) for i, d in enumerate(bare[:7]))
    check = (11 - total % 11) % 11
    return f"{bare[:4]}-{bare[4:]}" if bare[7] == ("X" if check == 10 else str(check)) else None


# --- description text ----------------------------------------------------------------

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


def _read_text(entry: RawEntry, deep: bool) -> _Found:
    """Read the description only when it can tell something: when the item already
    looks bibliographic, or its first characters carry a known marker."""
    found = _Found()
    summary = entry.summary_html or ""
    content = entry.content_html or ""
    head = summary[:3000]
    if not deep and not _worth_reading(head, content):
        return found
    cnki = _CNKI.match(head)
    if cnki and _caps_names(cnki.group("names")):
        found.paper, found.authors = True, cnki.group("names")
    lines = html_to_lines(head)[:8]
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
            if before and ("," in before or ";" in before) and before != inline_text(entry.title):
                found.authors = found.authors or before
            break
    _pubmed(html_to_lines(content[:1500])[:2] if content else lines[:2], found)
    return found


def _worth_reading(head: str, content: str) -> bool:
    """Substring tests first: this runs on every item of every feed."""
    lowered = head[:1500].lower()
    if any(marker in lowered for marker in _TEXT_MARKERS):
        return True
    if ";" in head[:300] and _CNKI.match(head):
        return True
    return bool(content) and bool(_PUBMED_HINT.search(content[:400]))


def _issue_line(line: str, found: _Found) -> bool:
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


def _pubmed(lines: list[str], found: _Found) -> None:
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
    found: _Found,
    ref: _Ref,
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
    entry: RawEntry, meta: dict[str, tuple[str, ...]], found: _Found
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
    found: _Found,
    entry: RawEntry,
    ref: _Ref,
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


# --- arXiv journal references --------------------------------------------------------


@dataclass(frozen=True)
class _Ref:
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


def _journal_ref(raw: str | None) -> _Ref:
    """arxiv:journal_ref: "Phys.Lett.B573:94-100,2003", "Softw. Test. Verif. Reliab.,
    35(2):e1914, 2025", "IEEE Trans. X ( Volume: 65 , Issue: 4 , April 2019 )".
    Conference venues with no volume are kept only as the citation text."""
    text = clean(raw)
    if not text:
        return _Ref()
    if match := _REF_COMPACT.match(text):
        start, end = match.group("start"), match.group("end")
        return _Ref(
            journal=match.group("journal").strip(" ,"),
            volume=match.group("volume"),
            issue=match.group("issue"),
            pages=(start, end) if end else None,
            article_number=None if end else start,
            year=int(match.group("year")),
        )
    if match := _REF_LABELLED.match(text):
        year = match.group("year")
        return _Ref(
            journal=match.group("journal").strip(" ,("),
            volume=match.group("volume"),
            issue=match.group("issue"),
            year=int(year) if year else None,
        )
    return _Ref()
