"""Papers named inside science-news stories: the reference blocks news sites print, and DOIs.

Each family of sites states the paper behind a story in its own way:

* EurekAlert! releases (and the sites that republish them): field blocks,
  ``Journal`` / ``DOI`` / ``Article Title`` / ``Article Publication Date`` /
  ``Subject of Research`` / ``Method of Research``, as heading and value or as
  ``Label: value`` lines;
* Neuroscience News: ``Original Research: Open access. “Title” by A. Author et al. Journal``;
* phys.org, Medical Xpress, Tech Xplore: ``More information: Given Family et al, Title,
  Journal (2025). DOI: 10...``;
* ScienceDaily: ``Journal Reference: 1. Given Family, Given Family. Title. Journal, 2025;
  15 (1): 411 DOI: 10...``;

and any DOI anywhere in a body (text, link, a publisher URL with a DOI path)
names a paper too, even when nothing else is known about it.

The body is cut into block-level lines that remember where they start, so the
papers come out in the order the story names them.  DOIs are read from the HTML
itself, where a tag or a quote ends them, never from tag-stripped text, where
the next word would be glued on.
"""

from __future__ import annotations

import html as _html
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import unquote

from kg.extract.dois import normalize_doi
from kg.extract.journals import full_title
from kg.extract.merge import merge_group
from kg.extract.names import parse_author_list, parse_reference_authors
from kg.extract.text import clean, inline_text
from kg.types import PaperRecord, PersonName

# --- the body as lines -------------------------------------------------------

_BREAK = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|ol|ul|dl|dt|dd|h[1-6]|tr|td|th|table|section|article|aside|"
    r"header|footer|figure|figcaption|blockquote|pre|hr|main)\b"
    r"[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>",
    re.IGNORECASE,
)
_HIDDEN = re.compile(r"<!--|<\s*(script|style|template|noscript)\b", re.IGNORECASE)
#: An italic (journal) or bold (title) phrase; bounded, so that unclosed tags
#: cannot make the search quadratic.
_EMPHASIS = re.compile(
    r"<(i|em|cite|strong|b)\b[^>]{0,300}>(.{0,600}?)</\1\s*>", re.IGNORECASE | re.DOTALL
)
#: Words that only a body with a labelled reference contains (DOIs bring "10.").
_HINTS = (
    "journal",
    "original research",
    "more information",
    "article title",
    "subject of research",
    "method of research",
    "article publication date",
)


def _visible(body: str, lowered: str) -> str:
    """The body without comments, scripts and styles (their DOIs are not the story's)."""
    parts: list[str] = []
    pos = 0
    unclosed: set[str] = set()  # a closing tag absent once is absent further on too
    while (match := _HIDDEN.search(body, pos)) is not None:
        name = (match.group(1) or "").lower()
        if not name:
            end = lowered.find("-->", match.end())
            end = len(body) if end < 0 else end + 3
        elif name in unclosed or (close := lowered.find(f"</{name}", match.end())) < 0:
            unclosed.add(name)
            parts.append(body[pos : match.end()])
            pos = match.end()
            continue
        else:
            end = lowered.find(">", close)
            end = len(body) if end < 0 else end + 1
        parts.append(body[pos : match.start()])
        parts.append(" ")
        pos = end
    parts.append(body[pos:])
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Line:
    """A block of the body: where it starts and ends in the body, its text, its HTML."""

    start: int
    end: int
    text: str
    raw: str


def _lines(body: str) -> list[_Line]:
    cuts = [(m.start(), m.end()) for m in _BREAK.finditer(body)]
    if not cuts:  # plain text (or inline-only HTML): its newlines are the lines
        cuts = [(m.start(), m.end()) for m in re.finditer(r"\n", body)]
    lines: list[_Line] = []
    pos = 0
    for cut_start, cut_end in [*cuts, (len(body), len(body))]:
        raw = body[pos:cut_start]
        text = inline_text(raw)
        if text:
            lines.append(_Line(pos, cut_start, text, raw))
        pos = cut_end
    return lines


# --- DOIs in the HTML -------------------------------------------------------

#: A DOI; a literal start lets the regex engine skip ahead fast (the character
#: before is checked apart, see _starts_token).
_DOI_AT = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*(?:/|%2[Ff])[^\s\"'<>]+")
_TOKEN_START = re.compile(r"[\s\"'<>(\[]")
_URL_END = re.compile(r"[?#&]")
_MATRIX = re.compile(r";\w+=.*$")  # ";jsessionid=..." is no part of a DOI; ";2-X" (SICI) is
_SUPPL = re.compile(r"/suppl_file/.*$", re.IGNORECASE)
#: What publisher URLs append after the DOI path: the view of the article.
_VIEW_TAIL = re.compile(
    r"(?:/(?:abstract|abs|full|fulltext|full-text|pdf|epdf|pdfdirect|ampdf|html|meta|summary|"
    r"references|figures|tables|citedby|suppinfo|suppl|supplemental|supplementary|metrics|epub|"
    r"xml|reader|download|info)|\.pdf)$",
    re.IGNORECASE,
)
#: bioRxiv/medRxiv URLs add a version and a view to the DOI ("...123456v2.full").
_PREPRINT = re.compile(
    r"^(10\.1101/(?:\d{4}\.\d{2}\.\d{2}\.)?\d{6,})(?:v\d+)?"
    r"(?:\.(?:full|abstract|short|full-text|supplementary-material|article-info|article-metrics)"
    r"\b.*)?$"
)
_PRINTABLE = re.compile(r"[!#-&(-~]+")  # printable ASCII but quotes


def _scan_dois(body: str) -> list[tuple[int, str]]:
    """Every DOI the HTML names, with where: in text, link text, href or a publisher URL."""
    found: list[tuple[int, str]] = []
    for match in _DOI_AT.finditer(body):
        if not _starts_token(body, match.start()):
            continue
        window = body[max(0, match.start() - 300) : match.start()]
        delimiter = _TOKEN_START.search(window[::-1])
        prefix = window[len(window) - delimiter.start() :] if delimiter else window
        if "/" in prefix or "=" in prefix or prefix.lower().startswith("www."):
            doi = _doi_in_url(match.group(0), resolver=_is_resolver(prefix))
        else:
            doi = _doi_in_text(match.group(0))
        if doi:
            found.append((match.start(), doi))
    return found


def _starts_token(body: str, at: int) -> bool:
    """No DOI starts inside a longer token ("v2.10.1234/"), except after an encoded slash."""
    if at == 0:
        return True
    before = body[at - 1]
    return not (before.isalnum() or before in "._-") or body[max(0, at - 3) : at].upper() == "%2F"


def doi_from_url(url: str) -> str | None:
    """The DOI a link carries: a resolver link, or a publisher's link with a DOI path.

    The query, the fragment and the view a publisher appends after the DOI
    path go; a resolver link (doi.org) holds nothing but the DOI, so its path
    is kept whole.

    >>> doi_from_url("http://www.tandfonline.com/doi/abs/10.1080/02640414.2017.1397282?journalCode=rjsp20")
    '10.1080/02640414.2017.1397282'
    >>> doi_from_url("https://www.degruyter.com/document/doi/10.1515/jci-2020-0008/html?lang=en")
    '10.1515/jci-2020-0008'
    >>> doi_from_url("https://doi.org/10.1093/mind/LIX.236.433")
    '10.1093/mind/LIX.236.433'
    >>> doi_from_url("https://www.biorxiv.org/content/10.1101/2023.12.16.571984v2.full.pdf")
    '10.1101/2023.12.16.571984'
    >>> doi_from_url("https://example.org/v2.10.1234/readme") is None
    True
    """
    for match in _DOI_AT.finditer(url):
        if _starts_token(url, match.start()):
            return _doi_in_url(match.group(0), resolver=_is_resolver(url[: match.start()]))
    return None


def _is_resolver(prefix: str) -> bool:
    return prefix.lower().endswith(("doi.org/", "doi.org%2f", "hdl.handle.net/"))


def _doi_in_url(tail: str, *, resolver: bool) -> str | None:
    """The DOI at the start of ``tail``, the part of a URL from its ``10.`` on."""
    text = unquote(_URL_END.split(tail, 1)[0])
    text = _MATRIX.sub("", text)
    if not resolver:
        text = _SUPPL.sub("", text)
        previous = None
        while previous != text:
            previous = text
            text = _VIEW_TAIL.sub("", text.rstrip("/"))
        text = _PREPRINT.sub(r"\1", text)
    return normalize_doi(text.rstrip("/"))


def _doi_in_text(token: str) -> str | None:
    """A DOI written as text: it ends at the first space, quote or non-ASCII character."""
    text = _html.unescape(token) if "&" in token else token
    printable = _PRINTABLE.match(text)
    return normalize_doi(printable.group(0)) if printable else None


# --- names, dates, locators -------------------------------------------------

_ET_AL = re.compile(r"\s*,?\s*\bet\.?\s+al\b\.?\s*$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*;\s*|\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s*&\s*")
_PARTICLES = frozenset(
    "van von der den de del della da di du le la dos das ter ten zu bin al el".split()
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
#: A news reference names a few authors; a longer "list" is not one (and would be slow).
_MAX_AUTHORS_TEXT = 2000
_INITIAL = re.compile(r"^(?:[^\W\d_]{1,2}\.)+(?:-[^\W\d_]\.?)?$|^[^\W\d_]$")


def _reads_as_name(text: str) -> bool:
    """ "Given Family", "G. Family", "Given M. van der Family": not a title in title case."""
    tokens = text.strip(" .,;").split()
    if not 2 <= len(tokens) <= 6 or any(c.isdigit() for c in text):
        return False
    if tokens[-1].lower() in _SUFFIXES and len(tokens) > 2:
        tokens.pop()
    at = next((i for i in range(1, len(tokens) - 1) if tokens[i].lower() in _PARTICLES), -1)
    given, family = tokens[:at], tokens[at:]
    return (
        all(t[0].isupper() for t in given)
        and family[-1][0].isupper()
        and all(t[0].isupper() or t.lower() in _PARTICLES for t in family)
        and not _INITIAL.match(family[-1])
    )


def _authors(text: str) -> tuple[tuple[PersonName, ...], bool] | None:
    """A free-text author list and whether it ends in "et al.", or None if it is not one."""
    if len(text) > _MAX_AUTHORS_TEXT:
        return None
    text = " ".join(text.split()).strip(" ,;")
    truncated = False
    cut = _ET_AL.search(text)
    if cut:
        truncated, text = True, text[: cut.start()].strip(" ,;")
    if not text:
        return None
    inverted, etal, end = parse_reference_authors(text)
    if inverted and not text[end:].strip(" ,.;&"):
        return inverted, truncated or etal
    parts = [p for p in _NAME_SPLIT.split(text) if p]
    family_given = len(parts) == 2 and "," in text and all(" " not in p for p in parts)
    if not parts or not (family_given or all(_reads_as_name(p) for p in parts)):
        return None
    names, etal = parse_author_list(text)
    return (names, truncated or etal) if names else None


def _is_initial(word: str) -> bool:
    """ "K", "J.-P", "Ch": what stands before a full stop inside a name, not after one."""
    letters = word.replace(".", "").replace("-", "")
    return letters.isalpha() and (
        (letters.isupper() and len(letters) <= 3) or (len(letters) == 2 and letters[1] == "h")
    )


def _author_list_end(text: str) -> int:
    """Where an author list ending in a full stop ("Rui Qian, Yu J. Ji. Title") ends; 0 if none."""
    etal = re.search(r"\bet\.?\s+al\b\.?", text[:400], re.IGNORECASE)
    for stop in re.finditer(r"\.\s+", text[:400]):
        if etal and etal.start() < stop.start():
            break
        words = text[: stop.start()].split()
        if words and not _is_initial(words[-1]):
            return stop.end()
    return etal.end() if etal else 0


_MONTHS = {
    m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())
}
_DATE_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[-\s/.]+([A-Za-z]{3,9})\.?[-\s/.,]+(\d{4})")
_DATE_MDY = re.compile(r"([A-Za-z]{3,9})\.?[-\s]+(\d{1,2})(?:st|nd|rd|th)?,?[-\s]+(\d{4})")
_DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _date(text: str | None) -> date | None:
    """ "9-Jan-2025", "January 9, 2025", "9 January 2025" or "2025-01-09"."""
    if not text:
        return None
    text = text.strip(" .")
    try:
        if m := _DATE_ISO.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _DATE_DMY.fullmatch(text)) and m[2][:3].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))
        if (m := _DATE_MDY.fullmatch(text)) and m[1][:3].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2]))
    except ValueError:
        return None
    return None


#: What follows a journal name: volume, (issue), and an article number or pages.
_LOCATOR = (
    r"(?:\s*(?P<volume>\d+[A-Za-z]?)(?:\s*\((?P<issue>[^()]{1,12})\))?"
    r"(?:\s*[,:]\s*(?P<loc>[A-Za-z]{0,2}\d[\w.]*(?:\s*[-–]\s*[A-Za-z]{0,2}\d+)?))?)?"
)
_AFTER_JOURNAL = re.compile(rf"\s*[,.]?{_LOCATOR}\s*[,.]?\s*")
_JOURNAL_AND_LOCATOR = re.compile(rf"\s*(?P<journal>[^\W\d_][^,]*?){_LOCATOR}\s*[,.]?\s*")


def _locator(match: re.Match[str] | None) -> dict[str, object]:
    """Volume, issue, and an article number (one value) or pages (a range)."""
    if match is None:
        return {}
    facts: dict[str, object] = {"volume": match["volume"], "issue": match["issue"]}
    loc = match["loc"]
    if loc:
        bounds = re.split(r"\s*[-–]\s*", loc)
        if len(bounds) == 2:
            facts["pages"] = (bounds[0], bounds[1])
        else:
            facts["article_number"] = loc
    return facts


def _title(text: str | None) -> str | None:
    text = clean(text)
    if not text:
        return None
    text = text.strip(' ,;“”"')
    while text.endswith(".") and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text or None


def _emphasis(raw: str, text: str) -> tuple[list[str], list[str]]:
    """Italic and bold phrases of a line's HTML that its text contains (journal, title)."""
    italic: list[str] = []
    bold: list[str] = []
    if "<" not in raw:
        return italic, bold
    for match in _EMPHASIS.finditer(raw):
        phrase = clean(inline_text(match.group(2)))
        if phrase and phrase in text:
            (italic if match.group(1).lower() in ("i", "em", "cite") else bold).append(phrase)
    return italic, bold


def _record(**facts: object) -> PaperRecord:
    journal = facts.get("journal")
    if isinstance(journal, str):
        journal = clean(journal.strip(" ,.;"))
        facts["journal"] = journal
        facts["journal_title"] = full_title(journal) if journal else None
    return PaperRecord(**{k: v for k, v in facts.items() if v is not None})  # type: ignore[arg-type]


# --- the formats ------------------------------------------------------------

#: Where the bibliographic part of a reference ends: its DOI or link follows.
_MARK_END = re.compile(
    r"\s*(?:\bDOI\s*:|\bDOI\s+(?=10\.)|https?://|www\.|\bOn\s+(?:arXiv|bioRxiv|medRxiv|SSRN)\b)",
    re.IGNORECASE,
)
_YEAR_PAREN = re.compile(r"\(\s*((?:1[89]|20)\d{2})\s*\)")
_YEAR_SD = re.compile(r",\s*((?:1[89]|20)\d{2})\s*(?:;|$)")
_ETAL_COMMA = re.compile(r"^(?P<names>.{2,300}?)\s*,?\s+et\.?\s+al\b\.?\s*,\s*", re.IGNORECASE)
_FIRST_CHUNK = re.compile(r"^(?P<names>[^,]{3,160}),\s*")


def _physorg(text: str, raw: str) -> PaperRecord | None:
    """``Given Family et al, Title, Journal (2025). DOI: ...`` (commas inside titles kept)."""
    end = _MARK_END.search(text)
    head = text[: end.start()] if end else text
    years = list(_YEAR_PAREN.finditer(head))
    if not years:
        return None
    before = head[: years[-1].start()].strip(" ,")
    italic = _emphasis(raw, text)[0]
    authors, truncated, rest = _physorg_authors(before)
    title, journal, locator = _title_and_journal(rest, italic)
    if title is None and authors and not truncated:
        # "Dark Matter Halos Revisited, Nature": a title in title case, not an author
        authors, title, journal, locator = (), *_title_and_journal(before, italic)
    if title is None or journal is None:  # "More information: Contact the press office (2024)"
        return None
    return _record(
        title=title,
        authors=authors,
        truncated=truncated,
        journal=journal,
        year=int(years[-1].group(1)),
        citation=text,
        **_locator(locator),
    )


def _physorg_authors(text: str) -> tuple[tuple[PersonName, ...], bool, str]:
    """The leading ``Given Family et al,`` or ``Given Family and Given Family,``, and the rest."""
    etal = _ETAL_COMMA.match(text)
    lead = etal or _FIRST_CHUNK.match(text)
    if lead and text[lead.end() :].strip():
        names = _authors(lead["names"] + (" et al." if etal else ""))
        if names:
            return names[0], names[1], text[lead.end() :]
    return (), False, text


def _title_and_journal(
    rest: str, italic: list[str]
) -> tuple[str | None, str | None, re.Match[str] | None]:
    """Split ``Title, Journal 12, 345`` at the journal: its italics, else the last comma."""
    for phrase in reversed(italic):
        at = rest.rfind(phrase)
        after = _AFTER_JOURNAL.fullmatch(rest, at + len(phrase)) if at >= 0 else None
        if after:
            return _title(rest[:at]), phrase, after
    commas = [m.start() for m in re.finditer(",", rest)]
    for at in [*reversed(commas), -1]:
        tail = _JOURNAL_AND_LOCATOR.fullmatch(rest, at + 1)
        if tail:
            return _title(rest[:at]) if at >= 0 else None, tail["journal"], tail
    return None, None, None


def _sciencedaily(text: str, raw: str) -> PaperRecord | None:
    """``Given Family, Given Family. Title. Journal, 2025; 15 (1): 411 DOI: ...``."""
    end = _MARK_END.search(text)
    head = (text[: end.start()] if end else text).strip()
    years = list(_YEAR_SD.finditer(head))
    if not years:
        return None
    year = years[-1]
    before = head[: year.start()]
    stop = _author_list_end(before)
    names = _authors(before[:stop].strip(" .")) if stop else None
    if names is None:
        stop = 0
    italic, bold = _emphasis(raw, text)
    middle = before[stop:].strip()
    title = journal = None
    known = [p for p in italic if middle.endswith(p)]
    if known:
        journal = known[-1]
        title = _title(middle[: -len(journal)])
    elif bold and middle.startswith(bold[0]):
        title = _title(bold[0])
        journal = middle[len(bold[0]) :].strip(" .") or None
    else:
        title, journal = _split_sentence_journal(middle)
    authors, truncated = names or ((), False)
    return _record(
        title=title,
        authors=authors,
        truncated=truncated,
        journal=journal,
        year=int(year.group(1)),
        citation=text,
        **_locator(_AFTER_JOURNAL.fullmatch(head, year.end())),
    )


def _split_sentence_journal(text: str) -> tuple[str | None, str | None]:
    """``Title. Journal``: at the first full stop after which a known journal follows, else
    at the last one (journal names with full stops are abbreviations the lists know)."""
    stops = [m for m in re.finditer(r"(?<=[.?!])\s+", text)]
    if not stops:
        return None, None
    chosen = next((m for m in stops if full_title(text[m.end() :].strip(" ."))), stops[-1])
    return _title(text[: chosen.start()]), text[chosen.end() :].strip(" .") or None


_NN_TITLE = re.compile(r"[“\"](?P<title>.+?)[”\"]\s*,?\s*by\s+(?P<rest>.+)$", re.DOTALL)
_PUBLISHED = re.compile(
    r"\bPublished(?:\s+online)?(?:\s+on)?\s+(?P<date>[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+\d{4}|\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4})"
)


def _neurosciencenews(text: str, raw: str) -> PaperRecord | None:
    """``Open access. “Title” by A. Author et al. Journal`` (and ``... in Journal. Published
    online January 9 2017 doi:...`` in older stories)."""
    match = _NN_TITLE.search(text)
    if match is None:
        return None
    rest = match["rest"]
    published = _PUBLISHED.search(rest)
    ends = [m.start() for m in (_MARK_END.search(rest), published) if m]
    main = rest[: min(ends, default=len(rest))].strip()
    italic = _emphasis(raw, text)[0]
    journal: str | None = None
    names_text = main
    for phrase in reversed(italic):
        at = main.rfind(phrase)
        if at > 0 and not main[at + len(phrase) :].strip(" .,"):
            journal, names_text = phrase, main[:at]
            break
    else:
        # The author list ends at "et al.", at " in Journal" or at the first full stop
        # after a name, whichever comes first ("by A and B. Frontiers in Neuroscience").
        ends = [_author_list_end(main)]
        inside = re.search(r"\s+in\s+(?=[A-Z])", main)
        ends += [inside.end()] if inside else []
        stop = min((e for e in ends if e), default=0)
        if stop:
            names_text, journal = main[:stop], main[stop:]
    names_text = re.sub(r"\s+in\s*$", "", names_text.strip(" ,."))
    if journal is not None:
        journal = re.sub(r"^in\s+", "", journal.strip(" .,")) or None
    authors, truncated = _authors(names_text) or ((), False)
    day = _date(published["date"]) if published else None
    return _record(
        title=_title(match["title"]),
        authors=authors,
        truncated=truncated,
        journal=journal,
        published=day,
        year=day.year if day else None,
        citation=text[match.start() :],
    )


# --- labelled blocks --------------------------------------------------------

_REFERENCE_LABELS = r"(?P<label>original research|more information|journal references?)"
#: A label on a line of its own (the references follow on the next lines) ...
_LABEL_LINE = re.compile(rf"^{_REFERENCE_LABELS}\s*:?$", re.IGNORECASE)
#: ... or with its colon and the reference after it, anywhere in a line (text
#: feeds run the whole story into one paragraph).
_LABEL_INLINE = re.compile(
    rf"(?:^|(?<=[.!?)\]])\s*){_REFERENCE_LABELS}\s*:\s*(?P<rest>.*)$", re.IGNORECASE
)
_STOP_LABEL = re.compile(
    r"^(?:journal information|provided by|citation|cite this page|explore further|abstract|"
    r"source|contact|image|original research|more information|journal references?)\b",
    re.IGNORECASE,
)
_DOI_LINE = re.compile(r"^(?:DOI\b|doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.)]\s+")
_MAX_FOLLOW = 8


@dataclass(frozen=True, slots=True)
class _Span:
    """One reference's text and HTML, and the part of the body it covers."""

    start: int
    end: int
    text: str
    raw: str
    #: The span shares its part of the body with other text: only a DOI its own
    #: text states is surely its DOI (else the first DOI of the part, if any).
    shared: bool = False
    #: Several references share the part: only the DOI its text states is its.
    text_only: bool = False


def _spans_after(lines: list[_Line], i: int, rest: str, fits: re.Pattern[str]) -> list[_Span]:
    """The references a label introduces: the rest of its line and the lines after it."""
    line = lines[i]
    spans = [_Span(line.start, line.end, rest, line.raw, shared=True)] if rest else []
    for nxt in lines[i + 1 : i + 1 + _MAX_FOLLOW]:
        if _STOP_LABEL.match(nxt.text):
            break
        if not nxt.text.strip(":.;, "):  # the colon after a heading: "<h3>Label</h3>:"
            continue
        if spans and _DOI_LINE.match(nxt.text):  # "DOI: ..." on its own line after a reference
            last = spans[-1]
            text, raw = f"{last.text} {nxt.text}", last.raw + nxt.raw
            spans[-1] = _Span(last.start, nxt.end, text, raw, last.shared)
            continue
        if not fits.search(nxt.text):
            break
        spans.append(_Span(nxt.start, nxt.end, nxt.text, nxt.raw))
    return spans


def _numbered(span: _Span) -> list[_Span]:
    """ "1. A... DOI: x 2. B..." is two references: split at the next number in sequence."""
    first = _NUMBERED.match(span.text)
    if not first:
        return [span]
    parts: list[str] = []
    number, pos = int(first.group(1)), first.end()
    while True:
        nxt = re.search(rf"\s{number + 1}[.)]\s+(?=[^\W\d_])", span.text[pos:])
        end = pos + nxt.start() if nxt else len(span.text)
        parts.append(span.text[pos:end].strip())
        if not nxt:
            break
        number, pos = number + 1, pos + nxt.end()
    several = len(parts) > 1
    return [replace(span, text=part, text_only=span.text_only or several) for part in parts]


def _span_doi(span: _Span, dois: list[tuple[int, str]]) -> str | None:
    inside = _dois_between(dois, span.start, span.end)
    if not inside or not (span.shared or span.text_only):
        return inside[0] if inside else None
    stated = {doi.lower() for _, doi in _scan_dois(span.text)}
    own = next((doi for doi in inside if doi.lower() in stated), None)
    return own if own or span.text_only else inside[0]


_FORMATS = {
    "original research": (re.compile(r"[“\"].+[”\"]\s*,?\s*by\s"), _neurosciencenews),
    "more information": (_YEAR_PAREN, _physorg),
    "journal reference": (re.compile(r",\s*(?:1[89]|20)\d{2}\s*(?:;|\s+DOI\b)"), _sciencedaily),
}


def _labelled(lines: list[_Line], dois: list[tuple[int, str]]) -> list[tuple[int, PaperRecord]]:
    found: list[tuple[int, PaperRecord]] = []
    for i, line in enumerate(lines):
        match = _LABEL_LINE.match(line.text) or _LABEL_INLINE.search(line.text)
        if match is None:
            continue
        label = match["label"].lower().rstrip("s")
        fits, parse = _FORMATS[label]
        rest = (match.groupdict().get("rest") or "").strip()
        spans = _spans_after(lines, i, rest, fits)
        if label == "journal reference":
            spans = [part for span in spans for part in _numbered(span)]
        for span in spans:
            paper = parse(span.text, span.raw)
            if paper is not None:
                found.append((span.start, replace(paper, doi=_span_doi(span, dois))))
    return found


_FIELDS: dict[str, str | None] = {
    "journal": "journal",
    "doi": "doi",
    "article title": "title",
    "article publication date": "published",
    "subject of research": "subject",
    "method of research": "method",
    # Labels of the same blocks that name no fact of the paper: they keep the block open.
    "coi statement": None,
    "funder": None,
    "news publication date": None,
    "web references": None,
    "article references": None,
    "image credits": None,
    "image credit": None,
    "keywords": None,
}
_FIELD = re.compile(
    r"^(?P<label>"
    + "|".join(sorted(map(re.escape, _FIELDS), key=len, reverse=True))
    + r")(?:\s*:\s*(?P<value>.*)|\s*:?)$",
    re.IGNORECASE,
)
_MAX_GAP = 3  # unlabelled lines (a multi-line value of another label) a block may hold


def _field_blocks(lines: list[_Line], dois: list[tuple[int, str]]) -> list[tuple[int, PaperRecord]]:
    """EurekAlert-style blocks: ``Journal``, ``DOI``, ``Article Title``... as heading + value
    lines or ``Label: value`` lines.  A block needs two of journal, DOI, title and date:
    one "Journal" heading or "Subject of Research:" line in prose is no block."""
    blocks: list[dict[str, _Line]] = []
    current: dict[str, _Line] = {}
    pending: str | None = None  # a heading waiting for its value ("" = one we skip)
    gap = 0
    for line in lines:
        match = _FIELD.match(line.text)
        if match:
            name = _FIELDS[match["label"].lower()] or ""
            value = (match["value"] or "").strip()
            if name and name in current:  # the label again: a second block starts
                blocks.append(current)
                current = {}
            current.setdefault("", line)  # where the block starts
            gap, pending = 0, None
            if not value:
                pending = name
            elif name:
                current[name] = _Line(line.start, line.end, value, line.raw)
        elif current and pending is not None:
            if pending:
                current[pending] = line
            gap, pending = 0, None
        elif current:
            gap += 1
            if gap > _MAX_GAP:
                blocks.append(current)
                current, pending, gap = {}, None, 0
    blocks.append(current)
    return [found for block in blocks if (found := _fields_paper(block, dois))]


def _fields_paper(
    block: dict[str, _Line], dois: list[tuple[int, str]]
) -> tuple[int, PaperRecord] | None:
    if len(block.keys() & {"journal", "doi", "title", "published"}) < 2:
        return None
    doi = doi_raw = None
    if "doi" in block:
        line = block["doi"]
        inside = _dois_between(dois, line.start, line.end)
        doi = inside[0] if inside else normalize_doi(line.text)
        # "10.1038-broken" is kept to be reported; "Pending" or "N/A" names no DOI at all.
        doi_raw = clean(line.text) if doi is None and "10." in line.text else None
    published = _date(block["published"].text) if "published" in block else None
    return block[""].start, _record(
        doi=doi,
        doi_raw=doi_raw,
        title=_title(block["title"].text) if "title" in block else None,
        journal=block["journal"].text if "journal" in block else None,
        published=published,
        year=published.year if published else None,
        subject=clean(block["subject"].text) if "subject" in block else None,
    )


def _dois_between(dois: list[tuple[int, str]], start: int, end: int) -> list[str]:
    at = bisect_left(dois, (start, ""))
    inside: list[str] = []
    while at < len(dois) and dois[at][0] < end:
        inside.append(dois[at][1])
        at += 1
    return inside


# --- all together -----------------------------------------------------------


def papers_in_html(html: str | None) -> tuple[PaperRecord, ...]:
    """Every paper a story body names, in order of first mention, one per DOI.

    A formatted reference gives ``origin="reference"`` and what it states; a
    DOI the body only mentions gives ``origin="mention"`` and the DOI alone.

    >>> [(p.doi, p.origin) for p in papers_in_html(
    ...     '<p>See <a href="https://doi.org/10.1002/lno.70172">this</a>.</p>')]
    [('10.1002/lno.70172', 'mention')]
    """
    if not html:
        return ()
    has_doi = "10." in html
    lowered = html.lower()
    has_label = any(hint in lowered for hint in _HINTS)
    if not (has_doi or has_label):
        return ()
    body = _visible(html, lowered) if "<" in html else html
    dois = _scan_dois(body) if has_doi else []
    found = [(at, PaperRecord(doi=doi, origin="mention")) for at, doi in dois]
    if has_label:
        lines = _lines(body)
        found += _field_blocks(lines, dois)
        found += _labelled(lines, dois)
    return _merge(found)


def _merge(found: list[tuple[int, PaperRecord]]) -> tuple[PaperRecord, ...]:
    """One record per DOI, in order of first mention, merged by the build's rules.

    A reference without DOI is one paper with another reference of the same
    title that has one (an EurekAlert! block and a phys.org line of one story).
    """
    ordered = sorted(found, key=lambda item: item[0])
    titled = {p.title.casefold(): p.doi_key for _, p in ordered if p.title and p.doi_key}
    groups: dict[str, list[PaperRecord]] = {}
    for at, paper in ordered:
        title = paper.title.casefold() if paper.title else None
        key = paper.doi_key or (titled.get(title) or f"title:{title}" if title else f"at:{at}")
        groups.setdefault(key, []).append(paper)
    return tuple(merge_group(group) for group in groups.values())
